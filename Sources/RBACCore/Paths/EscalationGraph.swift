/// The privilege-escalation graph: identities, what they can reach, and every step between,
/// each with the RBAC grants behind it (see `ESCALATION.md` and `docs/paths.md`).
///
/// ```swift
/// let paths = EscalationGraph(graph)
/// paths.paths(from: .serviceAccount(namespace: "ci", name: "deployer"), to: .fullAuthority)
/// paths.identitiesReaching(.fullAuthority)
/// ```
/// Built once from an ``AccessGraph``: nodes are int-indexed, edges kept in adjacency lists
/// both ways.
public struct EscalationGraph: Sendable {
    public let access: AccessGraph
    /// Every node; edges refer to nodes by index.
    public let nodes: [PathNode]
    /// Node lookup: the first node with a given hash (of its fields, byte-exact), and a chain
    /// through nodes with the same hash (lighter than a dictionary of nodes).
    let firstByHash: [Int: Int32]
    let nextSameHash: [Int32]
    let store: EdgeStore
    /// Adjacency in compressed rows: the edges leaving node `n` are
    /// `outEdges[outStart[n]..<outStart[n + 1]]`; likewise entering.
    let outStart: [Int32]
    let outEdges: [Int32]
    let inStart: [Int32]
    let inEdges: [Int32]

    /// Builds the graph.
    /// - Parameter extra: identities to include even if the input does not mention them
    ///   (a user asked about, say): they still belong to their groups.
    /// - Complexity: roughly O(p · r · s) for p identities, r rules each and s step patterns,
    ///   plus the fan-out edges (service accounts, secrets and pods per namespace).
    public init(_ access: AccessGraph, including extra: [PathNode] = []) {
        let b = Builder(access)
        b.extra = extra
        b.build()
        b.prune()
        self.access = access
        self.nodes = b.nodes
        var first: [Int: Int32] = [:]
        var next = [Int32](repeating: -1, count: b.nodes.count)
        for (i, n) in b.nodes.enumerated().reversed() {
            let h = n.hashValue
            if let f = first[h] { next[i] = f }
            first[h] = Int32(i)
        }
        self.firstByHash = first
        self.nextSameHash = next
        self.store = b.store
        (outStart, outEdges) = Self.compressedRows(count: b.nodes.count, edges: b.store.edges) { Int($0.from) }
        (inStart, inEdges) = Self.compressedRows(count: b.nodes.count, edges: b.store.edges) { Int($0.to) }
    }

    private static func compressedRows(count: Int, edges: [StoredEdge], key: (StoredEdge) -> Int) -> ([Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: count + 1)
        for e in edges { start[key(e) + 1] += 1 }
        for i in 0..<count { start[i + 1] += start[i] }
        var fill = start
        var list = [Int32](repeating: 0, count: edges.count)
        for (i, e) in edges.enumerated() {
            let k = key(e)
            list[Int(fill[k])] = Int32(i)
            fill[k] += 1
        }
        return (start, list)
    }

    /// The number of edges.
    public var edgeCount: Int { store.edges.count }

    /// Edge `i`, with its evidence and condition.
    public func edge(_ i: Int) -> PathEdge {
        let e = store.edges[i]
        let evidence = (0..<Int(e.evidenceCount)).map { k -> StepEvidence in
            let s = store.evidence[Int(e.evidenceStart) + k]
            var subject: Subject? = nil
            if s.binding != StoredEvidence.none, s.subject != StoredEvidence.none {
                let b = access.bindings[Int(s.binding)]
                let raw = b.subjects[Int(s.subject)]
                subject = raw.effective(bindingNamespace: b.namespace ?? "") ?? raw
            }
            return StepEvidence(
                role: RoleID(Int(s.role)), ruleIndex: Int(s.ruleIndex),
                binding: s.binding != StoredEvidence.none ? BindingID(Int(s.binding)) : nil,
                subject: subject, purpose: store.strings[Int(s.purpose)])
        }
        return PathEdge(
            from: NodeID(Int(e.from)), to: NodeID(Int(e.to)), kind: e.kind, namespace: e.namespace >= 0 ? store.strings[Int(e.namespace)] : nil,
            evidence: evidence, condition: e.condition >= 0 ? store.conditions[Int(e.condition)] : nil)
    }

    /// Every edge (materialized: for tests and small graphs).
    public var edges: [PathEdge] { (0..<edgeCount).map(edge) }

    /// The handle of a node, if the graph has it.
    /// - Complexity: O(1) expected.
    public func index(of node: PathNode) -> NodeID? {
        var i = firstByHash[node.hashValue] ?? -1
        while i >= 0 {
            if nodes[Int(i)] == node { return NodeID(Int(i)) }
            i = nextSameHash[Int(i)]
        }
        return nil
    }

    /// The edges leaving a node.
    public func edges(from node: NodeID) -> [PathEdge] {
        outEdges[Int(outStart[node.index])..<Int(outStart[node.index + 1])].map { edge(Int($0)) }
    }

    /// The edges entering a node.
    public func edges(into node: NodeID) -> [PathEdge] {
        inEdges[Int(inStart[node.index])..<Int(inStart[node.index + 1])].map { edge(Int($0)) }
    }
}

/// An edge as stored: indices into the store's tables (about 32 bytes).
struct StoredEdge: Sendable {
    var from: Int32
    var to: Int32
    var evidenceStart: Int32
    var namespace: Int32  // into strings; -1: none
    var condition: Int32  // into conditions; -1: certain
    var cost: Int32
    var evidenceCount: UInt16
    var kind: EscalationKind
}

/// Evidence as stored (20 bytes).
struct StoredEvidence: Sendable {
    var role: Int32
    var ruleIndex: Int32
    var binding: Int32  // ``none``: a held role
    var subject: Int32  // index into the binding's subjects; ``none``: none
    /// No binding, or no subject (the stored form of `nil`).
    static let none: Int32 = -1
    var purpose: Int32  // into strings
}

/// The edges with their evidence, conditions and strings, interned.
struct EdgeStore: Sendable {
    var edges: [StoredEdge] = []
    var evidence: [StoredEvidence] = []
    var strings: [String] = []
    var conditions: [PathCondition] = []
}

// MARK: - Building

extension EscalationGraph {
    final class Builder {
        let g: AccessGraph
        var nodes: [PathNode] = []
        var index: [PathNode: Int] = [:]
        var store = EdgeStore()
        private var edgeKeys = Set<EdgeKey>()
        private var stringIndex: [ExactKey: Int32] = [:]
        private var conditionIndex: [ConditionKey: Int32] = [:]

        struct ConditionKey: Hashable {
            var text: ExactKey
            var observed: Bool?
        }

        func intern(_ s: String) -> Int32 {
            if let i = stringIndex[ExactKey(s)] { return i }
            let i = Int32(store.strings.count)
            store.strings.append(s)
            stringIndex[ExactKey(s)] = i
            return i
        }

        func intern(_ c: PathCondition) -> Int32 {
            let key = ConditionKey(text: ExactKey(c.text), observed: c.observed)
            if let i = conditionIndex[key] { return i }
            let i = Int32(store.conditions.count)
            store.conditions.append(c)
            conditionIndex[key] = i
            return i
        }

        struct EdgeKey: Hashable {
            var from: Int
            var to: Int
            var kind: EscalationKind
        }

        // Facts from the input.
        var namespaces: [String] = []
        var serviceAccounts: [String: [String]] = [:]  // namespace → names
        var secretsByNamespace: [String: [SecretMetadata]] = [:]
        var podsByNamespace: [String: [Workload]] = [:]
        var workloadsByNamespace: [String: [Workload]] = [:]
        var namespaceLabels: [String: [String: String]] = [:]
        var users: [String] = []
        var groups: [String] = []
        var extra: [PathNode] = []
        /// Service accounts of ``extra`` the input does not mention: reached only if they exist.
        var assumedServiceAccounts = Set<ServiceAccountName>()
        /// Edges of group nodes, to leave out of their members (the path goes through the group).
        var groupEdgeKeys: [String: Set<TargetKey>] = [:]
        /// Holder nodes already evaluated.
        var evaluatedHolders = Set<Int>()

        struct TargetKey: Hashable {
            var to: Int
            var kind: EscalationKind
        }

        init(_ g: AccessGraph) { self.g = g }

        @discardableResult
        func node(_ n: PathNode) -> Int {
            if let i = index[n] { return i }
            index[n] = nodes.count
            nodes.append(n)
            return nodes.count - 1
        }

        /// Adds an edge unless one of the same kind already joins the two nodes.
        /// Outgoing edge counts, by node.
        var outgoingCounts: [Int: Int] = [:]

        @discardableResult
        func edge(
            _ from: Int, _ to: Int, _ kind: EscalationKind, namespace: String? = nil, evidence: [StepEvidence] = [],
            condition: PathCondition? = nil
        ) -> Bool {
            guard from != to, edgeKeys.insert(EdgeKey(from: from, to: to, kind: kind)).inserted else { return false }
            var condition = condition
            if condition == nil, !assumedServiceAccounts.isEmpty, case .serviceAccount(let ns, let name) = nodes[to],
                assumedServiceAccounts.contains(ServiceAccountName(namespace: ns, name: name))
            {
                condition = PathCondition("service account \(ns)/\(name) exists (the input does not mention it)", observed: nil)
            }
            let start = Int32(store.evidence.count)
            for e in evidence {
                var subject = StoredEvidence.none
                if let b = e.binding, let s = e.subject {
                    let binding = g.bindings[b]
                    let ns = binding.namespace ?? ""
                    if let k = binding.subjects.firstIndex(where: { ($0.effective(bindingNamespace: ns) ?? $0) == s }) {
                        subject = Int32(k)
                    }
                }
                store.evidence.append(StoredEvidence(
                    role: Int32(e.role.index), ruleIndex: Int32(e.ruleIndex), binding: e.binding.map { Int32($0.index) } ?? StoredEvidence.none,
                    subject: subject,
                    purpose: intern(e.purpose)))
            }
            let stored = StoredEdge(
                from: Int32(from), to: Int32(to), evidenceStart: start, namespace: namespace.map(intern) ?? -1,
                condition: condition.map(intern) ?? -1,
                cost: Int32(EscalationGraph.cost(condition: condition)), evidenceCount: UInt16(evidence.count), kind: kind)
            store.edges.append(stored)
            outgoingCounts[from, default: 0] += 1
            return true
        }

        func build() {
            collectFacts()
            structuralEdges()
            // Groups first: their members reach what they reach through a membership edge.
            for group in groups { principal(.group(group)) }
            for user in users { principal(.user(user)) }
            for ns in namespaces {
                for sa in serviceAccounts[ns] ?? [] { principal(.serviceAccount(namespace: ns, name: sa)) }
            }
        }

        // MARK: Facts

        func collectFacts() {
            var nsSet = Set<String>()
            func addNS(_ ns: String?) { if let ns, !ns.isEmpty { nsSet.insert(ns) } }
            for n in g.namespaces {
                addNS(n.name)
                namespaceLabels[n.name] = n.labels
            }
            for r in g.roles { addNS(r.namespace) }
            for b in g.bindings { addNS(b.namespace) }
            for s in g.secrets {
                addNS(s.namespace)
                secretsByNamespace[s.namespace, default: []].append(s)
            }
            for w in g.workloads {
                addNS(w.namespace)
                workloadsByNamespace[w.namespace, default: []].append(w)
                if w.kind == "Pod" { podsByNamespace[w.namespace, default: []].append(w) }
            }
            var saSet = Set<ServiceAccountName>()
            func addSA(_ sa: ServiceAccountName) {
                if saSet.insert(sa).inserted { serviceAccounts[sa.namespace, default: []].append(sa.name) }
            }
            for sa in g.knownServiceAccounts {
                addNS(sa.namespace)
                addSA(sa)
            }
            // A legacy token secret names its service account.
            for s in g.secrets {
                if let sa = s.tokenServiceAccount, !sa.isEmpty { addSA(ServiceAccountName(namespace: s.namespace, name: sa)) }
            }
            var extraUsers: [String] = []
            var extraGroups: [String] = []
            for e in extra {
                switch e {
                case .user(let u): extraUsers.append(u)
                case .group(let g): extraGroups.append(g)
                case .serviceAccount(let ns, let n):
                    addNS(ns)
                    let sa = ServiceAccountName(namespace: ns, name: n)
                    if !saSet.contains(sa) { assumedServiceAccounts.insert(sa) }
                    addSA(sa)
                default: break
                }
            }
            namespaces = nsSet.sorted()
            for ns in namespaces where !saSet.contains(ServiceAccountName(namespace: ns, name: "default")) {
                serviceAccounts[ns, default: []].append("default")  // every namespace has one
            }
            for ns in namespaces { serviceAccounts[ns]?.sort() }
            // A User subject named system:serviceaccount:NS:NAME is that service account.
            for u in g.knownUsers + extraUsers {
                if let sa = ServiceAccountName(userName: u) {
                    addNS(sa.namespace)
                    addSA(sa)
                }
            }
            var userSet = Set<ExactKey>()
            users = (g.knownUsers + extraUsers)
                .filter { !$0.isExactly(Identity.anonymousUser) && ServiceAccountName(userName: $0) == nil && userSet.insert(ExactKey($0)).inserted }
                .sorted() + [Identity.anonymousUser]
            var groupSet = Set<ExactKey>()
            var groupList: [String] = []
            func addGroup(_ g: String) { if groupSet.insert(ExactKey(g)).inserted { groupList.append(g) } }
            for g in [Identity.authenticatedGroup, Identity.unauthenticatedGroup, Identity.mastersGroup, ServiceAccountName.allServiceAccountsGroup] {
                addGroup(g)
            }
            for ns in namespaces { addGroup(ServiceAccountName.namespaceGroup(ns)) }
            extraGroups.forEach(addGroup)
            for b in g.bindings {
                for s in b.subjects where s.kind.isExactly("Group") { addGroup(s.name) }
            }
            groups = groupList.sorted()
        }

        // MARK: Structural edges

        func structuralEdges() {
            let authenticated = node(.group(Identity.authenticatedGroup))
            let full = node(.fullAuthority)
            edge(node(.group(Identity.mastersGroup)), full, .systemMasters)
            for g in groups where !g.isExactly(Identity.authenticatedGroup) && !g.isExactly(Identity.unauthenticatedGroup) {
                edge(node(.group(g)), authenticated, .publicBinding)
            }
            for u in users {
                if u.isExactly(Identity.anonymousUser) {
                    edge(node(.user(u)), node(.group(Identity.unauthenticatedGroup)), .publicBinding)
                } else {
                    edge(node(.user(u)), authenticated, .publicBinding)
                }
            }
            // Anyone may also send a request without credentials: what the anonymous user (and
            // so system:unauthenticated) is granted, every identity holds.
            edge(authenticated, node(.user(Identity.anonymousUser)), .publicBinding)
            let allPods = node(.runPods(in: .everyNamespace))
            let allSecrets = node(.secrets(in: .everyNamespace))
            let allServiceAccounts = node(.anyServiceAccount(in: .everyNamespace))
            edge(allPods, allServiceAccounts, .runAs)
            edge(allPods, allSecrets, .mountSecrets)
            let nodesNode = node(.nodes)
            for ns in namespaces {
                let pods = node(.runPods(in: .namespace(ns)))
                let secrets = node(.secrets(in: .namespace(ns)))
                let anySA = node(.anyServiceAccount(in: .namespace(ns)))
                edge(allPods, pods, .everyNamespace)
                edge(allSecrets, secrets, .everyNamespace)
                edge(allServiceAccounts, anySA, .everyNamespace)
                edge(pods, anySA, .runAs, namespace: ns)
                let admin = node(.namespaceAuthority(ns))
                edge(admin, pods, .namespaceAdmin, namespace: ns)
                edge(admin, secrets, .namespaceAdmin, namespace: ns)
                for sa in serviceAccounts[ns] ?? [] {
                    let s = node(.serviceAccount(namespace: ns, name: sa))
                    edge(s, node(.group(ServiceAccountName.allServiceAccountsGroup)), .memberOf)
                    edge(s, node(.group(ServiceAccountName.namespaceGroup(ns))), .memberOf)
                    edge(s, authenticated, .publicBinding)
                    edge(anySA, s, .eachServiceAccount, namespace: ns)
                }
                edge(pods, secrets, .mountSecrets, namespace: ns)
                edge(pods, nodesNode, .privilegedPod, namespace: ns, condition: privilegedPodCondition(ns))
                // Legacy token secrets: the input shows them, or may not hold the secrets at all.
                let loaded = secretsByNamespace[ns] ?? []
                if !loaded.contains(where: { $0.tokenServiceAccount != nil }) {
                    edge(secrets, anySA, .readToken, namespace: ns, condition: PathCondition(
                        "a legacy service-account token secret exists in \(ns)",
                        observed: g.secrets.isEmpty ? nil : false))
                }
                for secret in loaded {
                    let s = node(.secret(namespace: ns, name: secret.name))
                    edge(secrets, s, .containsSecret, namespace: ns)
                    if let sa = secret.tokenServiceAccount {
                        edge(s, node(.serviceAccount(namespace: ns, name: sa)), .readToken, namespace: ns)
                    }
                }
            }
            // The running pods of a namespace hold their service accounts' tokens.
            let allRunning = node(.runningPods(in: .everyNamespace))
            let serviceAccountObjects = Dictionary(
                g.serviceAccounts.map { ("\($0.namespace)/\($0.name)", $0) }, uniquingKeysWith: { a, _ in a })
            for ns in namespaces {
                let running = node(.runningPods(in: .namespace(ns)))
                edge(allRunning, running, .everyNamespace)
                let pods = podsByNamespace[ns] ?? []
                if pods.isEmpty {
                    edge(running, node(.anyServiceAccount(in: .namespace(ns))), .podToken, namespace: ns, condition: PathCondition(
                        "a pod runs as the service account (the input has no pods in \(ns))", observed: nil))
                    // Workloads without their pods (manifests): each runs pods as its template says.
                    var seenTemplates = Set<String>()
                    for w in workloadsByNamespace[ns] ?? [] where seenTemplates.insert(w.template.serviceAccountName).inserted {
                        let sa = w.template.serviceAccountName
                        let automount = w.template.automountServiceAccountToken
                            ?? serviceAccountObjects["\(ns)/\(sa)"]?.automountServiceAccountToken ?? true
                        edge(running, node(.serviceAccount(namespace: ns, name: sa)), .podToken, namespace: ns,
                            condition: automount
                                ? PathCondition("a pod of \(w.kind) \(ns)/\(w.name) is running (the input shows the \(w.kind), not its pods)", observed: true)
                                : PathCondition("a pod of \(w.kind) \(ns)/\(w.name) mounts its token (automountServiceAccountToken is false)", observed: false))
                    }
                }
                // A running pod that is privileged holds its node; one that mounts a hostPath
                // volume may (the input shows the mount, not whether the path exposes the node).
                let here = workloadsByNamespace[ns] ?? []
                if let host = here.first(where: { $0.template.privileged }) ?? here.first(where: { $0.template.hostPathVolumes }) {
                    let pod = "\(host.kind == "Pod" ? "pod" : "a pod of \(host.kind)") \(ns)/\(host.name)"
                    edge(running, nodesNode, .privilegedPod, namespace: ns, condition: host.template.privileged
                        ? PathCondition("\(pod) is privileged (the input shows it)", observed: true)
                        : PathCondition("\(pod) mounts a hostPath volume that exposes its node (the input shows the mount, not the path)", observed: nil))
                }
                // Code in a running pod reads the secrets it mounts or takes as environment
                // variables (not image-pull secrets, which only the kubelet sees).
                let running_ = (pods.isEmpty ? (workloadsByNamespace[ns] ?? []) : pods)
                var seenSecrets = Set<String>()
                for w in running_ {
                    for ref in w.template.secretReferences where ref.usage != .imagePullSecret && seenSecrets.insert(ref.name).inserted {
                        edge(running, node(.secret(namespace: ns, name: ref.name)), .podSecret, namespace: ns,
                            condition: w.kind == "Pod" ? nil : PathCondition(
                                "a pod of \(w.kind) \(ns)/\(w.name) is running (the input shows the \(w.kind), not its pods)", observed: true))
                    }
                }
                var seen = Set<String>()
                for pod in pods where seen.insert(pod.template.serviceAccountName).inserted {
                    let sa = pod.template.serviceAccountName
                    let automount = pod.template.automountServiceAccountToken
                        ?? serviceAccountObjects["\(ns)/\(sa)"]?.automountServiceAccountToken ?? true
                    edge(running, node(.serviceAccount(namespace: ns, name: sa)), .podToken, namespace: ns,
                        condition: automount ? nil : PathCondition(
                            "pod \(ns)/\(pod.name) mounts its token (automountServiceAccountToken is false)", observed: false))
                }
            }
            // Existing workloads: changing their pod template runs pods as any service account.
            let anyWorkload = !g.workloads.contains { $0.kind != "Pod" }  // none in the input: unknown
            for w in Self.workloadResources {
                let all = node(.workloads(kind: w.kind, in: .everyNamespace))
                for ns in namespaces {
                    let existing = (workloadsByNamespace[ns] ?? []).first { $0.kind == w.kind }
                    guard existing != nil || anyWorkload else { continue }
                    let here = node(.workloads(kind: w.kind, in: .namespace(ns)))
                    edge(all, here, .everyNamespace)
                    edge(here, node(.runPods(in: .namespace(ns))), .podTemplate, namespace: ns,
                        condition: existing == nil ? PathCondition("a \(w.kind) exists in \(ns) (the input has no workloads)", observed: nil) : nil)
                }
            }
            // Controlling nodes gives the tokens of the pods there, and full authority where
            // control-plane pods run.
            edge(nodesNode, allRunning, .nodePods, condition: PathCondition("the pods you want run on the nodes you control", observed: nil))
            let controlPlane = (podsByNamespace["kube-system"] ?? []).first { p in
                ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"].contains { p.name.hasPrefix($0) }
            }
            edge(
                nodesNode, full, .controlPlaneNode,
                condition: PathCondition(
                    controlPlane.map { "a node you control runs control-plane pods (kube-system/\($0.name) is in the input)" }
                        ?? "a node you control runs control-plane pods",
                    observed: controlPlane != nil ? true : nil))
        }

        /// Pod Security admission decides whether privileged pods run in a namespace.
        func privilegedPodCondition(_ ns: String) -> PathCondition {
            let level = namespaceLabels[ns]?["pod-security.kubernetes.io/enforce"]
            switch level {
            case "privileged":
                return PathCondition("privileged or hostPath pods are admitted in \(ns) (Pod Security: privileged)", observed: true)
            case "baseline", "restricted":
                return PathCondition("privileged or hostPath pods are admitted in \(ns) (Pod Security enforces \(level!))", observed: false)
            default:
                return PathCondition("privileged or hostPath pods are admitted in \(ns) (no Pod Security label in the input)", observed: nil)
            }
        }

        // MARK: Identities

        /// Derives the steps of an identity: cluster-wide from its ClusterRoleBindings, then in
        /// each namespace where RoleBindings name it.
        func principal(_ p: PathNode) {
            guard let identity = p.identity else { return }
            let from = node(p)
            // The rules of the bindings a walk visits, and the roles bound (through a group
            // after the others).
            func held(_ selection: BindingSelection) -> (rules: [SourcedRule], bound: [(binding: BindingID, role: RoleID)]) {
                var rules: [SourcedRule] = []
                var direct: [(binding: BindingID, role: RoleID)] = []
                var viaGroup: [(binding: BindingID, role: RoleID)] = []
                g.visitBindings(for: identity, selection) { visit in
                    guard case .bound(let b, let r, let subject) = visit else { return true }
                    if subject.kind.isExactly("Group") { viaGroup.append((b, r)) } else { direct.append((b, r)) }
                    for (j, rule) in g.roles[r].rules.enumerated() {
                        rules.append(SourcedRule(rule: rule, role: r, ruleIndex: j, binding: (b, subject)))
                    }
                    return true
                }
                return (rules, direct + viaGroup)
            }
            let (clusterRules, clusterBound) = held(.request(namespace: ""))
            var steps: [Step] = []
            if !clusterRules.isEmpty {
                steps += derive(RuleView(clusterRules: clusterRules, namespaceRules: [], scope: .cluster, bound: clusterBound))
            }
            for ns in g.roleBindingNamespaces(for: identity) {
                let (nsRules, nsBound) = held(.roleBindings(namespace: ns))
                if nsRules.isEmpty && nsBound.isEmpty { continue }
                // Steps that the ClusterRoleBindings alone allow were found cluster-wide; the
                // roles bound here are this namespace's own.
                steps += derive(RuleView(clusterRules: clusterRules, namespaceRules: nsRules, scope: .namespace(ns), bound: nsBound)).filter { step in
                    step.ownRoleBinding || step.evidence.contains { $0.binding.map { g.bindings[$0].kind == .roleBinding } ?? true }
                }
            }
            // What the identity's groups reach, it reaches through them.
            var inherited = Set<TargetKey>()
            for group in identity.groups { inherited.formUnion(groupEdgeKeys[group] ?? []) }
            var mine = Set<TargetKey>()
            for s in steps {
                let key = TargetKey(to: s.to, kind: s.kind)
                if inherited.contains(key) { continue }
                if edge(from, s.to, s.kind, namespace: s.namespace, evidence: s.evidence, condition: s.condition) {
                    mine.insert(key)
                }
            }
            if case .group(let name) = p { groupEdgeKeys[name] = mine }
        }

        /// Drops dead ends: fan-out nodes that lead nowhere (the workloads of a namespace that
        /// has none, say), the edges into them, and nodes left without edges, unless they are
        /// identities or targets.
        func prune() {
            while true {
                var out = [Int](repeating: 0, count: nodes.count)
                for e in store.edges { out[Int(e.from)] += 1 }
                func deadEnd(_ i: Int) -> Bool {
                    guard out[i] == 0 else { return false }
                    switch nodes[i] {
                    case .workloads, .runPods, .runningPods, .anyServiceAccount, .nodes: return true
                    default: return false
                    }
                }
                let before = store.edges.count
                store.edges.removeAll { deadEnd(Int($0.to)) }
                if store.edges.count == before { break }
            }
            // Evidence of the edges kept, in order.
            var evidence: [StoredEvidence] = []
            for k in store.edges.indices {
                let e = store.edges[k]
                let start = Int32(evidence.count)
                evidence += store.evidence[Int(e.evidenceStart)..<Int(e.evidenceStart) + Int(e.evidenceCount)]
                store.edges[k].evidenceStart = start
            }
            store.evidence = evidence
            var used = [Bool](repeating: false, count: nodes.count)
            for e in store.edges {
                used[Int(e.from)] = true
                used[Int(e.to)] = true
            }
            var remap = [Int32](repeating: -1, count: nodes.count)
            var kept: [PathNode] = []
            for (i, n) in nodes.enumerated() {
                let keep: Bool
                switch n {
                case .user, .group, .serviceAccount, .fullAuthority, .secret, .secrets: keep = true
                default: keep = used[i]
                }
                if keep {
                    remap[i] = Int32(kept.count)
                    kept.append(n)
                }
            }
            for k in store.edges.indices {
                store.edges[k].from = remap[Int(store.edges[k].from)]
                store.edges[k].to = remap[Int(store.edges[k].to)]
            }
            nodes = kept
            index = [:]
        }

        /// Derives and adds the steps of a held role (reached by `bind`), once.
        /// - Returns: whether the holder reaches anything.
        func holder(_ role: RoleID, in scope: Scope) -> Int? {
            let n = node(.holder(role: role, in: scope))
            if evaluatedHolders.insert(n).inserted {
                let rules = g.roles[role].rules.enumerated().map { j, rule in
                    SourcedRule(rule: rule, role: role, ruleIndex: j, binding: nil)
                }
                let view = scope == .cluster
                    ? RuleView(clusterRules: rules, namespaceRules: [], scope: .cluster)
                    : RuleView(clusterRules: [], namespaceRules: rules, scope: scope)
                for s in derive(view) {
                    edge(n, s.to, s.kind, namespace: s.namespace, evidence: s.evidence, condition: s.condition)
                }
            }
            // Held even when it leads nowhere further: its own permissions are what `can:`
            // targets and who-can --effective ask about.
            return g.roles[role].rules.isEmpty ? nil : n
        }
    }
}
