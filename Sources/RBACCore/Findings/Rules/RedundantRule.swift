extension FindingRule {
    /// A rule another rule of the same principal already covers (Kubernetes' `Covers`).
    public static let redundantRule = FindingRule(
        id: "redundant-rule", category: .brokenPolicy, severity: .info,
        title: "Rule covered by another rule of the same principal",
        rationale: "Rules are additive: a rule fully covered by another that the same subject holds in the same scope changes nothing. It misleads reviewers about what removing either would do.",
        remediation: "Remove the covered rule, or narrow the covering one if it grants more than intended.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pods, namespace: dev}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: ["*"]}
            - {apiGroups: [""], resources: [pods], verbs: [get, list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pods, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}
            subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // resourceNames narrow a rule; the other rule is not covered by it.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pods, namespace: dev}
            rules:
            - {apiGroups: [""], resources: [pods], verbs: ["*"], resourceNames: [web]}
            - {apiGroups: [""], resources: [pods], verbs: [get, list]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pods, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pods}
            subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { ctx in
            let g = ctx.graph
            var out: [Finding] = []
            var reported = Set<String>()
            // Per subject and scope: its ClusterRoleBinding rules, plus a namespace's RoleBinding rules.
            var subjects: [(Subject, String)] = []
            var seenSubjects = Set<String>()
            for b in g.bindings {
                for s in b.subjects {
                    guard let e = s.effective(bindingNamespace: b.namespace ?? ""), let p = ctx.principal(s, in: b) else { continue }
                    if seenSubjects.insert(p).inserted { subjects.append((e, p)) }
                }
            }
            for (subject, principal) in subjects {
                let identity: Identity
                switch subject.kind {
                case "User": identity = Identity(name: subject.name)
                case "Group": identity = Identity(name: "", groups: [subject.name])
                default: identity = Identity(name: Identity.serviceAccountPrefix + subject.namespace + ":" + subject.name)
                }
                for ns in [""] + g.roleBindingNamespaces(for: identity) {
                    let grants = g.rules(for: identity, in: ns).rules
                    for (k, rg) in grants.enumerated() where ns.isEmpty || g.bindings[rg.grant.binding].kind == .roleBinding {
                        let key = "\(rg.grant.role)#\(rg.grant.ruleIndex)"
                        guard !reported.contains(key) else { continue }
                        let coveredBy = grants.enumerated().first { m, other in
                            m != k && !(other.grant.role == rg.grant.role && other.grant.ruleIndex == rg.grant.ruleIndex)
                                && !(other.rule == rg.rule && m > k)  // of two equal rules, flag the later
                                && !rg.rule.atoms.isEmpty && covers([other.rule], [rg.rule]).covered
                        }
                        guard let (_, by) = coveredBy else { continue }
                        reported.insert(key)
                        let role = g.roles[rg.grant.role]
                        let byRole = g.roles[by.grant.role]
                        out.append(Finding(
                            ruleID: "redundant-rule", severity: .info,
                            message: "\(role.displayName) rule \(rg.grant.ruleIndex) is covered by \(byRole.displayName) rule \(by.grant.ruleIndex) for \(principal)\(ns.isEmpty ? "" : " in \(ns)")",
                            principal: principal, object: ObjectRef(role), related: [ObjectRef(byRole)],
                            evidence: [rg.rule.compactDescription + " ⊆ " + by.rule.compactDescription]))
                    }
                }
            }
            return out
        })
}
