extension FindingRule {
    /// A binding whose role does not exist.
    public static let missingRole = FindingRule(
        id: "missing-role", category: .brokenPolicy, severity: .medium,
        title: "Binding to a missing role",
        rationale: "The binding grants nothing today, but whoever later creates a role of that name decides what its subjects get: a dormant grant.",
        remediation: "Delete the binding, or create the role it was meant for.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: auditors, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: auditor}
            subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: auditor, namespace: prod}
            rules: [{apiGroups: [""], resources: [events], verbs: [list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: auditors, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: auditor}
            subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            ctx.graph.bindings.enumerated().compactMap { i, b in
                guard case .error(let message) = ctx.graph.resolutions[i] else { return nil }
                return thisRule.finding(severity: .medium, message: "\(b.displayName): \(message)", object: ObjectRef(b))
            }
        })

    /// A subject no identity can ever be.
    public static let subjectMatchesNobody = FindingRule(
        id: "subject-matches-nobody", category: .brokenPolicy, severity: .low,
        title: "Binding subject matches nobody",
        rationale: "Kinds are case-sensitive (`user` is not `User`), and a ServiceAccount without namespace in a ClusterRoleBinding names no one: the grant the author meant does not exist, and the author may think it does.",
        remediation: "Use `User`, `Group` or `ServiceAccount`, with a namespace for service accounts in ClusterRoleBindings.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: typo}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: user, name: alice}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: fine}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            for b in ctx.graph.bindings {
                for s in b.subjects where s.effective(bindingNamespace: b.namespace ?? "") == nil {
                    let why = s.knownKind != nil
                        ? "a ServiceAccount without namespace in a ClusterRoleBinding" : "kind \"\(s.kind)\" is not User, Group or ServiceAccount"
                    out.append(thisRule.finding(
                        severity: .low,
                        message: "\(b.displayName): subject \(s.kind) \"\(s.name)\" matches nobody (\(why))", object: ObjectRef(b)))
                }
            }
            return out
        })

    /// A binding to a service account the input does not have.
    public static let absentServiceAccount = FindingRule(
        id: "absent-service-account", category: .brokenPolicy, severity: .low,
        title: "Binding to a service account that does not exist",
        rationale: "The grant waits for whoever creates a service account of that name in that namespace (anyone with create serviceaccounts there).",
        remediation: "Delete the subject, or create the service account it was meant for. (Checked only in namespaces whose service accounts are in the input.)",
        triggeringExamples: [
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: api, namespace: prod}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: old-worker, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: ServiceAccount, name: worker}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: worker, namespace: prod}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: worker, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: ServiceAccount, name: worker}]
            """
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            let loadedNamespaces = Set(g.serviceAccounts.map(\.namespace))
            let loaded = Set(g.serviceAccounts.map(\.serviceAccountName))
            var out: [Finding] = []
            for b in g.bindings {
                for s in b.subjects {
                    guard let e = s.effective(bindingNamespace: b.namespace ?? ""), e.isKind(.serviceAccount),
                        loadedNamespaces.contains(e.namespace), !e.name.isExactly("default"), !loaded.contains(ServiceAccountName(namespace: e.namespace, name: e.name))
                    else { continue }
                    out.append(thisRule.finding(
                        severity: .low,
                        message: "\(b.displayName) binds service account \(e.namespace)/\(e.name), which is not in the input",
                        principal: e.notation, object: ObjectRef(b)))
                }
            }
            return out
        })

    /// A role no binding uses (and no aggregated role takes in).
    public static let unboundRole = FindingRule(
        id: "unbound-role", category: .brokenPolicy, severity: .info,
        title: "Role bound by nothing",
        rationale: "Unused roles are clutter that reviewers must still read, and a ready-made grant for whoever can create bindings.",
        remediation: "Delete the role if nothing is meant to use it.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: leftover, namespace: dev}
            rules: [{apiGroups: [""], resources: [pods], verbs: [delete]}]
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: used, namespace: dev}
            rules: [{apiGroups: [""], resources: [pods], verbs: [delete]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: uses, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: used}
            subjects: [{kind: User, name: dana, apiGroup: rbac.authorization.k8s.io}]
            """
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            var bound = Set<Int>()
            for r in g.resolutions { if case .role(let i) = r { bound.insert(i.index) } }
            return g.roles.enumerated().compactMap { i, role in
                // ClusterRoles an aggregated role takes in are used through it.
                guard !bound.contains(i), !g.aggregation.isSelected(RoleID(i)), !role.name.hasPrefix("system:") else { return nil }
                // Stock user-facing roles exist to be bound on demand.
                if role.kind == .clusterRole && ["cluster-admin", "admin", "edit", "view"].contains(role.name) { return nil }
                return thisRule.finding(severity: .info, message: "\(role.displayName) is bound by nothing", object: ObjectRef(role))
            }
        })

    /// An aggregated ClusterRole whose selectors match no ClusterRole.
    public static let emptyAggregation = FindingRule(
        id: "empty-aggregation", category: .brokenPolicy, severity: .low,
        title: "Aggregated role selects nothing",
        rationale: "The role's rules are computed from the roles its selectors match; matching none, it grants nothing, which is rarely what its binders expect (often a label typo).",
        remediation: "Fix the selector or the labels of the roles meant to be aggregated.",
        triggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: monitoring}
            aggregationRule:
              clusterRoleSelectors: [{matchLabels: {aggregate-to-monitoring: "true"}}]
            rules: []
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: monitoring}
            aggregationRule:
              clusterRoleSelectors: [{matchLabels: {aggregate-to-monitoring: "true"}}]
            rules: []
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: pod-reader, labels: {aggregate-to-monitoring: "true"}}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
            """
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            return g.aggregation.aggregatedRoles.sorted().compactMap { i in
                guard g.aggregation.selections(of: i).allSatisfy(\.matches.isEmpty) else { return nil }
                let role = g.roles[i]
                return thisRule.finding(
                    severity: .low,
                    message: "\(role.displayName): its aggregation selectors match no ClusterRole, so it grants nothing",
                    object: ObjectRef(role))
            }
        })
}
