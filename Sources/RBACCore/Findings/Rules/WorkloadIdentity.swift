// Workloads as identities: the pods that carry a powerful service account's token, and the
// ones that carry a token for nothing.

/// What a service account's token is worth, from the escalation graph.
struct ServiceAccountPower {
    /// Its best path to full authority (one step when it holds `*` on `*` itself).
    var fullAuthority: PrivilegePath?
    /// The privilege-escalation steps it holds (itself or through its groups), by kind.
    var escalation: [EscalationKind]
    /// Whether it can read secrets (itself or through its groups).
    var readsSecrets: Bool

    var isDangerous: Bool { fullAuthority != nil || !escalation.isEmpty || readsSecrets }
}

extension ReportContext {
    /// The ServiceAccount object of a namespace and name, when the input has it.
    func serviceAccount(_ ns: String, _ name: String) -> ServiceAccount? {
        graph.serviceAccounts.first { $0.namespace.isExactly(ns) && $0.name.isExactly(name) }
    }

    /// What the token of service account `ns/name` is worth: full authority, escalation steps
    /// or secret reads, held by it or by the groups it belongs to.
    func power(ofServiceAccount ns: String, _ name: String) -> ServiceAccountPower {
        let sa = PathNode.serviceAccount(namespace: ns, name: name)
        let esc = escalation
        let full = reachingFullAuthority.first { esc.nodes[$0.start] == sa }
        guard let start = esc.index(of: sa) else { return ServiceAccountPower(fullAuthority: full, escalation: [], readsSecrets: false) }
        // Itself and its groups (service accounts belong to groups; groups nest no further).
        var holders = [start]
        for e in esc.edges(from: start) where e.kind == .memberOf { holders.append(e.to) }
        var kinds: [EscalationKind] = []
        var reads = false
        for h in holders {
            // Steps the input does not contradict (a `get` of secrets by name counts: names are
            // found easily enough).
            for e in esc.edges(from: h) where e.kind.isGranted && e.condition?.observed != false {
                if e.kind == .secretsRead { reads = true } else if e.kind != .rbacWildcard && !kinds.contains(e.kind) { kinds.append(e.kind) }
            }
        }
        return ServiceAccountPower(fullAuthority: full, escalation: kinds, readsSecrets: reads)
    }
}

extension FindingRule {
    /// A Pod or workload runs with the token of a service account that holds full authority,
    /// an escalation step or secret reads.
    public static let workloadDangerousIdentity = FindingRule(
        id: "workload-dangerous-identity", category: .dangerousGrant, severity: .critical,
        title: "Workload runs with a powerful service account token",
        rationale: "A pod holds its service account's token: whoever gets code into the pod (a vulnerable dependency, an exposed debug endpoint, anyone who may exec into it) acts as that service account. A token with full authority, an escalation step or secret reads turns one compromised pod into the cluster or its credentials. Only pods that actually mount a token count: the pod's own `automountServiceAccountToken` overrides the ServiceAccount's, and a projected `serviceAccountToken` volume mounts one regardless.",
        remediation: "Give the workload a service account of its own with the permissions it uses; if it never calls the API, set `automountServiceAccountToken: false` on the pod spec (and remove projected serviceAccountToken volumes).",
        triggeringExamples: [
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: prod}
            spec:
              template:
                spec:
                  serviceAccountName: api
                  containers: [{name: app, image: api}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: api-reads-secrets}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
            subjects: [{kind: ServiceAccount, name: api, namespace: prod}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: secret-reader}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
            """,
            // The ServiceAccount turns automount off, the pod turns it back on.
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: ci}
            automountServiceAccountToken: false
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: build, namespace: ci}
            spec:
              serviceAccountName: builder
              automountServiceAccountToken: true
              containers: [{name: app, image: builder}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: builder, namespace: ci}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-maker}
            subjects: [{kind: ServiceAccount, name: builder}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-maker, namespace: ci}
            rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
            """,
            // automount is off, but a projected serviceAccountToken volume mounts a token anyway.
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: build, namespace: ci}
            spec:
              serviceAccountName: builder
              automountServiceAccountToken: false
              containers: [{name: app, image: builder}]
              volumes:
              - name: token
                projected: {sources: [{serviceAccountToken: {path: token}}]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: builder, namespace: ci}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
            subjects: [{kind: ServiceAccount, name: builder}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: secret-reader, namespace: ci}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
            """,
        ],
        nonTriggeringExamples: [
            // The pod turns automount off although its ServiceAccount leaves it on.
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: ci}
            automountServiceAccountToken: true
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: build, namespace: ci}
            spec:
              serviceAccountName: builder
              automountServiceAccountToken: false
              containers: [{name: app, image: builder}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: builder, namespace: ci}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-maker}
            subjects: [{kind: ServiceAccount, name: builder}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-maker, namespace: ci}
            rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
            """,
            // The ServiceAccount turns automount off and the pod says nothing.
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: ci}
            automountServiceAccountToken: false
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: build, namespace: ci}
            spec:
              serviceAccountName: builder
              containers: [{name: app, image: builder}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: builder, namespace: ci}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-maker}
            subjects: [{kind: ServiceAccount, name: builder}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-maker, namespace: ci}
            rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
            """,
            // A token of a service account that may only read pods.
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: prod}
            spec:
              containers: [{name: app, image: web}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: web, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
            subjects: [{kind: ServiceAccount, name: default}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: pod-reader}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
            """,
        ],
        check: { thisRule, ctx in
            var out: [Finding] = []
            var powers: [ServiceAccountName: ServiceAccountPower] = [:]
            for w in ctx.graph.workloads {
                let ns = w.namespace, name = w.template.serviceAccountName
                guard w.template.mountsToken(serviceAccount: ctx.serviceAccount(ns, name)) else { continue }
                let key = ServiceAccountName(namespace: ns, name: name)
                let power = powers[key] ?? ctx.power(ofServiceAccount: ns, name)
                powers[key] = power
                guard power.isDangerous else { continue }
                var what: [String] = []
                let severity: Severity
                if let path = power.fullAuthority, path.isCertain {
                    what.append(path.steps.first?.kind == .rbacWildcard && path.steps.count == 1 ? "holds full authority" : "can escalate to full authority")
                    severity = .critical
                } else if let path = power.fullAuthority {
                    let conditions = path.steps.compactMap { $0.condition?.text }
                    what.append("may escalate to full authority (if \(conditions.joined(separator: "; ")))")
                    severity = .high
                } else {
                    severity = .high
                }
                if !power.escalation.isEmpty { what.append("holds escalation steps \(power.escalation.map(\.rawValue).joined(separator: ", "))") }
                if power.readsSecrets { what.append("can read secrets") }
                let how = w.template.projectsServiceAccountToken ? "a projected serviceAccountToken volume" : "automount"
                out.append(thisRule.finding(
                    severity: severity,
                    message: "\(w.kind) \(ns)/\(w.name) runs with the token of \(key.notation) (mounted by \(how)), which \(what.joined(separator: "; "))",
                    principal: key.notation,
                    object: ObjectRef(kind: w.kind, namespace: ns, name: w.name, source: w.source)))
            }
            return out
        })
}
