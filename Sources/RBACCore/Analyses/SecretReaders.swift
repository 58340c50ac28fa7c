/// Who can read a Secret, directly and by a privilege path: `rbacgraph secrets`.
///
/// One entry holds the secrets of a namespace that share their readers (or, when the input
/// holds no Secret of the namespace, stands for any secret created there).
public struct SecretReaders: Sendable {
    /// A subject allowed to read directly, with the verbs (`get` by name, `list`, `watch`)
    /// and the first grant (`nil` for `system:masters`).
    public struct DirectReader: Sendable {
        public var subject: Subject
        public var verbs: [String]
        public var grant: Grant?
    }

    public var namespace: String
    /// The secrets (metadata only); empty: any secret of the namespace.
    public var secrets: [SecretMetadata]
    public var direct: [DirectReader]
    /// Every identity with a path, direct readers included, most dangerous first.
    public var all: [PrivilegePath]
    /// The direct readers' nodes.
    public var directNodes: Set<PathNode>
    /// Every identity with a path, direct readers excluded, most dangerous first.
    public var paths: [PrivilegePath]
}

extension EscalationGraph {
    /// The readers of each Secret of `namespace` (`nil`: of every namespace) — those of the
    /// input and those ExternalSecrets have the operator create (``MaterializedSecret``) —
    /// secrets of a namespace with the same readers together; a namespace of which the input holds no
    /// Secret gets one entry for any secret created there. Paths have at most `maxSteps` steps.
    /// - Complexity: three who-can queries per secret, one reverse search per namespace and
    ///   one per secret that a step reaches by name.
    public func secretReaders(namespace: String? = nil, maxSteps: Int = 8) -> [SecretReaders] {
        let graph = access
        var namespaces = Set<String>()
        for n in nodes { if case .secrets(.namespace(let ns)) = n { namespaces.insert(ns) } }
        for s in graph.secrets { namespaces.insert(s.namespace) }
        if let namespace { namespaces = [namespace] }
        var secretsByNamespace: [String: [SecretMetadata]] = [:]
        for s in graph.secrets { secretsByNamespace[s.namespace, default: []].append(s) }
        // A Secret an ExternalSecret has the operator create exists, in the input or not; it
        // has an entry of its own (what writes it is said with it).
        let written = graph.materializedSecrets()
        let writtenNames = Set(written.map { AccessGraph.NamespacedName(namespace: $0.namespace, name: $0.name) })
        for m in written where !m.inInput && (namespace.map { m.namespace.isExactly($0) } ?? true) {
            namespaces.insert(m.namespace)
            secretsByNamespace[m.namespace, default: []].append(SecretMetadata(namespace: m.namespace, name: m.name, source: m.externalSecret.source))
        }

        func direct(_ ns: String, _ name: String) -> [SecretReaders.DirectReader] {
            var out: [SecretReaders.DirectReader] = []
            var index: [Subject: Int] = [:]
            for verb in ["get", "list", "watch"] {
                let request = Request.resource(ResourceRequest(
                    verb: verb, resource: "secrets", namespace: ns, name: verb == "get" ? name : ""))
                for a in graph.subjects(allowedTo: request) {
                    let key = a.subject.canonical
                    if let k = index[key] {
                        out[k].verbs.append(verb)
                    } else {
                        index[key] = out.count
                        out.append(SecretReaders.DirectReader(subject: a.subject, verbs: [verb], grant: a.grant))
                    }
                }
            }
            return out
        }
        /// Readers with the same subjects, verbs and grants (binding, role, rule).
        struct Signature: Hashable {
            var subject: Subject
            var verbs: [String]
            var binding: BindingID?
            var role: RoleID?
            var rule: Int?
        }
        func signature(_ readers: [SecretReaders.DirectReader]) -> [Signature] {
            readers.map {
                Signature(subject: $0.subject.canonical, verbs: $0.verbs, binding: $0.grant?.binding, role: $0.grant?.role, rule: $0.grant?.ruleIndex)
            }
        }
        func entry(_ ns: String, _ secrets: [SecretMetadata], _ readers: [SecretReaders.DirectReader], _ reaching: [PrivilegePath]) -> SecretReaders {
            let directNodes = Set(readers.compactMap { PathNode(subject: $0.subject) })
            let all = ranked(reaching)
            let others = all.filter { !directNodes.contains(nodes[$0.start]) }
            return SecretReaders(namespace: ns, secrets: secrets, direct: readers, all: all, directNodes: directNodes, paths: others)
        }

        var entries: [SecretReaders] = []
        for ns in namespaces.sorted() {
            // Identities reaching every secret of the namespace: the answer for each secret
            // that no step reaches except through the namespace's secrets.
            let perNamespace = identitiesReaching(.secret(namespace: ns, name: nil), maxSteps: maxSteps)
            let secrets = (secretsByNamespace[ns] ?? []).sorted { $0.name < $1.name }
            if secrets.isEmpty {
                entries.append(entry(ns, [], direct(ns, ""), perNamespace))
                continue
            }
            // Secrets with the namespace's answer and the same direct readers share an entry.
            var shared: [[Signature]: Int] = [:]
            for secret in secrets {
                let readers = direct(ns, secret.name)
                if let i = index(of: .secret(namespace: ns, name: secret.name)),
                    edges(into: i).contains(where: { $0.kind != .containsSecret }) || writtenNames.contains(AccessGraph.NamespacedName(namespace: ns, name: secret.name))
                {
                    let own = identitiesReaching(.secret(namespace: ns, name: secret.name), maxSteps: maxSteps)
                    entries.append(entry(ns, [secret], readers, own))
                    continue
                }
                let key = signature(readers)
                if let k = shared[key] {
                    entries[k].secrets.append(secret)
                } else {
                    shared[key] = entries.count
                    entries.append(entry(ns, [secret], readers, perNamespace))
                }
            }
        }
        return entries
    }
}
