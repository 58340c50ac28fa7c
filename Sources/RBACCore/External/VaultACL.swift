/// The capabilities a set of Vault policies grants on a path, decided as Vault's ACL does
/// (`vault/acl.go`): an exact path wins; else, among the longest glob prefix (`secret/*`)
/// and every matching path with `+` segments, the most specific, ordered by
///
/// 1. the position of the first `+` or `*` (later wins),
/// 2. not ending in `*` over ending in it,
/// 3. fewer `+` segments,
/// 4. the longer pattern,
/// 5. the lexicographically greater pattern.
///
/// The same pattern in several policies unites their capabilities, except that `deny` in
/// any of them leaves only `deny`. Nothing matching grants nothing.
public struct VaultACL: Sendable {
    /// The rules of one pattern, merged over every policy that writes it.
    public struct Entry: Sendable, Hashable {
        /// The pattern as written (with a trailing `*` for a prefix).
        public var pattern: String
        public var capabilities: VaultCapabilities
        /// The policies that wrote it, and where.
        public var grants: [Grant]
        public var isConditional: Bool
    }

    /// A policy's rule behind an entry.
    public struct Grant: Sendable, Hashable {
        public var policy: String
        public var rule: VaultPathRule
    }

    /// The answer for one path.
    public struct Decision: Sendable, Hashable {
        /// The entry that decides, `nil` when no pattern matches (nothing is granted).
        public var entry: Entry?
        public var capabilities: VaultCapabilities { entry?.capabilities ?? [] }

        /// Whether `capability` is allowed: granted and not denied.
        public func allows(_ capability: VaultCapabilities) -> Bool {
            guard let entry, !entry.capabilities.contains(.deny) else { return false }
            return entry.capabilities.isSuperset(of: capability)
        }
    }

    // Keyed by bytes, as Vault's radix trees and maps are: `é` (NFC) and `e\u{301}` are two paths.
    var exact: [ExactKey: Entry] = [:]
    var prefix: [ExactKey: Entry] = [:]
    var segmented: [ExactKey: Entry] = [:]
    /// Whether the `root` policy is among them: everything is allowed.
    public private(set) var isRoot = false

    /// Builds the ACL of `policies`, each with the rules that apply (templates resolved,
    /// unresolvable rules left out by the caller, as Vault leaves them out).
    public init(_ policies: [(name: String, rules: [VaultPathRule])]) {
        for (name, rules) in policies {
            if name.isExactly("root") { isRoot = true }
            for rule in rules { insert(rule, policy: name) }
        }
    }

    private mutating func insert(_ rule: VaultPathRule, policy: String) {
        let path = rule.path
        let segmentedPattern = Self.hasSegmentWildcards(path)
        let isPrefix = !segmentedPattern && path.utf8.last == UInt8(ascii: "*")
        let key = ExactKey(isPrefix ? String(decoding: path.utf8.dropLast(), as: UTF8.self) : path)
        let grant = Grant(policy: policy, rule: rule)
        func merge(_ existing: Entry?) -> Entry {
            guard var e = existing else {
                return Entry(pattern: path, capabilities: rule.capabilities.contains(.deny) ? .deny : rule.capabilities,
                             grants: [grant], isConditional: rule.isConditional)
            }
            if e.capabilities.contains(.deny) { return e }
            if rule.capabilities.contains(.deny) {
                e.capabilities = .deny
                e.grants = [grant]
                return e
            }
            e.capabilities.formUnion(rule.capabilities)
            e.grants.append(grant)
            e.isConditional = e.isConditional || rule.isConditional
            return e
        }
        if segmentedPattern {
            segmented[key] = merge(segmented[key])
        } else if isPrefix {
            prefix[key] = merge(prefix[key])
        } else {
            exact[key] = merge(exact[key])
        }
    }

    /// Whether a policy path has `+` segments, as Vault decides it.
    static func hasSegmentWildcards(_ path: String) -> Bool {
        let b = Array(path.utf8)
        return path.isExactly("+") || path.hasExactPrefix("+/")
            || zip(b, b.dropFirst()).contains { $0 == UInt8(ascii: "/") && $1 == UInt8(ascii: "+") }
    }

    /// The decision for a request on `path` (no leading slash); `list` applies Vault's
    /// trailing-slash fallbacks for list operations.
    public func decide(_ path: String, list: Bool = false) -> Decision {
        let p = String(decoding: path.utf8.drop { $0 == UInt8(ascii: "/") }, as: UTF8.self)
        if isRoot {
            return Decision(entry: Entry(pattern: "(root policy)", capabilities: [.create, .read, .update, .delete, .list, .sudo, .patch], grants: [], isConditional: false))
        }
        if let e = exact[ExactKey(p)] { return Decision(entry: e) }
        if list, p.utf8.last == UInt8(ascii: "/") {
            let parent = String(decoding: p.utf8.dropLast(), as: UTF8.self)
            if let e = exact[ExactKey(parent)] ?? nonExact(parent) { return Decision(entry: e) }
        }
        return Decision(entry: nonExact(p))
    }

    private struct Candidate {
        var firstWildcard: Int
        var isPrefix: Bool
        var wildcards: Int
        var pattern: [UInt8]
        var entry: Entry

        /// Vault's `less`: whether `self` is of lower priority than `o`.
        func isLower(than o: Candidate) -> Bool {
            if firstWildcard != o.firstWildcard { return firstWildcard < o.firstWildcard }
            if isPrefix != o.isPrefix { return isPrefix }
            if wildcards != o.wildcards { return wildcards > o.wildcards }
            if pattern.count != o.pattern.count { return pattern.count < o.pattern.count }
            return pattern.lexicographicallyPrecedes(o.pattern)
        }
    }

    private func nonExact(_ path: String) -> Entry? {
        var candidates: [Candidate] = []
        let bytes = Array(path.utf8)
        // The longest glob prefix.
        var best: (key: [UInt8], entry: Entry)? = nil
        for (k, e) in prefix {
            let kb = Array(k.string.utf8)
            if bytes.starts(with: kb), kb.count > (best?.key.count ?? -1) { best = (kb, e) }
        }
        if let best {
            if segmented.isEmpty { return best.entry }
            candidates.append(Candidate(firstWildcard: best.key.count, isPrefix: true, wildcards: 0, pattern: best.key, entry: best.entry))
        }
        let parts = bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        nextPattern: for (full, e) in segmented where !full.string.isEmpty {
            var wc = Array(full.string.utf8)
            let first = wc.firstIndex(of: UInt8(ascii: "+")) ?? -1
            var isPrefix = false
            if wc.last == UInt8(ascii: "*") {
                isPrefix = true
                wc.removeLast()
            }
            let wcParts = wc.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            if parts.count < wcParts.count { continue }
            if !isPrefix && parts.count != wcParts.count { continue }
            var wildcards = 0
            for (i, part) in wcParts.enumerated() {
                if part.elementsEqual([UInt8(ascii: "+")]) {
                    wildcards += 1
                } else if part.elementsEqual(parts[i]) {
                    continue
                } else if isPrefix && i == wcParts.count - 1 && parts[i].starts(with: part) {
                    continue
                } else {
                    continue nextPattern
                }
            }
            candidates.append(Candidate(firstWildcard: first, isPrefix: isPrefix, wildcards: wildcards, pattern: wc, entry: e))
        }
        var top: Candidate? = nil
        for c in candidates where top.map({ $0.isLower(than: c) }) ?? true { top = c }
        return top?.entry
    }
}
