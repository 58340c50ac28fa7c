extension FindingRule {
    /// An identity can read Secrets: list and watch return every value.
    public static let secretsRead = FindingRule(
        id: "secrets-read", category: .dangerousGrant, severity: .high,
        title: "Identity can read secrets",
        rationale: "`list` and `watch` on secrets return every secret's data, not just names; `get` returns any secret whose name is known. Secrets hold tokens, passwords and keys, and service-account tokens found there are identities of their own.",
        remediation: "Grant `get` with resourceNames for the secrets the workload needs, in its own namespace; never `list`/`watch` secrets to applications; mount secrets into pods instead of reading them through the API.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: secret-reader, namespace: prod}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: read-secrets, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
            subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // The wrong API group: "secrets" in apps is not the core Secret.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: not-secrets, namespace: prod}
            rules: [{apiGroups: [apps], resources: [secrets], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: read, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: not-secrets}
            subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            let esc = ctx.escalation
            var out: [Finding] = []
            for (i, node) in zip(esc.nodes.ids, esc.nodes) where node.isIdentity {
                for e in esc.edges(from: i) where e.kind == .secretsRead {
                    let listing = e.condition == nil && { if case .secrets = esc.nodes[e.to] { return true } else { return false } }()
                    out.append(thisRule.finding(
                        severity: listing ? .high : .medium,
                        message: "\(node) can read \(esc.describe(e.to))" + (listing ? " (list/watch return every value)" : ""),
                        principal: node.description, object: ctx.object(forPrincipal: node, edge: e),
                        related: ctx.related(e), evidence: e.evidence.map { esc.describe($0) }))
                }
            }
            return out
        })
}
