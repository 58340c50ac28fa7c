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
            func severity(_ e: PathEdge) -> Severity {
                (esc.nodes[e.to] == .fullAuthority || direct.contains(e.kind)) && e.isCertain ? .high : .medium
            }
            func scope(_ e: PathEdge) -> String { e.namespace.map { "in \($0)" } ?? "cluster-wide" }
            var out: [Finding] = []
            for (i, node) in zip(esc.nodes.ids, esc.nodes) where node.isIdentity {
                // One edge per kind and scope, in order; grouped by kind for the digest.
                var seen = Set<String>()
                var byKind: [(kind: EscalationKind, edges: [PathEdge])] = []
                for e in esc.edges(from: i) where e.kind.isGranted && e.kind != .secretsRead && e.kind != .rbacWildcard {
                    guard seen.insert("\(e.kind.rawValue) \(e.namespace ?? "*")").inserted else { continue }
                    if let k = byKind.firstIndex(where: { $0.kind == e.kind }) { byKind[k].edges.append(e) } else { byKind.append((e.kind, [e])) }
                }
                for (kind, edges) in byKind {
                    if ctx.detail || edges.count == 1 {
                        for e in edges {
                            out.append(thisRule.finding(
                                severity: severity(e),
                                message: "\(node) can \(kind.rawValue) \(scope(e)) → \(esc.describe(e.to))",
                                principal: node.description, object: ctx.object(forPrincipal: node, edge: e),
                                related: ctx.related(e),
                                evidence: e.evidence.map { esc.describe($0) } + (e.condition.map { ["if \($0.text)"] } ?? [])))
                        }
                        continue
                    }
                    // The digest: one finding for the identity and kind, each scope an evidence line.
                    let shown = 5
                    let scopes = edges.map(scope)
                    let list = scopes.prefix(shown).joined(separator: ", ") + (scopes.count > shown ? ", … (\(scopes.count - shown) more)" : "")
                    var related: [ObjectRef] = []
                    var seenRelated = Set<String>()
                    for e in edges { for r in ctx.related(e) where seenRelated.insert(r.description).inserted { related.append(r) } }
                    out.append(thisRule.finding(
                        severity: edges.map(severity).max() ?? .medium,
                        message: "\(node) can \(kind.rawValue) in \(edges.count) scopes: \(list) (report --detail lists each)",
                        principal: node.description, object: ctx.object(forPrincipal: node, edge: edges[0]),
                        related: related,
                        evidence: edges.map { e in
                            "\(scope(e)) → \(esc.describe(e.to)): " + e.evidence.map { esc.describe($0) }.joined(separator: "; ")
                                + (e.condition.map { " if \($0.text)" } ?? "")
                        }))
                }
            }
            return out
        })
}
