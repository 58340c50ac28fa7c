extension FindingRule {
    /// An identity holds a permission that is a privilege-escalation step.
    public static let escalationGrant = FindingRule(
        id: "escalation-grant", category: .dangerousGrant, severity: .high,
        title: "Identity holds a privilege-escalation permission",
        rationale: "Some permissions are worth more than they say: creating pods runs code as any service account of the namespace, bind and escalate grant roles beyond one's own, impersonate and token requests become other identities, CSR approval and webhook configuration reach full authority.",
        remediation: "Grant the step only where it is needed: limit it with resourceNames, to a namespace without privileged service accounts, or to a dedicated identity; prefer a controller to a person holding it.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: impersonator}
            rules: [{apiGroups: [""], resources: [users, groups], verbs: [impersonate]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: support}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: impersonator}
            subjects: [{kind: User, name: helpdesk, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: viewer}
            rules: [{apiGroups: [""], resources: [pods, services], verbs: [get, list, watch]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: viewers}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: viewer}
            subjects: [{kind: User, name: helpdesk, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            let esc = ctx.escalation
            // Steps that reach full authority in one go are high; the others medium.
            let direct: Set<EscalationKind> = [.csrApprove, .webhookConfig, .awsAuth]
            var out: [Finding] = []
            // One finding per identity, kind of step and namespace.
            struct Seen: Hashable { var node: NodeID; var kind: EscalationKind; var namespace: String? }
            var seen = Set<Seen>()
            for (i, node) in zip(esc.nodes.ids, esc.nodes) where node.isIdentity {
                for e in esc.edges(from: i) where e.kind.isGranted && e.kind != .secretsRead && e.kind != .rbacWildcard {
                    guard seen.insert(Seen(node: i, kind: e.kind, namespace: e.namespace)).inserted else { continue }
                    let toFull = esc.nodes[e.to] == .fullAuthority
                    let severity: Severity = (toFull || direct.contains(e.kind)) && e.isCertain ? .high : .medium
                    out.append(thisRule.finding(
                        severity: severity,
                        message: "\(node) can \(e.kind.rawValue)\(e.namespace.map { " in \($0)" } ?? " cluster-wide") → \(esc.describe(e.to))",
                        principal: node.description, object: ctx.object(forPrincipal: node, edge: e),
                        related: ctx.related(e),
                        evidence: e.evidence.map { esc.describe($0) } + (e.condition.map { ["if \($0.text)"] } ?? [])))
                }
            }
            return out
        })
}
