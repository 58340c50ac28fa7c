extension FindingRule {
    /// An identity reaches full authority by a privilege path (not by holding `*` outright).
    public static let escalationPath = FindingRule(
        id: "escalation-path", category: .dangerousGrant, severity: .high,
        title: "Identity can escalate to cluster-admin",
        rationale: "A chain of permissions (create pods, bind, escalate, impersonate, token requests, …) lets this identity become one with full authority. Its direct grants understate what it can do.",
        remediation: "Remove the first step of the path from the identity's roles, or narrow it (resourceNames, a namespace without privileged service accounts). `rbacgraph paths --from IDENTITY` shows every step.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-maker, namespace: kube-system}
            rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: ci-pods, namespace: kube-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-maker}
            subjects: [{kind: ServiceAccount, name: ci, namespace: ci}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: system-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: ServiceAccount, name: admin, namespace: kube-system}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: cluster-admin}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-reader, namespace: dev}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: ci-read, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
            subjects: [{kind: ServiceAccount, name: ci, namespace: ci}]
            """
        ],
        check: { thisRule, ctx in
            let esc = ctx.escalation
            var out: [Finding] = []
            for path in ctx.reachingFullAuthority {
                guard let first = path.steps.first else { continue }
                // Report where the power comes from: not members inheriting a group's path,
                // not holders of `*` (full-authority), not system:masters (by design).
                if first.kind == .memberOf || first.kind == .publicBinding || first.kind == .rbacWildcard
                    || first.kind == .systemMasters
                {
                    continue
                }
                let node = esc.nodes[path.start]
                let severity: Severity
                switch path.certainty {
                case .certain: severity = .high
                case .shownTrue, .notShown: severity = .medium
                case .shownFalse: severity = .low
                }
                out.append(thisRule.finding(
                    severity: severity,
                    message: "\(node) can reach cluster-admin in \(path.steps.count) step\(path.steps.count == 1 ? "" : "s")\(path.isCertain ? "" : " (conditional)"): first \(first.kind.rawValue) → \(esc.describe(first.to))",
                    principal: node.description, object: ctx.object(forPrincipal: node, edge: first),
                    related: path.steps.flatMap(ctx.related),
                    evidence: path.steps.map { s in
                        "\(s.kind.rawValue) → \(esc.describe(s.to))"
                            + (s.evidence.first.map { " (\(esc.describe($0)))" } ?? "")
                            + (s.condition.map { " if \($0.text)" } ?? "")
                    },
                    path: esc.json(path)))
            }
            return out
        })
}
