extension FindingRule {
    /// Pods and pod templates that take secrets through environment variables.
    public static let secretInEnv = FindingRule(
        id: "secret-in-env", category: .secretsHygiene, severity: .low,
        title: "Secret passed through environment variables",
        rationale: "Environment variables leak: into crash dumps, `kubectl describe`-style tooling, child processes, logs of misconfigured apps; and they never update when the secret rotates. Volumes are read on demand and can be rotated.",
        remediation: "Mount the secret as a volume (`volumes[].secret`) and read the file.",
        triggeringExamples: [
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: mypod, namespace: prod}
            spec:
              containers:
              - name: app
                image: nginx
                env:
                - name: DB_PASSWORD
                  valueFrom: {secretKeyRef: {name: my-secret, key: password}}
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: mypod, namespace: prod}
            spec:
              containers: [{name: app, image: nginx, volumeMounts: [{name: s, mountPath: /etc/secrets}]}]
              volumes: [{name: s, secret: {secretName: my-secret}}]
            """
        ],
        check: { thisRule, ctx in
            ctx.graph.workloads.compactMap { w in
                let refs = w.template.secretReferences.filter { $0.usage == .env || $0.usage == .envFrom }
                guard !refs.isEmpty else { return nil }
                let list = refs.map { "\($0.name) (\($0.usage == .env ? "env" : "envFrom")\($0.container.map { " in \($0)" } ?? ""))" }
                return thisRule.finding(
                    severity: .low,
                    message: "\(w.kind) \(w.namespace)/\(w.name) takes secrets through environment variables: \(list.joined(separator: ", "))",
                    object: ObjectRef(kind: w.kind, namespace: w.namespace, name: w.name, source: w.source))
            }
        })

    /// Long-lived service-account token Secrets.
    public static let legacyTokenSecret = FindingRule(
        id: "legacy-token-secret", category: .secretsHygiene, severity: .medium,
        title: "Long-lived service-account token secret",
        rationale: "A `kubernetes.io/service-account-token` Secret holds a token that never expires: anyone who can read it (list secrets is enough) is that service account, forever.",
        remediation: "Delete it; pods get short-lived projected tokens, and `kubectl create token` or the TokenRequest API gives bounded ones.",
        triggeringExamples: [
            """
            apiVersion: v1
            kind: Secret
            metadata:
              name: deployer-token
              namespace: ci
              annotations: {kubernetes.io/service-account.name: deployer}
            type: kubernetes.io/service-account-token
            """
        ],
        nonTriggeringExamples: [
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: db, namespace: ci}
            type: Opaque
            """
        ],
        check: { thisRule, ctx in
            ctx.graph.secrets.compactMap { s in
                guard s.type == "kubernetes.io/service-account-token" else { return nil }
                return thisRule.finding(
                    severity: .medium,
                    message: "Secret \(s.namespace)/\(s.name) is a long-lived token of service account \(s.namespace)/\(s.tokenServiceAccount ?? "?")",
                    principal: s.tokenServiceAccount.map { ServiceAccountName(namespace: s.namespace, name: $0).notation },
                    object: ObjectRef(kind: "Secret", namespace: s.namespace, name: s.name, source: s.source))
            }
        })

    /// Service accounts and pods that mount API tokens they have no use for.
    public static let automountUnusedToken = FindingRule(
        id: "automount-unused-token", category: .secretsHygiene, severity: .low,
        title: "API token mounted but no permissions held",
        rationale: "A pod whose service account holds no permissions still gets a token mounted by default: it only helps an attacker who gets into the pod (discovery, and whatever system:authenticated is granted). The pod's own `automountServiceAccountToken` overrides the ServiceAccount's, in both directions, and a projected `serviceAccountToken` volume mounts a token whatever either says. Pods the Vault Agent injector serves (`vault.hashicorp.com/agent-inject: \"true\"`) log in to Vault with that token and are not reported.",
        remediation: "Set `automountServiceAccountToken: false` on the pod spec (or on the service account, for pods that do not set it) and remove projected serviceAccountToken volumes.",
        triggeringExamples: [
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: prod}
            """,
            // The pod turns automount back on.
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: prod}
            automountServiceAccountToken: false
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: prod}
            spec:
              serviceAccountName: web
              automountServiceAccountToken: true
              containers: [{name: app, image: web}]
            """,
            // A projected token volume mounts one whatever automount says.
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: prod}
            spec:
              automountServiceAccountToken: false
              containers: [{name: app, image: web}]
              volumes: [{name: t, projected: {sources: [{serviceAccountToken: {path: token, expirationSeconds: 3600}}]}}]
            """,
        ],
        nonTriggeringExamples: [
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: prod}
            automountServiceAccountToken: false
            """,
            // The pod turns automount off although its ServiceAccount leaves it on.
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: prod}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: prod}
            spec:
              template:
                spec:
                  serviceAccountName: web
                  automountServiceAccountToken: false
                  containers: [{name: app, image: web}]
            """,
            // The ServiceAccount turns it off and the pod says nothing.
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: prod}
            automountServiceAccountToken: false
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: prod}
            spec:
              serviceAccountName: web
              containers: [{name: app, image: web}]
            """,
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: prod}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: web, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: ServiceAccount, name: web}]
            """,
            // The Vault Agent injector's sidecar logs in to Vault with the pod's token.
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: web, namespace: prod}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: prod}
            spec:
              template:
                metadata:
                  annotations: {vault.hashicorp.com/agent-inject: "true", vault.hashicorp.com/role: web}
                spec:
                  serviceAccountName: web
                  containers: [{name: app, image: web}]
            """,
            // Permissions granted in another namespace count too.
            """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: deployer, namespace: ci}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: ci-deploys, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
            subjects: [{kind: ServiceAccount, name: deployer, namespace: ci}]
            """,
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            /// Its own bindings (not its groups'), in any namespace or cluster-wide.
            func holdsPermissions(_ ns: String, _ name: String) -> Bool {
                let id = Identity(name: ServiceAccountName(namespace: ns, name: name).userName)
                return !g.applicableBindings(for: id, in: "").isEmpty || !g.roleBindingNamespaces(for: id).isEmpty
            }
            var out: [Finding] = []
            var used = Set<ServiceAccountName>()
            // The pods and workloads of the input: each decides for itself; one finding per
            // service account (its workloads related), not one per workload.
            var mounting: [(account: ServiceAccountName, workloads: [Workload])] = []
            var at: [ServiceAccountName: Int] = [:]
            for w in g.workloads {
                let name = ServiceAccountName(namespace: w.namespace, name: w.template.serviceAccountName)
                used.insert(name)
                guard w.template.mountsToken(serviceAccount: ctx.serviceAccount(name.namespace, name.name)),
                    !w.template.isVaultAgentInjected
                else { continue }
                if let i = at[name] { mounting[i].workloads.append(w) } else { at[name] = mounting.count; mounting.append((name, [w])) }
            }
            for (name, workloads) in mounting where !holdsPermissions(name.namespace, name.name) {
                let w = workloads[0]
                let object = ObjectRef(kind: w.kind, namespace: w.namespace, name: w.name, source: w.source)
                if workloads.count == 1 {
                    let how = w.template.projectsServiceAccountToken
                        ? "a projected serviceAccountToken volume mounts it"
                        : w.template.automountServiceAccountToken == true ? "the pod spec sets automountServiceAccountToken: true" : "automount is on"
                    out.append(thisRule.finding(
                        severity: .low,
                        message: "\(w.kind) \(w.namespace)/\(w.name) mounts the token of \(name.notation), which holds no permissions (\(how))",
                        principal: name.notation, object: object))
                } else {
                    let listed = workloads.prefix(3).map { "\($0.kind) \($0.name)" }.joined(separator: ", ")
                        + (workloads.count > 3 ? ", … (\(workloads.count - 3) more)" : "")
                    out.append(thisRule.finding(
                        severity: .low,
                        message: "\(name.notation) holds no permissions but \(workloads.count) pods and workloads of \(name.namespace) mount its token: \(listed)",
                        principal: name.notation, object: object,
                        related: workloads.dropFirst().map { ObjectRef(kind: $0.kind, namespace: $0.namespace, name: $0.name, source: $0.source) }))
                }
            }
            // Service accounts no pod of the input runs as: their pods follow their setting.
            for sa in g.serviceAccounts where !used.contains(sa.serviceAccountName) && sa.automountServiceAccountToken != false
                && !holdsPermissions(sa.namespace, sa.name)
            {
                out.append(thisRule.finding(
                    severity: .low,
                    message: "ServiceAccount \(sa.namespace)/\(sa.name) holds no permissions but its token is mounted into its pods",
                    principal: sa.serviceAccountName.notation,
                    object: ObjectRef(kind: SubjectKind.serviceAccount.rawValue, namespace: sa.namespace, name: sa.name, source: sa.source)))
            }
            return out
        })
}
