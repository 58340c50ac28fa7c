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
        /// Creating an ExternalSecret (or PushSecret) in `namespace` that uses `store`, whose
        /// reach the input does not tell (`reason`: a static token, AppRole, a role not in
        /// `--vault`, a cloud provider's permissions…): it may reach the path; unknown.
        case storeOfUnknownReach(SecretStore, namespace: String, kind: ExternalSecret.Kind, reason: String)
        /// Reading the Secret that holds a store's static credentials (a Vault token, an
        /// AppRole secret id, cloud keys): whoever holds them logs in as the store does, with
        /// a reach the input does not tell (`reason`).
        case credentialSecret(SecretStore, namespace: String, name: String, reason: String)
        /// Any other route of the paths engine (`paths --to vault:…`), by its steps beyond the
        /// API server: a SecretStore of one's own, a pod mounting a SecretProviderClass, an
        /// ExternalSecret to update; `access` is the login it ends in (`nil`: unknown reach).
        case steps([ExternalStep], access: VaultAccess?)
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
    /// For a route held directly: allowed by the API server itself (`system:masters`, ahead
    /// of RBAC), so there is no grant.
    public var viaMasters = false
}

/// Every external secret the input names and the routes to it: `secrets --external`.
public struct ExternalSecretPath: Sendable, Hashable {
    /// `vault:MOUNT/PATH`, `store:NS/NAME` (a key of a non-Vault store) or `csi:NS/CLASS` objects.
    public var target: String
    /// Who names it: `ExternalSecret prod/db`, `SecretProviderClass prod/vault-db`, `Pod prod/web (vault.hashicorp.com/agent-inject-secret-db)`.
    public var namedBy: [String]
    /// For a key of a store that is no Vault store, the store (who reaches it: whoever may
    /// make the store read; how far the store reaches: unknown).
    public var store: SecretStore? = nil
    /// For a target whose readers are not computed: why.
    public var unknownReach: String? = nil
}

extension VaultReader {
    /// The reader that takes `route` by path `p` (a path along it): its start, the route as
    /// `who-can` names it, the grant of a write held directly, the Kubernetes part when it has
    /// steps; certain when every condition is shown true.
    init(_ route: VaultRoute, taken p: VaultPath, in esc: EscalationGraph) {
        // A step taken as another identity (the Secret the operator writes read by it, the
        // ExternalSecret of a SecretStore created by it): the steps say so.
        let readElsewhere = p.branches
        self.init(
            identity: esc.nodes[p.kubernetes.start], route: readElsewhere ? .steps(p.external, access: p.access) : route.reader, grant: p.external.first?.grant,
            path: p.kubernetes.steps.isEmpty ? nil : p.kubernetes, certainty: p.certainty <= .shownTrue ? .yes : .unknown,
            viaMasters: p.external.first?.viaMasters ?? false)
    }
}

extension EscalationGraph {
    /// A path beyond the API server as a reader: its start, its external steps as the route
    /// (``VaultReader/Route/steps(_:access:)``), the grant of a write held directly, its
    /// Kubernetes part when it has steps; certain only when every condition is shown true.
    public func reader(_ p: VaultPath) -> VaultReader {
        VaultReader(
            identity: nodes[p.kubernetes.start], route: .steps(p.external, access: p.access), grant: p.external.first?.grant,
            path: p.kubernetes.steps.isEmpty ? nil : p.kubernetes, certainty: p.certainty <= .shownTrue ? .yes : .unknown,
            viaMasters: p.external.first?.viaMasters ?? false)
    }

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
        guard let p = store.vault, p.authMethod == "kubernetes", let mount = p.authMount, let roleName = p.role,
            let role = vault.role(mount: mount, name: roleName),
            let c = store.credentials.first(where: { $0.kind == .serviceAccount })
        else { return nil }
        let sa = ServiceAccountName(namespace: store.credentialNamespace(c, usedFrom: namespace), name: c.name)
        let admitted = role.admits(sa, namespaceLabels: namespaceLabels(sa.namespace))
        guard admitted != .no else { return nil }
        return vault.login(sa, with: role, admitted: admitted)
    }

    /// The credentials a store names, for people: `Secret prod/vault-token`, `service account prod/eso`.
    func credentialText(_ store: SecretStore, from ns: String) -> String {
        let names = store.credentials.map { c in
            "\(c.kind == .secret ? "Secret" : "service account") \(store.credentialNamespace(c, usedFrom: ns))/\(c.name)"
        }
        return names.isEmpty ? "no credential reference: the operator's own identity or workload identity" : names.joined(separator: ", ")
    }

    /// Why what a store reaches is not known from the input, for an ExternalSecret in
    /// `namespace`; `nil` when its Vault login is followed (``storeLogin(_:from:)``) or the
    /// input shows it cannot log in (its role does not bind its service account).
    public func unknownReach(of store: SecretStore, from namespace: String) -> String? {
        let creds = credentialText(store, from: namespace)
        guard store.provider == "vault", let p = store.vault else {
            return "a \(store.provider) store (\(creds)): rbacgraph does not read \(store.provider) permissions, so what its credentials reach is unknown"
        }
        switch p.authMethod {
        case "jwt"?:
            // A JWT role binds claims (bound_audiences, bound_subject, bound_claims), which
            // the Vault folder's Kubernetes auth roles do not hold.
            let role = p.role.map { " with role auth/\(p.authMount ?? "jwt")/role/\($0)" } ?? ""
            return "it logs in with Vault JWT auth\(role) (\(creds)): rbacgraph follows Kubernetes auth roles only, not the claims a JWT role binds"
        case "kubernetes"?:
            guard let mount = p.authMount, let roleName = p.role else { return "its Vault kubernetes auth names no role" }
            guard let role = access.external.vault.role(mount: mount, name: roleName) else {
                return "its Vault role auth/\(mount)/role/\(roleName) is not in --vault"
            }
            guard store.credentials.contains(where: { $0.kind == .serviceAccount }) else {
                return "it logs in with role \(role.name) as the operator's own service account (no serviceAccountRef), which the input does not name"
            }
            // Followed by storeLogin(_:from:), or shown not to bind its service account.
            return nil
        case "tokenSecretRef"?:
            return "it logs in with a static Vault token (\(creds)): the token's policies are not in the input"
        case "appRole"?:
            return "it logs in with AppRole (\(creds)): the AppRole's policies are not in the input"
        case nil:
            return "its Vault provider names no auth method"
        case let method?:
            return "it logs in with Vault \(method) auth (\(creds)), which rbacgraph does not follow"
        }
    }

    /// Who may use `capability` on Vault `path` (a path, or a pattern as a policy writes it:
    /// `secret/data/prod/*`, `secret/+/db`, some path under it), and by which route: every
    /// route of `paths --to vault:PATH` (``vaultRoutes(to:context:)``) — a service account
    /// logging in itself; an ExternalSecret (read) or PushSecret (create, update, patch) in a
    /// namespace a Vault store serves, or a ClusterExternalSecret; holding the credentials of a
    /// store whose login the input does not follow; a SecretStore of one's own; a pod mounting
    /// a SecretProviderClass — taken by whoever holds what it needs (with `effective`, also by
    /// a privilege path of at most `maxSteps` steps). Each identity once, by its best route
    /// (``routedReaders(along:effective:maxSteps:excluding:context:)``): exactly the identities
    /// `paths --to vault:PATH` finds a path for (less those whose every path is shown false).
    ///
    /// The one listing of Vault readers: `who-can`, `secrets --external`, `eval` and the
    /// pictures all print it.
    public func vaultReaders(of path: String, capability: VaultCapabilities, effective: Bool = false, maxSteps: Int = 8) -> [VaultReader] {
        vaultReaders(of: path, capability: capability, effective: effective, maxSteps: maxSteps, context: BeyondContext(self))
    }

    /// ``vaultReaders(of:capability:effective:maxSteps:)`` sharing `context` with other
    /// targets: the stores' logins and uses, the identities reaching each Kubernetes target,
    /// the readers of a store whose reach is unknown are found once for all of them.
    func vaultReaders(of path: String, capability: VaultCapabilities, effective: Bool, maxSteps: Int, context: BeyondContext) -> [VaultReader] {
        let target = VaultTarget(pattern: path, capability: capability)
        return routedReaders(along: vaultRoutes(to: target, context: context), effective: effective, maxSteps: maxSteps, context: context)
    }

    /// Whoever takes one of `routes` (of ``vaultRoutes(to:context:)``; holding what it needs; with `effective`,
    /// by a privilege path too), each identity once by its best route
    /// (``bestRoutes(along:effective:maxSteps:excluding:)``): held directly first, then the
    /// cheapest.
    func routedReaders(along routes: [VaultRoute], effective: Bool, maxSteps: Int, excluding: Set<PathNode> = [], context: BeyondContext? = nil) -> [VaultReader] {
        bestRoutes(along: routes, effective: effective, maxSteps: maxSteps, excluding: excluding, context: context).map { p, k in
            VaultReader(routes[k], taken: p, in: self)
        }
    }

    /// The namespaces a ClusterExternalSecret makes its ExternalSecret in: those it lists, and
    /// each namespace of the input whose labels one of its `namespaceSelectors` matches (a
    /// namespace without a Namespace object in the input matches on its name label only).
    public func clusterExternalSecretNamespaces(_ es: ExternalSecret) -> [String] {
        var out = es.namespaces
        for ns in knownNamespaces() where !out.contains(where: { $0.isExactly(ns) }) {
            var labels = namespaceLabels(ns) ?? [:]
            if labels["kubernetes.io/metadata.name"] == nil { labels["kubernetes.io/metadata.name"] = ns }
            if es.namespaceSelectors.contains(where: { (try? $0.matches(labels)) == true }) { out.append(ns) }
        }
        return out
    }

    /// Every external secret path the input names (``externalSecretPaths()``) with who reads
    /// it and how: `secrets --external`. A Vault path's readers are
    /// ``vaultReaders(of:capability:effective:maxSteps:)``'s for `read`; a key of a store whose
    /// reach is unknown, or a store the input does not hold, those of its store target
    /// (``storeReaders(of:use:effective:maxSteps:)-(StoreTarget,_,_,_)`` for `read`); a CSI object
    /// of another provider, ``providerObjectReaders(of:effective:maxSteps:)``: the rows
    /// `who-can read TARGET` prints for the same target.
    ///
    /// What does not depend on the path is found once for all of them (``BeyondContext``):
    /// the service accounts' and stores' Vault logins, the namespaces each store serves, the
    /// identities reaching each Kubernetes target, which Secrets a node may read.
    /// - Parameter namespace: only the paths something in this namespace names.
    public func externalSecretReaders(namedIn namespace: String? = nil, effective: Bool = true, maxSteps: Int = 8) -> [(path: ExternalSecretPath, readers: [VaultReader])] {
        externalSecretReaders(namedIn: namespace, effective: effective, maxSteps: maxSteps, context: BeyondContext(self))
    }

    /// ``externalSecretReaders(namedIn:effective:maxSteps:)`` with the context it shares, its work counted there.
    func externalSecretReaders(namedIn namespace: String?, effective: Bool, maxSteps: Int, context: BeyondContext) -> [(path: ExternalSecretPath, readers: [VaultReader])] {
        var entries = externalSecretPaths()
        if let namespace { entries = entries.filter { e in e.namedBy.contains { $0.contains(" \(namespace)/") } } }
        return entries.map { e in
            if e.target.hasExactPrefix("vault:") {
                return (e, vaultReaders(of: String(e.target.dropFirst(6)), capability: .read, effective: effective, maxSteps: maxSteps, context: context))
            }
            // A key of a store whose reach is unknown (who reaches the store reaches it), a
            // store the input does not hold (or `store:*/NAME`), an object of a CSI class.
            if let t = StoreTarget.parse(e.target) {
                return (e, storeReaders(of: t, use: .read, effective: effective, maxSteps: maxSteps, context: context).map(reader))
            }
            if let t = ProviderObjectTarget.parse(e.target) {
                return (e, providerObjectReaders(of: t, effective: effective, maxSteps: maxSteps, context: context).map(reader))
            }
            return (e, [])
        }
    }

    /// Every external secret path the input names, with what names it.
    public func externalSecretPaths() -> [ExternalSecretPath] {
        var order: [String] = []
        var by: [String: [String]] = [:]
        var stores: [String: SecretStore] = [:]
        var unknown: [String: String] = [:]
        func add(_ target: String, _ who: String, store: SecretStore? = nil, unknownReach: String? = nil) {
            if by[target] == nil { order.append(target) }
            if !(by[target]?.contains(who) ?? false) { by[target, default: []].append(who) }
            if let store { stores[target] = store }
            if let unknownReach, unknown[target] == nil { unknown[target] = unknownReach }
        }
        let ext = access.external
        for es in ext.externalSecrets {
            var where_ = es.namespace.map { "\($0)/\(es.name)" } ?? es.name
            // An object other than a Secret it writes into: named, since its readers read the values.
            if !es.writesSecret, let m = es.manifest, let target = es.secretName {
                where_ += " (writes \(m) \(es.namespace.map { "\($0)/" } ?? "")\(target))"
            }
            // A ClusterExternalSecret's ExternalSecrets live in the namespaces it selects.
            var homes = es.kind == .clusterExternalSecret ? clusterExternalSecretNamespaces(es) : [es.namespace ?? ""]
            if homes.isEmpty { homes = [""] }  // selects no namespace the input knows
            for ref in es.stores {
                for home in homes {
                    guard let store = ext.store(ref, from: home) else {
                        if home.isEmpty && ref.kind == .secretStore {
                            add(StoreTarget.anyNamespace(name: ref.name).description, "\(es.kind.rawValue) \(where_) (selects no namespace of the input)",
                                unknownReach: "the namespaces it selects, and their SecretStore \(ref.name), are not in the input: who may make a SecretStore \(ref.name) read in any namespace, if it exists, is listed")
                            continue
                        }
                        add(StoreTarget(kind: ref.kind, namespace: home, name: ref.name).description, "\(es.kind.rawValue) \(where_) (store not in the input)",
                            unknownReach: "the store is not in the input: who may make it read, if it exists, is listed")
                        continue
                    }
                    let reach = unknownReach(of: store, from: home)
                    for key in es.remoteKeys {
                        if let p = store.vault?.path(ofKey: key) {
                            add("vault:\(p)", "\(es.kind.rawValue) \(where_)")
                        } else {
                            add("\(store.targetName) key \(key)", "\(es.kind.rawValue) \(where_)", store: store, unknownReach: reach)
                        }
                    }
                    if es.findsKeys {
                        add("\(store.targetName)\(StoreTarget.foundByPatternSuffix)", "\(es.kind.rawValue) \(where_)", store: store, unknownReach: reach ?? "the keys a pattern finds are not known from the input")
                    }
                }
            }
        }
        for c in ext.providerClasses {
            for o in c.objects {
                if c.provider == "vault" {
                    add("vault:\(o)", "SecretProviderClass \(c.namespace)/\(c.name)")
                } else {
                    add(ProviderObjectTarget(provider: c.provider, object: o).description, "SecretProviderClass \(c.namespace)/\(c.name)",
                        unknownReach: "a pod of \(c.namespace) mounting the class reads it with its service account's \(c.provider) identity, whose permissions rbacgraph does not read")
                }
            }
        }
        for w in access.workloads {
            for (k, v) in w.template.vaultAnnotations.sorted(by: { $0.key < $1.key }) where k.hasPrefix("vault.hashicorp.com/agent-inject-secret-") {
                add("vault:\(v)", "\(w.kind) \(w.namespace)/\(w.name) (\(k))")
            }
        }
        return order.sorted().map { ExternalSecretPath(target: $0, namedBy: by[$0] ?? [], store: stores[$0], unknownReach: unknown[$0]) }
    }
}
