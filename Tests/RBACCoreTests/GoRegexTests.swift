import Testing
import RBACCore

/// ClusterSecretStore `namespaceRegexes` are Go regular expressions (RE2), matched unanchored
/// with `regexp.MatchString`: where Go's syntax and Swift's part, the pattern is read as Go
/// reads it, and what Go rejects (or what cannot be checked) is unknown, never a silent no.
@Suite struct GoRegexTests {
    @Test("patterns Go and Swift read alike, and those Go reads its own way", arguments: [
        // Unanchored: `prod` matches `preprod`.
        ("prod", "preprod", VaultMatch.yes), ("^prod$", "preprod", .no), ("^team-", "team-a", .yes), ("^team-", "dev", .no),
        // Named groups: Python's (?P<name>…) and (?<name>…).
        ("^(?P<env>prod|stage)-", "stage-eu", .yes), ("^(?<env>prod)$", "prod", .yes), ("^(?P<env>prod)$", "dev", .no),
        // Not a repeat count in Go: literal braces ({,2} is a quantifier in Swift).
        ("^x{,2}$", "x{,2}", .yes), ("^x{,2}$", "xx", .no), ("^a{2}$", "aa", .yes), ("a{x}", "a{x}", .yes),
        // [ inside a class is a literal bracket in Go (a nested class in Swift).
        ("^[[a]]$", "a]", .yes), ("^[[a]]$", "a", .no),
        // Quoting, escapes, POSIX and Unicode categories, case folding, ASCII word boundaries.
        (#"^\Qa.b\E$"#, "a.b", .yes), (#"^\Qa.b\E$"#, "axb", .no), (#"^\x41$"#, "A", .yes), (#"^\x{41}$"#, "A", .yes),
        ("^[[:alpha:]]+-[[:digit:]]$", "team-1", .yes), (#"^\pL+$"#, "prod", .yes), (#"^\p{Lu}"#, "prod", .no),
        ("(?i)PROD", "prod", .yes), ("(?i:P)rod", "prod", .yes), (#"\bprod\b"#, "pre-prod", .yes), (#"\bprod\b"#, "preprod", .no),
        (#"^\d+$"#, "123", .yes), ("^a\\-b$", "a-b", .yes), (#"^\101$"#, "A", .yes),
        // Greediness never changes whether there is a match.
        ("(?U)a+", "a", .yes), ("^a*?$", "aaa", .yes), ("prod|", "x", .yes),
    ])
    func readAsGoReadsThem(pattern: String, subject: String, expected: VaultMatch) {
        #expect(GoRegex.matches(pattern, subject) == expected, "\(GoRegex.read(pattern))")
        #expect(GoRegex.problem(pattern) == nil)
    }

    @Test("patterns Go rejects: unknown, with why", arguments: [
        ("prod(?=-)", "lookaround"), ("(?!dev)", "lookaround"), ("(?<=pre)prod", "lookaround"), ("(?<!pre)prod", "lookaround"),
        ("(?>prod)", "atomic"), ("pro++d", "quantifier after a quantifier"), ("prod*+", "quantifier after a quantifier"),
        ("a{2}*", "quantifier after a quantifier"), ("a**", "quantifier after a quantifier"),
        (#"(prod)\1"#, "backreference"), (#"\k<x>"#, "backreference"), (#"prod\Z"#, #"\Z"#), (#"\Gprod"#, #"\G"#),
        (#"\h"#, #"\h"#), (#"\e"#, #"\e"#), ("a{1001}", "over 1000"), ("a{3,2}", "under its minimum"),
        ("(?x) prod", "(?x"), ("(?#c)prod", "comment"), ("(?(1)a|b)", "conditional"), ("(?i-)a", "no flag after -"),
        ("(prod", "closing )"), ("prod)", "unopened"), ("*prod", "nothing to repeat"), ("[prod", "closing ]"),
        ("[[:word2:]]", "unknown class"), (#"prod\"#, "trailing backslash"), ("(?P=n)", "backreference"),
    ])
    func rejectedByGo(pattern: String, why: String) {
        guard case .rejectedByGo(let reason) = GoRegex.read(pattern) else {
            Issue.record("\(pattern): \(GoRegex.read(pattern))")
            return
        }
        #expect(reason.contains(why), "\(reason)")
        #expect(GoRegex.matches(pattern, "prod") == .unknown)
        #expect(GoRegex.problem(pattern)?.hasPrefix("Go's regexp rejects it") == true)
    }

    @Test("patterns whose meaning cannot be checked here: unknown", arguments: [
        #"\p{Greek}"#, #"\p{Letter}"#, "[a-z&&[^aeiou]]", "[a-z--[aeiou]]", "[a~~b]",
    ])
    func differ(pattern: String) {
        guard case .differs = GoRegex.read(pattern) else {
            Issue.record("\(pattern): \(GoRegex.read(pattern))")
            return
        }
        #expect(GoRegex.matches(pattern, "prod") == .unknown)
    }

    /// Go matches in linear time; Swift's engine backtracks. A pattern that could make it take
    /// exponential (or very long) time on a 63-character name is unknown, with why, instead of
    /// hanging the analysis (found by make fuzz: `(a*)*$` against `aaa…ab` never returned).
    @Test("patterns Swift's backtracking could take too long on: unknown, answered at once", arguments: [
        "(a*)*$", "(a+)+b", "(a|aa)*c", "^(x|y|xy){2,}$", "(?:a?b*)+z", "(?i:(a|b)*)+", ".*.*.*.*x", "a?b?c?d?",
    ])
    func backtrackingRisk(pattern: String) {
        let name = String(repeating: "a", count: 62) + "b"
        let start = ContinuousClock.now
        #expect(GoRegex.matches(pattern, name) == .unknown)
        #expect(ContinuousClock.now - start < .milliseconds(100))
        guard case .differs(let why) = GoRegex.read(pattern) else {
            Issue.record("\(pattern): \(GoRegex.read(pattern))")
            return
        }
        #expect(why.contains("backtracking"))
    }

    @Test("repetition that cannot blow up is still matched", arguments: [
        ("^(dev|prod)?-app$", "-app", VaultMatch.yes), ("^(team-[a-z]+)$", "team-a", .yes), ("^(ab){3}$", "ababab", .yes),
        ("^[a-z]+-[0-9]+-.*$", "team-12-x", .yes), ("(prod|stage)-[a-z]*", "dev", .no), ("^(a{2}){3}$", "aaaaaa", .yes),
    ])
    func boundedRepetition(pattern: String, subject: String, expected: VaultMatch) {
        #expect(GoRegex.matches(pattern, subject) == expected, "\(GoRegex.read(pattern))")
    }

    @Test("three variable quantifiers, the most matched, stay fast on the worst 63-character name")
    func worstAllowed() {
        let name = String(repeating: "a", count: 63)
        let start = ContinuousClock.now
        #expect(GoRegex.matches(".*.*.*x", name) == .no)
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    /// A store whose only condition Go would reject serves no namespace known to the input:
    /// its answer is unknown, and an admitting condition next to it still admits.
    @Test func storesWithUnreadableConditionsAreUnknown() {
        var store = SecretStore(kind: .clusterSecretStore, namespace: nil, name: "teams", provider: "vault")
        store.conditions = [SecretStore.Condition(namespaceRegexes: ["(?!dev).*"])]
        #expect(store.serves(namespace: "prod", labels: [:]) == .unknown)
        store.conditions.append(SecretStore.Condition(namespaces: ["prod"]))
        #expect(store.serves(namespace: "prod", labels: [:]) == .yes)
    }
}
