// Building the escalation graph: the builder's state, nodes and edges as they are added,
// pruning dead ends, and held roles. What the steps are: +Facts, +Structure, +Identities,
// +Steps.

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
        /// The questions asked of rules, numbered (``number(_:)``).
        var questionNumbers: [Question: Int] = [:]
        /// What each role's rules answered (``answers(_:)``).
        var roleAnswers: [RoleID: RoleAnswers] = [:]

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
                // A role is held in many scopes: its rules answer each question once, and rules
                // that allowed no step in one scope allow none in a scope of the same kind.
                let answers = answers(role)
                let kind = ScopeKind(scope)
                if !answers.noSteps.contains(kind) {
                    let held = [HeldRole(role: role, binding: nil)]
                    let view = scope == .cluster
                        ? RuleView(clusterRoles: held, namespaceRoles: [], scope: .cluster)
                        : RuleView(clusterRoles: [], namespaceRoles: held, scope: scope)
                    let steps = derive(view)
                    for s in steps {
                        edge(n, s.to, s.kind, namespace: s.namespace, evidence: s.evidence, condition: s.condition)
                    }
                    if !answers.anyAllowed {
                        assert(steps.isEmpty, "a step without an answer")
                        answers.noSteps.insert(kind)
                    }
                }
            }
            // Held even when it leads nowhere further: its own permissions are what `can:`
            // targets and who-can --effective ask about.
            return g.roles[role].rules.isEmpty ? nil : n
        }
    }
}
