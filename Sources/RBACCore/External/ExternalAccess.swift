/// Who reaches a path of Vault, and how: the service accounts whose Vault login grants the
/// capability, the External Secrets stores that log in with one (reached by creating an
/// ExternalSecret, or a PushSecret, in a namespace the store serves), and, with privilege
/// paths, every identity that can become such a service account or make such an object.
public struct VaultReader: Sendable {
    /// How the capability is reached.
    public enum Route: Sendable {
        /// The service account logs in to Vault with a role and gets the capability.
        case login(VaultAccess)
        /// Creating an ExternalSecret (reads) or a PushSecret (writes) in `namespace` that
        /// uses `store`, which logs in as `access.login.serviceAccount`.
        case store(SecretStore, namespace: String, kind: ExternalSecret.Kind, access: VaultAccess)
    }

    /// The identity that reaches it.
    public var identity: PathNode
    public var route: Route
    /// For a store route reached directly, the RBAC grant allowing the create.
    public var grant: Grant?
    /// How the identity becomes the service account (or gets the create permission); `nil`
    /// when it is the service account itself or holds the permission directly.
    public var path: PrivilegePath?
    /// `.yes`, or `.unknown` when the answer rests on what the input does not hold (an
    /// unresolved template, a policy not in the folder, a namespace's labels).
    public var certainty: VaultMatch
}

/// Every external secret the input names and the routes to it: `secrets --external`.
public struct ExternalSecretPath: Sendable, Hashable {
    /// `vault:MOUNT/PATH`, `store:NS/NAME` (a key of a non-Vault store) or `csi:NS/CLASS` objects.
    public var target: String
    /// Who names it: `ExternalSecret prod/db`, `SecretProviderClass prod/vault-db`, `Pod prod/web (vault.hashicorp.com/agent-inject-secret-db)`.
    public var namedBy: [String]
}

extension EscalationGraph {
    /// The service accounts worth asking Vault about: those of the input, of pods and
    /// bindings, and those Vault roles name literally (they may not exist yet).
    func vaultCandidates() -> [ServiceAccountName] {
        var seen = Set<ServiceAccountName>()
        var out: [ServiceAccountName] = []
        func add(_ sa: ServiceAccountName) { if seen.insert(sa).inserted { out.append(sa) } }
        for sa in access.serviceAccounts { add(sa.serviceAccountName) }
        for w in access.workloads { add(ServiceAccountName(namespace: w.namespace, name: w.template.serviceAccountName)) }
        for n in nodes { if case .serviceAccount(let ns, let name) = n { add(ServiceAccountName(namespace: ns, name: name)) } }
        for role in access.external.vault.roles {
            for ns in role.boundNamespaces where !ns.contains("*") {
                for name in role.boundNames where !name.contains("*") { add(ServiceAccountName(namespace: ns, name: name)) }
            }
        }
        return out.sorted()
    }

    func namespaceLabels(_ ns: String) -> [String: String]? {
        access.namespaces.last { $0.name.isExactly(ns) }?.labels
    }

    /// The namespaces to ask a store about: every namespace the input knows.
    func knownNamespaces() -> [String] {
        var set = Set(access.namespaces.map(\.name))
        for sa in access.serviceAccounts { set.insert(sa.namespace) }
        for w in access.workloads { set.insert(w.namespace) }
        for s in access.secrets { set.insert(s.namespace) }
        for s in access.external.stores { if let ns = s.namespace { set.insert(ns) } }
        for e in access.external.externalSecrets { if let ns = e.namespace { set.insert(ns) } }
        for n in nodes { if case .serviceAccount(let ns, _) = n { set.insert(ns) } }
        return set.sorted()
    }

    /// The Vault login a store makes for an ExternalSecret in `namespace`: its role on its auth
    /// mount, as the service account its credentials name (`nil` when it logs in otherwise:
    /// a static token, AppRole, the operator's own identity…).
    public func storeLogin(_ store: SecretStore, from namespace: String) -> VaultLogin? {
        let vault = access.external.vault
        guard let p = store.vault, let mount = p.authMount, let roleName = p.role,
            let role = vault.role(mount: mount, name: roleName),
            let c = store.credentials.first(where: { $0.kind == .serviceAccount })
        else { return nil }
        let sa = ServiceAccountName(namespace: store.credentialNamespace(c, usedFrom: namespace), name: c.name)
        let admitted = role.admits(sa, namespaceLabels: namespaceLabels(sa.namespace))
        guard admitted != .no else { return nil }
        return vault.login(sa, with: role, admitted: admitted)
    }

    /// Who may use `capability` on Vault `path`: service accounts logging in themselves, and
    /// whoever may create an ExternalSecret (read) or PushSecret (create, update, patch) in a
    /// namespace a Vault store serves; with `effective`, also every identity with a privilege
    /// path to one of them (at most `maxSteps` steps).
    public func vaultReaders(of path: String, capability: VaultCapabilities, effective: Bool = false, maxSteps: Int = 8) -> [VaultReader] {
        var out: [VaultReader] = []
        let list = capability == .list
        var holders: [(sa: ServiceAccountName, access: VaultAccess, certainty: VaultMatch)] = []
        for sa in vaultCandidates() {
            for login in access.external.vault.logins(for: sa, namespaceLabels: namespaceLabels(sa.namespace)) {
                let a = login.access(path, list: list)
                let verdict = a.allows(capability)
                if verdict != .no { holders.append((sa, a, verdict)) }
            }
        }
        for h in holders {
            let node = PathNode.serviceAccount(namespace: h.sa.namespace, name: h.sa.name)
            out.append(VaultReader(identity: node, route: .login(h.access), grant: nil, path: nil, certainty: h.certainty))
        }
        // Stores: an ExternalSecret reads, a PushSecret writes.
        let kind: ExternalSecret.Kind? = capability.isSubset(of: [.read, .list]) ? .externalSecret
            : capability.isSubset(of: [.create, .update, .patch]) ? .pushSecret : nil
        if let kind {
            let resource = kind == .externalSecret ? "externalsecrets" : "pushsecrets"
            for store in access.external.stores where store.provider == "vault" {
                for ns in knownNamespaces() {
                    let serves = store.serves(namespace: ns, labels: namespaceLabels(ns))
                    guard serves != .no, let login = storeLogin(store, from: ns) else { continue }
                    let a = login.access(path, list: list)
                    let verdict = a.allows(capability)
                    guard verdict != .no else { continue }
                    let certainty: VaultMatch = (verdict == .yes && serves == .yes) ? .yes : .unknown
                    let request = Request.resource(ResourceRequest(verb: "create", apiGroup: "external-secrets.io", resource: resource, namespace: ns))
                    for s in access.subjects(allowedTo: request) {
                        guard let node = PathNode(subject: s.subject) else { continue }
                        out.append(VaultReader(identity: node, route: .store(store, namespace: ns, kind: kind, access: a), grant: s.grant, path: nil, certainty: certainty))
                    }
                    if effective {
                        let direct = Set(access.subjects(allowedTo: request).compactMap { PathNode(subject: $0.subject) })
                        for p in rankedIdentities(reaching: .permission(request), maxSteps: maxSteps)
                        where !direct.contains(nodes[p.start]) && p.certainty != .shownFalse {
                            let c: VaultMatch = (certainty == .yes && p.certainty <= .shownTrue) ? .yes : .unknown
                            out.append(VaultReader(identity: nodes[p.start], route: .store(store, namespace: ns, kind: kind, access: a), grant: nil, path: p, certainty: c))
                        }
                    }
                }
            }
        }
        if effective {
            var seen = Set(out.map(\.identity))
            for h in holders {
                let target = PathNode.serviceAccount(namespace: h.sa.namespace, name: h.sa.name)
                for p in rankedIdentities(reaching: .identity(target), maxSteps: maxSteps) where p.steps.count > 0 {
                    let who = nodes[p.start]
                    guard seen.insert(who).inserted else { continue }
                    guard p.certainty != .shownFalse else { continue }
                    let certainty: VaultMatch = (h.certainty == .yes && p.certainty <= .shownTrue) ? .yes : .unknown
                    out.append(VaultReader(identity: who, route: .login(h.access), grant: nil, path: p, certainty: certainty))
                }
            }
        }
        return out
    }

    /// Every external secret path the input names, with what names it.
    public func externalSecretPaths() -> [ExternalSecretPath] {
        var order: [String] = []
        var by: [String: [String]] = [:]
        func add(_ target: String, _ who: String) {
            if by[target] == nil { order.append(target) }
            if !(by[target]?.contains(who) ?? false) { by[target, default: []].append(who) }
        }
        let ext = access.external
        for es in ext.externalSecrets {
            let where_ = es.namespace.map { "\($0)/\(es.name)" } ?? es.name
            for ref in es.stores {
                guard let store = ext.stores.last(where: { $0.name.isExactly(ref.name) && $0.kind == ref.kind
                    && ($0.kind == .clusterSecretStore || ($0.namespace ?? "").isExactly(es.namespace ?? "")) })
                else {
                    add("\(ref.kind == .clusterSecretStore ? "clusterstore:" : "store:\(es.namespace ?? "")/")\(ref.name)", "\(es.kind.rawValue) \(where_) (store not in the input)")
                    continue
                }
                for key in es.remoteKeys {
                    if let p = store.vault?.path(ofKey: key) { add("vault:\(p)", "\(es.kind.rawValue) \(where_)") } else { add("\(store.targetName) key \(key)", "\(es.kind.rawValue) \(where_)") }
                }
                if es.findsKeys { add("\(store.targetName) (keys found by pattern)", "\(es.kind.rawValue) \(where_)") }
            }
        }
        for c in ext.providerClasses {
            for o in c.objects {
                add(c.provider == "vault" ? "vault:\(o)" : "\(c.provider):\(o)", "SecretProviderClass \(c.namespace)/\(c.name)")
            }
        }
        for w in access.workloads {
            for (k, v) in w.template.vaultAnnotations.sorted(by: { $0.key < $1.key }) where k.hasPrefix("vault.hashicorp.com/agent-inject-secret-") {
                add("vault:\(v)", "\(w.kind) \(w.namespace)/\(w.name) (\(k))")
            }
        }
        return order.sorted().map { ExternalSecretPath(target: $0, namedBy: by[$0] ?? []) }
    }
}
