// Deciding a pattern target (`vault:secret/data/prod/*`) on the pattern itself: the paths a
// Vault glob names form a regular language, and so do the paths each policy pattern matches;
// a walk of their product automaton reaches every combination of "which patterns match" that
// some path of the target has, so one path of each is enough to ask the ACL about.

/// The paths one Vault glob matches, as a small automaton over bytes: a policy path
/// (`secret/data/prod/*` a prefix, `secret/+/db` a `+` segment each, an exact path), a
/// templated rule with its templates read as any text, or a bound-name glob.
struct VaultPathLanguage: Hashable {
    enum Token: Hashable {
        case byte(UInt8)
        /// Any run of bytes without `/` (a `+` segment, maybe empty, as Vault splits paths).
        case segment
        /// Any run of bytes.
        case any
    }

    var tokens: [Token]

    /// What a policy path matches, as ``VaultACL`` decides it: exact, a glob prefix, or
    /// segments with `+` (and a trailing `*` on the last one).
    init(policyPath path: String) {
        var bytes = Array(path.utf8)
        while bytes.first == UInt8(ascii: "/") { bytes.removeFirst() }
        let p = String(decoding: bytes, as: UTF8.self)
        if VaultACL.hasSegmentWildcards(p) {
            let isPrefix = bytes.last == UInt8(ascii: "*")
            if isPrefix { bytes.removeLast() }
            tokens = []
            for (k, part) in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).enumerated() {
                if k > 0 { tokens.append(.byte(UInt8(ascii: "/"))) }
                if part.elementsEqual([UInt8(ascii: "+")]) { tokens.append(.segment) } else { tokens += part.map(Token.byte) }
            }
            if isPrefix { tokens.append(.any) }
        } else if bytes.last == UInt8(ascii: "*") {
            tokens = bytes.dropLast().map(Token.byte) + [.any]
        } else {
            tokens = bytes.map(Token.byte)
        }
    }

    /// What a `*`-anywhere glob matches (``VaultGlob``): each `*` any run of bytes.
    init(glob: String) {
        tokens = Array(glob.utf8).map { $0 == UInt8(ascii: "*") ? .any : .byte($0) }
    }

    /// The bytes its literal parts use.
    var literalBytes: Set<UInt8> {
        Set(tokens.compactMap { if case .byte(let b) = $0 { b } else { nil } })
    }

    /// The bytes every path it matches begins with: its tokens up to the first run.
    var literalPrefix: [UInt8] {
        var out: [UInt8] = []
        for t in tokens {
            guard case .byte(let b) = t else { break }
            out.append(b)
        }
        return out
    }

    /// The positions reachable from `states` without reading a byte (past empty runs).
    func closure(_ states: [Int]) -> [Int] {
        var out = Set<Int>()
        for s in states {
            var i = s
            out.insert(i)
            while i < tokens.count, tokens[i] == .segment || tokens[i] == .any {
                i += 1
                out.insert(i)
            }
        }
        return out.sorted()
    }

    var start: [Int] { closure([0]) }

    func step(_ states: [Int], _ b: UInt8) -> [Int] {
        var next: [Int] = []
        for i in states where i < tokens.count {
            switch tokens[i] {
            case .byte(let x): if x == b { next.append(i + 1) }
            case .segment: if b != UInt8(ascii: "/") { next.append(i) }
            case .any: next.append(i)
            }
        }
        return closure(next)
    }

    func accepts(_ states: [Int]) -> Bool { states.contains(tokens.count) }

    /// One path for each combination of which of `languages` match, among the paths
    /// `target` matches: a shortest path of each state of their product automaton (with
    /// `list`, also of the state before a trailing `/`, which Vault's list fallback reads).
    /// Bytes that no language names literally behave alike, so one of them stands for all.
    /// Paths people write come first: without empty segments, a leading or a trailing `/`
    /// where such a path reaches the same state; then the others.
    /// - Returns: the paths, and whether the walk was complete (at most `limit` states).
    static func representatives(of target: VaultPathLanguage, against languages: [VaultPathLanguage], list: Bool, limit: Int = 20_000)
        -> (paths: [String], complete: Bool)
    {
        var literal = Set<UInt8>()
        for l in [target] + languages { literal.formUnion(l.literalBytes) }
        // A language whose literal prefix parts from the target's matches none of its paths:
        // on the target's paths it is left after its first bytes, which every path of the
        // target shares, so walking without it reaches the same states, told apart the same
        // way (its alphabet stays in the alphabet: the paths found are the same).
        let t = target.literalPrefix
        let all = [target] + languages.filter { l in
            let p = l.literalPrefix
            return p.starts(with: t) || t.starts(with: p)
        }
        let slash = UInt8(ascii: "/")
        literal.insert(slash)
        let fresh = Array("xyzqjkw0123456789abcdefghilmnoprstuv_-.".utf8).first { !literal.contains($0) }
            ?? (0x21...0x7E).first { !literal.contains($0) } ?? 0x01
        // The fresh byte first, then letters and digits: the paths found read as names.
        func rank(_ b: UInt8) -> Int { b == fresh ? 0 : (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) ? 1 : 2 }
        let alphabet = (literal.sorted() + [fresh]).sorted { (rank($0), $0) < (rank($1), $1) }
        var automata = all.map { SubsetAutomaton($0, alphabet: alphabet) }
        // A product state: the subset of each language, by number.
        struct State: Hashable {
            var sets: [Int32]
            /// With `list`: the sets before a trailing `/`.
            var parent: [Int32]?
            /// In the first walk: whether the path ends in `/` (or is empty).
            var afterSlash = false
        }
        var emitted = Set<State>()
        var out: [String] = []
        for plain in [true, false] {
            let start = State(sets: automata.indices.map { automata[$0].number(of: all[$0].start) }, parent: nil, afterSlash: plain)
            var seen: Set<State> = [start]
            // The walk's states in order, each with the one it was reached from and the byte
            // read: the path to a state is spelled by following them back.
            var queue: [(state: State, from: Int, byte: UInt8)] = [(start, -1, 0)]
            func path(to k: Int) -> String {
                var bytes: [UInt8] = []
                var i = k
                while queue[i].from >= 0 {
                    bytes.append(queue[i].byte)
                    i = queue[i].from
                }
                return String(decoding: bytes.reversed(), as: UTF8.self)
            }
            var head = 0
            while head < queue.count {
                let state = queue[head].state
                let here = head
                head += 1
                var key = state
                key.afterSlash = false
                if automata[0].accepts(state.sets[0]) && !state.afterSlash && emitted.insert(key).inserted {
                    out.append(path(to: here))
                }
                for (letter, b) in alphabet.enumerated() {
                    if plain && state.afterSlash && b == slash { continue }
                    let first = automata[0].step(state.sets[0], letter)
                    if automata[0].isEmpty(first) { continue }  // no longer in the target's paths
                    var sets = state.sets
                    sets[0] = first
                    for k in 1..<sets.count { sets[k] = automata[k].step(sets[k], letter) }
                    let next = State(sets: sets, parent: list && b == slash ? state.sets : nil, afterSlash: plain && b == slash)
                    guard seen.insert(next).inserted else { continue }
                    if seen.count > limit { return (out, false) }
                    queue.append((next, here, b))
                }
            }
        }
        return (out, true)
    }
}

/// One language's automaton over sets of positions, built as a walk needs it: each set reached
/// gets a number, and each (number, letter) its successor once — so a product walk steps by
/// table lookups and compares states as numbers.
private struct SubsetAutomaton {
    let language: VaultPathLanguage
    let alphabet: [UInt8]
    private var numbers: [[Int]: Int32] = [:]
    private var sets: [[Int]] = []
    /// `successors[n * alphabet.count + letter]`: the successor's number, -1 while not built.
    private var successors: [Int32] = []

    init(_ language: VaultPathLanguage, alphabet: [UInt8]) {
        self.language = language
        self.alphabet = alphabet
    }

    mutating func number(of set: [Int]) -> Int32 {
        if let n = numbers[set] { return n }
        let n = Int32(sets.count)
        numbers[set] = n
        sets.append(set)
        successors.append(contentsOf: repeatElement(-1, count: alphabet.count))
        return n
    }

    mutating func step(_ n: Int32, _ letter: Int) -> Int32 {
        let slot = Int(n) * alphabet.count + letter
        if successors[slot] >= 0 { return successors[slot] }
        let next = number(of: language.step(sets[Int(n)], alphabet[letter]))
        successors[slot] = next
        return next
    }

    func accepts(_ n: Int32) -> Bool { language.accepts(sets[Int(n)]) }
    func isEmpty(_ n: Int32) -> Bool { sets[Int(n)].isEmpty }
}
