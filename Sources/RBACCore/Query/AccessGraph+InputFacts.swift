/// What the input mentions — namespaces, service accounts, identities — so that a question
/// about something the input never names can say so instead of a quiet "no".
extension AccessGraph {
    /// Every namespace the input names: Namespace objects, and the namespaces of roles,
    /// bindings, service accounts (and ServiceAccount subjects), secrets and workloads.
    public var mentionedNamespaces: Set<String> {
        var set = Set(namespaces.map(\.name))
        for r in roles { if let ns = r.namespace { set.insert(ns) } }
        for b in bindings {
            if let ns = b.namespace { set.insert(ns) }
            for s in b.subjects where s.isKind(.serviceAccount) && !s.namespace.isEmpty { set.insert(s.namespace) }
        }
        for sa in serviceAccounts { set.insert(sa.namespace) }
        for s in secrets { set.insert(s.namespace) }
        for w in workloads { set.insert(w.namespace) }
        return set
    }

    /// Whether the input names the service account (see ``knownServiceAccounts``).
    public func mentions(serviceAccount namespace: String, _ name: String) -> Bool {
        knownServiceAccounts.contains(ServiceAccountName(namespace: namespace, name: name))
    }

    /// Every identity the input names, in rbacgraph's notation, sorted: users and groups of
    /// binding subjects, and the known service accounts.
    public var knownIdentities: [String] {
        var all: [String] = []
        for b in bindings {
            for s in b.subjects where s.isKind(.user) || s.isKind(.group) { all.append(s.notation) }
        }
        for sa in knownServiceAccounts { all.append(sa.notation) }
        return all.exactlyDistinctSorted()
    }
}

/// A pattern over identities in rbacgraph's notation: `sa:kube-system/*`, `user:*`,
/// `group:system:*`; `*` stands for any text, `?` for one character.
public struct IdentityPattern: Sendable, CustomStringConvertible {
    public let text: String

    /// - Throws: a pattern that does not start with `user:`, `group:` or `sa:`.
    public init(_ text: String) throws(IdentityNotation.ParseError) {
        guard IdentityNotation.hasPrefix(text) else {
            throw IdentityNotation.ParseError("\"\(text)\" is not a pattern over user:NAME, group:NAME or sa:NAMESPACE/NAME (e.g. sa:kube-system/*)")
        }
        self.text = text
    }

    public var description: String { text }

    /// Whether an identity in the notation matches.
    public func matches(_ identity: String) -> Bool {
        let p = Array(text.unicodeScalars), s = Array(identity.unicodeScalars)
        // Iterative glob match with backtracking to the last `*`.
        var i = 0, j = 0, star = -1, mark = 0
        while j < s.count {
            if i < p.count, p[i] == "?" || p[i] == s[j] {
                i += 1; j += 1
            } else if i < p.count, p[i] == "*" {
                star = i; mark = j; i += 1
            } else if star >= 0 {
                i = star + 1; mark += 1; j = mark
            } else {
                return false
            }
        }
        while i < p.count, p[i] == "*" { i += 1 }
        return i == p.count
    }

    /// The identities of `graph` that match, sorted.
    public func matches(in graph: AccessGraph) -> [String] {
        graph.knownIdentities.filter(matches)
    }
}
