// Where RBAC is placed and who it reaches: objects in `default`, the Kubernetes Dashboard.

extension FindingRule {
    /// Roles and RoleBindings in the `default` namespace.
    public static let rbacInDefault = FindingRule(
        id: "rbac-in-default", category: .riskyBinding, severity: .low,
        title: "RBAC objects in the default namespace",
        rationale: "Objects land in `default` when a manifest forgets its namespace; grants there are easy to overlook and apply to whatever else is deployed there by mistake.",
        remediation: "Give the Role and RoleBinding the namespace of the workload they serve.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pod, namespace: default}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pod, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            let roles = ctx.graph.roles.filter { $0.kind == .role && $0.namespace == "default" }.map {
                thisRule.finding(severity: .low, message: "\($0.displayName) is in the default namespace", object: ObjectRef($0))
            }
            let bindings = ctx.graph.bindings.filter { $0.kind == .roleBinding && $0.namespace == "default" }.map {
                thisRule.finding(severity: .low, message: "\($0.displayName) is in the default namespace", object: ObjectRef($0))
            }
            return roles + bindings
        })

    /// Whether a role or service account name is the Kubernetes Dashboard's.
    static func isDashboard(_ name: String) -> Bool { name.hasPrefix("kubernetes-dashboard") }

    /// Identities bound to the Dashboard's roles, or able to become its service account.
    public static let dashboardAccess = FindingRule(
        id: "dashboard-access", category: .riskyBinding, severity: .medium,
        title: "Access to the Kubernetes Dashboard's identity",
        rationale: "The Dashboard acts with its service account's rights for whoever reaches it; identities bound to its roles, or able to become its service account, hold what the Dashboard holds, and dashboards have long been a favourite way in.",
        remediation: "Bind the Dashboard's roles to its own service account only; give people their own, limited, bindings and let the Dashboard use their tokens.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: kubernetes-dashboard}
            rules: [{apiGroups: [""], resources: [pods], verbs: ["*"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pod, namespace: default}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubernetes-dashboard}
            subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // The Dashboard's own service account bound to its own role.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: kubernetes-dashboard}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: kubernetes-dashboard}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubernetes-dashboard}
            subjects: [{kind: ServiceAccount, name: kubernetes-dashboard, namespace: kubernetes-dashboard}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for b in ctx.graph.bindings where isDashboard(b.roleRef.name) {
                let others = b.subjects.filter { s in !(s.isKind(.serviceAccount) && isDashboard(s.name)) }
                    .compactMap { ctx.principal($0, in: b) }
                guard !others.isEmpty else { continue }
                out.append(thisRule.finding(severity: .medium,
                    message: "\(b.displayName) gives \(others.joined(separator: ", ")) the Kubernetes Dashboard's \(b.roleRef.kind) \(b.roleRef.name)",
                    object: ObjectRef(b)))
            }
            // Becoming the Dashboard's service account by a privilege path.
            let esc = ctx.escalation
            for node in esc.nodes {
                guard case .serviceAccount(let ns, let name) = node, isDashboard(name) else { continue }
                for path in esc.identitiesReaching(.identity(node)) where !path.steps.isEmpty && path.certainty != .shownFalse {
                    let from = esc.nodes[path.start]
                    // Through full authority everything is reachable: other rules name that.
                    guard from != node, !path.steps.contains(where: { esc.nodes[$0.to] == .fullAuthority }) else { continue }
                    out.append(thisRule.finding(severity: path.certainty == .certain ? .high : .medium,
                        message: "\(from) can become the Dashboard's service account \(ns)/\(name) in \(path.steps.count) step(s)",
                        principal: from.description, object: ctx.object(forPrincipal: from, edge: path.steps.first),
                        evidence: path.steps.map { "\($0.kind.rawValue) → \(esc.describe($0.to))" }))
                }
            }
            return out
        })
}
