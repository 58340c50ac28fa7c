import Testing
@testable import RBACCore

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

    @Test("patterns whose meaning cannot be checked here: unknown", arguments: [#"\p{Greek}"#, #"\p{Letter}"#, #"[\p{Han}]"#])
    func differ(pattern: String) {
        guard case .differs = GoRegex.read(pattern) else {
            Issue.record("\(pattern): \(GoRegex.read(pattern))")
            return
        }
        #expect(GoRegex.matches(pattern, "prod") == .unknown)
    }

    /// Go's own meaning where engines part, from the `regexp/syntax` documentation: `$` is the
    /// end of the text unless `(?m)`, `.` no newline unless `(?s)`, a negated class any
    /// newline; `(?i)` folds as Unicode's simple case folding (the Kelvin sign, the long s),
    /// a folded `\w` before `\W` negates it; flags last to the group's end, across `|`;
    /// `&&`, `--` and `~~` inside a class are characters (`[a-z--[aeiou]]`: a range from `-`
    /// to `[`, then a literal `]`); a quantifier after `\Q…\E` repeats its last character.
    @Test("Go's semantics, table", arguments: [
        ("a$", "a\n", VaultMatch.no), ("(?m)a$", "a\nb", .yes), ("^b", "a\nb", .no), ("(?m)^b", "a\nb", .yes),
        (#"a\z"#, "a", .yes), (#"\Ab"#, "ab", .no),
        ("a.b", "a\nb", .no), ("(?s)a.b", "a\nb", .yes), ("a[^x]b", "a\nb", .yes),
        ("(?i)k", "\u{212A}", .yes), ("(?i)[k]", "\u{212A}", .yes), ("(?i)\u{212A}", "K", .yes), ("(?i)[\u{212A}]", "k", .yes),
        ("(?i)s", "\u{17F}", .yes), ("(?i)\u{131}", "i", .no), ("(?i)[^k]", "K", .no), ("(?i)σ", "ς", .yes),
        (#"(?i)\W"#, "\u{17F}", .no), (#"\W"#, "\u{17F}", .yes), (#"(?i)[\W]"#, "\u{212A}", .no), (#"(?i)\w"#, "\u{212A}", .yes),
        ("a(?i)b|c", "C", .yes), ("(?i)a(?-i)b", "AB", .no), ("(?i)a(?-i)b", "Ab", .yes), ("(?i:a)b", "AB", .no),
        ("[a-z&&[^aeiou]]", "b]", .yes), ("[a-z&&[^aeiou]]", "b", .no), ("[a-z--[aeiou]]", "B]", .yes), ("[a~~b]", "~", .yes),
        (#"^\Qab\E*$"#, "abb", .yes), (#"^\Qab\E*$"#, "abab", .no), (#"\Q\E"#, "", .yes),
        (#"\x{D800}"#, "x", .no), (#"\08"#, "\u{0}8", .yes), (#"[\d-z]"#, "-", .yes),
        (#"\b"#, "-", .no), (#"\B"#, "-", .yes), (#"\bé"#, "é", .no),
        (#"\pL"#, "é", .yes), (#"\PL"#, "é", .no), (#"[\PL]"#, "1", .yes), (#"[^\pL]"#, "é", .no), (#"\p{^L}"#, "1", .yes),
        ("[[:^alpha:]]", "1", .yes), ("[[:^alpha:]]", "a", .no), (#"\s"#, "\u{0B}", .no), ("[[:space:]]", "\u{0B}", .yes),
        ("x*", "", .yes), ("^$", "", .yes), ("^a{2,3}$", "a", .no), ("^a{2,3}$", "aaa", .yes), ("^a{2,3}$", "aaaa", .no),
        ("^a{2,}$", "aaaaaaaa", .yes), ("^(ab|a)(bc|c)$", "abc", .yes), ("^(a{100}){10}$", String(repeating: "a", count: 1000), .yes),
        ("(?P<a>x)(?P<a>y)", "xy", .yes), (#"\p{Any}"#, "é", .yes), (#"\P{Any}"#, "é", .no),
        ("^[]a]+$", "]a", .yes), ("^[^]a]$", "b", .yes), ("^[a-]$", "-", .yes), ("[[]", "[", .yes),
    ])
    func goSemantics(pattern: String, subject: String, expected: VaultMatch) {
        #expect(GoRegex.matches(pattern, subject) == expected, "\(GoRegex.read(pattern))")
    }

    @Test("more that Go rejects", arguments: [
        ("[z-a]", "end comes before its start"), ("(a{100}){20}", "over 1000"),
        (#"[a-\d]"#, "inside a class"), (#"[\b]"#, "inside a class"),
    ])
    func moreRejected(pattern: String, why: String) {
        guard case .rejectedByGo(let reason) = GoRegex.read(pattern) else {
            Issue.record("\(pattern): \(GoRegex.read(pattern))")
            return
        }
        #expect(reason.contains(why), "\(reason)")
    }

    /// Go matches in linear time, and so does this matcher (a Pike VM): patterns a
    /// backtracking engine takes exponential time on are answered at once (found by make
    /// fuzz: `(a*)*$` against a 63-character name never returned from Swift's engine).
    @Test("patterns a backtracking matcher could take too long on: answered at once", arguments: [
        ("(a*)*$", VaultMatch.yes), ("(a+)+b", .yes), ("(a|aa)*c", .no), ("^(x|y|xy){2,}$", .no), ("(?:a?b*)+z", .no),
        ("(?i:(a|b)*)+", .yes), (".*.*.*.*x", .no), ("a?b?c?d?", .yes), ("^(a|a?)+$", .no), ("^(a|a?)+b$", .yes),
        ("^(a{0,30}){0,30}c", .no), ("(.*){1,32}z", .no),
    ])
    func linearTime(pattern: String, expected: VaultMatch) {
        guard case .accepted(let program) = GoRegex.read(pattern) else {
            Issue.record("\(pattern) is not read as Go reads it: \(GoRegex.problem(pattern) ?? "")")
            return
        }
        for name in [String(repeating: "a", count: 62) + "b", String(repeating: "a", count: 63)] {
            // Counted, not timed (a clock fails on a busy machine): at most 3 × instructions + 1
            // steps per position, where backtracking takes 2^63.
            let (matched, steps) = program.run(name)
            let bound = (3 * program.instructions.count + 1) * (name.unicodeScalars.count + 1)
            #expect(steps <= bound, "\(pattern): \(steps) steps, more than \(bound)")
            #expect(matched == program.matches(name))
            if name.hasSuffix("b") { #expect(GoRegex.matches(pattern, name) == expected, "\(pattern)") }
        }
    }

    /// Patterns that would unroll past what the matcher follows, or nest too deeply, are
    /// unknown with why, never a wrong answer.
    @Test func tooLargeOrTooDeepIsUnknown() {
        let large = String(repeating: "(?:a{1000})", count: 101)
        #expect(GoRegex.matches(large, "a") == .unknown)
        #expect(GoRegex.problem(large)?.contains("steps") == true)
        let deep = String(repeating: "(", count: 300) + "a" + String(repeating: ")", count: 300)
        #expect(GoRegex.matches(deep, "a") == .unknown)
        #expect(GoRegex.problem(deep)?.contains("nested") == true)
    }

    @Test("many variable quantifiers stay fast on the worst 63-character name")
    func worstCase() {
        let name = String(repeating: "a", count: 63)
        let start = ContinuousClock.now
        #expect(GoRegex.matches(".*.*.*x", name) == .no)
        #expect(GoRegex.matches(String(repeating: ".*", count: 40) + "x", name) == .no)
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
