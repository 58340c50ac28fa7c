/// Go's `regexp.MatchString` (RE2 syntax, unanchored: `prod` matches `preprod`), as the
/// External Secrets Operator matches a ClusterSecretStore's `namespaceRegexes`, answered with
/// Swift's regular expressions after reading the pattern as Go does.
///
/// The two syntaxes agree on the common ground; where they part, the pattern is read first:
///
/// - What Go rejects (lookarounds `(?=` `(?!` `(?<=` `(?<!`, atomic groups `(?>`, possessive
///   and other doubled quantifiers `a*+` `a++` `a{2}*`, backreferences `\1` `\k<n>`, `\Z`
///   `\G` `\K` `\h` `\R` `\X` and other escapes Go does not know, flags other than `imsU`,
///   comments `(?#…)`, conditionals, repeat counts over 1000, unbalanced brackets) is
///   ``Reading/rejectedByGo(_:)``: the operator's webhook refuses such a store and its
///   controller fails closed on it, so whether the condition admits a namespace is unknown.
/// - What both accept but read differently is rewritten for Swift so it means what it means
///   in Go: `(?P<name>…)` is a named group, `{,3}` and a brace that is no repeat count are
///   literal, `[` inside a class is a literal bracket, `\Q…\E` is quoted, `\012` is octal,
///   `\w` `\d` `\s` `\b` are ASCII; greediness (`?` after a quantifier, `(?U)`) is kept out,
///   since it changes where a match is, never whether there is one.
/// - What cannot be told without Go's tables (`\p{Name}` other than a general category,
///   set operations `&&` `--` `~~` inside a class) is ``Reading/differs(_:)``: unknown.
public enum GoRegex {
    /// How Go reads a pattern.
    public enum Reading: Hashable, Sendable {
        /// Go accepts it; the Swift pattern that means the same.
        case same(swift: String)
        /// Go's `regexp.Compile` rejects it (why).
        case rejectedByGo(String)
        /// Go accepts it, but what it means cannot be checked here (why).
        case differs(String)
    }

    /// Whether `pattern` matches somewhere in `subject`, as Go's `regexp.MatchString` says;
    /// `.unknown` for a pattern Go rejects or that cannot be read as Go reads it.
    public static func matches(_ pattern: String, _ subject: String) -> VaultMatch {
        guard case .same(let swift) = read(pattern), let regex = try? Regex(swift) else { return .unknown }
        let r = regex.asciiOnlyCharacterClasses().wordBoundaryKind(.simple)
        return subject.firstMatch(of: r) != nil ? .yes : .no
    }

    /// Why a pattern is not read as Go reads it: `nil` when it is.
    public static func problem(_ pattern: String) -> String? {
        switch read(pattern) {
        case .same(let swift): return (try? Regex(swift)) == nil ? "Swift cannot read it as Go does" : nil
        case .rejectedByGo(let why): return "Go's regexp rejects it: \(why)"
        case .differs(let why): return why
        }
    }

    static let categories: Set<String> = [
        "Any", "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl", "No",
        "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
    ]

    /// Reads `pattern` as Go's `regexp/syntax` parser does (Perl flags, as `regexp.Compile`).
    public static func read(_ pattern: String) -> Reading {
        let c = Array(pattern.unicodeScalars)
        var out = ""
        var i = 0
        var depth = 0
        /// Whether the last item can take a quantifier, and whether it already has one.
        var canRepeat = false
        var repeated = false
        func isOctal(_ k: Int) -> Bool { k < c.count && ("0"..."7").contains(c[k]) }
        func isDigit(_ k: Int) -> Bool { k < c.count && ("0"..."9").contains(c[k]) }
        func hex(_ v: UInt32) -> String { "\\x{" + String(v, radix: 16) + "}" }
        func literal(_ s: Unicode.Scalar) -> String {
            let v = s.value
            if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F { return String(s) }
            return hex(v)
        }
        /// Reads `{n}`, `{n,}` or `{n,m}` at `k`: its end, or `nil` when it is no repeat count.
        func repeatCount(at k: Int) -> (end: Int, problem: String?)? {
            var j = k + 1
            var n = 0, digits = 0
            while isDigit(j) { n = min(n * 10 + Int(c[j].value - 48), 100_000); digits += 1; j += 1 }
            if digits == 0 { return nil }
            var m = n
            if j < c.count, c[j] == "," {
                j += 1
                var md = 0
                m = 0
                while isDigit(j) { m = min(m * 10 + Int(c[j].value - 48), 100_000); md += 1; j += 1 }
                if md == 0 { m = -1 }
            }
            guard j < c.count, c[j] == "}" else { return nil }
            if n > 1000 || m > 1000 { return (j, "a repeat count over 1000") }
            if m >= 0 && m < n { return (j, "a repeat count whose maximum is under its minimum") }
            return (j, nil)
        }
        /// An escape at `k` (the backslash): what Swift gets, its end, or why Go rejects it.
        func escape(at k: Int, inClass: Bool) -> Result<(swift: String, end: Int), Problem> {
            guard k + 1 < c.count else { return .failure(.rejected("a trailing backslash")) }
            let e = c[k + 1]
            switch e {
            // Control characters by code: Swift's `\v` is a class (vertical space), Go's one character.
            case "a": return .success((hex(0x07), k + 1))
            case "f": return .success((hex(0x0C), k + 1))
            case "t": return .success((hex(0x09), k + 1))
            case "n": return .success((hex(0x0A), k + 1))
            case "r": return .success((hex(0x0D), k + 1))
            case "v": return .success((hex(0x0B), k + 1))
            case "d", "D", "s", "S", "w", "W": return .success(("\\" + String(e), k + 1))
            case "b", "B", "A", "z":
                if inClass { return .failure(.rejected("\\\(e) inside a class")) }
                return .success(("\\" + String(e), k + 1))
            case "x":
                var j = k + 2
                if j < c.count, c[j] == "{" {
                    var v: UInt32 = 0
                    j += 1
                    let start = j
                    while j < c.count, let d = UInt32(String(c[j]), radix: 16) {
                        v = min(v &* 16 &+ d, 0x110000)
                        j += 1
                    }
                    guard j > start, j < c.count, c[j] == "}", v <= 0x10FFFF else { return .failure(.rejected("a malformed \\x{…} escape")) }
                    return .success((hex(v), j))
                }
                guard j + 1 < c.count, let v = UInt32(String(c[j]) + String(c[j + 1]), radix: 16) else {
                    return .failure(.rejected("a malformed \\x escape"))
                }
                return .success((hex(v), j + 1))
            case "p", "P":
                var j = k + 2
                guard j < c.count else { return .failure(.rejected("\\\(e) without a class name")) }
                var name: String
                if c[j] == "{" {
                    var s = ""
                    j += 1
                    while j < c.count, c[j] != "}" { s.unicodeScalars.append(c[j]); j += 1 }
                    guard j < c.count else { return .failure(.rejected("an unterminated \\\(e){…}")) }
                    name = s
                } else {
                    name = String(c[j])
                }
                let negated = name.hasPrefix("^")
                if negated { name.removeFirst() }
                guard categories.contains(name) else {
                    return .failure(.differs("\\\(e){\(name)}: Go knows Unicode scripts and categories by their short names only; this one is not checked"))
                }
                let swiftName = name == "Any" ? "Any" : name
                return .success(("\\" + String(negated ? (e == "p" ? "P" : "p") : e) + "{" + swiftName + "}", j))
            case "Q":
                if inClass { return .failure(.rejected("\\Q inside a class")) }
                var j = k + 2
                var s = ""
                while j < c.count {
                    if c[j] == "\\", j + 1 < c.count, c[j + 1] == "E" { j += 1; break }
                    s += literal(c[j])
                    j += 1
                }
                return .success((s.isEmpty ? "" : "(?:" + s + ")", min(j, c.count - 1)))
            case "0"..."7":
                if e != "0" && !isOctal(k + 2) { return .failure(.rejected("a backreference \\\(e)")) }
                var v: UInt32 = 0
                var j = k + 1
                var n = 0
                while n < 3, isOctal(j) { v = v * 8 + (c[j].value - 48); j += 1; n += 1 }
                return .success((hex(v), j - 1))
            case "8", "9": return .failure(.rejected("a backreference \\\(e)"))
            default:
                if e.isASCII, !e.properties.isAlphabetic, !("0"..."9").contains(e) { return .success((literal(e), k + 1)) }
                let known: [Unicode.Scalar: String] = ["Z": "\\Z (Go has \\z)", "G": "\\G", "K": "\\K", "h": "\\h", "R": "\\R", "X": "\\X", "k": "a named backreference \\k"]
                return .failure(.rejected(known[e] ?? "the escape \\\(e)"))
            }
        }

        while i < c.count {
            let ch = c[i]
            switch ch {
            case "\\":
                switch escape(at: i, inClass: false) {
                case .success(let (s, end)):
                    out += s
                    i = end + 1
                    canRepeat = !s.isEmpty
                    repeated = false
                case .failure(let p): return p.reading
                }
                continue
            case "(":
                if i + 1 < c.count, c[i + 1] == "?" {
                    let rest = String(String.UnicodeScalarView(c[(i + 2)...]))
                    if rest.hasPrefix("P<") || (rest.hasPrefix("<") && !rest.hasPrefix("<=") && !rest.hasPrefix("<!")) {
                        let nameStart = i + 2 + (rest.hasPrefix("P<") ? 2 : 1)
                        var j = nameStart
                        var name = ""
                        while j < c.count, c[j] != ">" { name.unicodeScalars.append(c[j]); j += 1 }
                        guard j < c.count, !name.isEmpty, name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }) else {
                            return .rejectedByGo("an invalid named group")
                        }
                        out += "(?<\(name)>"
                        depth += 1
                        i = j + 1
                        canRepeat = false
                        continue
                    }
                    if rest.hasPrefix("=") || rest.hasPrefix("!") || rest.hasPrefix("<=") || rest.hasPrefix("<!") { return .rejectedByGo("a lookaround") }
                    if rest.hasPrefix(">") { return .rejectedByGo("an atomic group") }
                    if rest.hasPrefix("#") { return .rejectedByGo("a comment group") }
                    if rest.hasPrefix("(") { return .rejectedByGo("a conditional") }
                    if rest.hasPrefix("P=") || rest.hasPrefix("P>") { return .rejectedByGo("a named backreference or recursion") }
                    // Flags: (?flags) or (?flags:re), flags from i, m, s, U, with one `-`.
                    var j = i + 2
                    var flags = ""
                    var sawMinus = false, sawFlag = false
                    while j < c.count, c[j] != ")", c[j] != ":" {
                        switch c[j] {
                        case "i", "m", "s": flags.unicodeScalars.append(c[j]); sawFlag = true
                        case "U": sawFlag = true  // greediness: no bearing on whether a match exists
                        case "-":
                            if sawMinus { return .rejectedByGo("a flag group with two -") }
                            sawMinus = true
                            sawFlag = false
                            flags += "-"
                        default: return .rejectedByGo("(?\(c[j])…: a group syntax or flag Go does not have")
                        }
                        j += 1
                    }
                    guard j < c.count else { return .rejectedByGo("an unterminated group") }
                    if !sawFlag && !(c[j] == ":" && !sawMinus && flags.isEmpty) {
                        return .rejectedByGo(sawMinus ? "a flag group with no flag after -" : "an empty flag group")
                    }
                    if c[j] == ")" {
                        if !flags.isEmpty && flags != "-" { out += "(?\(flags))" }
                        canRepeat = false
                    } else {
                        out += flags.isEmpty || flags == "-" ? "(?:" : "(?\(flags):"
                        depth += 1
                        canRepeat = false
                    }
                    i = j + 1
                    continue
                }
                out += "("
                depth += 1
                canRepeat = false
                i += 1
                continue
            case ")":
                if depth == 0 { return .rejectedByGo("an unopened )") }
                depth -= 1
                out += ")"
                canRepeat = true
                repeated = false
                i += 1
                continue
            case "|":
                out += "|"
                canRepeat = false
                i += 1
                continue
            case "*", "+", "?":
                if repeated { return .rejectedByGo("a quantifier after a quantifier (possessive or nested: \(ch) after one)") }
                if !canRepeat { return .rejectedByGo("\(ch) with nothing to repeat") }
                out.unicodeScalars.append(ch)
                repeated = true
                i += 1
                if i < c.count, c[i] == "?" { i += 1 }  // lazy: where, not whether
                continue
            case "{":
                if let r = repeatCount(at: i) {
                    if let p = r.problem { return .rejectedByGo(p) }
                    if repeated { return .rejectedByGo("a repeat count after a quantifier") }
                    if !canRepeat { return .rejectedByGo("a repeat count with nothing to repeat") }
                    out += String(String.UnicodeScalarView(c[i...r.end]))
                    repeated = true
                    i = r.end + 1
                    if i < c.count, c[i] == "?" { i += 1 }
                    continue
                }
                out += "\\{"  // not a repeat count: a literal brace in Go (`{,3}` too)
                canRepeat = true
                repeated = false
                i += 1
                continue
            case "}":
                out += "\\}"
                canRepeat = true
                repeated = false
                i += 1
                continue
            case "[":
                var j = i + 1
                var cls = "["
                if j < c.count, c[j] == "^" { cls += "^"; j += 1 }
                var first = true
                var closed = false
                while j < c.count {
                    let x = c[j]
                    if x == "]" && !first { closed = true; break }
                    first = false
                    if x == "[", j + 1 < c.count, c[j + 1] == ":" {
                        // A POSIX class [:name:] or [:^name:].
                        var k = j + 2
                        var name = ""
                        while k + 1 < c.count, !(c[k] == ":" && c[k + 1] == "]") { name.unicodeScalars.append(c[k]); k += 1 }
                        let names: Set<String> = ["alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit"]
                        let bare = name.hasPrefix("^") ? String(name.dropFirst()) : name
                        if k + 1 < c.count, names.contains(bare) {
                            cls += "[:" + name + ":]"
                            j = k + 2
                            continue
                        }
                        if k + 1 < c.count { return .rejectedByGo("an unknown class [:\(name):]") }
                    }
                    if x == "\\" {
                        switch escape(at: j, inClass: true) {
                        case .success(let (s, end)): cls += s; j = end + 1
                        case .failure(let p): return p.reading
                        }
                        continue
                    }
                    if (x == "&" || x == "~" || x == "-") && j + 1 < c.count && c[j + 1] == x && x != "-" {
                        return .differs("\(x)\(x) inside a class: a set operation in Swift, two characters in Go")
                    }
                    if x == "-", j + 1 < c.count, c[j + 1] == "-" {
                        return .differs("-- inside a class: a set operation in Swift, a range in Go")
                    }
                    cls += x == "[" ? "\\[" : x == "-" ? "-" : literal(x)
                    j += 1
                }
                if !closed { return .rejectedByGo("a class without its closing ]") }
                out += cls + "]"
                i = j + 1
                canRepeat = true
                repeated = false
                continue
            case "^", "$":
                out.unicodeScalars.append(ch)
                canRepeat = true  // Go repeats empty assertions (`^*`) as Perl does
                repeated = false
                i += 1
                continue
            case ".":
                out += "."
                canRepeat = true
                repeated = false
                i += 1
                continue
            default:
                out += literal(ch)
                canRepeat = true
                repeated = false
                i += 1
                continue
            }
        }
        if depth > 0 { return .rejectedByGo("a ( without its closing )") }
        if let why = backtrackingRisk(out) { return .differs(why) }
        return .same(swift: out)
    }

    /// The most variable quantifiers (`*`, `+`, `?`, `{n,m}`) a pattern may hold and still be
    /// matched with Swift's backtracking engine: with k of them, a name of 63 characters costs
    /// up to 63^(k+1) steps (measured: 3 take under a second even in a debug build).
    static let maxVariableQuantifiers = 3

    /// Why `swift` (a pattern `read` made) could take exponential or very long time in Swift's
    /// backtracking engine, which Go's linear-time RE2 never does: a variable quantifier on a
    /// group that holds one or an alternation (`(a*)*`, `(a|aa)+`), or more variable quantifiers
    /// than ``maxVariableQuantifiers``. Such a pattern is not matched (unknown, with this
    /// reason) rather than hang the analysis. `nil` when the pattern is safe to match.
    static func backtrackingRisk(_ swift: String) -> String? {
        let c = Array(swift.unicodeScalars)
        var i = 0
        // Per open group: whether it holds a variable quantifier or an alternation.
        var groups: [Bool] = [false]
        // Whether the last atom was a group, and if so whether it holds one.
        var lastGroup: Bool? = nil
        var variable = 0
        func skipEscape(_ k: Int) -> Int {  // at a backslash: the index after the escape
            guard k + 1 < c.count else { return k + 1 }
            if "xpP".unicodeScalars.contains(c[k + 1]), k + 2 < c.count, c[k + 2] == "{" {
                var j = k + 3
                while j < c.count, c[j] != "}" { j += 1 }
                return j + 1
            }
            return k + 2
        }
        while i < c.count {
            let ch = c[i]
            switch ch {
            case "\\":
                i = skipEscape(i)
                lastGroup = nil
            case "[":
                var j = i + 1
                if j < c.count, c[j] == "^" { j += 1 }
                var first = true
                while j < c.count {
                    if c[j] == "]" && !first { break }
                    first = false
                    if c[j] == "\\" { j = skipEscape(j); continue }
                    if c[j] == "[", j + 1 < c.count, c[j + 1] == ":" {
                        j += 2
                        while j + 1 < c.count, !(c[j] == ":" && c[j + 1] == "]") { j += 1 }
                        j += 2
                        continue
                    }
                    j += 1
                }
                i = j + 1
                lastGroup = nil
            case "(":
                i += 1
                if i < c.count, c[i] == "?" {
                    // (?:, (?<name>, (?flags:, or a bare (?flags) that opens no group.
                    var j = i + 1
                    if j < c.count, c[j] == "<" {
                        while j < c.count, c[j] != ">" { j += 1 }
                        i = j + 1
                    } else {
                        while j < c.count, c[j] != ":", c[j] != ")" { j += 1 }
                        i = j + 1
                        if j < c.count, c[j] == ")" { lastGroup = nil; continue }
                    }
                }
                groups.append(false)
                lastGroup = nil
            case ")":
                let inner = groups.count > 1 ? groups.removeLast() : false
                if inner { groups[groups.count - 1] = true }
                lastGroup = inner
                i += 1
            case "|":
                groups[groups.count - 1] = true
                lastGroup = nil
                i += 1
            case "*", "+", "?", "{":
                // Variable: more than one count possible; repeating: more than once possible.
                var isVariable = true, repeats = ch != "?"
                if ch == "{" {
                    var j = i + 1
                    var text = ""
                    while j < c.count, c[j] != "}" { text.unicodeScalars.append(c[j]); j += 1 }
                    let bounds = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
                    isVariable = !(bounds.count == 1 || (bounds.count == 2 && bounds[0] == bounds[1]))
                    repeats = bounds.count == 2 && (bounds[1] ?? 2) > 1
                    i = j + 1
                } else {
                    i += 1
                }
                if isVariable {
                    if repeats, lastGroup == true { return "a repeated group that itself repeats or alternates: Swift's backtracking matcher could take exponential time on it, Go's does not, so it is not matched here" }
                    variable += 1
                    groups[groups.count - 1] = true
                    if variable > maxVariableQuantifiers {
                        return "more than \(maxVariableQuantifiers) variable quantifiers: Swift's backtracking matcher could take very long on it, Go's does not, so it is not matched here"
                    }
                }
                lastGroup = nil
            default:
                lastGroup = nil
                i += 1
            }
        }
        return nil
    }

    enum Problem: Error {
        case rejected(String)
        case differs(String)

        var reading: Reading {
            switch self {
            case .rejected(let why): return .rejectedByGo(why)
            case .differs(let why): return .differs(why)
            }
        }
    }
}
