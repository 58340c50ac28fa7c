// Privilege paths and readers of External Secrets targets: a store (whatever its credentials
// reach) and the Secret an ExternalSecret writes. Each is a list of routes — what Kubernetes
// must give (a permission, a service account, a Secret) and the external steps after it —
// answered by the path search: `paths` takes the cheapest route from one identity, `who-can`
// every identity's cheapest.

extension EscalationGraph {
    /// The stores of the input a target names: the one it names (none when the input does
    /// not hold it); for `store:*/NAME`, the SecretStore NAME of each namespace that has one.
    public func stores(named target: StoreTarget) -> [SecretStore] {
        guard target.anyNamespace else { return access.external.stores.last { target.names($0) }.map { [$0] } ?? [] }
        var byNamespace: [String: SecretStore] = [:]
        var order: [String] = []
        for s in access.external.stores where target.names(s) {
            let ns = s.namespace ?? ""
            if byNamespace.updateValue(s, forKey: ns) == nil { order.append(ns) }
        }
        return order.map { byNamespace[$0]! }
    }

    /// Every route to using what a store target names: the routes of each store of the input
    /// it names (``storeRoutes(to:use:from:)``); for a store the input does not hold, the
    /// routes to a store that may exist — an ExternalSecret or PushSecret in a namespace it
    /// would serve (its own for a SecretStore; any for a ClusterSecretStore, whose conditions
    /// are unknown), each on the condition, not shown, that the store exists and serves it;
    /// its credentials are unknown. For `store:*/NAME`, the SecretStore NAME of every
    /// namespace known, of the input or not.
    func storeRoutes(named target: StoreTarget, use: StoreUse) -> [VaultRoute] {
        let held = stores(named: target)
        func absent(_ namespace: String?) -> SecretStore {
            SecretStore(kind: target.kind, namespace: namespace, name: target.name, provider: "")
        }
        guard target.anyNamespace else {
            if let store = held.first { return keyRead(target, by: store, storeRoutes(to: store, use: use)) }
            return storeRoutes(to: absent(target.namespace), use: use, inInput: false)
        }
        var routes = held.flatMap { keyRead(target, by: $0, storeRoutes(to: $0, use: use)) }
        for ns in knownNamespaces() where !held.contains(where: { ($0.namespace ?? "").isExactly(ns) }) {
            routes += storeRoutes(to: absent(ns), use: use, inInput: false)
        }
        return routes
    }

    /// For a key of a store (`store:prod/aws key prod/api-key`) or the keys a pattern finds,
    /// `routes` (to using `store`) each with a last step that reads it, on the condition, not
    /// shown, that the store's credentials reach it (``unknownReach(of:from:)``: the input does
    /// not hold a cloud provider's permissions); `routes` as they are for the store itself.
    func keyRead(_ target: StoreTarget, by store: SecretStore, _ routes: [VaultRoute]) -> [VaultRoute] {
        guard target.key != nil || target.keysFoundByPattern else { return routes }
        let title = Self.storeTitle(store)
        let what = target.key.map { "key \($0)" } ?? "the keys its pattern finds"
        return routes.map { r in
            var r = r
            let ns = r.external.last?.namespace ?? store.namespace ?? ""
            let reason = unknownReach(of: store, from: ns) ?? "rbacgraph answers what a Vault store's login reaches for vault: targets, not for a store's keys"
            r.external.append(ExternalStep(
                kind: .storeRead, to: target.description, namespace: r.external.last?.namespace,
                why: "\(title) reads \(what) with its credentials",
                condition: PathCondition("its credentials may read \(what): \(reason)", observed: nil)))
            r.reader = .steps(r.external, access: nil)
            r.end = target.description
            return r
        }
    }

    /// `SecretStore prod/vault-backend`, `ClusterSecretStore teams`.
    static func storeTitle(_ store: SecretStore) -> String {
        "\(store.kind.rawValue) \(store.namespace.map { "\($0)/" } ?? "")\(store.name)"
    }

    /// Every route to using `store`: an ExternalSecret (create, update, or one a
    /// ClusterExternalSecret makes) in a namespace it serves for `read`; a PushSecret there for
    /// `write`; and for either, holding its credentials (becoming the service account it
    /// authenticates as, reading the Secret of its static credentials).
    /// - Parameters:
    ///   - namespaces: the namespaces to use it from (default: every namespace known).
    ///   - inInput: `false` for a store the input does not hold (only its kind and name are
    ///     known): each route rests on the condition, not shown, that it exists and serves the
    ///     namespace.
    ///   - authenticates: what the store does with its credentials, for the steps' words
    ///     (`login` for a Vault store whose login follows).
    func storeRoutes(to store: SecretStore, use: StoreUse, from namespaces: [String]? = nil, inInput: Bool = true, authenticates: String = "credentials") -> [VaultRoute] {
        let ext = access.external
        let title = Self.storeTitle(store)
        let end = StoreTarget(store).description
        var routes: [VaultRoute] = []
        func route(_ target: PathTarget, _ steps: [ExternalStep], makes: (ExternalSecret.Kind, String)? = nil, readsIn: String? = nil) {
            routes.append(VaultRoute(
                target: target, external: steps, vaultPath: "", access: nil, reader: .steps(steps, access: nil), end: end,
                makes: makes.map { (kind: $0.0, verb: $0.1) }, readsIn: readsIn))
        }
        let served = (namespaces ?? knownNamespaces()).compactMap { ns -> (String, VaultMatch)? in
            let s = store.serves(namespace: ns, labels: namespaceLabels(ns))
            return s == .no ? nil : (ns, s)
        }
        for (ns, serves) in served {
            let serveCondition = !inInput
                ? PathCondition("\(title) exists\(store.kind == .clusterSecretStore ? " and its conditions admit namespace \(ns)" : "") (the input does not hold it)", observed: nil)
                : serves == .yes ? nil : PathCondition("\(title)'s conditions admit namespace \(ns)", observed: nil)
            if use.reads {
                for verb in ["create", "update"] {
                    var why = "\(verb) an ExternalSecret in \(ns) naming \(title): the operator reads with the store's \(authenticates) and writes what it reads into a Secret of \(ns)"
                    var condition = serveCondition
                    if verb == "update" {
                        let there = ext.externalSecrets.filter { $0.kind == .externalSecret && ($0.namespace ?? "").isExactly(ns) }
                        why = "update an ExternalSecret of \(ns) to read through \(title): the operator writes what it reads into a Secret of \(ns)"
                        if there.isEmpty {
                            condition = PathCondition([serveCondition?.text, "an ExternalSecret exists in \(ns)"].compactMap { $0 }.joined(separator: "; "), observed: nil)
                        } else {
                            why += " (\(there.map { "ExternalSecret \(ns)/\($0.name)\(Self.location($0.source))" }.joined(separator: ", ")))"
                        }
                    }
                    let request = Request.resource(ResourceRequest(verb: verb, apiGroup: "external-secrets.io", resource: "externalsecrets", namespace: ns))
                    route(.permission(request), [ExternalStep(kind: .externalSecretWrite, to: end, namespace: ns, why: why, condition: condition)], makes: (.externalSecret, verb), readsIn: ns)
                }
                let ces = Request.resource(ResourceRequest(verb: "create", apiGroup: "external-secrets.io", resource: "clusterexternalsecrets"))
                route(.permission(ces), [
                    ExternalStep(
                        kind: .clusterExternalSecretWrite, to: "ExternalSecret in \(ns)", namespace: ns,
                        why: "create a ClusterExternalSecret whose namespaces (or namespaceSelectors) select \(ns): the operator creates its ExternalSecret there"),
                    ExternalStep(
                        kind: .externalSecretWrite, to: end, namespace: ns,
                        why: "the operator creates an ExternalSecret in \(ns) naming \(title): it reads with the store's \(authenticates) and writes what it reads into a Secret of \(ns)",
                        condition: serveCondition),
                ], makes: (.clusterExternalSecret, "create"), readsIn: ns)
            }
            if use.writes {
                for verb in ["create", "update"] {
                    var why = "\(verb) a PushSecret in \(ns) naming \(title): the operator writes a Secret of \(ns) to the provider with the store's \(authenticates)"
                    var condition = serveCondition
                    if verb == "update" {
                        let there = ext.externalSecrets.filter { $0.kind == .pushSecret && ($0.namespace ?? "").isExactly(ns) }
                        why = "update a PushSecret of \(ns) to write through \(title)"
                        if there.isEmpty {
                            condition = PathCondition([serveCondition?.text, "a PushSecret exists in \(ns)"].compactMap { $0 }.joined(separator: "; "), observed: nil)
                        } else {
                            why += " (\(there.map { "PushSecret \(ns)/\($0.name)\(Self.location($0.source))" }.joined(separator: ", ")))"
                        }
                    }
                    let request = Request.resource(ResourceRequest(verb: verb, apiGroup: "external-secrets.io", resource: "pushsecrets", namespace: ns))
                    route(.permission(request), [ExternalStep(kind: .pushSecretWrite, to: end, namespace: ns, why: why, condition: condition)], makes: (.pushSecret, verb))
                }
            }
        }
        // Its credentials: whoever holds them authenticates as the store does.
        var seen = Set<String>()
        for c in store.credentials {
            // A SecretStore reads them in its namespace; a ClusterSecretStore in the one written,
            // or (a reference without a namespace) in the namespace of each ExternalSecret using it.
            let homes = store.kind == .secretStore ? [store.namespace ?? ""] : c.namespace.map { [$0] } ?? served.map(\.0)
            for ns in homes {
                guard seen.insert("\(c.kind)|\(ns)|\(c.name)").inserted else { continue }
                let from = store.isReferent && c.namespace == nil ? " (for an ExternalSecret in \(ns))" : ""
                let at = "\(title) \(c.field)\(Self.location(store.source))"
                switch c.kind {
                case .serviceAccount:
                    route(.identity(.serviceAccount(namespace: ns, name: c.name)), [ExternalStep(
                        kind: .storeCredentials, to: end, namespace: ns,
                        why: "\(title) authenticates as sa:\(ns)/\(c.name)\(from): a token of it authenticates as the store does",
                        evidence: [at])])
                case .secret:
                    route(.secret(namespace: ns, name: c.name), [ExternalStep(
                        kind: .storeCredentials, to: end, namespace: ns,
                        why: "Secret \(ns)/\(c.name) holds the credentials \(title) authenticates with\(from)",
                        evidence: [at])])
                }
            }
        }
        return routes
    }

    /// The requests that make the operator act with a store in `ns`: create or update an
    /// ExternalSecret and create a ClusterExternalSecret (`reads`), or create or update a
    /// PushSecret.
    static func storeWrites(in ns: String, reads: Bool) -> [Request] {
        func r(_ verb: String, _ resource: String, _ ns: String = "") -> Request {
            .resource(ResourceRequest(verb: verb, apiGroup: "external-secrets.io", resource: resource, namespace: ns))
        }
        return reads
            ? [r("create", "externalsecrets", ns), r("update", "externalsecrets", ns), r("create", "clusterexternalsecrets")]
            : [r("create", "pushsecrets", ns), r("update", "pushsecrets", ns)]
    }

    /// How the node reaching an ExternalSecret route may read the Secret the operator writes
    /// in `namespace`, as the API server would allow it: the author names that Secret
    /// (`spec.target.name`; `creationPolicy: Merge` writes into one that exists, `Owner`
    /// creates it), so any Secret of the namespace it may `get` will do, or `list` or `watch`
    /// on the namespace's Secrets, or creating a pod there, which may mount it. `nil` when it
    /// may do none of these: the operator reads the value, but only into a Secret the author
    /// cannot see. The answer names the permission and the grant behind it.
    func secretRead(by n: NodeID, in namespace: String) -> String? {
        secretRead(in: namespace, identity: nodes[n].identity) { node(n, allows: $0) }
    }

    /// ``secretRead(by:in:)`` for an identity, in the graph or not.
    func secretRead(by identity: PathNode, in namespace: String) -> String? {
        if let n = index(of: identity) { return secretRead(by: n, in: namespace) }
        guard let id = identity.identity else { return nil }
        return secretRead(in: namespace, identity: id) { access.authorize(id, $0).allowed }
    }

    private func secretRead(in namespace: String, identity: Identity?, allows: (Request) -> Bool) -> String? {
        func said(_ request: Request, _ what: String) -> String {
            guard let identity else { return what }
            let d = access.authorize(identity, request)
            let by = d.grant.map { " (\(access.bindings[$0.binding].displayName) → \(access.roles[$0.role].displayName))" } ?? (d.viaMasters ? " (API server)" : "")
            return what + by
        }
        for r in secretReads(in: namespace) where allows(r.request) { return said(r.request, r.what) }
        return nil
    }

    /// Each request that lets its holder read the Secret the operator writes in `namespace`,
    /// in the order they are tried, with its words: `get`, `list`, `watch` on its Secrets, `get`
    /// on a Secret by name (``secretNamesGranted(in:)``), creating a pod (which may mount it).
    func secretReads(in namespace: String) -> [(request: Request, what: String)] {
        func secrets(_ verb: String, _ name: String = "") -> Request {
            .resource(ResourceRequest(verb: verb, apiGroup: "", resource: "secrets", namespace: namespace, name: name))
        }
        return ["get", "list", "watch"].map { (secrets($0), "\($0) secrets in \(namespace)") }
            + secretNamesGranted(in: namespace).map { (secrets("get", $0), "get Secret \(namespace)/\($0)") }
            + [(.resource(ResourceRequest(verb: "create", apiGroup: "", resource: "pods", namespace: namespace)), "create pods in \(namespace), which may mount it")]
    }

    /// The Secret names of `namespace` a `get` may be granted for one by one: those of the
    /// input, and every name a rule on Secrets lists in `resourceNames`.
    func secretNamesGranted(in namespace: String) -> [String] {
        var names = Set(access.secrets.filter { $0.namespace.isExactly(namespace) }.map(\.name))
        for role in access.roles {
            for rule in role.rules where !rule.resourceNames.isEmpty && rule.resources.contains(where: { $0 == "secrets" || $0 == "*" }) {
                names.formUnion(rule.resourceNames)
            }
        }
        return names.sorted()
    }

    /// Every route to the data of a Secret an ExternalSecret writes, beyond reading it in
    /// Kubernetes: using a store the ExternalSecret reads through (``storeRoutes(to:use:from:)``,
    /// from any namespace it serves — for a ClusterSecretStore whose credentials are each
    /// namespace's own, from the Secret's namespace only), then the store reads the same keys.
    func materializedRoutes(to secret: MaterializedSecret) -> [VaultRoute] {
        let es = secret.externalSecret
        var routes: [VaultRoute] = []
        let keys = es.remoteKeys.isEmpty ? (es.findsKeys ? "the keys its dataFrom finds" : "its keys") : es.remoteKeys.joined(separator: ", ")
        for ref in es.stores {
            guard let store = access.external.store(ref, from: secret.namespace) else { continue }
            let title = Self.storeTitle(store)
            let read = ExternalStep(
                kind: .storeRead, to: secret.target, namespace: secret.namespace,
                why: "\(title) reads \(keys), which the operator writes into \(secret.title): whoever makes it read them gets that data",
                evidence: ["\(secret.title) \(secret.description)"])
            for r in storeRoutes(to: store, use: .read, from: store.isReferent ? [secret.namespace] : nil) {
                var r = r
                r.external.append(read)
                r.reader = .steps(r.external, access: nil)
                r.end = secret.target
                routes.append(r)
            }
        }
        return routes + writtenObjectReads(secret)
    }

    /// For an object other than a Secret an ExternalSecret writes (``MaterializedSecret/manifest``),
    /// the Kubernetes reads of it the path engine does not know as steps (it knows Secrets
    /// only): `list` and `watch` on its resource in its namespace and, for a ConfigMap,
    /// creating a pod there, which may mount it. A `get` of it by name is the target itself
    /// (`can:get:RESOURCE:NS:NAME`). Empty for a Secret.
    func writtenObjectReads(_ object: MaterializedSecret) -> [VaultRoute] {
        guard let m = object.manifest else { return [] }
        var routes: [VaultRoute] = []
        let ns = object.namespace
        func route(_ request: ResourceRequest, _ why: String) {
            let step = ExternalStep(
                kind: .writtenRead, to: object.target, namespace: ns, why: why,
                evidence: ["\(object.title) \(object.description)"])
            routes.append(VaultRoute(
                target: .permission(.resource(request)), external: [step], vaultPath: "", access: nil,
                reader: .steps([step], access: nil), end: object.target, makes: nil, readsIn: nil))
        }
        for verb in ["list", "watch"] {
            route(ResourceRequest(verb: verb, apiGroup: m.group, resource: m.resource.name, namespace: ns),
                  "\(verb) \(m.typedResource) in \(ns) returns \(object.title), which holds what the operator writes into it")
        }
        if m.podMountable {
            route(ResourceRequest(verb: "create", resource: "pods", namespace: ns),
                  "a pod of \(ns) may mount \(object.title) (a configMap volume, or envFrom), which holds what the operator writes into it")
        }
        return routes
    }

    /// Privilege paths from `start` to using a store (``storeRoutes(to:use:from:)``): the
    /// cheapest, or with `all` the cheapest of every route, best first (at most `limit`).
    public func storePaths(from start: PathNode, to store: SecretStore, use: StoreUse = .use, maxSteps: Int = 8, all: Bool = false, limit: Int = 100) -> [VaultPath] {
        externalPaths(from: start, routes: storeRoutes(to: store, use: use), maxSteps: maxSteps, all: all, limit: limit)
    }

    /// Privilege paths from `start` to using what a store target names
    /// (``storeRoutes(named:use:)``: a store of the input or not, `store:*/NAME`).
    public func storePaths(from start: PathNode, to target: StoreTarget, use: StoreUse = .use, maxSteps: Int = 8, all: Bool = false, limit: Int = 100) -> [VaultPath] {
        externalPaths(from: start, routes: storeRoutes(named: target, use: use), maxSteps: maxSteps, all: all, limit: limit)
    }

    /// Privilege paths from `start` to the data of a Secret an ExternalSecret writes, through
    /// the stores it reads with (``materializedRoutes(to:)``); paths that read the Secret in
    /// Kubernetes are ``paths(from:to:maxSteps:all:limit:)``'s.
    public func materializedPaths(from start: PathNode, to secret: MaterializedSecret, maxSteps: Int = 8, all: Bool = false, limit: Int = 100) -> [VaultPath] {
        externalPaths(from: start, routes: materializedRoutes(to: secret), maxSteps: maxSteps, all: all, limit: limit)
    }

    /// Who reaches the end of `routes`: each identity once, with its cheapest route and the
    /// Kubernetes path to it (none when it holds what the route needs itself), most dangerous
    /// first; without `effective`, only identities that hold it themselves. Paths the input
    /// shows closed are left out.
    func readers(along routes: [VaultRoute], effective: Bool, maxSteps: Int, context: BeyondContext? = nil) -> [VaultPath] {
        bestRoutes(along: routes, effective: effective, maxSteps: maxSteps, context: context).map(\.path)
    }

    /// ``readers(along:effective:maxSteps:)`` with the route each path takes (its index in
    /// `routes`): the one place where each identity's best route is picked (fewest conditions
    /// the input does not show, then fewest steps, then the first route), and the one order of
    /// readers (held directly first, then by that rank, then by name). Identities in
    /// `excluding` are left out.
    /// - Parameter context: what the readers of several targets share (the identities
    ///   reaching each Kubernetes target, the Secrets each node may read); one of its own
    ///   when `nil`.
    func bestRoutes(along routes: [VaultRoute], effective: Bool, maxSteps: Int, excluding: Set<PathNode> = [], context: BeyondContext? = nil) -> [(path: VaultPath, route: Int)] {
        let context = context ?? BeyondContext(self)
        // Each identity's best so far, by its node: the route's position, the path, its rank.
        var slot = [Int](repeating: -1, count: nodes.count)
        var best: [(order: Int, path: VaultPath, cost: Int, steps: Int)] = []
        var left = [Bool](repeating: false, count: nodes.count)
        for n in excluding { if let k = index(of: n) { left[k.index] = true } }
        for (order, route) in routes.enumerated() {
            let found = context.identities(reaching: route.target, maxSteps: effective ? maxSteps : 2)
            // What the route's own steps cost: taking it only adds steps and conditions
            // (``take(_:along:context:elsewhere:)``), so a path along it costs at least this more.
            let routeCost = route.external.reduce(0) { $0 + Self.cost(condition: $1.condition) }
            for p in found where !left[p.start.index] && p.certainty != .shownFalse && (effective || Self.holdsItself(p)) {
                let k = slot[p.start.index]
                if k >= 0, (best[k].cost, best[k].steps, best[k].order) <= (p.cost + routeCost, p.steps.count + route.external.count, order) { continue }
                // With `effective`, the start's cheapest path to a node that may make one of some
                // requests: a step taken as another identity than the one the route needs (Elsewhere).
                let elsewhere: FindElsewhere? = !effective ? nil : { key, requests in
                    context.otherPaths(key, requests, maxSteps: maxSteps)[p.start].map {
                        Elsewhere(path: $0, how: self.allowed(by: $0.end, requests) ?? requests[0].what)
                    }
                }
                guard let path = take(route, along: p, context: context, elsewhere: elsewhere), path.certainty != .shownFalse else { continue }
                let cost = path.cost, steps = path.stepCount
                if k >= 0 {
                    if (best[k].cost, best[k].steps, best[k].order) <= (cost, steps, order) { continue }
                    best[k] = (order, path, cost, steps)
                } else {
                    slot[p.start.index] = best.count
                    best.append((order, path, cost, steps))
                }
            }
        }
        // One order for every listing of readers: held directly (no Kubernetes step) first,
        // then by cost, steps and the route's position, then by name.
        let keyed = best.map { b in
            (direct: b.path.kubernetes.steps.isEmpty, name: nodes[b.path.kubernetes.start].description, best: b)
        }
        return keyed.sorted { x, y in
            if x.direct != y.direct { return x.direct }
            if (x.best.cost, x.best.steps, x.best.order) != (y.best.cost, y.best.steps, y.best.order) {
                return (x.best.cost, x.best.steps, x.best.order) < (y.best.cost, y.best.steps, y.best.order)
            }
            return x.name < y.name
        }.map { ($0.best.path, $0.best.order) }
    }

    /// The path that takes `route` after the Kubernetes path `p` to what it needs: `nil` when
    /// neither the node `p` ends at nor another identity the start becomes (`elsewhere`) may
    /// make the route's other request (``VaultRoute/alsoNeeds``), or none may read what the
    /// operator writes (``readsWhatIsWritten(_:by:into:in:context:elsewhere:)``); a write held
    /// directly names its grant. The one place a route is taken, by `paths` (one start) and by
    /// `who-can` (every identity).
    func take(_ route: VaultRoute, along p: PrivilegePath, context: BeyondContext? = nil, elsewhere: FindElsewhere? = nil) -> VaultPath? {
        var external = route.external
        if let also = route.alsoNeeds, !node(p.end, allows: also) {
            // The ExternalSecret that reads through a SecretStore, created as another identity.
            guard let ns = route.readsIn, let k = external.firstIndex(where: { $0.kind == .secretStoreWrite }),
                let other = elsewhere?("create-externalsecret:\(ns)", [(also, "create externalsecrets in \(ns)")]), other.path.end != p.end
            else { return nil }
            if external[k].why.hasSuffix(Self.andItsExternalSecret) { external[k].why.removeLast(Self.andItsExternalSecret.count) }
            external.insert(externalSecretWriteStep(other, in: ns), at: k + 1)
        }
        if !Self.readsWhatIsWritten(route, by: p.end, into: &external, in: self, context: context, elsewhere: elsewhere) { return nil }
        // A write held directly: the grant behind it.
        if p.steps.isEmpty, case .permission(let request) = route.target, let id = nodes[p.start].identity, !external.isEmpty {
            let decision = access.authorize(id, request)
            external[0].grant = decision.grant
            external[0].viaMasters = decision.viaMasters
        }
        return VaultPath(kubernetes: p, external: external, vaultPath: route.vaultPath, access: route.access, end: route.end)
    }

    /// Whether a path needs no power beyond the identity's own grants: no step, or only
    /// reading a Secret (as `who-can get secret` lists its readers).
    static func holdsItself(_ p: PrivilegePath) -> Bool {
        p.steps.allSatisfy { $0.kind == .secretsRead || $0.kind == .containsSecret }
    }

    /// Who may `use` a store: every identity with a route to it held itself (with `effective`,
    /// also by a privilege path of at most `maxSteps` Kubernetes steps), each with its cheapest.
    public func storeReaders(of store: SecretStore, use: StoreUse, effective: Bool, maxSteps: Int = 8) -> [VaultPath] {
        readers(along: storeRoutes(to: store, use: use), effective: effective, maxSteps: maxSteps)
    }

    /// Who may `use` what a store target names (``storeRoutes(named:use:)``: a store of the
    /// input or not, `store:*/NAME`), each identity once with its cheapest route.
    public func storeReaders(of target: StoreTarget, use: StoreUse, effective: Bool, maxSteps: Int = 8) -> [VaultPath] {
        storeReaders(of: target, use: use, effective: effective, maxSteps: maxSteps, context: BeyondContext(self))
    }

    /// ``storeReaders(of:use:effective:maxSteps:)-(StoreTarget,_,_,_)`` sharing `context` with other targets.
    func storeReaders(of target: StoreTarget, use: StoreUse, effective: Bool, maxSteps: Int, context: BeyondContext) -> [VaultPath] {
        readers(along: storeRoutes(named: target, use: use), effective: effective, maxSteps: maxSteps, context: context)
    }

    /// Who gets the data of a Secret an ExternalSecret writes through its stores (not by
    /// reading it in Kubernetes: ``effectiveAccess(to:maxSteps:)`` answers that).
    public func materializedReaders(of secret: MaterializedSecret, effective: Bool, maxSteps: Int = 8) -> [VaultPath] {
        readers(along: materializedRoutes(to: secret), effective: effective, maxSteps: maxSteps)
    }
}

extension EscalationGraph {
    /// A reader of a store or of a Secret through its stores, as JSON: the shape of each entry
    /// of `who-can VERB store:… -o json` (`identity`; `direct` when it needs no Kubernetes
    /// step; `certainty`, `length` and the `path`, as `paths -o json` gives it).
    public func readerJSON(_ p: VaultPath) -> JSONValue {
        .object([
            ("identity", .string(nodes[p.kubernetes.start].description)),
            ("direct", .bool(Self.holdsItself(p.kubernetes) && !p.branches)),
            ("certainty", .string(p.certainty.id)),
            ("length", .number(Double(p.stepCount))),
            ("path", json(p)),
        ])
    }
}

/// A privilege path of either kind: one of the escalation graph, or one that goes on beyond
/// the API server (``VaultPath``). The answer to a target both reach: a Secret an
/// ExternalSecret writes, read in Kubernetes or through the stores that fill it.
public enum AnyPrivilegePath: Sendable {
    case kubernetes(PrivilegePath)
    case external(VaultPath)

    /// Ranking, as for Kubernetes paths (``PrivilegePath/cost``).
    public var cost: Int {
        switch self {
        case .kubernetes(let p): return p.cost
        case .external(let p): return p.cost
        }
    }

    public var stepCount: Int {
        switch self {
        case .kubernetes(let p): return p.steps.count
        case .external(let p): return p.stepCount
        }
    }

    /// The path as one that may go beyond the API server (a Kubernetes path with no
    /// external step, ending at `end`), for drawings of both kinds.
    public func external(end: String) -> VaultPath {
        switch self {
        case .kubernetes(let p): return VaultPath(kubernetes: p, external: [], vaultPath: "", access: nil, end: end)
        case .external(let p): return p
        }
    }
}

extension EscalationGraph {
    /// Privilege paths from `start` to the data of a Secret an ExternalSecret writes: those
    /// that read it in Kubernetes (`target` is its `secret:NS/NAME`) and those through its
    /// stores (``materializedPaths(from:to:maxSteps:all:limit:)``), cheapest first; the
    /// cheapest only unless `all`.
    public func paths(from start: PathNode, to target: PathTarget, writtenBy secret: MaterializedSecret, maxSteps: Int = 8, all: Bool = false) -> [AnyPrivilegePath] {
        var found: [AnyPrivilegePath] = paths(from: start, to: target, maxSteps: maxSteps, all: all).map { .kubernetes($0) }
        found += materializedPaths(from: start, to: secret, maxSteps: maxSteps, all: all).map { .external($0) }
        // Stable: a Kubernetes path before an external one of the same cost and length.
        found = found.enumerated().sorted { a, b in
            (a.element.cost, a.element.stepCount, a.offset) < (b.element.cost, b.element.stepCount, b.offset)
        }.map(\.element)
        return all ? found : Array(found.prefix(1))
    }

    /// A path of either kind as JSON (``json(_:)-(PrivilegePath)`` or ``json(_:)-(VaultPath)``).
    public func json(_ p: AnyPrivilegePath) -> JSONValue {
        switch p {
        case .kubernetes(let path): return json(path)
        case .external(let path): return json(path)
        }
    }
}

/// Something beyond the API server a path may end at: a Vault path or pattern with a
/// capability, or a store.
public struct ExternalEnd: Sendable {
    /// `vault:MOUNT/PATH`, `store:NS/NAME`, `store:*/NAME`, `clusterstore:NAME` or
    /// `PROVIDER:OBJECT`: a target as `--to` takes it.
    public var target: String
    /// For a Vault target, the capability asked for; for a store, ``StoreUse/use``; for a CSI
    /// object, `read`.
    public var capability: String
    public var vault: VaultTarget?
    public var store: SecretStore?
    /// A store the input does not hold, or `store:*/NAME`, that an ExternalSecret names.
    public var storeTarget: StoreTarget?
    /// An object of a SecretProviderClass of another provider than Vault.
    public var object: ProviderObjectTarget?
}

extension EscalationGraph {
    /// What a path may end at beyond the API server, as the input names it: each Vault path
    /// an ExternalSecret, SecretProviderClass or Vault Agent annotation names and each pattern
    /// of the Vault policies (but Vault's `default` policy, which every token holds: its
    /// own housekeeping), with the first capability the pattern grants of `read`, `list`,
    /// `create`, `update`, `patch`, `delete`, `sudo`; templated patterns are left out; then
    /// each store (``StoreUse/use``); then each store an ExternalSecret names that the input
    /// does not hold (`store:*/NAME` too) and each object of a SecretProviderClass of another
    /// provider than Vault (`read`): every target `secrets --external` prints but a store's keys.
    public func externalEnds() -> [ExternalEnd] {
        var out: [ExternalEnd] = []
        var seen = Set<String>()
        func add(_ t: VaultTarget) {
            let name = "vault:\(t.pattern)"  // the capability goes apart: the name is a target as `--to` takes it
            if seen.insert(name).inserted { out.append(ExternalEnd(target: name, capability: t.capability.description, vault: t)) }
        }
        let named = externalSecretPaths()
        for e in named where e.target.hasExactPrefix("vault:") {
            if let t = VaultTarget.parse(e.target) { add(t) }
        }
        let order: [VaultCapabilities] = [.read, .list, .create, .update, .patch, .delete, .sudo]
        for policy in access.external.vault.policies where !policy.name.isExactly("default") {
            for rule in policy.rules where !rule.isTemplated && !rule.capabilities.contains(.deny) {
                guard let cap = order.first(where: { rule.capabilities.contains($0) }) else { continue }
                add(VaultTarget(pattern: rule.path, capability: cap))
            }
        }
        for store in access.external.stores {
            let name = StoreTarget(store).description
            if seen.insert(name).inserted { out.append(ExternalEnd(target: name, capability: StoreUse.use.rawValue, store: store)) }
        }
        // What ExternalSecrets and SecretProviderClasses name beyond those: stores the input
        // does not hold (`store:*/NAME` too), objects of cloud providers' classes.
        for e in named where !e.target.hasExactPrefix("vault:") {
            if let t = StoreTarget.parse(e.target), t.key == nil, !t.keysFoundByPattern, stores(named: t).isEmpty {
                if seen.insert(e.target).inserted { out.append(ExternalEnd(target: e.target, capability: StoreUse.use.rawValue, storeTarget: t)) }
            } else if StoreTarget.parse(e.target) == nil, let o = ProviderObjectTarget.parse(e.target), !access.external.providerClasses(naming: o).isEmpty {
                if seen.insert(e.target).inserted { out.append(ExternalEnd(target: e.target, capability: "read", object: o)) }
            }
        }
        return out
    }

    /// The cheapest path from `start` to each of ``externalEnds()`` it reaches (at most
    /// `maxSteps` Kubernetes steps), in that order: what `paths --from ID` without `--to`
    /// lists beyond the cluster.
    ///
    /// What does not depend on the end is computed once (``BeyondContext``): which Kubernetes
    /// targets the start reaches, the cheapest path to each, the service accounts' logins;
    /// a route to a target the start does not reach is not built.
    public func pathsBeyond(from start: PathNode, maxSteps: Int = 8) -> [(end: ExternalEnd, path: VaultPath)] {
        pathsBeyond(with: BeyondContext(self, start: start, maxSteps: maxSteps))
    }

    /// ``pathsBeyond(from:maxSteps:)`` from the context's start, its work counted in the context.
    func pathsBeyond(with context: BeyondContext) -> [(end: ExternalEnd, path: VaultPath)] {
        guard let start = context.start else { return [] }
        let maxSteps = context.maxSteps
        func cheapest(_ routes: [VaultRoute]) -> VaultPath? {
            externalPaths(from: start, routes: routes, maxSteps: maxSteps, all: false, limit: 1, context: context).first
        }
        return externalEnds().compactMap { end in
            if let v = end.vault {
                guard var p = cheapest(vaultRoutes(to: v, context: context)) else { return nil }
                p.end = end.target
                return (end, p)
            }
            if let s = end.store, let p = cheapest(storeRoutes(to: s, use: .use, from: context.namespaces(servedBy: s))) { return (end, p) }
            if let t = end.storeTarget, let p = cheapest(storeRoutes(named: t, use: .use)) { return (end, p) }
            if let o = end.object, let p = cheapest(providerObjectRoutes(to: o)) { return (end, p) }
            return nil
        }
    }
}
