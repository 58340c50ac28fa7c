extension FindingRule {
    /// An identity holds `*` verbs on `*` resources in `*` groups cluster-wide.
    public static let fullAuthority = FindingRule(
        id: "full-authority", category: .dangerousGrant, severity: .critical,
        title: "Identity holds full authority",
        rationale: "`*` on `*` cluster-wide is cluster-admin: every secret, every workload, every RBAC object. Outside break-glass accounts it is the largest blast radius a credential can have.",
        remediation: "Bind a role with the verbs and resources the identity uses (see the report's minimal role) instead of cluster-admin or a wildcard role; keep full authority for break-glass users in system:masters.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: everything}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: ops}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
            subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // The stock binding of cluster-admin to system:masters.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: cluster-admin}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}, {nonResourceURLs: ["*"], verbs: ["*"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: cluster-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: Group, name: "system:masters", apiGroup: rbac.authorization.k8s.io}]
            """,
            // A wildcard role bound in one namespace is full authority there only.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: everything}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: ops, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
            subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            let esc = ctx.escalation
            var out: [Finding] = []
            // system:masters has full authority by design (the API server's break-glass group).
            for (i, node) in zip(esc.nodes.ids, esc.nodes) where node.isIdentity && node != .group(Identity.mastersGroup) {
                for e in esc.edges(from: i) where e.kind == .rbacWildcard && esc.nodes[e.to] == .fullAuthority {
                    out.append(thisRule.finding(
                        severity: .critical,
                        message: "\(node) holds * on * cluster-wide (full authority)",
                        principal: node.description, object: ctx.object(forPrincipal: node, edge: e),
                        related: ctx.related(e), evidence: e.evidence.map { esc.describe($0) }))
                }
            }
            return out
        })
}
