// The steps of an identity: its rules cluster-wide and in each namespace where RoleBindings
// name it, turned into steps (+Steps), less what its groups reach already.

extension EscalationGraph.Builder {
    /// Derives the steps of an identity: cluster-wide from its ClusterRoleBindings, then in
    /// each namespace where RoleBindings name it.
    func principal(_ p: PathNode) {
        guard let identity = p.identity else { return }
        let from = node(p)
        var clusterRules: [SourcedRule] = []
        var clusterBound: [(binding: BindingID, role: RoleID)] = []
        var groupBound: [(binding: BindingID, role: RoleID)] = []
        for b in g.applicableBindings(for: identity, in: "") {
            guard case .role(let r) = g.resolutions[b], let subject = g.firstMatchingSubject(ofBinding: b, for: identity)
            else { continue }
            if subject.kind.isExactly("Group") { groupBound.append((b, r)) } else { clusterBound.append((b, r)) }
            for (j, rule) in g.roles[r].rules.enumerated() {
                clusterRules.append(SourcedRule(rule: rule, role: r, ruleIndex: j, binding: (b, subject)))
            }
        }
        clusterBound += groupBound
        var steps: [Step] = []
        if !clusterRules.isEmpty {
            steps += derive(RuleView(clusterRules: clusterRules, namespaceRules: [], scope: .cluster, bound: clusterBound))
        }
        for ns in g.roleBindingNamespaces(for: identity) {
            var nsRules: [SourcedRule] = []
            var nsBound: [(binding: BindingID, role: RoleID)] = []
            var nsGroupBound: [(binding: BindingID, role: RoleID)] = []
            for b in g.applicableBindings(for: identity, in: ns) where g.bindings[b].kind == .roleBinding {
                guard case .role(let r) = g.resolutions[b], let subject = g.firstMatchingSubject(ofBinding: b, for: identity)
                else { continue }
                if subject.kind.isExactly("Group") { nsGroupBound.append((b, r)) } else { nsBound.append((b, r)) }
                for (j, rule) in g.roles[r].rules.enumerated() {
                    nsRules.append(SourcedRule(rule: rule, role: r, ruleIndex: j, binding: (b, subject)))
                }
            }
            nsBound += nsGroupBound
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
}
