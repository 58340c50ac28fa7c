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
    public let edges: [PathEdge]
    let index: [NodeKey: Int]
    let outgoing: [[Int32]]
    let incoming: [[Int32]]

    /// A byte-exact key for a node (names compare as bytes, as in Kubernetes).
    struct NodeKey: Hashable, Sendable {
        let node: PathNode
        static func == (a: NodeKey, b: NodeKey) -> Bool { a.node.description.isExactly(b.node.description) }
        func hash(into h: inout Hasher) { node.description.hashExactly(into: &h) }
    }

    /// Builds the graph.
    /// - Complexity: roughly O(p · r · s) for p identities, r rules each and s step patterns,
    ///   plus the fan-out edges (service accounts, secrets and pods per namespace).
    /// - Parameter extra: identities to include even if the input does not mention them
    ///   (a user asked about, say): they still belong to their groups.
    public init(_ access: AccessGraph, including extra: [PathNode] = []) {
        let b = Builder(access)
        b.extra = extra
        b.build()
        self.access = access
        self.nodes = b.nodes
        self.edges = b.edges
        self.index = b.index
        var out = [[Int32]](repeating: [], count: b.nodes.count)
        var inc = [[Int32]](repeating: [], count: b.nodes.count)
        for (i, e) in b.edges.enumerated() {
            out[e.from].append(Int32(i))
            inc[e.to].append(Int32(i))
        }
        self.outgoing = out
        self.incoming = inc
    }

    /// The index of a node, if the graph has it.
    public func index(of node: PathNode) -> Int? { index[NodeKey(node: node)] }

    /// The edges leaving a node.
    public func edges(from node: Int) -> [PathEdge] { outgoing[node].map { edges[Int($0)] } }

    /// The edges entering a node.
    public func edges(into node: Int) -> [PathEdge] { incoming[node].map { edges[Int($0)] } }
}

// MARK: - Building

extension EscalationGraph {
    final class Builder {
        let g: AccessGraph
        var nodes: [PathNode] = []
        var index: [NodeKey: Int] = [:]
        var edges: [PathEdge] = []
        private var edgeKeys = Set<EdgeKey>()

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
            let key = NodeKey(node: n)
            if let i = index[key] { return i }
            index[key] = nodes.count
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
            edges.append(PathEdge(from: from, to: to, kind: kind, namespace: namespace, evidence: evidence, condition: condition))
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
            var saSet = Set<String>()
            for sa in g.knownServiceAccounts {
                let parts = sa.split(separator: "/", maxSplits: 1)
                guard parts.count == 2 else { continue }
                addNS(String(parts[0]))
                if saSet.insert(sa).inserted { serviceAccounts[String(parts[0]), default: []].append(String(parts[1])) }
            }
            var extraUsers: [String] = []
            var extraGroups: [String] = []
            for e in extra {
                switch e {
                case .user(let u): extraUsers.append(u)
                case .group(let g): extraGroups.append(g)
                case .serviceAccount(let ns, let n):
                    addNS(ns)
                    if saSet.insert("\(ns)/\(n)").inserted { serviceAccounts[ns, default: []].append(n) }
                default: break
                }
            }
            namespaces = nsSet.sorted()
            for ns in namespaces where !saSet.contains("\(ns)/default") {
                serviceAccounts[ns, default: []].append("default")  // every namespace has one
            }
            for ns in namespaces { serviceAccounts[ns]?.sort() }
            users = Array(Set(g.knownUsers + extraUsers)).filter { !$0.isExactly(Identity.anonymousUser) }.sorted()
                + [Identity.anonymousUser]
            var groupSet = Set<String>([
                Identity.authenticatedGroup, Identity.unauthenticatedGroup, Identity.mastersGroup, "system:serviceaccounts",
            ])
            for ns in namespaces { groupSet.insert("system:serviceaccounts:\(ns)") }
            groupSet.formUnion(extraGroups)
            for b in g.bindings {
                for s in b.subjects where s.kind.isExactly("Group") { groupSet.insert(s.name) }
            }
            groups = groupSet.sorted()
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
            let allPods = node(.runPods(namespace: nil))
            let allSecrets = node(.secrets(namespace: nil))
            let allServiceAccounts = node(.anyServiceAccount(namespace: nil))
            edge(allPods, allServiceAccounts, .runAs)
            edge(allPods, allSecrets, .mountSecrets)
            let nodesNode = node(.nodes)
            for ns in namespaces {
                let pods = node(.runPods(namespace: ns))
                let secrets = node(.secrets(namespace: ns))
                let anySA = node(.anyServiceAccount(namespace: ns))
                edge(allPods, pods, .everyNamespace)
                edge(allSecrets, secrets, .everyNamespace)
                edge(allServiceAccounts, anySA, .everyNamespace)
                edge(pods, anySA, .runAs, namespace: ns)
                let admin = node(.namespaceAuthority(ns))
                edge(admin, pods, .namespaceAdmin, namespace: ns)
                edge(admin, secrets, .namespaceAdmin, namespace: ns)
                for sa in serviceAccounts[ns] ?? [] {
                    let s = node(.serviceAccount(namespace: ns, name: sa))
                    edge(s, node(.group("system:serviceaccounts")), .memberOf)
                    edge(s, node(.group("system:serviceaccounts:\(ns)")), .memberOf)
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
            // Controlling nodes gives the tokens of the pods there, and full authority where
            // control-plane pods run.
            var seen = Set<String>()
            for ns in namespaces {
                for pod in podsByNamespace[ns] ?? [] where seen.insert("\(ns)/\(pod.template.serviceAccountName)").inserted {
                    edge(
                        nodesNode, node(.serviceAccount(namespace: ns, name: pod.template.serviceAccountName)), .nodePods,
                        namespace: ns,
                        condition: PathCondition("pod \(ns)/\(pod.name) (running as \(pod.template.serviceAccountName)) is on a node you control", observed: nil))
                }
            }
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
            var clusterRules: [RuleGrant] = []
            for b in g.applicableBindings(for: identity, in: "") {
                guard case .role(let r) = g.resolutions[b], let subject = g.firstMatchingSubject(ofBinding: b, for: identity)
                else { continue }
                for (j, rule) in g.roles[r].rules.enumerated() {
                    clusterRules.append(RuleGrant(rule: rule, grant: Grant(subject: subject, binding: b, role: r, ruleIndex: j)))
                }
            }
            var steps: [Step] = []
            if !clusterRules.isEmpty {
                steps += derive(Scope(clusterRules: clusterRules, namespaceRules: [], namespace: nil))
            }
            for ns in g.roleBindingNamespaces(for: identity) {
                var nsRules: [RuleGrant] = []
                for b in g.applicableBindings(for: identity, in: ns) where g.bindings[b].kind == .roleBinding {
                    guard case .role(let r) = g.resolutions[b], let subject = g.firstMatchingSubject(ofBinding: b, for: identity)
                    else { continue }
                    for (j, rule) in g.roles[r].rules.enumerated() {
                        nsRules.append(RuleGrant(rule: rule, grant: Grant(subject: subject, binding: b, role: r, ruleIndex: j)))
                    }
                }
                if nsRules.isEmpty { continue }
                // Steps that the ClusterRoleBindings alone allow were found cluster-wide.
                steps += derive(Scope(clusterRules: clusterRules, namespaceRules: nsRules, namespace: ns)).filter { step in
                    step.evidence.contains { $0.binding.map { g.bindings[$0].kind == .roleBinding } ?? true }
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

        /// Derives and adds the steps of a held role (reached by `bind`), once.
        /// - Returns: whether the holder reaches anything.
        func holder(_ role: Int, namespace: String?) -> Int? {
            let n = node(.holder(role: role, namespace: namespace))
            if evaluatedHolders.insert(n).inserted {
                let rules = g.roles[role].rules.enumerated().map { j, rule in
                    RuleGrant(rule: rule, grant: Grant(subject: Subject(kind: "", name: ""), binding: -1, role: role, ruleIndex: j))
                }
                let scope = namespace == nil
                    ? Scope(clusterRules: rules, namespaceRules: [], namespace: nil)
                    : Scope(clusterRules: [], namespaceRules: rules, namespace: namespace)
                for s in derive(scope) {
                    edge(n, s.to, s.kind, namespace: s.namespace, evidence: s.evidence, condition: s.condition)
                }
            }
            return (outgoingCounts[n] ?? 0) > 0 ? n : nil
        }
    }
}
