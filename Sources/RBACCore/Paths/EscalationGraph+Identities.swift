// The steps of an identity: its rules cluster-wide and in each namespace where RoleBindings
// name it, turned into steps (+Steps), less what its groups reach already.

extension EscalationGraph.Builder {
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
                if subject.isKind(.group) { viaGroup.append((b, r)) } else { direct.append((b, r)) }
                for (j, rule) in g.roles[r].rules.enumerated() {
                    rules.append(SourcedRule(rule: rule, role: r, ruleIndex: j, binding: (b, subject)))
                }
                return true
            }
            return (rules, direct + viaGroup)
        }
        let (clusterRules, clusterBound) = held(.request(namespace: ""))
        // The same cluster rules in every view: each question asked of them once.
        let clusterAnswers = RuleAnswers()
        var steps: [Step] = []
        if !clusterRules.isEmpty {
            steps += derive(RuleView(clusterRules: clusterRules, namespaceRules: [], scope: .cluster, bound: clusterBound, clusterAnswers: clusterAnswers))
        }
        for ns in g.roleBindingNamespaces(for: identity) {
            let (nsRules, nsBound) = held(.roleBindings(namespace: ns))
            if nsRules.isEmpty && nsBound.isEmpty { continue }
            // Steps that the ClusterRoleBindings alone allow were found cluster-wide; the
            // roles bound here are this namespace's own.
            steps += derive(RuleView(
                clusterRules: clusterRules, namespaceRules: nsRules, scope: .namespace(ns), bound: nsBound, clusterAnswers: clusterAnswers
            )).filter { step in
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
