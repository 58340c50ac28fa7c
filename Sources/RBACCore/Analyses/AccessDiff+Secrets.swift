// Secret exposure: the readers of secrets gained and lost, direct (get, list, watch as
// who-can answers them) and by a privilege path; and the Pod Security label changes of
// namespaces, which open and close the paths through privileged pods.

/// The readers of some secrets that differ between the two sides.
///
/// A direct reader is an identity whose `can-i` answer to `get` (by name, for one secret),
/// `list` or `watch` on secrets differs between the sides; the identities asked are the
/// subjects `who-can` lists on either side (a group stands for its members), and one that
/// changes exactly as one of its groups is left to the group. A reader by a path reaches the
/// secrets by a privilege path of more than one step (``PathChange``).
public struct SecretExposure: Sendable {
    /// The namespace; `nil` for requests with no namespace (every namespace at once, as
    /// ClusterRoleBindings grant them), which also stands for every namespace not listed.
    public var namespace: String?
    /// One secret, read by `get` with its name; `nil` for every secret of the namespace.
    /// A secret's entry stands for it alone; a secret with no entry of its own changed as the
    /// entry of its namespace says, or (no entry for the namespace) as that of the same name
    /// in every namespace, or as every secret of every namespace.
    public var secret: String?
    public var gained: [SecretReaderChange]
    public var lost: [SecretReaderChange]

    /// `every secret of every namespace`, `every secret of prod`, `secret prod/db`, `secret db
    /// of every namespace`.
    public var title: String {
        if let secret { return namespace.map { "secret \($0)/\(secret)" } ?? "secret \(secret) of every namespace" }
        return "every secret of " + (namespace ?? "every namespace")
    }

    /// Whether some reader is gained.
    public var gains: Bool { !gained.isEmpty }
}

/// A reader of secrets gained or lost.
public struct SecretReaderChange: Sendable {
    /// The subject or identity, in rbacgraph's notation (`group:devs` stands for its members).
    public var reader: String
    /// The verbs gained or lost (`get`, `list`, `watch`); empty for a reader by a path only.
    public var verbs: [String]
    /// The privilege path gained or lost, for a reader by a path.
    public var path: PathChange?
    public var causes: [ObjectChange]
}

extension DiffContext {
    private static let readVerbs = ["get", "list", "watch"]

    private static func request(_ verb: String, namespace: String, name: String?) -> Request {
        .resource(ResourceRequest(verb: verb, resource: "secrets", namespace: namespace, name: name ?? ""))
    }

    /// The direct readers gained and lost of the secrets of `namespace` (`""`: no namespace),
    /// or of the one secret `name` (then `get` alone), and the change in a comparable form
    /// (`reader verb +`).
    ///
    /// The readers are the subjects `who-can` lists on either side, each asked as `can-i`
    /// asks (a user with `system:authenticated`, a service account with its groups): a reader
    /// is listed when the answer differs, unless one of its groups is listed with the same
    /// change (it changes as the group does).
    private func directChanges(namespace: String, name: String?) -> (gained: [SecretReaderChange], lost: [SecretReaderChange], signature: Set<ExactKey>) {
        let verbs = name == nil ? Self.readVerbs : ["get"]
        // A subject both sides allow is allowed, as an identity, on both: only those one side
        // allows can change (and the identities they stand for are asked as can-i asks).
        // Names byte for byte: `user:zoë` composed and decomposed are two readers.
        var candidates = Set<ExactKey>()
        for v in verbs {
            var sides: [Set<ExactKey>] = []
            for g in [base, head] {
                var here = Set<ExactKey>()
                for a in g.subjects(allowedTo: Self.request(v, namespace: namespace, name: name)) where !a.grants.isEmpty {
                    if let node = PathNode(subject: a.subject) { here.insert(ExactKey(node.description)) }
                }
                sides.append(here)
            }
            candidates.formUnion(sides[0].symmetricDifference(sides[1]))
        }
        struct Change {
            var identity: Identity
            var gained: [String] = [], lost: [String] = []
            var gainedCauses: [ObjectChange] = [], lostCauses: [ObjectChange] = []
        }
        var changes: [ExactKey: Change] = [:]
        for key in candidates {
            guard let identity = try? Identity.impersonating(key.string), !identity.isMaster else { continue }
            var c = Change(identity: identity)
            for v in verbs {
                let r = Self.request(v, namespace: namespace, name: name)
                let before = base.authorize(identity, r), after = head.authorize(identity, r)
                guard before.allowed != after.allowed else { continue }
                let gaining = after.allowed
                if gaining { c.gained.append(v) } else { c.lost.append(v) }
                if let grant = (gaining ? after : before).grant {
                    for cause in causes(of: grant, for: identity, gaining: gaining) {
                        if gaining, !c.gainedCauses.contains(cause) { c.gainedCauses.append(cause) }
                        if !gaining, !c.lostCauses.contains(cause) { c.lostCauses.append(cause) }
                    }
                }
            }
            if !c.gained.isEmpty || !c.lost.isEmpty { changes[key] = c }
        }
        var gained: [SecretReaderChange] = [], lost: [SecretReaderChange] = []
        var signature = Set<ExactKey>()
        for (exact, c) in changes.sorted(by: { $0.key.string.utf8.lexicographicallyPrecedes($1.key.string.utf8) }) {
            let key = exact.string
            let asGroup = c.identity.groups.contains { g in
                let name = ExactKey(IdentityNotation.format(.group, name: g))
                return name != exact && changes[name].map { $0.gained == c.gained && $0.lost == c.lost } == true
            }
            if asGroup { continue }
            if !c.gained.isEmpty { gained.append(SecretReaderChange(reader: key, verbs: c.gained, path: nil, causes: c.gainedCauses)) }
            if !c.lost.isEmpty { lost.append(SecretReaderChange(reader: key, verbs: c.lost, path: nil, causes: c.lostCauses)) }
            for v in c.gained { signature.insert(ExactKey("\(key) \(v) +")) }
            for v in c.lost { signature.insert(ExactKey("\(key) \(v) -")) }
        }
        return (gained, lost, signature)
    }

    /// The secrets whose readers changed: every namespace at once, then each namespace whose
    /// change differs from that, then each secret (by name) whose `get` changed otherwise
    /// than its namespace's; the readers by a path from `paths` added where they belong.
    func secretExposure(paths: [PathChange]) -> [SecretExposure] {
        // The entries of the secrets paths reach are listed in any case (with their direct
        // readers, exact for them).
        struct Place: Hashable {
            var namespace: String?
            var secret: String?
        }
        func place(_ target: String) -> Place? {
            guard target.hasPrefix("secret:") else { return nil }
            let rest = target.dropFirst("secret:".count)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            let ns = String(rest[..<slash]), name = String(rest[rest.index(after: slash)...])
            return Place(namespace: ns == "*" ? nil : ns, secret: name == "*" ? nil : name)
        }
        let forced = Set(paths.compactMap { place($0.target) })
        var out: [SecretExposure] = []
        let every = directChanges(namespace: "", name: nil)
        if !every.signature.isEmpty || forced.contains(Place(namespace: nil, secret: nil)) {
            out.append(SecretExposure(namespace: nil, secret: nil, gained: every.gained, lost: every.lost))
        }
        // The namespaces either side knows: objects, secrets, RoleBindings; and the secret
        // names rules allow `get` on. Any other secret's `get` is answered by the rules with no
        // resourceNames, as every secret's of its namespace: it never has an entry of its own.
        var namespaces = Set<String>()
        var names: [String: Set<String>] = [:]
        var anyNamespaceNames = Set<String>()
        for g in [base, head] {
            for n in g.namespaces { namespaces.insert(n.name) }
            for s in g.secrets { namespaces.insert(s.namespace) }
            for b in g.bindings { if let ns = b.namespace { namespaces.insert(ns) } }
            for r in g.roles {
                for rule in r.rules where !rule.resourceNames.isEmpty {
                    for n in rule.resourceNames
                    where rule.allows(.resource(ResourceRequest(verb: "get", resource: "secrets", namespace: r.namespace ?? "any", name: n))) {
                        if let ns = r.namespace { names[ns, default: []].insert(n) } else { anyNamespaceNames.insert(n) }
                    }
                }
            }
        }
        for p in forced {
            if let ns = p.namespace {
                namespaces.insert(ns)
                if let n = p.secret { names[ns, default: []].insert(n) }
            } else if let n = p.secret {
                anyNamespaceNames.insert(n)
            }
        }
        func getPart(_ signature: Set<ExactKey>) -> Set<ExactKey> {
            signature.filter { $0.string.hasExactSuffix(" get +") || $0.string.hasExactSuffix(" get -") }
        }
        // A secret by name in every namespace (ClusterRoles name it): listed when its `get`
        // changes otherwise than every secret's.
        var everyByName: [String: Set<ExactKey>] = [:]
        for name in anyNamespaceNames.sorted() {
            let one = directChanges(namespace: "", name: name)
            everyByName[name] = one.signature
            if one.signature != getPart(every.signature) || forced.contains(Place(namespace: nil, secret: name)) {
                out.append(SecretExposure(namespace: nil, secret: name, gained: one.gained, lost: one.lost))
            }
        }
        for ns in namespaces.sorted() {
            let here = directChanges(namespace: ns, name: nil)
            let listed = here.signature != every.signature || forced.contains(Place(namespace: ns, secret: nil))
            if listed { out.append(SecretExposure(namespace: ns, secret: nil, gained: here.gained, lost: here.lost)) }
            // A secret of the namespace is listed when its `get` changes otherwise than the
            // entry that stands for it: its namespace's, or (namespace not listed) the same name's
            // in every namespace, or every secret's.
            for name in names[ns, default: []].union(anyNamespaceNames).sorted() {
                let one = directChanges(namespace: ns, name: name)
                let standing = listed ? getPart(here.signature) : (everyByName[name] ?? getPart(every.signature))
                if one.signature != standing || forced.contains(Place(namespace: ns, secret: name)) { out.append(SecretExposure(namespace: ns, secret: name, gained: one.gained, lost: one.lost)) }
            }
        }
        // Readers by a path: the entry of their target, unless they read it directly there.
        for p in paths {
            guard let at = place(p.target) else { continue }
            let ns = at.namespace, name = at.secret
            let i: Int
            if let k = out.firstIndex(where: { $0.namespace == ns && $0.secret == name }) {
                i = k
            } else {
                let direct = directChanges(namespace: ns ?? "", name: name)
                out.append(SecretExposure(namespace: ns, secret: name, gained: direct.gained, lost: direct.lost))
                i = out.count - 1
            }
            let change = SecretReaderChange(reader: p.identity, verbs: [], path: p, causes: p.causes)
            if p.isGain {
                if !out[i].gained.contains(where: { $0.reader == p.identity }) { out[i].gained.append(change) }
            } else if !out[i].lost.contains(where: { $0.reader == p.identity }) {
                out[i].lost.append(change)
            }
        }
        // Every namespace first, then by namespace, the namespace's entry before its secrets'.
        return out.sorted { a, b in
            if (a.namespace == nil) != (b.namespace == nil) { return a.namespace == nil }
            if let x = a.namespace, let y = b.namespace, x != y { return x.utf8.lexicographicallyPrecedes(y.utf8) }
            if (a.secret == nil) != (b.secret == nil) { return a.secret == nil }
            return (a.secret ?? "").utf8.lexicographicallyPrecedes((b.secret ?? "").utf8)
        }
    }

    /// The object changes behind a step one side has and the other lacks (or holds less
    /// certainly): its grants' changes, and for a step through a privileged pod, the
    /// namespace's Pod Security label.
    func causes(of e: PathEdge, in g: EscalationGraph, gaining: Bool) -> [ObjectChange] {
        var out: [ObjectChange] = []
        if let identity = g.nodes[e.from].identity {
            for ev in e.evidence {
                guard let b = ev.binding, let s = ev.subject else { continue }
                for c in causes(of: Grant(subject: s, binding: b, role: ev.role, ruleIndex: ev.ruleIndex), for: identity, gaining: gaining)
                where !out.contains(c) {
                    out.append(c)
                }
            }
        }
        if e.kind == .privilegedPod, let ns = e.namespace, let c = podSecurityChange(ns) { out.append(c) }
        return out
    }

    /// The change of a namespace's `pod-security.kubernetes.io/enforce` label, if any.
    func podSecurityChange(_ ns: String) -> ObjectChange? {
        let label = KubernetesConventions.podSecurityEnforceLabel
        let b = base.namespaces.first { $0.name.isExactly(ns) }, h = head.namespaces.first { $0.name.isExactly(ns) }
        let before = b?.labels[label], after = h?.labels[label]
        guard before != after else { return nil }
        // What each admits, least first; no label (or no level): the cluster's default, which
        // the input does not show.
        func strictness(_ v: String?) -> Int {
            switch v.flatMap(KubernetesConventions.PodSecurityLevel.init(rawValue:)) {
            case .privileged: return 0
            case nil: return 1
            case .baseline: return 2
            case .restricted: return 3
            }
        }
        let (x, y) = (strictness(before), strictness(after))
        func text(_ v: String?) -> String { v ?? "(no label)" }
        return ObjectChange(
            kind: y < x ? .podSecurityRelaxed : y > x ? .podSecurityTightened : .modified, object: "Namespace/\(ns)",
            detail: "\(label): \(text(before)) → \(text(after))", base: b?.source, head: h?.source)
    }

    /// Every namespace whose Pod Security enforce label differs between the sides.
    func namespaceChanges() -> [ObjectChange] {
        var names = Set<String>()
        for g in [base, head] { for n in g.namespaces { names.insert(n.name) } }
        return names.sorted().compactMap(podSecurityChange)
    }
}
