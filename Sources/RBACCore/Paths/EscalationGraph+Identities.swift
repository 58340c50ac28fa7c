// The steps of an identity: its rules cluster-wide and in each namespace where RoleBindings
// name it, turned into steps (+Steps), less what its groups reach already.

extension EscalationGraph.Builder {
    /// Derives the steps of an identity: cluster-wide from its ClusterRoleBindings, then in
    /// each namespace where RoleBindings name it.
    func principal(_ p: PathNode) {
        guard let identity = p.identity else { return }
        let from = node(p)
        // The roles of the bindings a walk visits (their rules, in order, are the rules the
        // identity holds), and the roles bound (through a group after the others).
        func held(_ selection: BindingSelection) -> (roles: [HeldRole], hasRules: Bool, bound: [(binding: BindingID, role: RoleID)]) {
            var roles: [HeldRole] = []
            var hasRules = false
            var direct: [(binding: BindingID, role: RoleID)] = []
            var viaGroup: [(binding: BindingID, role: RoleID)] = []
            g.visitBindings(for: identity, selection) { visit in
                guard case .bound(let b, let r, let subject) = visit else { return true }
                if subject.isKind(.group) { viaGroup.append((b, r)) } else { direct.append((b, r)) }
                roles.append(HeldRole(role: r, binding: (b, subject)))
                if !g.roles[r].rules.isEmpty { hasRules = true }
                return true
            }
            return (roles, hasRules, direct + viaGroup)
        }
        let (clusterRoles, clusterHasRules, clusterBound) = held(.request(namespace: ""))
        // The same cluster rules in every view: each question asked of them once.
        let clusterAnswers = ViewAnswers()
        var steps: [Step] = []
        if clusterHasRules {
            steps += derive(RuleView(clusterRoles: clusterRoles, namespaceRoles: [], scope: .cluster, bound: clusterBound, clusterAnswers: clusterAnswers))
        }
        for ns in g.roleBindingNamespaces(for: identity) {
            let (nsRoles, nsHasRules, nsBound) = held(.roleBindings(namespace: ns))
            if !nsHasRules && nsBound.isEmpty { continue }
            // Steps that the ClusterRoleBindings alone allow were found cluster-wide; the
            // roles bound here are this namespace's own.
            steps += derive(RuleView(
                clusterRoles: clusterRoles, namespaceRoles: nsRoles, scope: .namespace(ns), bound: nsBound, clusterAnswers: clusterAnswers
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
