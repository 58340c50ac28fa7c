// Privilege paths that end in Vault: a Kubernetes privilege path (to a service account, or to
// a permission on External Secrets objects or pods), then the steps on the far side of the
// cluster edge — an ExternalSecret a store reads for, a SecretStore one points at the
// namespace's credentials, a pod mounting a SecretProviderClass, the Vault login and the
// policy path that decides.

/// What a privilege path to Vault ends at: a capability on one Vault path, or on some path
/// under a pattern written as a policy writes it (`secret/data/prod/*`, `secret/+/prod/db`).
public struct VaultTarget: Hashable, Sendable, CustomStringConvertible {
    /// The path or pattern, without `vault:` and without a leading `/`.
    public var pattern: String
    /// The capability asked for (`read` unless said otherwise).
    public var capability: VaultCapabilities

    public init(pattern: String, capability: VaultCapabilities = .read) {
        var p = Substring(pattern)
        while p.first == "/" { p = p.dropFirst() }
        self.pattern = String(p)
        self.capability = capability
    }

    /// Parses `vault:MOUNT/PATH` (a trailing `*` and `+` segments are patterns); `nil` for any
    /// other text or an empty path.
    public static func parse(_ text: String, capability: VaultCapabilities = .read) -> VaultTarget? {
        guard text.hasExactPrefix("vault:") else { return nil }
        let t = VaultTarget(pattern: String(text.dropFirst(6)), capability: capability)
        return t.pattern.isEmpty ? nil : t
    }

    /// Whether the target names more than one path.
    public var isPattern: Bool { pattern.hasSuffix("*") || VaultACL.hasSegmentWildcards(pattern) }

    /// Whether a concrete Vault path is one the target names (as a policy path would match it).
    public func matches(_ path: String) -> Bool { matcher()(path) }

    /// ``matches(_:)`` for many paths: the target's pattern made into an ACL once.
    func matcher() -> (String) -> Bool {
        guard isPattern else { return { [pattern] in $0.isExactly(pattern) } }
        let acl = VaultACL([("target", [VaultPathRule(path: pattern, capabilities: .read)])])
        return { acl.decide($0).entry != nil }
    }

    /// The bytes every path of the target begins with: the pattern up to its first `*` or
    /// `+` (the whole path for an exact one).
    var literalPrefix: [UInt8] { Self.literalPrefix(of: pattern) }

    /// The bytes every path a policy path, template glob or target matches begins with: up to
    /// the first `*` or `+`, leading `/` left out. Two patterns whose literal prefixes are not
    /// one a prefix of the other share no path.
    static func literalPrefix(of pattern: String) -> [UInt8] {
        Array(pattern.utf8.drop { $0 == UInt8(ascii: "/") }.prefix { $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "+") })
    }

    /// `vault:secret/data/prod/*`, with the capability when it is not `read`.
    public var description: String { "vault:\(pattern)" + (capability == .read ? "" : " (\(capability))") }

    /// Paths of the target to ask a login's ACL about: for an exact path, itself; for a
    /// pattern, the paths the input names that it matches and a few plain ones (the pattern
    /// with `x` for its globs, each policy pattern made concrete), then one path for every
    /// combination of which of the ACL's patterns, unresolved templates and Vault's shipped
    /// `default` paths match, among the target's paths (``VaultPathLanguage``): whatever
    /// path of the pattern some reader reaches, one of these is decided the same way.
    /// - Returns: the paths, and whether they are complete (the product walk stayed small).
    func witnesses(against acl: VaultACL, unresolved: [VaultLogin.Unresolved], named: [String] = [], list: Bool = false) -> (paths: [String], complete: Bool) {
        guard isPattern else { return ([pattern], true) }
        func concrete(_ p: String) -> String {
            var s = p
            if s.hasSuffix("*") { s.removeLast() }
            return s.split(separator: "/", omittingEmptySubsequences: false).map { $0 == "+" ? "x" : String($0) }.joined(separator: "/")
        }
        let base = concrete(pattern)
        var out: [String] = named + [base, base.hasSuffix("/") || base.isEmpty ? base + "x" : base + "/x", base + "x"]
        for p in acl.patterns + unresolved.map(\.rule.path) {
            let c = concrete(p)
            out.append(c)
            if p.hasSuffix("*") { out.append(c + "x") }
        }
        let languages = acl.patterns.map { VaultPathLanguage(policyPath: $0) }
            + unresolved.map { VaultPathLanguage(glob: VaultTemplate.glob(rulePath: $0.rule.path)) }
            + VaultInventory.shippedDefaultPaths.map { VaultPathLanguage(policyPath: $0) }
        let every = VaultPathLanguage.representatives(of: VaultPathLanguage(policyPath: pattern), against: languages, list: list)
        out += every.paths
        var seen = Set<String>()
        let matches = matcher()
        return (out.filter { matches($0) && seen.insert($0).inserted }, every.complete)
    }
}

extension VaultLogin {
    /// What every path this login may be allowed anything on begins with (``VaultTarget/literalPrefix(of:)``):
    /// the literal prefixes of its ACL's patterns, of its unresolved templated rules and, when
    /// the folder lacks the `default` policy, of Vault's shipped one; `nil` when any path may
    /// be (a root token, a policy of unknown content other than `default`).
    var reachablePrefixes: [[UInt8]]? {
        if acl.isRoot || missingPolicies.contains(where: { !$0.isExactly("default") }) { return nil }
        var out = acl.patterns.map { VaultTarget.literalPrefix(of: $0) }
        for u in unresolved {
            let glob = VaultTemplate.glob(rulePath: u.rule.path)
            if glob.hasPrefix("/") { return nil }  // matched against the path as written: no prefix to trust
            out.append(Array(glob.utf8.prefix { $0 != UInt8(ascii: "*") }))
        }
        if missingPolicies.contains(where: { $0.isExactly("default") }) {
            out += VaultInventory.shippedDefaultPaths.map { VaultTarget.literalPrefix(of: $0) }
        }
        return out
    }

    /// The login's answer for a target: for a pattern, the first path under it the login may
    /// use (else one it might), `nil` when it may use none — decided on the pattern itself,
    /// every path of it standing for the others its ACL decides alike.
    /// - Parameter named: Vault paths the input names, tried first.
    public func reach(_ target: VaultTarget, named: [String] = []) -> (path: String, access: VaultAccess, verdict: VaultMatch)? {
        var maybe: (String, VaultAccess, VaultMatch)? = nil
        let list = target.capability == .list
        let (paths, complete) = target.witnesses(against: acl, unresolved: unresolved, named: named, list: list)
        for w in paths {
            let a = access(w, list: list)
            switch a.allows(target.capability) {
            case .yes: return (w, a, .yes)
            case .unknown: if maybe == nil { maybe = (w, a, .unknown) }
            case .no: break
            }
        }
        // Too many patterns to walk every combination: no path found is not a no.
        if maybe == nil, !complete, let w = paths.first { maybe = (w, access(w, list: list), .unknown) }
        return maybe
    }
}

/// One step of a privilege path beyond the Kubernetes API: through an External Secrets
/// store, a Secrets Store CSI mount, a Vault login, a Vault policy.
public struct ExternalStep: Hashable, Sendable {
    public enum Kind: String, CaseIterable, Hashable, Sendable {
        /// Creating (or updating) an ExternalSecret in a namespace a store serves: the
        /// operator reads with the store's login and writes a Secret there.
        case externalSecretWrite = "externalsecret-write"
        /// Creating a ClusterExternalSecret: the operator creates ExternalSecrets in the
        /// namespaces its selectors match, which the creator chooses.
        case clusterExternalSecretWrite = "clusterexternalsecret-write"
        /// Creating a SecretStore in a namespace: it may name any service account (or Secret)
        /// of the namespace as its credentials, and any Vault role.
        case secretStoreWrite = "secretstore-write"
        /// A pod mounting a SecretProviderClass: the CSI provider logs in with the pod's
        /// service account and the class's role, and mounts the objects the class names.
        case csiMount = "csi-mount"
        /// A store logs in to Vault with its role, as the service account its credentials name.
        case storeLogin = "store-login"
        /// A service account logs in to Vault with a Kubernetes auth role that binds it.
        case vaultLogin = "vault-login"
        /// The token's policies decide: the policy path that allows the capability.
        case vaultPolicy = "vault-policy"
        /// Creating (or updating) a PushSecret in a namespace a store serves: the operator
        /// writes with the store's credentials.
        case pushSecretWrite = "pushsecret-write"
        /// Holding what a store authenticates with: the service account it logs in as, or the
        /// Secret of its static credentials.
        case storeCredentials = "store-credentials"
        /// A store reads the keys an ExternalSecret writes into a Kubernetes Secret: whoever
        /// makes it read gets that Secret's data.
        case storeRead = "store-read"
        /// Reading the Secret the operator writes as another identity than the one that made
        /// it write (the path's start becomes both): the API server decides each request apart.
        case writtenSecretRead = "written-secret-read"
        /// Reading in Kubernetes an object other than a Secret that an ExternalSecret writes
        /// (`spec.target.manifest`): listing or watching its resource in its namespace, or
        /// (a ConfigMap) creating a pod that mounts it.
        case writtenRead = "written-read"
    }

    public var kind: Kind
    /// What the step reaches: a target where it is one (`store:prod/vault-backend`,
    /// `vault:secret/data/prod/db`, `secret:prod/db-credentials`), else for people
    /// (`Vault auth/kubernetes/role/web as sa:prod/web`, `ExternalSecret in prod`).
    public var to: String
    /// The namespace it works in, if any.
    public var namespace: String?
    /// Why it holds.
    public var why: String
    /// Where the facts behind it are written (`file:line` and what they say).
    public var evidence: [String]
    /// For a write step held directly by the path's start: the RBAC grant.
    public var grant: Grant?
    /// For a write step held directly by the path's start: allowed by the API server itself
    /// (`system:masters`, ahead of RBAC), so there is no grant.
    public var viaMasters = false
    /// `nil` when the step follows from the input; otherwise what must hold (observed `nil`:
    /// the input does not tell).
    public var condition: PathCondition?
    /// For a step taken as another identity than the one the path has reached — one the
    /// path's start becomes too, since the API server decides each request apart (reading the
    /// Secret the operator writes, creating the ExternalSecret for a SecretStore another
    /// identity created): the Kubernetes path from the start to that identity, taken before
    /// this step. Its steps are the path's own: counted in its length, cost and certainty.
    public var branch: PrivilegePath?

    public init(
        kind: Kind, to: String, namespace: String? = nil, why: String, evidence: [String] = [], grant: Grant? = nil, condition: PathCondition? = nil,
        branch: PrivilegePath? = nil
    ) {
        self.kind = kind
        self.to = to
        self.namespace = namespace
        self.why = why
        self.evidence = evidence
        self.grant = grant
        self.condition = condition
        self.branch = branch
    }
}

/// A privilege path that ends beyond the API server — in Vault, at an External Secrets store,
/// or at a Secret an ExternalSecret writes: the Kubernetes part (a path of the escalation
/// graph, possibly of no step), then the external steps.
public struct VaultPath: Sendable {
    /// What the path ends at, in the notation of targets: `vault:MOUNT/PATH`,
    /// `store:NS/NAME`, `clusterstore:NAME`, `secret:NS/NAME`.
    public var end: String
    /// The Kubernetes part, to the service account or the permission the route needs.
    public var kubernetes: PrivilegePath
    /// The steps beyond the API server, the last one the policy path.
    public var external: [ExternalStep]
    /// The concrete Vault path reached (a target pattern's witness).
    public var vaultPath: String
    /// The Vault answer behind the last step; `nil` when the last step is a store whose
    /// login the input does not follow (its reach is unknown), or the path ends outside Vault.
    public var access: VaultAccess?

    public init(kubernetes: PrivilegePath, external: [ExternalStep], vaultPath: String, access: VaultAccess?, end: String? = nil) {
        self.kubernetes = kubernetes
        self.external = external
        self.vaultPath = vaultPath
        self.access = access
        self.end = end ?? "vault:\(vaultPath)"
    }

    /// Every step counted: the Kubernetes part's, the external steps and their branches'
    /// (``ExternalStep/branch``).
    public var stepCount: Int { kubernetes.steps.count + external.reduce(0) { $0 + 1 + ($1.branch?.steps.count ?? 0) } }

    /// Ranking, as for Kubernetes paths: conditions the input does not show true, then steps.
    public var cost: Int {
        kubernetes.cost + external.reduce(0) { $0 + EscalationGraph.cost(condition: $1.condition) + ($1.branch?.cost ?? 0) }
    }

    /// Whether a step is taken as another identity than the one the Kubernetes part reaches.
    public var branches: Bool { external.contains { $0.branch != nil } }

    /// The least certain of the Kubernetes part and the external steps.
    public var certainty: PathCertainty { PathCertainty(conditions: conditions) }

    /// `certain`, or `conditional: N not shown, M shown true`.
    public var certaintyLabel: String { PathCertainty.label(conditions: conditions) }

    /// The conditions of every step, in the order taken: the Kubernetes part's, then each
    /// external step's branch and the step.
    var conditions: [PathCondition] {
        kubernetes.steps.compactMap(\.condition) + external.flatMap { ($0.branch?.steps.compactMap(\.condition) ?? []) + [$0.condition].compactMap { $0 } }
    }
}

/// What the routes to Vault targets share, computed once for all the targets asked: each
/// service account's Vault logins, each store's login and routes in each namespace it serves,
/// the Secrets each node may read, the Vault paths the input names. What is left per target
/// is what depends on it: which logins reach it, a login none of whose policy paths shares a
/// prefix with the target not being asked (it reaches none of its paths).
///
/// For `paths --from ID` without `--to` (``EscalationGraph/pathsBeyond(from:maxSteps:)``) it
/// has a start: which Kubernetes targets the start reaches at all (one search) and the
/// cheapest path to each target asked (one search per target, not per route and end). Routes
/// whose Kubernetes target the start does not reach are not built: they could give no path,
/// so the answer is the same. Without a start (one target asked, by `paths --to` or
/// `who-can`), every route is built.
final class BeyondContext {
    let graph: EscalationGraph
    let start: PathNode?
    let maxSteps: Int
    /// The nodes the start reaches within `maxSteps` steps; `nil` without a start.
    private let reached: [NodeID]?
    private var relevance: [PathTarget: Bool] = [:]
    private var found: [PathTarget: [PrivilegePath]] = [:]
    /// The Vault paths the input names (for pattern targets' witnesses).
    lazy var named: [String] = graph.externalSecretPaths().map(\.target).filter { $0.hasPrefix("vault:") }.map { String($0.dropFirst(6)) }
    /// ``EscalationGraph/vaultCandidates()``, once.
    lazy var candidates: [ServiceAccountName] = graph.vaultCandidates()
    /// ``EscalationGraph/knownNamespaces()``, once.
    lazy var knownNamespaces: [String] = graph.knownNamespaces()
    /// The workloads the Vault Agent injector serves whose role (`vault.hashicorp.com/role`)
    /// the folder lacks, with the role and the auth mount, in the input's order: the same
    /// for every target, found once per run.
    lazy var agentWorkloadsWithoutRole: [(workload: Workload, role: String, mount: String)] = graph.access.workloads.compactMap { w in
        guard w.template.isVaultAgentInjected else { return nil }
        let annotations = w.template.vaultAnnotations
        guard let roleName = annotations["vault.hashicorp.com/role"], !roleName.isEmpty else { return nil }
        let mount = EscalationGraph.agentAuthMount(annotations["vault.hashicorp.com/auth-path"])
        if graph.access.external.vault.role(mount: mount, name: roleName) != nil { return nil }
        return (w, roleName, mount)
    }

    /// How often each piece of work was done: what a test counts, so that the work per
    /// target stays what depends on the target.
    struct Counts: Sendable {
        /// Kubernetes path searches (one per distinct target a route needs).
        var kubernetesSearches = 0
        /// Vault logins made for service accounts and stores (once per service account, and
        /// per store and namespace it serves).
        var logins = 0
        /// Route lists of a store in a namespace built (once per store, namespace and use).
        var storeRouteLists = 0
        /// Walks of a Vault target's paths against a login's ACL (``VaultLogin/reach(_:named:)``).
        var reachWalks = 0
        /// Which Secrets of a namespace a node may read, asked of the authorizer.
        var secretReads = 0
        /// Searches backwards for every identity reaching a Kubernetes target (who-can,
        /// `secrets --external`: once per target and step limit, however many ends need it).
        var identitySearches = 0
    }
    private(set) var counts = Counts()

    /// For `paths --from start`: routes only to what the start reaches.
    init(_ graph: EscalationGraph, start: PathNode, maxSteps: Int) {
        self.graph = graph
        self.start = start
        self.maxSteps = maxSteps
        if let s = graph.index(of: start) {
            let search = graph.layered(from: [s.index], maxSteps: maxSteps, forward: true) { _, _ in true }
            reached = search.cost.indices.filter { search.cost[$0] != Int.max }.map { NodeID($0) }
        } else {
            reached = []
        }
    }

    /// Without a start: every route.
    init(_ graph: EscalationGraph) {
        self.graph = graph
        self.start = nil
        self.maxSteps = 0
        self.reached = nil
    }

    /// Whether the start reaches a node that satisfies `target` (within `maxSteps`); `true`
    /// without a start.
    func reaches(_ target: PathTarget) -> Bool {
        guard let reached else { return true }
        if let r = relevance[target] { return r }
        let r = reached.contains { graph.satisfies($0, target) }
        relevance[target] = r
        return r
    }

    /// ``EscalationGraph/paths(from:to:maxSteps:all:limit:)`` from the start, the cheapest, once per target.
    func paths(to target: PathTarget) -> [PrivilegePath] {
        if let p = found[target] { return p }
        var p: [PrivilegePath] = []
        if let start, reaches(target) {
            counts.kubernetesSearches += 1
            p = graph.paths(from: start, to: target, maxSteps: maxSteps)
        }
        found[target] = p
        return p
    }

    /// The labels of each Namespace object of the input, by name (the last of a name, as
    /// ``EscalationGraph/namespaceLabels(_:)`` reads them).
    private lazy var labels: [ExactKey: [String: String]] = {
        var out: [ExactKey: [String: String]] = [:]
        for n in graph.access.namespaces { out[ExactKey(n.name)] = n.labels }
        return out
    }()

    /// ``EscalationGraph/namespaceLabels(_:)``, without a search of the Namespaces.
    func namespaceLabels(_ ns: String) -> [String: String]? { labels[ExactKey(ns)] }

    private var served: [SecretStore: [String]] = [:]

    private var serving: [SecretStore: [String: VaultMatch]] = [:]

    /// The namespaces of the input a store serves (or may serve), once per store.
    func namespaces(servedBy store: SecretStore) -> [String] {
        if let n = served[store] { return n }
        let serves = servedAnswers(store)
        let n = knownNamespaces.filter { serves[$0] != nil }
        served[store] = n
        return n
    }

    /// The namespaces of the input `store` serves or may serve, with the answer.
    private func servedAnswers(_ store: SecretStore) -> [String: VaultMatch] {
        if let a = serving[store] { return a }
        var a: [String: VaultMatch] = [:]
        for ns in knownNamespaces {
            let m = store.serves(namespace: ns, labels: namespaceLabels(ns))
            if m != .no { a[ns] = m }
        }
        serving[store] = a
        return a
    }

    // MARK: Logins, numbered

    private struct LoginKey: Hashable {
        var serviceAccount: ServiceAccountName
        var role: String
        var admitted: VaultMatch
    }

    private var loginIDs: [LoginKey: Int] = [:]
    private(set) var logins: [VaultLogin] = []

    /// The number of `login`, the same for the same service account, role and admission.
    private func id(of login: VaultLogin) -> Int {
        let key = LoginKey(serviceAccount: login.serviceAccount, role: login.role.path, admitted: login.admitted)
        if let id = loginIDs[key] { return id }
        logins.append(login)
        loginIDs[key] = logins.count - 1
        return logins.count - 1
    }

    /// The logins by the literal prefixes of what they may be allowed
    /// (``VaultLogin/reachablePrefixes``): those of any path apart, the others by prefix and
    /// in the order of their prefixes, so that the logins that may decide some path of a
    /// target are found without asking each.
    private struct PrefixIndex {
        var indexed = 0
        var anyPath: [Int] = []
        var byPrefix: [[UInt8]: [Int]] = [:]
        var sorted: [(prefix: [UInt8], login: Int)] = []

        mutating func add(_ logins: ArraySlice<VaultLogin>, from first: Int) {
            for (k, login) in zip(first..., logins) {
                guard let prefixes = login.reachablePrefixes else {
                    anyPath.append(k)
                    continue
                }
                for p in Set(prefixes) {
                    byPrefix[p, default: []].append(k)
                    sorted.append((p, k))
                }
            }
            sorted.sort { $0.prefix.lexicographicallyPrecedes($1.prefix) }
            indexed = first + logins.count
        }

        /// The logins one of whose prefixes is a prefix of `t`, or begins with `t`: those
        /// that may decide a path beginning with `t` (two literal prefixes neither of which
        /// begins the other share no path).
        func logins(sharing t: [UInt8]) -> Set<Int> {
            var out = Set(anyPath)
            for j in 0...t.count { if let ids = byPrefix[Array(t[..<j])] { out.formUnion(ids) } }
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid].prefix.lexicographicallyPrecedes(t) { lo = mid + 1 } else { hi = mid }
            }
            while lo < sorted.count, sorted[lo].prefix.starts(with: t) {
                out.insert(sorted[lo].login)
                lo += 1
            }
            return out
        }
    }

    private var index = PrefixIndex()

    /// Service accounts and their logins, in order, with the positions of each login's.
    struct ServiceAccountLogins {
        var entries: [(serviceAccount: ServiceAccountName, login: Int)] = []
        var byLogin: [Int: [Int]] = [:]

        init(_ accounts: [(ServiceAccountName, [Int])]) {
            for (sa, ids) in accounts {
                for id in ids {
                    byLogin[id, default: []].append(entries.count)
                    entries.append((sa, id))
                }
            }
        }

        /// The entries whose login is one of `logins`, in order.
        func entries(of logins: Set<Int>) -> [(serviceAccount: ServiceAccountName, login: Int)] {
            logins.flatMap { byLogin[$0] ?? [] }.sorted().map { entries[$0] }
        }
    }

    /// Each service account worth asking Vault about (``EscalationGraph/vaultCandidates()``)
    /// whose token the start reaches, with its logins.
    private(set) lazy var selfLogins = ServiceAccountLogins(candidates.compactMap { sa in
        reaches(.identity(.serviceAccount(namespace: sa.namespace, name: sa.name))) ? (sa, loginsOf(sa)) : nil
    })

    /// Each service account whose namespace the start may create a SecretStore in, with its logins.
    private(set) lazy var storeWriteLogins = ServiceAccountLogins(candidates.compactMap { sa in
        let create = Request.resource(ResourceRequest(verb: "create", apiGroup: "external-secrets.io", resource: "secretstores", namespace: sa.namespace))
        return reaches(.permission(create)) ? (sa, loginsOf(sa)) : nil
    })

    /// Numbers every login a route may take (of service accounts, of stores), so that
    /// ``deciders(of:)`` knows them all.
    func numberLogins(reads: Bool) {
        _ = selfLogins
        _ = storeWriteLogins
        _ = storeUses(reads: reads)
    }

    private var saLogins: [ServiceAccountName: [Int]] = [:]

    private func loginsOf(_ sa: ServiceAccountName) -> [Int] {
        if let l = saLogins[sa] { return l }
        let l = graph.access.external.vault.logins(for: sa, namespaceLabels: namespaceLabels(sa.namespace)).map(id(of:))
        counts.logins += l.count
        saLogins[sa] = l
        return l
    }

    /// A Vault store in a namespace it serves, where the start may make it act: its login
    /// (``EscalationGraph/storeLogin(_:from:)``) or why its reach is unknown, and the routes
    /// that make it act there (``EscalationGraph/storeRoutes(to:use:from:inInput:authenticates:)``).
    struct StoreUse {
        var store: SecretStore
        var namespace: String
        var login: Int?
        var unknownReach: String?
        var routes: [VaultRoute]
    }

    private var storeUses: [Bool: [StoreUse]] = [:]
    /// For each use (`reads` or not): the positions in ``storeUses(reads:)`` of each login's
    /// uses, and of the uses whose login the input does not follow.
    private var usesByLogin: [Bool: (byLogin: [Int: [Int]], unfollowed: [Int])] = [:]

    /// The positions in ``storeUses(reads:)`` of the uses whose login may decide some path of
    /// `target` (``deciders(of:)``) or is not followed, in order.
    func storeUses(reads: Bool, for target: VaultTarget) -> [Int] {
        _ = storeUses(reads: reads)
        guard let by = usesByLogin[reads] else { return [] }
        var out = by.unfollowed
        for id in deciders(of: target) { out += by.byLogin[id] ?? [] }
        return out.sorted()
    }

    /// Every ``StoreUse`` of the input's Vault stores, in the order of the stores and then of
    /// the namespaces: ExternalSecrets (`reads`) or PushSecrets. Once per run.
    func storeUses(reads: Bool) -> [StoreUse] {
        if let u = storeUses[reads] { return u }
        var out: [StoreUse] = []
        var writes: [String: Bool] = [:]
        for store in graph.access.external.stores where store.provider == "vault" {
            for ns in namespaces(servedBy: store) {
                let may = writes[ns] ?? EscalationGraph.storeWrites(in: ns, reads: reads).contains { reaches(.permission($0)) }
                writes[ns] = may
                guard may else { continue }
                let login = graph.storeLogin(store, from: ns)
                counts.logins += 1
                counts.storeRouteLists += 1
                out.append(StoreUse(
                    store: store, namespace: ns, login: login.map(id(of:)),
                    unknownReach: login == nil ? graph.unknownReach(of: store, from: ns) : nil,
                    routes: graph.storeRoutes(to: store, use: reads ? .read : .write, from: [ns], authenticates: "login")))
            }
        }
        storeUses[reads] = out
        var byLogin: [Int: [Int]] = [:]
        var unfollowed: [Int] = []
        for (k, use) in out.enumerated() {
            if let id = use.login { byLogin[id, default: []].append(k) } else { unfollowed.append(k) }
        }
        usesByLogin[reads] = (byLogin, unfollowed)
        return out
    }

    // MARK: Per target

    private var answersTarget: VaultTarget?
    private var answers: [Int: (path: String, access: VaultAccess, verdict: VaultMatch)?] = [:]
    /// The logins that may decide some path of `answersTarget`, as of `decidersIndexed` logins.
    private var deciders: Set<Int> = []
    private var decidersIndexed = 0

    /// ``VaultLogin/reach(_:named:)`` of login `id`, walked once per login and target, and not
    /// at all for a login whose policy paths share no prefix with the target (it would find
    /// nothing: every path of the target is decided `no`).
    func reach(_ id: Int, _ target: VaultTarget, named: [String]) -> (path: String, access: VaultAccess, verdict: VaultMatch)? {
        if answersTarget != target {
            answersTarget = target
            answers = [:]
            decidersIndexed = -1
        }
        if let r = answers[id] { return r }
        var r: (path: String, access: VaultAccess, verdict: VaultMatch)? = nil
        if deciders(of: target).contains(id) {
            counts.reachWalks += 1
            r = logins[id].reach(target, named: named)
        }
        answers[id] = .some(r)
        return r
    }

    /// The Vault SecretProviderClasses in whose namespace the start may create pods, and the
    /// positions of those naming each object (by the object's bytes, leading `/` left out).
    private lazy var csi: (classes: [SecretProviderClass], byObject: [String: [Int]], sorted: [(object: [UInt8], spc: Int)]) = {
        var classes: [SecretProviderClass] = []
        var byObject: [String: [Int]] = [:]
        var sorted: [(object: [UInt8], spc: Int)] = []
        for spc in graph.access.external.providerClasses
        where spc.provider == "vault" && reaches(.permission(.resource(ResourceRequest(verb: "create", apiGroup: "", resource: "pods", namespace: spc.namespace)))) {
            for o in spc.objects {
                byObject[o, default: []].append(classes.count)
                sorted.append((Array(o.utf8.drop { $0 == UInt8(ascii: "/") }), classes.count))
            }
            classes.append(spc)
        }
        sorted.sort { $0.object.lexicographicallyPrecedes($1.object) }
        return (classes, byObject, sorted)
    }()

    /// The Vault SecretProviderClasses a pod the start may create can mount that name an
    /// object `target` may match, in the input's order: for a path, those naming it; for a
    /// pattern, those naming an object that begins with its literal prefix.
    func providerClasses(naming target: VaultTarget) -> [SecretProviderClass] {
        var found = Set<Int>()
        if target.isPattern {
            let t = target.literalPrefix
            var lo = 0, hi = csi.sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if csi.sorted[mid].object.lexicographicallyPrecedes(t) { lo = mid + 1 } else { hi = mid }
            }
            while lo < csi.sorted.count, csi.sorted[lo].object.starts(with: t) {
                found.insert(csi.sorted[lo].spc)
                lo += 1
            }
        } else {
            found.formUnion(csi.byObject[target.pattern] ?? [])
        }
        return found.sorted().map { csi.classes[$0] }
    }

    /// The logins numbered so far that may decide some path of `target`: one of their
    /// ``VaultLogin/reachablePrefixes`` begins the target's literal prefix or begins with it.
    func deciders(of target: VaultTarget) -> Set<Int> {
        if answersTarget != target {
            answersTarget = target
            answers = [:]
            decidersIndexed = -1
        }
        if index.indexed < logins.count { index.add(logins[index.indexed...], from: index.indexed) }
        if decidersIndexed != index.indexed {
            deciders = index.logins(sharing: target.literalPrefix)
            decidersIndexed = index.indexed
        }
        return deciders
    }

    private struct ReadKey: Hashable {
        var node: NodeID
        var namespace: String
    }

    private var secretReads: [ReadKey: String?] = [:]

    /// ``EscalationGraph/secretRead(by:in:)``, once per node and namespace.
    func secretRead(by n: NodeID, in ns: String) -> String? {
        let key = ReadKey(node: n, namespace: ns)
        if let r = secretReads[key] { return r }
        counts.secretReads += 1
        let r = graph.secretRead(by: n, in: ns)
        secretReads[key] = .some(r)
        return r
    }

    // MARK: Readers: every identity, shared across targets

    private struct SearchKey: Hashable {
        var target: PathTarget
        var maxSteps: Int
    }

    private var reaching: [SearchKey: [PrivilegePath]] = [:]

    /// ``EscalationGraph/rankedIdentities(reaching:maxSteps:)``, once per target and step limit.
    func identities(reaching target: PathTarget, maxSteps: Int) -> [PrivilegePath] {
        let key = SearchKey(target: target, maxSteps: maxSteps)
        if let r = reaching[key] { return r }
        counts.identitySearches += 1
        let r = graph.rankedIdentities(reaching: target, maxSteps: maxSteps)
        reaching[key] = r
        return r
    }

    private struct OtherPathsKey: Hashable {
        var key: String
        var maxSteps: Int
    }

    private var otherPathsByKey: [OtherPathsKey: [NodeID: PrivilegePath]] = [:]

    /// Each identity's cheapest path (at most `maxSteps` steps) to a node that may make one of
    /// `requests`, by its start, once per `key` (which names the requests): a step taken as
    /// another identity than the one the route needs (``EscalationGraph/Elsewhere``).
    func otherPaths(_ key: String, _ requests: [(request: Request, what: String)], maxSteps: Int) -> [NodeID: PrivilegePath] {
        let k = OtherPathsKey(key: key, maxSteps: maxSteps)
        if let r = otherPathsByKey[k] { return r }
        var byStart: [NodeID: [PrivilegePath]] = [:]
        for r in requests {
            for p in identities(reaching: .permission(r.request), maxSteps: maxSteps) where p.certainty != .shownFalse {
                byStart[p.start, default: []].append(p)
            }
        }
        let r = byStart.compactMapValues(EscalationGraph.cheapest)
        otherPathsByKey[k] = r
        return r
    }

}

/// A way to a Vault target that does not depend on where one starts: what Kubernetes must
/// give (a service account, or permissions), and the external steps after it.
struct VaultRoute {
    /// The first target the Kubernetes part must reach.
    var target: PathTarget
    /// A permission the node reaching `target` must hold too (a SecretStore is of use only
    /// with an ExternalSecret that reads through it).
    var alsoNeeds: Request?
    var external: [ExternalStep]
    var vaultPath: String
    var access: VaultAccess?
    /// The route as `who-can` names it.
    var reader: VaultReader.Route
    /// What the route ends at when it is no Vault path (``VaultPath/end``).
    var end: String? = nil
    /// For a route that makes the operator act, the object made and the verb: an
    /// ExternalSecret (`create`, `update`), a ClusterExternalSecret or a PushSecret (`create`,
    /// `update`); `nil` for one that holds the store's credentials.
    var makes: (kind: ExternalSecret.Kind, verb: String)? = nil
    /// For a route that reads through an ExternalSecret: the namespace of the Secret the
    /// operator writes what it reads into. The node reaching ``target`` must be able to read a
    /// Secret there (``secretRead(by:in:)``): the value reaches the Secret, and reading the
    /// Secret is the API server's to allow.
    var readsIn: String? = nil
}

extension EscalationGraph {
    /// The policy step: which policy path of which policy allows the capability, or what is
    /// unknown about it.
    func policyStep(_ a: VaultAccess, path: String, capability: VaultCapabilities, verdict: VaultMatch) -> ExternalStep {
        var evidence: [String] = []
        var why: String
        if let e = a.decision.entry, a.decision.allows(capability) {
            why = "path \"\(e.pattern)\" {\(e.capabilities)} decides \(path)"
            if e.isConditional { why += " (with parameter or wrapping limits)" }
            evidence = e.grants.map { g in "policy \(g.policy)" + (g.rule.source.map { " at \($0)" } ?? "") }
        } else {
            why = "no policy path of the input allows \(capability) on \(path)"
        }
        var unknown: [String] = []
        if a.login.admitted == .unknown { unknown.append("the role admits \(a.login.serviceAccount.notation)'s namespace only by its selector, and the input has no labels for it") }
        for u in a.unresolved { unknown.append("\"\(u.rule.path)\" of policy \(u.policy) may match: \(u.reason)") }
        if !a.missingPolicies.isEmpty { unknown.append("policies not in --vault: \(a.missingPolicies.joined(separator: ", "))") }
        let condition = verdict == .yes ? nil : PathCondition(unknown.isEmpty ? "Vault allows \(capability) on \(path)" : unknown.joined(separator: "; "), observed: nil)
        return ExternalStep(kind: .vaultPolicy, to: "vault:\(path)", why: why, evidence: evidence, condition: condition)
    }

    func roleEvidence(_ role: VaultRole) -> String {
        var s = "\(role.path): bound_service_account_names [\(role.boundNames.joined(separator: ","))], bound_service_account_namespaces [\(role.boundNamespaces.joined(separator: ","))]"
        if role.namespaceSelector != nil { s += ", a namespace selector" }
        s += ", policies [\(role.tokenPolicies.joined(separator: ","))]"
        if let src = role.source(of: .boundNames) { s += " at \(src)" }
        return s
    }

    static func location(_ s: SourceLocation?) -> String { s.map { " at \($0)" } ?? "" }

    /// Every route to `target`: service accounts logging in themselves, stores read for by an
    /// ExternalSecret (created, updated, or made by a ClusterExternalSecret), SecretStores one
    /// may create, and SecretProviderClasses a pod may mount.
    /// - Parameter context: what routes to several targets share (``BeyondContext``); for
    ///   `paths --from` without `--to`, routes only to what the start reaches.
    func vaultRoutes(to target: VaultTarget, context: BeyondContext? = nil) -> [VaultRoute] {
        let context = context ?? BeyondContext(self)
        let ext = access.external
        var routes: [VaultRoute] = []
        let cap = target.capability
        // The Vault paths the input names under a pattern target, tried first as its witnesses.
        let named: [String]
        if target.isPattern {
            let prefix = target.literalPrefix, matches = target.matcher()
            named = context.named.filter { $0.utf8.drop { $0 == UInt8(ascii: "/") }.starts(with: prefix) && matches($0) }
        } else {
            named = []
        }
        let reads = cap.isSubset(of: [.read, .list])
        let pushes = cap.isSubset(of: [.create, .update, .patch])
        context.numberLogins(reads: reads)
        let deciders = context.deciders(of: target)
        // 1. A service account logs in itself (with its token: by any step that becomes it).
        for (sa, id) in context.selfLogins.entries(of: deciders) {
            guard let r = context.reach(id, target, named: named) else { continue }
            let login = context.logins[id]
            let loginStep = ExternalStep(
                kind: .vaultLogin, to: "Vault \(login.role.path) as \(sa.notation)",
                why: "\(sa.notation) logs in with its token; the role binds it", evidence: [roleEvidence(login.role)],
                condition: login.admitted == .yes ? nil : PathCondition("the role's namespace selector admits \(sa.namespace)", observed: nil))
            routes.append(VaultRoute(
                target: .identity(.serviceAccount(namespace: sa.namespace, name: sa.name)), external: [loginStep, policyStep(r.access, path: r.path, capability: cap, verdict: r.verdict)],
                vaultPath: r.path, access: r.access, reader: .login(r.access)))
        }
        // 2. Stores: an ExternalSecret in a namespace a store serves reads with its login, a
        // PushSecret writes with it: the store's own routes (storeRoutes), then its login and
        // the policy path that decides.
        if reads || pushes {
            let uses = context.storeUses(reads: reads)
            for k in context.storeUses(reads: reads, for: target) {
                let use = uses[k]
                let store = use.store, ns = use.namespace
                // A store reads and writes under its own mount only.
                if let mount = store.vault?.mount, !target.pattern.hasExactPrefix(mount + "/") { continue }
                let storeName = Self.storeTitle(store)
                // The store's login and the policy step after it; for a store whose reach the
                // input does not tell (a static token, AppRole…), one step of unknown reach.
                let tail: [ExternalStep]
                let vaultPath: String
                let vaultAccess: VaultAccess?
                let unknownReason: String?
                if let id = use.login {
                    guard let r = context.reach(id, target, named: named) else { continue }
                    let login = context.logins[id]
                    tail = [
                        ExternalStep(
                            kind: .storeLogin, to: "Vault \(login.role.path) as \(login.serviceAccount.notation)",
                            why: "\(storeName) logs in with role \(login.role.name) as \(login.serviceAccount.notation)"
                                + (store.isReferent ? " (a reference without a namespace: the ExternalSecret's own)" : ""),
                            evidence: ["\(storeName)\(Self.location(store.source))", roleEvidence(login.role)],
                            condition: login.admitted == .yes ? nil : PathCondition("the role's namespace selector admits \(login.serviceAccount.namespace)", observed: nil)),
                        policyStep(r.access, path: r.path, capability: cap, verdict: r.verdict),
                    ]
                    vaultPath = r.path
                    vaultAccess = r.access
                    unknownReason = nil
                } else {
                    guard let reason = use.unknownReach else { continue }
                    tail = [ExternalStep(
                        kind: .storeLogin, to: "vault:\(target.pattern)", why: "\(storeName) reads with a login the input does not follow",
                        evidence: ["\(storeName)\(Self.location(store.source))"],
                        condition: PathCondition("its login may \(cap) \(target.pattern): \(reason)", observed: nil))]
                    vaultPath = target.pattern
                    vaultAccess = nil
                    unknownReason = reason
                }
                for var route in use.routes {
                    // Its credentials: for a login that is followed, the login routes above; for
                    // one that is not, whoever holds them authenticates as the store does.
                    guard route.makes != nil || vaultAccess == nil else { continue }
                    route.external += tail
                    route.vaultPath = vaultPath
                    route.access = vaultAccess
                    route.end = nil
                    if let made = route.makes, made.verb == "create" {
                        route.reader = vaultAccess.map { .store(store, namespace: ns, kind: made.kind, access: $0) }
                            ?? .storeOfUnknownReach(store, namespace: ns, kind: made.kind, reason: unknownReason ?? "")
                    } else if route.makes == nil, case .secret(let sns, let name?) = route.target {
                        route.reader = .credentialSecret(store, namespace: sns, name: name, reason: unknownReason ?? "")
                    } else {
                        route.reader = .steps(route.external, access: vaultAccess)
                    }
                    routes.append(route)
                }
            }
        }
        if reads {
            // 3. A SecretStore of one's own in a namespace: any service account of it, any role.
            let eso = !ext.stores.isEmpty || !ext.externalSecrets.isEmpty
            for (sa, id) in context.storeWriteLogins.entries(of: deciders) {
                guard let r = context.reach(id, target, named: named) else { continue }
                let login = context.logins[id]
                let ns = sa.namespace
                let step = ExternalStep(
                    kind: .secretStoreWrite, to: "SecretStore in \(ns) as \(sa.notation)", namespace: ns,
                    why: "create a SecretStore in \(ns) whose Vault auth names role \(login.role.name) and serviceAccountRef \(sa.name)" + Self.andItsExternalSecret,
                    condition: PathCondition("the External Secrets Operator runs and may request tokens of \(ns)'s service accounts", observed: eso ? true : nil))
                let loginStep = ExternalStep(
                    kind: .storeLogin, to: "Vault \(login.role.path) as \(sa.notation)", why: "the store logs in with role \(login.role.name) as \(sa.notation)",
                    evidence: [roleEvidence(login.role)],
                    condition: login.admitted == .yes ? nil : PathCondition("the role's namespace selector admits \(ns)", observed: nil))
                let create = Request.resource(ResourceRequest(verb: "create", apiGroup: "external-secrets.io", resource: "secretstores", namespace: ns))
                let es = Request.resource(ResourceRequest(verb: "create", apiGroup: "external-secrets.io", resource: "externalsecrets", namespace: ns))
                let steps = [step, loginStep, policyStep(r.access, path: r.path, capability: cap, verdict: r.verdict)]
                routes.append(VaultRoute(
                    target: .permission(create), alsoNeeds: es, external: steps, vaultPath: r.path, access: r.access, reader: .steps(steps, access: r.access),
                    readsIn: ns))
            }
        }
        // 4. A pod mounting a SecretProviderClass of its namespace gets the objects it names.
        if reads {
            let matches = target.matcher()
            for spc in context.providerClasses(naming: target) {
                let objects = spc.objects.filter(matches)
                if objects.isEmpty { continue }
                let mount = spc.vaultAuthMount ?? "kubernetes"
                guard let roleName = spc.vaultRole, let role = ext.vault.role(mount: mount, name: roleName) else {
                    // A role the folder lacks (or none named): whoever mounts the class reads
                    // what the role's policies allow, which the input does not tell.
                    let why = spc.vaultRole.map { "its role auth/\(mount)/role/\($0) is not in --vault" } ?? "it names no Vault role"
                    for o in objects {
                        let step = ExternalStep(
                            kind: .csiMount, to: "vault:\(o)", namespace: spc.namespace,
                            why: "a pod of \(spc.namespace) mounts SecretProviderClass \(spc.namespace)/\(spc.name), whose Vault login reads \(o)",
                            evidence: ["SecretProviderClass \(spc.namespace)/\(spc.name)\(Self.location(spc.source))"],
                            condition: PathCondition("its login may \(cap) \(o): \(why)", observed: nil))
                        let request = Request.resource(ResourceRequest(verb: "create", apiGroup: "", resource: "pods", namespace: spc.namespace))
                        routes.append(VaultRoute(target: .permission(request), external: [step], vaultPath: o, access: nil, reader: .steps([step], access: nil)))
                    }
                    continue
                }
                for sa in context.candidates where sa.namespace.isExactly(spc.namespace) {
                    let admitted = role.admits(sa, namespaceLabels: namespaceLabels(sa.namespace))
                    guard admitted != .no else { continue }
                    let login = ext.vault.login(sa, with: role, admitted: admitted)
                    for o in objects {
                        let a = login.access(o, list: cap == .list)
                        let verdict = a.allows(cap)
                        guard verdict != .no else { continue }
                        let step = ExternalStep(
                            kind: .csiMount, to: "Vault \(role.path) as \(sa.notation)", namespace: spc.namespace,
                            why: "a pod running as \(sa.notation) mounts SecretProviderClass \(spc.namespace)/\(spc.name): the provider logs in with role \(role.name) and reads \(o)",
                            evidence: ["SecretProviderClass \(spc.namespace)/\(spc.name)\(Self.location(spc.source))", roleEvidence(role)],
                            condition: admitted == .yes ? nil : PathCondition("the role's namespace selector admits \(sa.namespace)", observed: nil))
                        let request = Request.resource(ResourceRequest(verb: "create", apiGroup: "", resource: "pods", namespace: spc.namespace))
                        let steps = [step, policyStep(a, path: o, capability: cap, verdict: verdict)]
                        routes.append(VaultRoute(target: .permission(request), external: steps, vaultPath: o, access: a, reader: .steps(steps, access: a)))
                    }
                }
            }
        }
        // 5. A pod the Vault Agent injector serves logs in as its service account with the role
        // its annotation names and reads the paths its `agent-inject-secret-*` annotations
        // name. A role the folder holds is route 1's (the service account logs in itself);
        // a role the folder lacks leaves the reach of those paths unknown, never a quiet no.
        if reads {
            let matches = target.matcher()
            var seen = Set<String>()
            for (w, roleName, mount) in context.agentWorkloadsWithoutRole {
                let annotations = w.template.vaultAnnotations
                let sa = ServiceAccountName(namespace: w.namespace, name: w.template.serviceAccountName)
                let paths = annotations.filter { $0.key.hasExactPrefix("vault.hashicorp.com/agent-inject-secret-") }.map(\.value).sorted().filter(matches)
                for o in paths where seen.insert("\(sa.notation) \(mount) \(roleName) \(o)").inserted {
                    let step = ExternalStep(
                        kind: .vaultLogin, to: "vault:\(o)", namespace: w.namespace,
                        why: "\(w.kind) \(w.namespace)/\(w.name)'s Vault Agent logs in as \(sa.notation) with role \(roleName) and reads \(o)",
                        evidence: ["\(w.kind) \(w.namespace)/\(w.name)\(Self.location(w.source)) (vault.hashicorp.com/role: \(roleName))"],
                        condition: PathCondition("its login may \(cap) \(o): its role auth/\(mount)/role/\(roleName) is not in --vault", observed: nil))
                    routes.append(VaultRoute(
                        target: .identity(.serviceAccount(namespace: sa.namespace, name: sa.name)), external: [step], vaultPath: o, access: nil,
                        reader: .steps([step], access: nil)))
                }
            }
        }
        return routes
    }

    /// The auth mount a Vault Agent logs in at: `vault.hashicorp.com/auth-path` less `auth/`
    /// and slashes (`auth/kubernetes` by default: `kubernetes`).
    static func agentAuthMount(_ annotation: String?) -> String {
        var path = Substring(annotation ?? "auth/kubernetes")
        while path.hasExactPrefix("/") { path = path.dropFirst() }
        if path.hasExactPrefix("auth/") { path = path.dropFirst(5) }
        while path.hasExactSuffix("/") { path = path.dropLast() }
        return path.isEmpty ? "kubernetes" : String(path)
    }

    /// Privilege paths from `start` to a Vault target: the cheapest (fewest conditions the
    /// input does not show, then fewest steps), or with `all` every path, as `paths --all`
    /// has them for a Kubernetes target: each route with every simple Kubernetes path to it
    /// (up to `maxSteps` steps), best first, at most `limit` in all.
    ///
    /// Build the graph including `start` when the input may not hold it (``PathFinder``).
    public func vaultPaths(from start: PathNode, to target: VaultTarget, maxSteps: Int = 8, all: Bool = false, limit: Int = 100) -> [VaultPath] {
        externalPaths(from: start, routes: vaultRoutes(to: target), maxSteps: maxSteps, all: all, limit: limit)
    }

    /// Privilege paths from `start` along `routes` (to Vault, a store, a Secret an
    /// ExternalSecret writes): the Kubernetes part to what a route needs, then its external
    /// steps; the cheapest (fewest conditions the input does not show, then fewest steps), or
    /// with `all` each route with every simple Kubernetes part (up to `maxSteps` steps), best
    /// first, at most `limit` in all.
    func externalPaths(from start: PathNode, routes: [VaultRoute], maxSteps: Int, all: Bool, limit: Int, context: BeyondContext? = nil) -> [VaultPath] {
        guard let startID = index(of: start) else { return [] }
        var found: [(order: Int, path: VaultPath)] = []
        var seen = Set<String>()
        // The start's cheapest path to a node that may make one of some requests: a step
        // taken as another identity than the one a route needs (OtherIdentitySteps.swift).
        var others: [String: Elsewhere?] = [:]
        func elsewhere(_ key: String, _ requests: [(request: Request, what: String)]) -> Elsewhere? {
            if let r = others[key] { return r }
            let candidates = requests.flatMap { r in
                context.map { $0.paths(to: .permission(r.request)) } ?? paths(from: start, to: .permission(r.request), maxSteps: maxSteps)
            }
            let r = Self.cheapest(candidates.filter { $0.certainty != .shownFalse }).map { p -> Elsewhere in
                var p = p
                p.start = startID
                return Elsewhere(path: p, how: allowed(by: p.end, requests) ?? requests[0].what)
            }
            others[key] = .some(r)
            return r
        }
        for route in routes {
            let key = "\(route.target)|\(route.external.map { "\($0.kind.rawValue)>\($0.to)" }.joined(separator: "|"))"
            guard seen.insert(key).inserted else { continue }
            let kubernetes = context.map { $0.paths(to: route.target) } ?? paths(from: start, to: route.target, maxSteps: maxSteps, all: all, limit: limit)
            for var p in kubernetes {
                p.start = startID
                if let path = take(route, along: p, context: context, elsewhere: elsewhere) { found.append((found.count, path)) }
            }
        }
        let ranked = found.map { (rank: [$0.path.cost, $0.path.stepCount, $0.order], path: $0.path) }
        return ranked.sorted { $0.rank.lexicographicallyPrecedes($1.rank) }.prefix(all ? limit : 1).map(\.path)
    }
}

extension VaultACL {
    /// Every pattern of the ACL as written (exact paths, prefixes with their `*`, `+` patterns).
    var patterns: [String] { exact.values.map(\.pattern) + prefix.values.map(\.pattern) + segmented.values.map(\.pattern) }
}

extension EscalationGraph {
    /// A path to Vault as JSON: the shape of a path of `rbacgraph paths -o json`, its
    /// external steps after the Kubernetes ones, and `vault` (the path reached, the role,
    /// the token's policies).
    public func json(_ path: VaultPath) -> JSONValue {
        var steps: [JSONValue] = path.kubernetes.steps.map(json)
        var previous = nodes[path.kubernetes.end].description
        for s in path.external {
            // A step taken as another identity: the start's path to it first, its steps the path's own.
            if let b = s.branch {
                steps += b.steps.map(json)
                previous = nodes[b.end].description
            }
            var pairs: [(String, JSONValue)] = [
                ("kind", .string(s.kind.rawValue)), ("from", .string(previous)), ("to", .string(s.to)), ("description", .string(s.why)),
            ]
            if let ns = s.namespace { pairs.append(("namespace", .string(ns))) }
            if !s.evidence.isEmpty { pairs.append(("evidence", .array(s.evidence.map { .string($0) }))) }
            if let g = s.grant { pairs.append(("grant", access.json(g))) }
            if let c = s.condition {
                pairs.append(("condition", .object([("text", .string(c.text)), ("observed", c.observed.map { .bool($0) } ?? .null)])))
            }
            steps.append(.object(pairs))
            previous = s.to
        }
        var pairs: [(String, JSONValue)] = [
            ("from", .string(nodes[path.kubernetes.start].description)),
            ("to", .string(path.end)),
            ("certain", .bool(path.certainty == .certain)),
            ("certainty", .string(path.certainty.id)),
        ]
        if path.end.hasExactPrefix("vault:") {
            var vault: [(String, JSONValue)] = [("path", .string(path.vaultPath))]
            if let l = path.access?.login {
                vault += [
                    ("role", .string(l.role.path)), ("serviceAccount", .string(l.serviceAccount.notation)),
                    ("policies", .array(l.policies.map { .string($0) })),
                ]
            } else {
                vault.append(("reach", .string("unknown")))
            }
            pairs.append(("vault", .object(vault)))
        }
        pairs.append(("steps", .array(steps)))
        return .object(pairs)
    }
}
