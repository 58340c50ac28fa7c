/// What the external-secrets rules ask of the graph: who reads a Secret, who creates
/// ExternalSecrets, what a store reaches and what writes a Secret.
extension ReportContext {
    /// More users and service accounts than this reading a store's credentials is "many"
    /// (`store-credentials-readable`); any group counts as many by itself.
    public static let manyIndividualReaders = 3

    /// One identity allowed to read a Secret, with the grants that allow it.
    public struct SecretReader: Sendable {
        /// `user:NAME`, `group:NAME` or `sa:NS/NAME`.
        public var principal: String
        public var isGroup: Bool
        /// A group standing for every user or every service account (of a namespace), or
        /// the anonymous user.
        public var isEveryone: Bool
        /// The grants, for people: `RoleBinding/prod/x → ClusterRole/y rule 0: get secrets`.
        public var how: String
        /// The bindings and roles behind it.
        public var objects: [ObjectRef]
    }

    /// Who may read Secret `namespace/name`: `get` on it, or `list`/`watch` on the namespace's
    /// Secrets (they return every value). System:masters and grants resting only on the
    /// built-in policy's own bindings (the control plane's components) are left out.
    public func secretReaders(namespace ns: String, name: String) -> [SecretReader] {
        let requests = [
            ResourceRequest(verb: "get", resource: "secrets", namespace: ns, name: name),
            ResourceRequest(verb: "list", resource: "secrets", namespace: ns),
            ResourceRequest(verb: "watch", resource: "secrets", namespace: ns),
        ]
        var order: [String] = []
        var byPrincipal: [String: (subject: Subject, grants: [Grant])] = [:]
        for r in requests {
            for allowed in graph.subjects(allowedTo: .resource(r)) {
                let grants = allowed.grants.filter { !graph.bindings[$0.binding].origin.isBuiltIn }
                guard !grants.isEmpty, let node = PathNode(subject: allowed.subject) else { continue }
                let key = node.description
                if byPrincipal[key] == nil {
                    order.append(key)
                    byPrincipal[key] = (allowed.subject, [])
                }
                for g in grants where byPrincipal[key]?.grants.contains(g) == false { byPrincipal[key]?.grants.append(g) }
            }
        }
        return order.compactMap { key in
            guard let (subject, grants) = byPrincipal[key] else { return nil }
            let isGroup = subject.kind == SubjectKind.group.rawValue
            let everyoneGroups = [Identity.authenticatedGroup, Identity.unauthenticatedGroup, ServiceAccountName.allServiceAccountsGroup]
            let isEveryone = isGroup
                ? (everyoneGroups.contains { subject.name.isExactly($0) } || subject.name.hasPrefix(ServiceAccountName.allServiceAccountsGroup + ":"))
                : subject.kind == SubjectKind.user.rawValue && subject.name.isExactly(Identity.anonymousUser)
            var objects: [ObjectRef] = []
            for g in grants {
                let b = ObjectRef(graph.bindings[g.binding]), r = ObjectRef(graph.roles[g.role])
                if !objects.contains(b) { objects.append(b) }
                if !objects.contains(r) { objects.append(r) }
            }
            let how = grants.map { g in
                let rule = graph.roles[g.role].rules[g.ruleIndex]
                let names = rule.resourceNames.isEmpty ? "" : " [\(rule.resourceNames.joined(separator: ", "))]"
                return "\(graph.bindings[g.binding].displayName) → \(graph.roles[g.role].displayName) rule \(g.ruleIndex): "
                    + "\(rule.verbs.joined(separator: ", ")) \(rule.resources.joined(separator: ", "))\(names)"
            }.joined(separator: "; ")
            return SecretReader(principal: key, isGroup: isGroup, isEveryone: isEveryone, how: how, objects: objects)
        }
    }

    /// The namespaces the input knows: its Namespace objects, and those its service accounts,
    /// workloads, RoleBindings and external-secrets objects are in.
    func knownNamespaces() -> [String] {
        var set = Set(graph.namespaces.map(\.name))
        for sa in graph.serviceAccounts { set.insert(sa.namespace) }
        for w in graph.workloads { set.insert(w.namespace) }
        for b in graph.bindings { if let ns = b.namespace { set.insert(ns) } }
        for s in graph.external.stores { if let ns = s.namespace { set.insert(ns) } }
        for e in graph.external.externalSecrets { if let ns = e.namespace { set.insert(ns) } }
        return set.sorted()
    }

    /// Who may create ExternalSecrets, each with the first namespace of the input where it
    /// may (system:masters and the built-in policy's own bindings left out).
    public func externalSecretAuthors() -> [(identity: String, namespace: String)] {
        var out: [(identity: String, namespace: String)] = []
        var seen = Set<String>()
        for ns in knownNamespaces() {
            let request = ResourceRequest(verb: "create", apiGroup: "external-secrets.io", resource: "externalsecrets", namespace: ns)
            for allowed in graph.subjects(allowedTo: .resource(request)) {
                guard allowed.grants.contains(where: { !graph.bindings[$0.binding].origin.isBuiltIn }),
                    let node = PathNode(subject: allowed.subject), seen.insert(node.description).inserted
                else { continue }
                out.append((node.description, ns))
            }
        }
        return out
    }

    /// The service accounts of the input: ServiceAccount objects and those pods run as.
    public func serviceAccountsOfInput() -> [ServiceAccountName] {
        var set = Set(graph.serviceAccounts.map(\.serviceAccountName))
        for w in graph.workloads { set.insert(ServiceAccountName(namespace: w.namespace, name: w.template.serviceAccountName)) }
        return set.sorted()
    }

    /// What a store reads with, for people: its provider, its login or credentials, and for a
    /// Vault login the role's policies when the Vault folder holds the role.
    public func describeReach(of store: SecretStore) -> [String] {
        var out: [String] = []
        if let v = store.vault {
            var line = "Vault provider, mount \(v.mount ?? "(not written)") (KV \(v.version))"
            if let role = v.role {
                let mount = v.authMount ?? "kubernetes"
                line += ", logs in with auth/\(mount)/role/\(role)"
                let vault = graph.external.vault
                if let r = vault.role(mount: mount, name: role) {
                    line += " (policies \(r.tokenPolicies.joined(separator: ", ")))"
                } else if vault.isEmpty {
                    line += " (no Vault folder in the input: --vault DIR shows what it reads)"
                } else {
                    line += " (not in the Vault folder)"
                }
            }
            out.append(line)
        } else {
            out.append("provider \(store.provider)")
        }
        if store.credentials.isEmpty {
            out.append("names no credentials: it uses the operator's own identity (its service account, workload identity)")
        }
        for c in store.credentials {
            let ns = c.namespace ?? (store.kind == .secretStore ? store.namespace ?? "" : "the namespace of each ExternalSecret using it")
            let what = c.kind == .serviceAccount ? "service account" : "Secret"
            out.append("\(c.field): \(what) \(ns)/\(c.name)")
        }
        return out
    }

    /// Something that writes a Kubernetes Secret from an external secret manager.
    public struct ExternalSource: Sendable {
        public var description: String
        public var object: ObjectRef
        /// Whether it writes the Secret only if a selector matches labels the input does not
        /// hold (a ClusterExternalSecret's `namespaceSelectors`, without the Namespace object).
        public var isConditional = false
    }

    /// What writes Secret `name` in `namespace` from an external manager: ExternalSecrets
    /// there, ClusterExternalSecrets selecting the namespace, SecretProviderClasses syncing
    /// their objects into it.
    public func externalSources(ofSecret name: String, in ns: String) -> [ExternalSource] {
        let ext = graph.external
        var out: [ExternalSource] = []
        let labels = graph.namespaces.last { $0.name.isExactly(ns) }?.labels
        for es in ext.externalSecrets {
            guard es.secretName?.isExactly(name) == true, es.writesSecret else { continue }
            var conditional = false
            switch es.kind {
            case .pushSecret: continue
            case .externalSecret:
                guard (es.namespace ?? "").isExactly(ns) else { continue }
            case .clusterExternalSecret:
                let listed = es.namespaces.containsExactly(ns)
                let selected = labels.map { l in
                    var l = l
                    if l["kubernetes.io/metadata.name"] == nil { l["kubernetes.io/metadata.name"] = ns }
                    return es.namespaceSelectors.contains { (try? $0.matches(l)) == true }
                } ?? false
                // Without the namespace's labels a selector's answer is unknown, not no.
                conditional = !listed && !selected && labels == nil && !es.namespaceSelectors.isEmpty
                guard listed || selected || conditional else { continue }
            }
            var keys: [String] = []
            var storeNames: [String] = []
            for ref in es.stores {
                let store = ext.store(ref, from: ns)
                storeNames.append(store.map { "\($0.kind.rawValue) \($0.namespace.map { "\($0)/" } ?? "")\($0.name)" }
                    ?? "\(ref.kind.rawValue) \(ref.name) (not in the input)")
                for key in es.remoteKeys { keys.append(store?.vault?.path(ofKey: key).map { "vault:\($0)" } ?? key) }
            }
            let at = es.namespace.map { "\($0)/\(es.name)" } ?? es.name
            out.append(ExternalSource(
                description: "\(es.kind.rawValue) \(at) from \(storeNames.joined(separator: ", "))"
                    + (keys.isEmpty ? "" : " (\(keys.joined(separator: ", ")))")
                    + (conditional ? ", if its namespaceSelectors select \(ns) (the input has no Namespace \(ns) with its labels)" : ""),
                object: ObjectRef(kind: es.kind.rawValue, namespace: es.namespace, name: es.name, source: es.source),
                isConditional: conditional))
        }
        for c in ext.providerClasses where c.namespace.isExactly(ns) && c.syncedSecrets.containsExactly(name) {
            let objects = c.objects.map { c.provider == "vault" ? "vault:\($0)" : $0 }
            out.append(ExternalSource(
                description: "SecretProviderClass \(c.namespace)/\(c.name) (\(c.provider)\(objects.isEmpty ? "" : ": " + objects.joined(separator: ", ")))",
                object: ObjectRef(kind: "SecretProviderClass", namespace: c.namespace, name: c.name, source: c.source)))
        }
        return out
    }

    /// The objects of the input that use Vault: stores with a Vault provider,
    /// SecretProviderClasses of the Vault provider, workloads with Vault Agent annotations.
    public func vaultUsers() -> [String] {
        var out: [String] = []
        for s in graph.external.stores where s.provider == "vault" {
            out.append("\(s.kind.rawValue) \(s.namespace.map { "\($0)/" } ?? "")\(s.name)")
        }
        for c in graph.external.providerClasses where c.provider == "vault" { out.append("SecretProviderClass \(c.namespace)/\(c.name)") }
        for w in graph.workloads where !w.template.vaultAnnotations.isEmpty { out.append("\(w.kind) \(w.namespace)/\(w.name)") }
        return out
    }
}
