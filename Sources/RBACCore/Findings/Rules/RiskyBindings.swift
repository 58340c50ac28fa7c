extension FindingRule {
    /// The roles every cluster grants to everyone, by design.
    static let stockPublicRoles: Set<String> = [
        "system:basic-user", "system:discovery", "system:public-info-viewer", "system:service-account-issuer-discovery",
    ]

    /// What a role grants, in the scope of a binding, that can take over a cluster or read its
    /// credentials: the escalation table's steps it allows (cluster-scoped ones only through a
    /// ClusterRoleBinding, as the authorizer grants them), and whether it writes at all.
    static func publicGrantRisk(of role: Role, through binding: Binding) -> (takeover: [String], writes: Bool) {
        var takeover: [String] = []
        for row in EscalationPermission.table {
            let parts = row.resource.split(separator: "/", maxSplits: 1).map(String.init)
            let resource = parts[0], sub = parts.count > 1 ? parts[1] : ""
            let namespaced = APIResource.standard.first { $0.group == row.apiGroup && $0.name == resource }?.namespaced ?? true
            if binding.kind == .roleBinding && !namespaced { continue }
            let names = row.names.isEmpty ? [""] : row.names
            let allowed = role.rules.contains { rule in
                row.verbs.contains { v in
                    names.contains { n in
                        rule.allows(ResourceRequest(
                            verb: v, apiGroup: row.apiGroup, resource: resource, subresource: sub,
                            namespace: namespaced ? (binding.namespace ?? "any") : "", name: n))
                    }
                }
            }
            if allowed && !takeover.contains(row.kind.rawValue) { takeover.append(row.kind.rawValue) }
        }
        let writes = role.rules.contains { r in r.verbs.contains { !["get", "list", "watch"].contains($0) } && !r.resources.isEmpty }
        return (takeover, writes)
    }

    /// A grant to everybody: system:anonymous, system:unauthenticated or system:authenticated.
    public static let publicBinding = FindingRule(
        id: "public-binding", category: .riskyBinding, severity: .critical,
        title: "Permissions granted to everyone",
        rationale: "A binding to system:authenticated gives its role to every user and every service account of every namespace; system:unauthenticated and system:anonymous give it to anyone who can reach the API server. Severity follows what the role grants: a step to cluster takeover or secret reads (the escalation table of docs/paths.md) is high, critical for anonymous users; other writes medium; reads low (medium for anonymous users). The stock discovery roles bound by the built-in policy are public by design; bound in the input to system:unauthenticated they are reported as info (anonymous requests are served). A `kubernetes.io/bootstrapping: rbac-defaults` label does not make a binding trusted: anyone who can create bindings can set it; the finding says when it is present.",
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
            """,
            // Takeover-capable, and labelled as if it were built in: still reported.
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: pod-maker}
            rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata:
              name: system:basic-user-extra
              labels: {kubernetes.io/bootstrapping: rbac-defaults}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}
            subjects: [{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]
            """,
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
                guard !publics.isEmpty else { continue }
                let anonymous = publics.contains { !$0.name.isExactly(Identity.authenticatedGroup) }
                let labelled = ctx.bootstrappingLabelNote(b)
                var related: [ObjectRef] = []
                var severity: Severity
                var what: String
                if case .role(let r) = g.resolutions[i] {
                    related.append(ObjectRef(g.roles[r]))
                    let (takeover, writes) = publicGrantRisk(of: g.roles[r], through: b)
                    if !takeover.isEmpty {
                        severity = anonymous ? .critical : .high
                        what = "takeover-capable: \(takeover.joined(separator: ", "))"
                    } else if writes {
                        severity = .medium
                        what = "writes"
                    } else {
                        severity = anonymous ? .medium : .low
                        what = "read-only"
                    }
                } else {
                    severity = .low  // a missing role grants nothing (yet)
                    what = "role missing: grants nothing yet"
                }
                // The stock public roles: by design when built in; bound to anonymous users in
                // the input, anonymous requests are served (info).
                if stockPublicRoles.contains(b.roleRef.name) && severity < .high {
                    guard anonymous && !b.origin.isBuiltIn else { continue }
                    severity = .info
                    what = "a stock public role: anonymous requests are served"
                }
                let who = publics.map { "\($0.kind) \($0.name)" }.joined(separator: ", ")
                out.append(thisRule.finding(
                    severity: severity,
                    message: "\(b.displayName) grants \(b.roleRef.kind) \(b.roleRef.name)\(ns.isEmpty ? "" : " in \(ns)") to \(who) (\(what))\(labelled)",
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
                        message: "\(b.displayName) grants \(b.roleRef.kind) \(b.roleRef.name) to the default service account of \(e.namespace)"
                            + ctx.bootstrappingLabelNote(b),
                        principal: e.notation, object: ObjectRef(b)))
                }
            }
            return out
        })
}
