extension FindingRule {
    /// The roles every cluster grants to everyone, by design.
    static let stockPublicRoles: Set<String> = [
        "system:basic-user", "system:discovery", "system:public-info-viewer", "system:service-account-issuer-discovery",
    ]

    /// A grant to everybody: system:anonymous, system:unauthenticated or system:authenticated.
    public static let publicBinding = FindingRule(
        id: "public-binding", category: .riskyBinding, severity: .high,
        title: "Permissions granted to everyone",
        rationale: "A binding to system:authenticated gives its role to every user and every service account of every namespace; system:unauthenticated and system:anonymous give it to anyone who can reach the API server.",
        remediation: "Bind the role to the groups or service accounts that need it.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: pod-reader}
            rules: [{apiGroups: [""], resources: [pods], verbs: [list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: everyone-reads-pods}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
            subjects: [{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            // The stock discovery roles are public by design.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: system:discovery}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:discovery}
            subjects: [{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            var out: [Finding] = []
            for (i, b) in g.bindings.enumerated() {
                let ns = b.namespace ?? ""
                let publics = b.subjects.filter { s in
                    (s.isKind(.group) && (s.name.isExactly(Identity.authenticatedGroup) || s.name.isExactly(Identity.unauthenticatedGroup)))
                        || (s.isKind(.user) && s.name.isExactly(Identity.anonymousUser))
                }
                guard !publics.isEmpty, !stockPublicRoles.contains(b.roleRef.name) else { continue }
                var related: [ObjectRef] = []
                var severity: Severity = .medium
                if case .role(let r) = g.resolutions[i] {
                    related.append(ObjectRef(g.roles[r]))
                    let rules = g.roles[r].rules
                    // Secrets, writes or anything at all unauthenticated: high.
                    let writes = rules.contains { r in r.verbs.contains { !["get", "list", "watch"].contains($0) } }
                    let secrets = rules.contains { $0.resources.contains("secrets") || $0.resources.contains("*") }
                    if writes || secrets || publics.contains(where: { !$0.name.isExactly(Identity.authenticatedGroup) }) {
                        severity = .high
                    }
                } else {
                    severity = .low  // a missing role grants nothing (yet)
                }
                let who = publics.map { "\($0.kind) \($0.name)" }.joined(separator: ", ")
                out.append(thisRule.finding(
                    severity: severity,
                    message: "\(b.displayName) grants \(b.roleRef.kind) \(b.roleRef.name)\(ns.isEmpty ? "" : " in \(ns)") to \(who)",
                    object: ObjectRef(b), related: related))
            }
            return out
        })

    /// cluster-admin bound to anyone but system:masters and kube-system's service accounts.
    public static let clusterAdminBinding = FindingRule(
        id: "cluster-admin-binding", category: .riskyBinding, severity: .high,
        title: "cluster-admin bound outside kube-system",
        rationale: "cluster-admin is full authority. Bound to people, CI or application service accounts, one leaked credential is the whole cluster.",
        remediation: "Bind a narrower role; keep cluster-admin for system:masters (break-glass) and kube-system's own components.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: ci-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: cluster-admin}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: Group, name: "system:masters", apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for b in ctx.graph.bindings where b.roleRef.kind.isExactly("ClusterRole") && b.roleRef.name.isExactly("cluster-admin") {
                for s in b.subjects {
                    guard let e = s.effective(bindingNamespace: b.namespace ?? "") else { continue }
                    if e.isKind(.group) && e.name.isExactly(Identity.mastersGroup) { continue }
                    if e.isKind(.serviceAccount) && e.namespace.isExactly("kube-system") { continue }
                    out.append(thisRule.finding(
                        severity: b.kind == .clusterRoleBinding ? .high : .medium,
                        message: "\(b.displayName) binds cluster-admin to \(ctx.principal(s, in: b) ?? e.description)" + (b.namespace.map { " (in \($0) only)" } ?? ""),
                        principal: ctx.principal(s, in: b), object: ObjectRef(b)))
                }
            }
            return out
        })

    /// A namespace's `default` service account holds permissions: every pod that names no
    /// service account gets them.
    public static let defaultServiceAccountPermissions = FindingRule(
        id: "default-service-account-permissions", category: .riskyBinding, severity: .medium,
        title: "A namespace's default service account holds permissions",
        rationale: "Every pod that names no service account runs as `default` and carries its token: permissions given to it are given to every such pod of the namespace.",
        remediation: "Create a dedicated service account for the workload that needs the permissions, bind it, and set serviceAccountName.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: default-edit, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects: [{kind: ServiceAccount, name: default}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: api-edit, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects: [{kind: ServiceAccount, name: api}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for b in ctx.graph.bindings {
                for s in b.subjects {
                    guard let e = s.effective(bindingNamespace: b.namespace ?? ""), e.isKind(.serviceAccount),
                        e.name.isExactly("default")
                    else { continue }
                    out.append(thisRule.finding(
                        severity: .medium,
                        message: "\(b.displayName) grants \(b.roleRef.kind) \(b.roleRef.name) to the default service account of \(e.namespace)",
                        principal: e.notation, object: ObjectRef(b)))
                }
            }
            return out
        })
}
