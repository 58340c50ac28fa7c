/// Go's `regexp.MatchString` (RE2 syntax, unanchored: `prod` matches `preprod`), as the
/// External Secrets Operator matches a ClusterSecretStore's `namespaceRegexes`: the pattern is
/// parsed as Go's `regexp/syntax` parses it with `regexp.Compile`'s Perl flags, and matched by
/// a Pike VM (a Thompson NFA run over the subject once): time linear in the subject's length
/// times the program's size, whatever the pattern, as Go's own matcher.
///
/// - What Go rejects (lookarounds `(?=` `(?!` `(?<=` `(?<!`, atomic groups `(?>`, possessive
///   and other doubled quantifiers `a*+` `a++` `a{2}*`, backreferences `\1` `\k<n>`, `\Z`
///   `\G` `\K` `\h` `\R` `\X` and other escapes Go does not know, flags other than `imsU`,
///   comments `(?#…)`, conditionals, repeat counts over 1000 (nested ones too: `(a{100}){20}`),
///   reversed class ranges, unbalanced brackets) is ``Reading/rejectedByGo(_:)``: the
///   operator's webhook refuses such a store and its controller fails closed on it, so
///   whether the condition admits a namespace is unknown.
/// - Go's own readings: `(?P<name>…)` and `(?<name>…)` are groups, `{,3}` and a brace that is
///   no repeat count are literal, `[` inside a class is a literal bracket (`[a&&b]` is four
///   characters), `\Q…\E` is quoted, `\012` is octal, `\w` `\d` `\s` `\b` are ASCII, `$`
///   without `(?m)` is the end of the text only, `.` matches no newline without `(?s)`, a
///   negated class does, `(?i)` folds case as Unicode's simple case folding does
///   (`(?i)k` matches the Kelvin sign). Greediness (`?` after a quantifier, `(?U)`) changes
///   where a match is, never whether there is one, and is not kept.
/// - What cannot be told without Go's tables (`\p{Name}` for a script or any name other than
///   a general category or `Any`) and patterns nested more deeply than ``maxNesting`` or
///   compiling to more than ``maxInstructions`` steps are ``Reading/differs(_:)``: unknown.
public enum GoRegex {
    /// How Go reads a pattern.
    public enum Reading: Hashable, Sendable {
        /// Go accepts it; the program that matches as Go's does.
        case accepted(Program)
        /// Go's `regexp.Compile` rejects it (why).
        case rejectedByGo(String)
        /// Go accepts it, but what it means cannot be checked here (why).
        case differs(String)
    }

    /// The deepest nesting of groups and repeats followed (Go allows 1000 levels of its
    /// syntax tree, which counts differently): deeper patterns are unknown.
    public static let maxNesting = 250
    /// The most instructions a compiled pattern may have (repeat counts are unrolled):
    /// larger ones are unknown rather than slow.
    public static let maxInstructions = 100_000

    /// Whether `pattern` matches somewhere in `subject`, as Go's `regexp.MatchString` says;
    /// `.unknown` for a pattern Go rejects or that cannot be read as Go reads it.
    public static func matches(_ pattern: String, _ subject: String) -> VaultMatch {
        guard case .accepted(let program) = read(pattern) else { return .unknown }
        return program.matches(subject) ? .yes : .no
    }

    /// Why a pattern is not read as Go reads it: `nil` when it is.
    public static func problem(_ pattern: String) -> String? {
        switch read(pattern) {
        case .accepted: return nil
        case .rejectedByGo(let why): return "Go's regexp rejects it: \(why)"
        case .differs(let why): return why
        }
    }

    /// Reads `pattern` as Go's `regexp/syntax` parser does (Perl flags, as `regexp.Compile`),
    /// and compiles it.
    public static func read(_ pattern: String) -> Reading {
        var parser = Parser(Array(pattern.unicodeScalars))
        do {
            let node = try parser.parse()
            return .accepted(try Program(node))
        } catch {
            return error.reading
        }
    }

    /// Why a pattern is not accepted.
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

// MARK: - Syntax

extension GoRegex {
    /// A zero-width assertion.
    enum Assertion: Hashable, Sendable {
        case beginText, endText, beginLine, endLine, wordBoundary, notWordBoundary

        /// Whether it holds between `before` and `after` (`nil`: the text's edge).
        func holds(before: Unicode.Scalar?, after: Unicode.Scalar?) -> Bool {
            switch self {
            case .beginText: return before == nil
            case .endText: return after == nil
            case .beginLine: return before == nil || before == "\n"
            case .endLine: return after == nil || after == "\n"
            case .wordBoundary: return CharSet.isWord(before) != CharSet.isWord(after)
            case .notWordBoundary: return CharSet.isWord(before) == CharSet.isWord(after)
            }
        }
    }

    /// The parsed pattern.
    indirect enum Node {
        case empty
        case char(CharSet)
        case assert(Assertion)
        case concat([Node])
        case alternate([Node])
        case star(Node)
        case plus(Node)
        case quest(Node)
        /// `{min,max}`; `max` -1 for no maximum.
        case repeatCount(Node, min: Int, max: Int)

        /// Whether the largest product of nested repeat counts stays within `n`, as Go's
        /// `repeatIsValid` checks (a count of 0 ends the walk; `{n,}` counts as n).
        func repeatsWithin(_ n: Int) -> Bool {
            switch self {
            case .empty, .char, .assert: return true
            case .concat(let xs), .alternate(let xs): return xs.allSatisfy { $0.repeatsWithin(n) }
            case .star(let x), .plus(let x), .quest(let x): return x.repeatsWithin(n)
            case .repeatCount(let x, let min, let max):
                let m = max < 0 ? min : max
                if m == 0 { return true }
                if m > n { return false }
                return x.repeatsWithin(n / m)
            }
        }
    }

    /// The flags a group's contents are read with.
    struct Flags {
        var foldCase = false
        var multiLine = false
        var dotNewline = false
    }

    /// Go's `regexp/syntax` parser, Perl flags: a recursive descent over Unicode scalars.
    struct Parser {
        let c: [Unicode.Scalar]
        var i = 0
        var depth = 0

        init(_ scalars: [Unicode.Scalar]) { c = scalars }

        mutating func parse() throws(Problem) -> Node {
            var flags = Flags()
            let node = try alternation(&flags)
            if i < c.count {  // only a `)` stops the top level early
                throw .rejected("an unopened )")
            }
            return node
        }

        func at(_ k: Int) -> Unicode.Scalar? { k < c.count ? c[k] : nil }
        func isDigit(_ k: Int) -> Bool { at(k).map { ("0"..."9").contains($0) } ?? false }
        func isOctal(_ k: Int) -> Bool { at(k).map { ("0"..."7").contains($0) } ?? false }

        /// Alternatives up to a `)` or the end; `(?flags)` inside changes the group's flags
        /// from there on, across `|`, as in Go.
        mutating func alternation(_ flags: inout Flags) throws(Problem) -> Node {
            depth += 1
            defer { depth -= 1 }
            if depth > GoRegex.maxNesting { throw .differs("groups or repeats nested more than \(GoRegex.maxNesting) deep: not followed here") }
            var alternatives: [Node] = []
            var items: [Node] = []
            /// Whether the last item can take a quantifier, and whether it has one.
            var canRepeat = false
            var repeated = false
            func close(_ items: [Node]) -> Node { items.isEmpty ? .empty : items.count == 1 ? items[0] : .concat(items) }
            while i < c.count {
                let ch = c[i]
                switch ch {
                case ")":
                    return alternatives.isEmpty ? close(items) : .alternate(alternatives + [close(items)])
                case "|":
                    alternatives.append(close(items))
                    items = []
                    canRepeat = false
                    repeated = false
                    i += 1
                case "*", "+", "?", "{":
                    var end = i + 1
                    var count: (min: Int, max: Int)? = nil
                    if ch == "{" {
                        guard let r = try repeatCount(at: i) else {
                            // Not a repeat count: a literal brace in Go (`{,3}` too).
                            items.append(.char(CharSet(literal: 0x7B, fold: flags.foldCase)))
                            canRepeat = true
                            repeated = false
                            i += 1
                            continue
                        }
                        count = (r.min, r.max)
                        end = r.end + 1
                        if repeated { throw .rejected("a quantifier after a quantifier (possessive or nested: a repeat count after one)") }
                    } else if repeated {
                        throw .rejected("a quantifier after a quantifier (possessive or nested: \(ch) after one)")
                    }
                    guard canRepeat, let last = items.popLast() else {
                        throw .rejected(ch == "{" ? "a repeat count with nothing to repeat" : "\(ch) with nothing to repeat")
                    }
                    let node: Node
                    switch ch {
                    case "*": node = .star(last)
                    case "+": node = .plus(last)
                    case "?": node = .quest(last)
                    default:
                        node = .repeatCount(last, min: count!.min, max: count!.max)
                        if count!.min >= 2 || count!.max >= 2, !node.repeatsWithin(1000) {
                            throw .rejected("nested repeat counts over 1000 in all")
                        }
                    }
                    items.append(node)
                    repeated = true
                    i = end
                    if at(i) == "?" { i += 1 }  // lazy: where, not whether
                case "(":
                    if at(i + 1) == "?" {
                        if let group = try groupOrFlags(&flags) {
                            items.append(group)
                            canRepeat = true
                        }
                        // (?flags) alone adds nothing: a quantifier after it repeats what came before.
                        repeated = false
                        continue
                    }
                    i += 1
                    var inner = flags
                    let node = try alternation(&inner)
                    guard at(i) == ")" else { throw .rejected("a ( without its closing )") }
                    i += 1
                    items.append(node)
                    canRepeat = true
                    repeated = false
                case "[":
                    items.append(.char(try characterClass(flags)))
                    canRepeat = true
                    repeated = false
                case "^":
                    items.append(.assert(flags.multiLine ? .beginLine : .beginText))
                    canRepeat = true  // Go repeats empty assertions (`^*`) as Perl does
                    repeated = false
                    i += 1
                case "$":
                    items.append(.assert(flags.multiLine ? .endLine : .endText))
                    canRepeat = true
                    repeated = false
                    i += 1
                case ".":
                    items.append(.char(flags.dotNewline ? CharSet.any : CharSet.anyButNewline))
                    canRepeat = true
                    repeated = false
                    i += 1
                case "\\":
                    // Each character of \Q…\E is an item of its own (a quantifier repeats the last).
                    let more = try escape(flags)
                    items += more
                    if !more.isEmpty { canRepeat = true }
                    repeated = false
                default:
                    items.append(.char(CharSet(literal: ch.value, fold: flags.foldCase)))
                    canRepeat = true
                    repeated = false
                    i += 1
                }
            }
            return alternatives.isEmpty ? close(items) : .alternate(alternatives + [close(items)])
        }

        /// `(?…`: a named group, a non-capturing group with flags, or flags alone (`nil`).
        mutating func groupOrFlags(_ flags: inout Flags) throws(Problem) -> Node? {
            let rest = c[(i + 2)...]
            func starts(_ s: String) -> Bool { rest.starts(with: s.unicodeScalars) }
            if starts("P<") || (starts("<") && !starts("<=") && !starts("<!")) {
                var j = i + 2 + (starts("P<") ? 2 : 1)
                var name = ""
                while j < c.count, c[j] != ">" { name.unicodeScalars.append(c[j]); j += 1 }
                guard j < c.count, !name.isEmpty,
                    name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) })
                else { throw .rejected("an invalid named group") }
                i = j + 1
                var inner = flags
                let node = try alternation(&inner)
                guard at(i) == ")" else { throw .rejected("a ( without its closing )") }
                i += 1
                return node
            }
            if starts("=") || starts("!") || starts("<=") || starts("<!") { throw .rejected("a lookaround") }
            if starts(">") { throw .rejected("an atomic group") }
            if starts("#") { throw .rejected("a comment group") }
            if starts("(") { throw .rejected("a conditional") }
            if starts("P=") || starts("P>") { throw .rejected("a named backreference or recursion") }
            // Flags: (?flags) or (?flags:re), flags from i, m, s, U, with one `-`.
            var j = i + 2
            var new = flags
            var sawMinus = false, sawFlag = false, any = false
            while j < c.count, c[j] != ")", c[j] != ":" {
                let on = !sawMinus
                switch c[j] {
                case "i": new.foldCase = on; sawFlag = true
                case "m": new.multiLine = on; sawFlag = true
                case "s": new.dotNewline = on; sawFlag = true
                case "U": sawFlag = true  // greediness: no bearing on whether a match exists
                case "-":
                    if sawMinus { throw .rejected("a flag group with two -") }
                    sawMinus = true
                    sawFlag = false
                default: throw .rejected("(?\(c[j])…: a group syntax or flag Go does not have")
                }
                any = true
                j += 1
            }
            guard j < c.count else { throw .rejected("an unterminated group") }
            if !sawFlag && !(c[j] == ":" && !any) {
                throw .rejected(sawMinus ? "a flag group with no flag after -" : "an empty flag group")
            }
            i = j + 1
            if c[j] == ")" {
                flags = new
                return nil
            }
            let node = try alternation(&new)
            guard at(i) == ")" else { throw .rejected("a ( without its closing )") }
            i += 1
            return node
        }

        /// Reads `{n}`, `{n,}` or `{n,m}` at `k`: its bounds and end (the `}`), or `nil`
        /// when it is no repeat count.
        func repeatCount(at k: Int) throws(Problem) -> (min: Int, max: Int, end: Int)? {
            var j = k + 1
            var n = 0, digits = 0
            while isDigit(j) { n = Swift.min(n * 10 + Int(c[j].value - 48), 100_000); digits += 1; j += 1 }
            if digits == 0 { return nil }
            var m = n
            if at(j) == "," {
                j += 1
                var md = 0
                m = 0
                while isDigit(j) { m = Swift.min(m * 10 + Int(c[j].value - 48), 100_000); md += 1; j += 1 }
                if md == 0 { m = -1 }
            }
            guard at(j) == "}" else { return nil }
            if n > 1000 || m > 1000 { throw .rejected("a repeat count over 1000") }
            if m >= 0 && m < n { throw .rejected("a repeat count whose maximum is under its minimum") }
            return (n, m, j)
        }

        /// An escape outside a class, at the backslash: its nodes (several for `\Q…\E`, none
        /// for an empty one).
        mutating func escape(_ flags: Flags) throws(Problem) -> [Node] {
            guard let e = at(i + 1) else { throw .rejected("a trailing backslash") }
            switch e {
            case "b", "B", "A", "z":
                i += 2
                return [.assert(e == "b" ? .wordBoundary : e == "B" ? .notWordBoundary : e == "A" ? .beginText : .endText)]
            case "Q":
                var j = i + 2
                var chars: [Node] = []
                while j < c.count {
                    if c[j] == "\\", at(j + 1) == "E" { j += 2; break }
                    chars.append(.char(CharSet(literal: c[j].value, fold: flags.foldCase)))
                    j += 1
                }
                i = j
                return chars
            default:
                return [.char(try classEscape(flags))]
            }
        }

        /// An escape that stands for characters (in a class or not), at the backslash: a
        /// single character, a Perl class (`\d`) or a Unicode class (`\pL`).
        mutating func classEscape(_ flags: Flags) throws(Problem) -> CharSet {
            guard let e = at(i + 1) else { throw .rejected("a trailing backslash") }
            switch e {
            case "d", "D", "s", "S", "w", "W":
                i += 2
                var set = CharSet.perl(e)
                set.fold = flags.foldCase
                return set
            case "p", "P":
                var j = i + 2
                guard j < c.count else { throw .rejected("\\\(e) without a class name") }
                var name = ""
                if c[j] == "{" {
                    j += 1
                    while j < c.count, c[j] != "}" { name.unicodeScalars.append(c[j]); j += 1 }
                    guard j < c.count else { throw .rejected("an unterminated \\\(e){…}") }
                } else {
                    name = String(c[j])
                }
                var negated = e == "P"
                if name.hasPrefix("^") {
                    name.removeFirst()
                    negated.toggle()
                }
                if name == "Any" {
                    i = j + 1
                    var set = CharSet(ranges: [0...0x10FFFF], negated: negated)
                    set.fold = flags.foldCase
                    return set
                }
                guard let categories = CharSet.categories[name] else {
                    throw .differs("\\\(e){\(name)}: Go knows Unicode scripts and categories by their short names only; this one is not checked")
                }
                i = j + 1
                var set = CharSet(fold: flags.foldCase)
                set.categories = categories
                set.negated = negated
                return set
            case "b", "B", "A", "z", "Q":
                throw .rejected("\\\(e) inside a class")
            default:
                let (value, end) = try singleCharacterEscape(at: i)
                i = end + 1
                return CharSet(literal: value, fold: flags.foldCase)
            }
        }

        /// An escape for one character at `k` (the backslash): the character's code (a
        /// surrogate code, which Go accepts, matches no character) and the index of the
        /// escape's last scalar, or why Go rejects it.
        func singleCharacterEscape(at k: Int) throws(Problem) -> (UInt32, Int) {
            guard let e = at(k + 1) else { throw .rejected("a trailing backslash") }
            switch e {
            case "a": return (0x07, k + 1)
            case "f": return (0x0C, k + 1)
            case "t": return (0x09, k + 1)
            case "n": return (0x0A, k + 1)
            case "r": return (0x0D, k + 1)
            case "v": return (0x0B, k + 1)
            case "x":
                var j = k + 2
                if at(j) == "{" {
                    var v: UInt32 = 0
                    j += 1
                    let start = j
                    while j < c.count, let d = UInt32(String(c[j]), radix: 16) {
                        v = Swift.min(v &* 16 &+ d, 0x110000)
                        j += 1
                    }
                    guard j > start, at(j) == "}", v <= 0x10FFFF else { throw .rejected("a malformed \\x{…} escape") }
                    return (v, j)
                }
                guard j + 1 < c.count, let v = UInt32(String(c[j]) + String(c[j + 1]), radix: 16) else {
                    throw .rejected("a malformed \\x escape")
                }
                return (v, j + 1)
            case "0"..."7":
                // \0, or \1-\7 followed by another octal digit (else a backreference).
                if e != "0" && !isOctal(k + 2) { throw .rejected("a backreference \\\(e)") }
                var v: UInt32 = 0
                var j = k + 1
                var n = 0
                while n < 3, isOctal(j) { v = v * 8 + (c[j].value - 48); j += 1; n += 1 }
                return (v, j - 1)
            case "8", "9": throw .rejected("a backreference \\\(e)")
            default:
                if e.isASCII, !e.properties.isAlphabetic, !("0"..."9").contains(e) { return (e.value, k + 1) }
                let known: [Unicode.Scalar: String] = [
                    "Z": "\\Z (Go has \\z)", "G": "\\G", "K": "\\K", "h": "\\h", "R": "\\R", "X": "\\X", "k": "a named backreference \\k",
                ]
                throw .rejected(known[e] ?? "the escape \\\(e)")
            }
        }

        /// A bracketed class at `[`: its items, ranges, POSIX, Perl and Unicode classes.
        mutating func characterClass(_ flags: Flags) throws(Problem) -> CharSet {
            var set = CharSet(fold: flags.foldCase)
            var j = i + 1
            if at(j) == "^" { set.negated = true; j += 1 }
            var first = true
            while true {
                guard j < c.count else { throw .rejected("a class without its closing ]") }
                let x = c[j]
                if x == "]" && !first { break }
                first = false
                // A POSIX class [:name:] or [:^name:].
                if x == "[", at(j + 1) == ":" {
                    var k = j + 2
                    var name = ""
                    while k + 1 < c.count, !(c[k] == ":" && c[k + 1] == "]") { name.unicodeScalars.append(c[k]); k += 1 }
                    if k + 1 < c.count {
                        let negated = name.hasPrefix("^")
                        guard let ranges = CharSet.posix[negated ? String(name.dropFirst()) : name] else {
                            throw .rejected("an unknown class [:\(name):]")
                        }
                        var group = CharSet(ranges: ranges, negated: negated)
                        group.fold = flags.foldCase
                        set.groups.append(group)
                        j = k + 2
                        continue
                    }
                }
                // A Perl or Unicode class escape.
                if x == "\\", let e = at(j + 1), "dDsSwWpP".unicodeScalars.contains(e) {
                    i = j
                    set.groups.append(try classEscape(flags))
                    j = i
                    continue
                }
                // A character, or a range lo-hi (a `-` before `]` is literal).
                let (lo, loEnd) = try classCharacter(at: j)
                j = loEnd + 1
                if at(j) == "-", let next = at(j + 1), next != "]" {
                    let (hi, hiEnd) = try classCharacter(at: j + 1)
                    guard hi >= lo else { throw .rejected("a class range whose end comes before its start") }
                    set.ranges.append(lo...hi)
                    j = hiEnd + 1
                } else {
                    set.ranges.append(lo...lo)
                }
            }
            i = j + 1
            return set
        }

        /// One character of a class at `k`: itself, or an escape for one character.
        func classCharacter(at k: Int) throws(Problem) -> (UInt32, Int) {
            guard c[k] == "\\" else { return (c[k].value, k) }
            if let e = at(k + 1), "bBAzQdDsSwWpP".unicodeScalars.contains(e) {
                throw .rejected("\\\(e) inside a class" + ("dDsSwWpP".unicodeScalars.contains(e) ? " range" : ""))
            }
            return try singleCharacterEscape(at: k)
        }
    }
}

// MARK: - Characters

extension GoRegex {
    /// What one step of the pattern matches: characters by ranges and Unicode general
    /// categories, maybe negated, maybe folding case.
    struct CharSet: Hashable, Sendable {
        var ranges: [ClosedRange<UInt32>] = []
        /// Unicode general categories (`\pL`).
        var categories: Set<Unicode.GeneralCategory> = []
        /// Classes inside a bracketed class (`[\d[:alpha:]\PL]`), each folded and negated on
        /// its own, as Go folds a group before negating it.
        var groups: [CharSet] = []
        var negated = false
        /// `(?i)`: a character matches when any of its case-folding equivalents does.
        var fold = false

        init(fold: Bool = false) { self.fold = fold }

        init(literal: UInt32, fold: Bool) {
            ranges = [literal...literal]
            self.fold = fold
        }

        static let any = CharSet(ranges: [0...0x10FFFF])
        static let anyButNewline = CharSet(ranges: [0x0A...0x0A], negated: true)

        init(ranges: [ClosedRange<UInt32>], negated: Bool = false) {
            self.ranges = ranges
            self.negated = negated
        }

        /// Go's Perl classes, ASCII only.
        static func perl(_ e: Unicode.Scalar) -> CharSet {
            let d: [ClosedRange<UInt32>] = [0x30...0x39]
            let s: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
            let w: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
            switch e {
            case "d": return CharSet(ranges: d)
            case "D": return CharSet(ranges: d, negated: true)
            case "s": return CharSet(ranges: s)
            case "S": return CharSet(ranges: s, negated: true)
            case "w": return CharSet(ranges: w)
            default: return CharSet(ranges: w, negated: true)
            }
        }

        /// Go's POSIX classes, ASCII only.
        static let posix: [String: [ClosedRange<UInt32>]] = [
            "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
            "alpha": [0x41...0x5A, 0x61...0x7A],
            "ascii": [0x00...0x7F],
            "blank": [0x09...0x09, 0x20...0x20],
            "cntrl": [0x00...0x1F, 0x7F...0x7F],
            "digit": [0x30...0x39],
            "graph": [0x21...0x7E],
            "lower": [0x61...0x7A],
            "print": [0x20...0x7E],
            "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
            "space": [0x09...0x0D, 0x20...0x20],
            "upper": [0x41...0x5A],
            "word": [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A],
            "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
        ]

        /// The Unicode general categories Go names, by their short names (`Any`: everything).
        static let categories: [String: Set<Unicode.GeneralCategory>] = {
            let lu: Unicode.GeneralCategory = .uppercaseLetter
            var out: [String: Set<Unicode.GeneralCategory>] = [
                "Lu": [lu], "Ll": [.lowercaseLetter], "Lt": [.titlecaseLetter], "Lm": [.modifierLetter], "Lo": [.otherLetter],
                "Mn": [.nonspacingMark], "Mc": [.spacingMark], "Me": [.enclosingMark],
                "Nd": [.decimalNumber], "Nl": [.letterNumber], "No": [.otherNumber],
                "Pc": [.connectorPunctuation], "Pd": [.dashPunctuation], "Ps": [.openPunctuation], "Pe": [.closePunctuation],
                "Pi": [.initialPunctuation], "Pf": [.finalPunctuation], "Po": [.otherPunctuation],
                "Sm": [.mathSymbol], "Sc": [.currencySymbol], "Sk": [.modifierSymbol], "So": [.otherSymbol],
                "Zs": [.spaceSeparator], "Zl": [.lineSeparator], "Zp": [.paragraphSeparator],
                "Cc": [.control], "Cf": [.format], "Co": [.privateUse], "Cs": [.surrogate],
            ]
            for major in ["L", "M", "N", "P", "S", "Z", "C"] {
                out[major] = out.filter { $0.key.count == 2 && $0.key.hasPrefix(major) }.values.reduce(into: Set()) { $0.formUnion($1) }
            }
            return out
        }()

        /// Whether `c` is one of this set's characters (before negation and folding).
        func holds(_ c: Unicode.Scalar) -> Bool {
            let v = c.value
            for r in ranges where r.contains(v) { return true }
            return !categories.isEmpty && categories.contains(c.properties.generalCategory)
        }

        func contains(_ c: Unicode.Scalar) -> Bool {
            var hit = holds(c)
            if !hit && fold {
                for v in CaseFolding.orbit(of: c) where v != c && holds(v) {
                    hit = true
                    break
                }
            }
            if !hit { hit = groups.contains { $0.contains(c) } }
            return hit != negated
        }

        /// Go's `\b` word characters: ASCII letters, digits and `_`.
        static func isWord(_ c: Unicode.Scalar?) -> Bool {
            guard let v = c?.value else { return false }
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
    }

    /// Unicode's simple case folding, as Go's `unicode.SimpleFold` walks it: the characters
    /// equivalent to one under `(?i)`.
    enum CaseFolding {
        /// The one simple case mapping of `c` to `upper` or lower case, `nil` when it maps to
        /// several characters (`ß` to `SS`) or to itself.
        static func simple(_ c: Unicode.Scalar, upper: Bool) -> Unicode.Scalar? {
            let mapped = upper ? c.properties.uppercaseMapping : c.properties.lowercaseMapping
            let scalars = mapped.unicodeScalars
            guard scalars.count == 1, let m = scalars.first, m != c else { return nil }
            return m
        }

        /// The representative of `c`'s class: its lower case after upper case (`ſ` → `S` →
        /// `s`, the Kelvin sign → `k`). The dotted and dotless i are folded only in Turkic
        /// languages, which Go does not follow: each its own class.
        static func key(_ c: Unicode.Scalar) -> Unicode.Scalar {
            if c.value == 0x130 || c.value == 0x131 { return c }
            let u = simple(c, upper: true) ?? c
            if u.value == 0x130 || u.value == 0x131 { return c }
            return simple(u, upper: false) ?? simple(c, upper: false) ?? u
        }

        /// Every character with a case mapping (they all lie below U+20000), by class.
        static let classes: [UInt32: [Unicode.Scalar]] = {
            var out: [UInt32: [Unicode.Scalar]] = [:]
            for v in UInt32(0)..<0x20000 {
                guard let c = Unicode.Scalar(v), c.properties.changesWhenCaseMapped else { continue }
                out[key(c).value, default: []].append(c)
            }
            for (k, members) in out where !members.contains(where: { $0.value == k }) {
                out[k] = members + [Unicode.Scalar(k)!]
            }
            return out
        }()

        /// `c` and every character equivalent to it.
        static func orbit(of c: Unicode.Scalar) -> [Unicode.Scalar] {
            guard c.properties.changesWhenCaseMapped || classes[c.value] != nil else { return [c] }
            return classes[key(c).value] ?? [c]
        }
    }
}

// MARK: - Matching

extension GoRegex {
    /// A compiled pattern: a Thompson NFA that ``matches(_:)`` runs as a Pike VM.
    public struct Program: Hashable, Sendable {
        enum Instruction: Hashable, Sendable {
            /// One character of the set at this index of ``sets``, then the next instruction.
            case char(Int)
            case split(Int, Int)
            case jump(Int)
            case assert(Assertion)
            case match
        }

        var instructions: [Instruction] = []
        var sets: [CharSet] = []

        init(_ node: Node) throws(Problem) {
            try emit(node)
            instructions.append(.match)
        }

        private mutating func append(_ i: Instruction) throws(Problem) -> Int {
            if instructions.count >= GoRegex.maxInstructions {
                throw .differs("the pattern unrolls to more than \(GoRegex.maxInstructions) steps: not matched here")
            }
            instructions.append(i)
            return instructions.count - 1
        }

        private mutating func emit(_ node: Node) throws(Problem) {
            switch node {
            case .empty: break
            case .char(let set):
                sets.append(set)
                _ = try append(.char(sets.count - 1))
            case .assert(let a): _ = try append(.assert(a))
            case .concat(let xs): for x in xs { try emit(x) }
            case .alternate(let xs):
                var jumps: [Int] = []
                for (k, x) in xs.enumerated() {
                    if k == xs.count - 1 {
                        try emit(x)
                    } else {
                        let split = try append(.split(0, 0))
                        try emit(x)
                        jumps.append(try append(.jump(0)))
                        instructions[split] = .split(split + 1, instructions.count)
                    }
                }
                for j in jumps { instructions[j] = .jump(instructions.count) }
            case .star(let x):
                let split = try append(.split(0, 0))
                try emit(x)
                _ = try append(.jump(split))
                instructions[split] = .split(split + 1, instructions.count)
            case .plus(let x):
                let start = instructions.count
                try emit(x)
                let split = try append(.split(start, 0))
                instructions[split] = .split(start, split + 1)
            case .quest(let x):
                let split = try append(.split(0, 0))
                try emit(x)
                instructions[split] = .split(split + 1, instructions.count)
            case .repeatCount(let x, let min, let max):
                for _ in 0..<min { try emit(x) }
                if max < 0 {
                    try emit(.star(x))
                } else if max > min {
                    // x{2,4}: xx(x(x)?)?
                    var splits: [Int] = []
                    for _ in min..<max {
                        splits.append(try append(.split(0, 0)))
                        try emit(x)
                    }
                    for s in splits { instructions[s] = .split(s + 1, instructions.count) }
                }
            }
        }

        /// Whether the pattern matches somewhere in `subject` (Go's `MatchString`), in time
        /// O(characters × instructions).
        public func matches(_ subject: String) -> Bool {
            run(subject).matched
        }

        /// Matches as ``matches(_:)`` does and counts the steps taken: every instruction taken
        /// off the work stack. Each instruction is followed at most once per position and
        /// pushes at most two others, so the count stays within
        /// `(3 × instructions + 1) × (characters + 1)`: the linear time the tests check.
        func run(_ subject: String) -> (matched: Bool, steps: Int) {
            let s = Array(subject.unicodeScalars)
            var steps = 0
            var current: [Int] = []
            var next: [Int] = []
            // The position (plus one) at which an instruction was last added to a list.
            var mark = [Int](repeating: 0, count: instructions.count)
            var stack: [Int] = []
            /// Follows jumps, splits and assertions from `pc` at position `at`, adding the
            /// character steps it reaches to `list`; `true` when it reaches the match.
            func add(_ pc: Int, at position: Int, to list: inout [Int]) -> Bool {
                let before = position > 0 ? s[position - 1] : nil
                let after = position < s.count ? s[position] : nil
                stack.append(pc)
                while let p = stack.popLast() {
                    steps += 1
                    if mark[p] == position + 1 { continue }
                    mark[p] = position + 1
                    switch instructions[p] {
                    case .match:
                        stack.removeAll()
                        return true
                    case .jump(let to): stack.append(to)
                    case .split(let x, let y):
                        stack.append(y)
                        stack.append(x)
                    case .assert(let a): if a.holds(before: before, after: after) { stack.append(p + 1) }
                    case .char: list.append(p)
                    }
                }
                return false
            }
            for position in 0...s.count {
                // Unanchored: a thread starts at every position.
                if add(0, at: position, to: &current) { return (true, steps) }
                if position == s.count { break }
                let ch = s[position]
                next.removeAll(keepingCapacity: true)
                for pc in current {
                    guard case .char(let k) = instructions[pc], sets[k].contains(ch) else { continue }
                    if add(pc + 1, at: position + 1, to: &next) { return (true, steps) }
                }
                swap(&current, &next)
            }
            return (false, steps)
        }
    }
}
