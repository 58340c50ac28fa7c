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
        struct State: Hashable {
            var sets: [[Int]]
            /// With `list`: the sets before a trailing `/`.
            var parent: [[Int]]?
            /// In the first walk: whether the path ends in `/` (or is empty).
            var afterSlash = false
        }
        var emitted = Set<State>()
        var out: [String] = []
        for plain in [true, false] {
            let start = State(sets: all.map(\.start), parent: nil, afterSlash: plain)
            var seen: Set<State> = [start]
            var queue: [(State, [UInt8])] = [(start, [])]
            var head = 0
            while head < queue.count {
                let (state, path) = queue[head]
                head += 1
                var key = state
                key.afterSlash = false
                if target.accepts(state.sets[0]) && !state.afterSlash && emitted.insert(key).inserted {
                    out.append(String(decoding: path, as: UTF8.self))
                }
                for b in alphabet {
                    if plain && state.afterSlash && b == slash { continue }
                    let sets = zip(all, state.sets).map { $0.step($1, b) }
                    if sets[0].isEmpty { continue }  // no longer in the target's paths
                    let next = State(sets: sets, parent: list && b == slash ? state.sets : nil, afterSlash: plain && b == slash)
                    guard seen.insert(next).inserted else { continue }
                    if seen.count > limit { return (out, false) }
                    queue.append((next, path + [b]))
                }
            }
        }
        return (out, true)
    }
}
