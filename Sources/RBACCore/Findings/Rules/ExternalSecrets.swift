// Rules on secrets kept outside Kubernetes: External Secrets stores, Vault roles and policies
// (docs/external-secrets.md). The Vault rules read the `--vault` folder (`inputs: [.vault]`).

extension FindingRule {
    /// ClusterSecretStores that serve every namespace with shared credentials.
    public static let clusterStoreAllNamespaces = FindingRule(
        id: "clusterstore-all-namespaces", category: .externalSecrets, severity: .high,
        title: "ClusterSecretStore usable from every namespace",
        rationale: "A ClusterSecretStore without `conditions`, or with a condition that admits every namespace (an empty `namespaceSelector`, a regular expression such as `.*`), serves an ExternalSecret in any namespace, present or future: whoever may create an ExternalSecret anywhere reads, with the store's credentials, everything they reach. Severity: high when someone besides system:masters may create ExternalSecrets, medium otherwise. A store whose every reference names no namespace (a referent store) lends each namespace its own credentials instead, and is not reported.",
        remediation: "Add `spec.conditions` naming the namespaces that need the store (`namespaces`, a `namespaceSelector`, or anchored `namespaceRegexes` such as `^team-a$`), or give each namespace a SecretStore of its own.",
        triggeringExamples: [
            """
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: vault}
            spec:
              provider:
                vault:
                  server: "https://vault.example.com:8200"
                  path: secret
                  auth:
                    kubernetes: {role: eso, serviceAccountRef: {name: eso, namespace: external-secrets}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: es-author, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: es-author}
            subjects: [{kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: es-author}
            rules: [{apiGroups: [external-secrets.io], resources: [externalsecrets], verbs: [create]}]
            """,
            // A condition that admits every namespace name (unanchored Go regular expression).
            """
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: aws}
            spec:
              conditions:
              - namespaceRegexes: [".*"]
              provider:
                aws:
                  service: SecretsManager
                  region: eu-west-1
                  auth:
                    secretRef:
                      accessKeyIDSecretRef: {name: aws-creds, key: id, namespace: external-secrets}
                      secretAccessKeySecretRef: {name: aws-creds, key: secret, namespace: external-secrets}
            """,
        ],
        nonTriggeringExamples: [
            // Conditions name the namespaces served.
            """
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: vault}
            spec:
              conditions:
              - namespaces: [prod]
              - namespaceRegexes: ["^team-"]
              provider:
                vault:
                  server: "https://vault.example.com:8200"
                  path: secret
                  auth:
                    kubernetes: {role: eso, serviceAccountRef: {name: eso, namespace: external-secrets}}
            """,
            // A referent store: each namespace's own service account logs in.
            """
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: vault-per-namespace}
            spec:
              provider:
                vault:
                  server: "https://vault.example.com:8200"
                  path: secret
                  auth:
                    kubernetes: {role: tenant, serviceAccountRef: {name: vault-reader}}
            """,
            // A SecretStore serves its own namespace only.
            """
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: vault, namespace: prod}
            spec:
              provider:
                vault:
                  server: "https://vault.example.com:8200"
                  path: secret
                  auth:
                    kubernetes: {role: eso, serviceAccountRef: {name: eso}}
            """,
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            var out: [Finding] = []
            var authorsOnce: [(identity: String, namespace: String)]?
            for store in g.external.stores {
                guard let why = store.servesEveryNamespaceBecause, !store.isReferentOnly else { continue }
                let authors = authorsOnce ?? ctx.externalSecretAuthors()
                authorsOnce = authors
                var evidence = ["\(why): an ExternalSecret in any namespace, present or future, may use it"]
                evidence += ctx.describeReach(of: store)
                if authors.isEmpty {
                    evidence.append("no one but system:masters may create ExternalSecrets in the input's namespaces today")
                } else {
                    let shown = authors.prefix(8).map { "\($0.identity) in \($0.namespace)" }
                    evidence.append("may create ExternalSecrets, and so read through it: \(shown.joined(separator: ", "))"
                        + (authors.count > shown.count ? " and \(authors.count - shown.count) more" : ""))
                }
                out.append(thisRule.finding(
                    severity: authors.isEmpty ? .medium : .high,
                    message: "ClusterSecretStore \(store.name) (\(store.provider)) serves every namespace with shared credentials",
                    object: ObjectRef(store), evidence: evidence))
            }
            return out
        })

    /// Vault Kubernetes auth roles that admit any service account name or any namespace.
    public static let vaultRoleWildcard = FindingRule(
        id: "vault-role-wildcard", category: .externalSecrets, severity: .high,
        title: "Vault role bound to any service account or namespace",
        rationale: "A Kubernetes auth role admits the service accounts whose name and namespace it binds, and gives their tokens its policies. `*` in `bound_service_account_namespaces` (or an empty namespace selector) admits every namespace: whoever may create a service account of a bound name, or run pods as one, in any namespace logs in. `*` in `bound_service_account_names` admits every service account of the bound namespaces: whoever may run a pod there. Severity: high for any namespace, medium for any name in named namespaces, low when the token holds no policy but Vault's unmodified `default`.",
        remediation: "Bind the role to the service accounts that need it, by name, in their namespaces (`bound_service_account_names`, `bound_service_account_namespaces`); give other workloads roles of their own.",
        triggeringExamples: [
            FindingRule.Example(vault: [
                "auth/kubernetes/role/apps.json": """
                    {"data": {"bound_service_account_names": ["*"], "bound_service_account_namespaces": ["*"], "token_policies": ["apps"]}}
                    """,
                "sys/policy/apps.hcl": "path \"secret/data/apps/*\" {\n  capabilities = [\"read\"]\n}\n",
            ]),
            // Any service account of prod.
            FindingRule.Example(vault: [
                "auth/kubernetes/role/prod.json": """
                    {"bound_service_account_names": "*", "bound_service_account_namespaces": "prod", "token_policies": "prod"}
                    """
            ]),
        ],
        nonTriggeringExamples: [
            // Named service accounts in named namespaces.
            FindingRule.Example(vault: [
                "auth/kubernetes/role/web.json": """
                    {"data": {"bound_service_account_names": ["web"], "bound_service_account_namespaces": ["prod"], "token_policies": ["web"]}}
                    """
            ]),
            // A glob narrower than `*`.
            FindingRule.Example(vault: [
                "auth/kubernetes/role/api.json": """
                    {"data": {"bound_service_account_names": ["api-*"], "bound_service_account_namespaces": ["team-*"], "token_policies": ["api"]}}
                    """
            ]),
        ],
        inputs: [.vault],
        check: { thisRule, ctx in
            let g = ctx.graph
            let vault = g.external.vault
            var out: [Finding] = []
            for role in vault.roles {
                let anyNamespace = role.bindsAnyNamespace || role.namespaceSelector?.isEmpty == true
                guard anyNamespace || role.bindsAnyName else { continue }
                var evidence: [String] = []
                func at(_ field: VaultRole.Field, _ entry: String? = nil) -> String {
                    role.source(of: field, entry: entry).map { " at \($0)" } ?? ""
                }
                if role.bindsAnyName { evidence.append("bound_service_account_names: * (every service account name)" + at(.boundNames, "*")) }
                if role.bindsAnyNamespace { evidence.append("bound_service_account_namespaces: * (every namespace)" + at(.boundNamespaces, "*")) }
                if role.namespaceSelector?.isEmpty == true {
                    evidence.append("bound_service_account_namespace_selector: {} (selects every namespace)" + at(.namespaceSelector))
                }
                if !anyNamespace { evidence.append("bound_service_account_namespaces: \(role.boundNamespaces.joined(separator: ", "))" + at(.boundNamespaces)) }
                if !role.bindsAnyName { evidence.append("bound_service_account_names: \(role.boundNames.joined(separator: ", "))" + at(.boundNames)) }
                // The finding is located at the wildcard that makes it: `*` in the names, else in the namespaces, else the selector.
                var object = ObjectRef(role)
                object.source = role.bindsAnyName ? role.source(of: .boundNames, entry: "*")
                    : role.bindsAnyNamespace ? role.source(of: .boundNamespaces, entry: "*") : role.source(of: .namespaceSelector)
                let policies = role.tokenPolicies
                let missing = policies.filter { vault.policy(named: $0) == nil && !$0.isExactly("default") }
                evidence.append("its tokens' policies: \(policies.joined(separator: ", "))"
                    + (missing.isEmpty ? "" : " (not in the Vault folder: \(missing.joined(separator: ", ")))"))
                let admitted = ctx.serviceAccountsOfInput().filter { sa in
                    role.admits(sa, namespaceLabels: g.namespaces.last { $0.name.isExactly(sa.namespace) }?.labels) == .yes
                }
                if !admitted.isEmpty {
                    let shown = admitted.prefix(8).map(\.notation)
                    evidence.append("service accounts of the input it admits: \(shown.joined(separator: ", "))"
                        + (admitted.count > shown.count ? " and \(admitted.count - shown.count) more" : ""))
                }
                // A token of nothing but Vault's shipped `default` policy reads no secret.
                let onlyDefault = policies.allSatisfy { $0.isExactly("default") } && vault.policy(named: "default") == nil
                let severity: Severity = onlyDefault ? .low : anyNamespace ? .high : .medium
                let who = anyNamespace && role.bindsAnyName ? "any service account of any namespace"
                    : anyNamespace ? "service accounts named \(role.boundNames.joined(separator: ", ")) in any namespace"
                    : "any service account of \(role.boundNamespaces.joined(separator: ", "))"
                // The ServiceAccount objects it admits: `report -n NS` keeps the finding for their namespaces.
                let related = admitted.compactMap { sa in
                    g.serviceAccounts.last { $0.serviceAccountName == sa }.map {
                        ObjectRef(kind: SubjectKind.serviceAccount.rawValue, namespace: $0.namespace, name: $0.name, source: $0.source)
                    }
                }
                out.append(thisRule.finding(
                    severity: severity,
                    message: "Vault role \(role.path) admits \(who)" + (onlyDefault ? " (its tokens hold only the default policy)" : ""),
                    object: object, related: related, evidence: evidence))
            }
            return out
        })

    /// Store credentials kept in a Secret that many identities may read.
    public static let storeCredentialsReadable = FindingRule(
        id: "store-credentials-readable", category: .externalSecrets, severity: .high,
        title: "Store credentials readable by many",
        rationale: "A store that authenticates with a Secret (a Vault token, cloud keys, a client certificate) lends whoever reads that Secret everything the store reaches, outside the store's own conditions. Readable by many means: RBAC allows `get` on that Secret, or `list`/`watch` on the Secrets of its namespace, to a group standing for every user or every service account (system:authenticated, system:unauthenticated, system:serviceaccounts, system:serviceaccounts:NAMESPACE) or the user system:anonymous (high), or to any other group, or to more than 3 users and service accounts (medium). System:masters and the built-in policy's own bindings (the control plane's controllers) are not counted.",
        remediation: "Keep the Secret in a namespace of its own (`external-secrets`) where only the operator may read it, and name it with `namespace:` from a ClusterSecretStore; prefer a service-account login (Vault Kubernetes auth, workload identity) to static credentials.",
        triggeringExamples: [
            """
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: vault, namespace: prod}
            spec:
              provider:
                vault:
                  server: "https://vault.example.com:8200"
                  path: secret
                  auth:
                    tokenSecretRef: {name: vault-token, key: token}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: all-read-secrets, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
            subjects: [{kind: Group, name: "system:serviceaccounts:prod", apiGroup: rbac.authorization.k8s.io}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: secret-reader}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
            """,
            // A team group reads it by name.
            """
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: aws}
            spec:
              conditions: [{namespaces: [prod]}]
              provider:
                aws:
                  service: SecretsManager
                  region: eu-west-1
                  auth:
                    secretRef:
                      accessKeyIDSecretRef: {name: aws-creds, key: id, namespace: platform}
                      secretAccessKeySecretRef: {name: aws-creds, key: secret, namespace: platform}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: read-aws-creds, namespace: platform}
            rules: [{apiGroups: [""], resources: [secrets], resourceNames: [aws-creds], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: devs, namespace: platform}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-aws-creds}
            subjects: [{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}]
            """,
        ],
        nonTriggeringExamples: [
            // Only the operator reads it.
            """
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: vault, namespace: prod}
            spec:
              provider:
                vault:
                  server: "https://vault.example.com:8200"
                  path: secret
                  auth:
                    tokenSecretRef: {name: vault-token, key: token}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: external-secrets-controller}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
            subjects: [{kind: ServiceAccount, name: external-secrets, namespace: external-secrets}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: secret-reader}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list, watch]}]
            """,
            // Everyone reads other Secrets, not this one.
            """
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: vault, namespace: prod}
            spec:
              provider:
                vault:
                  server: "https://vault.example.com:8200"
                  path: secret
                  auth:
                    tokenSecretRef: {name: vault-token, key: token}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: read-config, namespace: prod}
            rules: [{apiGroups: [""], resources: [secrets], resourceNames: [app-config], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: read-config, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-config}
            subjects: [{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]
            """,
            // A service-account login: no Secret to read.
            """
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: vault, namespace: prod}
            spec:
              provider:
                vault:
                  server: "https://vault.example.com:8200"
                  path: secret
                  auth:
                    kubernetes: {role: eso, serviceAccountRef: {name: eso}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: all-read-secrets, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
            subjects: [{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: view}
            rules: [{apiGroups: [""], resources: [pods, configmaps], verbs: [get, list]}]
            """,
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            var out: [Finding] = []
            for store in g.external.stores {
                var evidence: [String] = []
                var related: [ObjectRef] = []
                var severity: Severity?
                var named: [String] = []
                // Each Secret once, with every field naming it (AWS keys: two fields, one Secret).
                var secrets: [(namespace: String, name: String, fields: [String])] = []
                for c in store.credentials where c.kind == .secret {
                    // A ClusterSecretStore's reference without a namespace is read in each
                    // user's namespace: not one Secret, not checked here.
                    guard let ns = store.kind == .secretStore ? store.namespace : c.namespace else { continue }
                    if let i = secrets.firstIndex(where: { $0.namespace.isExactly(ns) && $0.name.isExactly(c.name) }) {
                        secrets[i].fields.append(c.field)
                    } else {
                        secrets.append((ns, c.name, [c.field]))
                    }
                }
                for c in secrets {
                    let ns = c.namespace
                    let readers = ctx.secretReaders(namespace: ns, name: c.name)
                    let everyone = readers.filter(\.isEveryone)
                    let groups = readers.filter { !$0.isEveryone && $0.isGroup }
                    let individuals = readers.filter { !$0.isGroup }
                    let level: Severity? = !everyone.isEmpty ? .high
                        : (!groups.isEmpty || individuals.count > ReportContext.manyIndividualReaders) ? .medium : nil
                    guard let level else { continue }
                    severity = max(severity ?? level, level)
                    let fields = c.fields.map { $0.split(separator: ".").last.map(String.init) ?? $0 }
                    named.append("Secret \(ns)/\(c.name) (\(fields.joined(separator: ", ")))")
                    evidence.append("Secret \(ns)/\(c.name) is named by \(c.fields.joined(separator: ", "))")
                    for r in readers { evidence.append("\(r.principal) may read Secret \(ns)/\(c.name): \(r.how)") }
                    if let s = g.secrets.last(where: { $0.namespace.isExactly(ns) && $0.name.isExactly(c.name) }) {
                        related.append(ObjectRef(kind: "Secret", namespace: ns, name: c.name, source: s.source))
                    }
                    related += readers.flatMap(\.objects)
                }
                guard let severity else { continue }
                var seen = Set<ObjectKey>()
                out.append(thisRule.finding(
                    severity: severity,
                    message: "\(store.kind.rawValue) \(store.namespace.map { "\($0)/" } ?? "")\(store.name) authenticates with \(named.joined(separator: ", ")), readable by many",
                    object: ObjectRef(store), related: related.filter { seen.insert($0.key).inserted }, evidence: evidence))
            }
            return out
        })

    /// Workloads that take Secrets written by External Secrets or the CSI driver through
    /// environment variables.
    public static let externalSecretInEnv = FindingRule(
        id: "external-secret-in-env", category: .externalSecrets, severity: .medium,
        title: "External secret passed through environment variables",
        rationale: "An ExternalSecret (or a ClusterExternalSecret, or a SecretProviderClass's `secretObjects`) copies a credential from an external manager into a Kubernetes Secret; a pod taking that Secret through `env` or `envFrom` holds it in its environment: it leaks into crash dumps, child processes and logs, and never sees the rotation the external manager and the operator's refresh exist for, until the pod restarts. `secret-in-env` reports the same pods as hygiene; this rule names the external source. A ClusterExternalSecret whose selectors would need a Namespace's labels the input does not hold makes it low, as a possibility. An ExternalSecret writing a ConfigMap instead (`target.manifest`) is reported for the pods taking that ConfigMap through `env` or `envFrom`, not for those taking the Secret of the same name, which it does not write.",
        remediation: "Mount the Secret as a volume and read the file (it follows the refresh), or mount the external secret directly with the Secrets Store CSI driver or the Vault Agent injector.",
        triggeringExamples: [
            """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: db, namespace: prod}
            spec:
              secretStoreRef: {name: vault, kind: SecretStore}
              target: {name: db-credentials}
              data: [{secretKey: password, remoteRef: {key: prod/db, property: password}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: prod}
            spec:
              template:
                spec:
                  containers:
                  - name: api
                    image: api
                    env:
                    - name: DB_PASSWORD
                      valueFrom: {secretKeyRef: {name: db-credentials, key: password}}
            """,
            // The operator writes a ConfigMap (target.manifest) that the pod reads with envFrom.
            """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: application-config, namespace: prod}
            spec:
              secretStoreRef: {name: vault, kind: SecretStore}
              target: {name: app-config, manifest: {apiVersion: v1, kind: ConfigMap}}
              data: [{secretKey: database-password, remoteRef: {key: prod/db, property: password}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: prod}
            spec:
              containers: [{name: api, image: api, envFrom: [{configMapRef: {name: app-config}}]}]
            """,
            // The CSI driver syncs its objects into a Secret that the pod reads with envFrom.
            """
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata: {name: vault-db, namespace: prod}
            spec:
              provider: vault
              secretObjects: [{secretName: db-env, type: Opaque, data: [{objectName: password, key: DB_PASSWORD}]}]
              parameters:
                roleName: web
                objects: |
                  - objectName: "password"
                    secretPath: "secret/data/prod/db"
                    secretKey: "password"
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: prod}
            spec:
              containers: [{name: web, image: web, envFrom: [{secretRef: {name: db-env}}]}]
            """,
        ],
        nonTriggeringExamples: [
            // Mounted as a volume.
            """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: db, namespace: prod}
            spec:
              secretStoreRef: {name: vault, kind: SecretStore}
              target: {name: db-credentials}
              data: [{secretKey: password, remoteRef: {key: prod/db, property: password}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: prod}
            spec:
              containers: [{name: api, image: api, volumeMounts: [{name: db, mountPath: /etc/db}]}]
              volumes: [{name: db, secret: {secretName: db-credentials}}]
            """,
            // The ExternalSecret writes a ConfigMap (target.manifest), not the Secret of that name.
            """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: db, namespace: prod}
            spec:
              secretStoreRef: {name: vault, kind: SecretStore}
              target: {name: db-credentials, manifest: {apiVersion: v1, kind: ConfigMap}}
              data: [{secretKey: password, remoteRef: {key: prod/db, property: password}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: prod}
            spec:
              containers:
              - name: api
                image: api
                env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db-credentials, key: password}}}]
            """,
            // A Secret of the same name in another namespace.
            """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: db, namespace: prod}
            spec:
              secretStoreRef: {name: vault, kind: SecretStore}
              target: {name: db-credentials}
              data: [{secretKey: password, remoteRef: {key: prod/db, property: password}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: api, namespace: dev}
            spec:
              containers:
              - name: api
                image: api
                env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db-credentials, key: password}}}]
            """,
        ],
        check: { thisRule, ctx in
            let g = ctx.graph
            var out: [Finding] = []
            // ConfigMaps ExternalSecrets write (target.manifest), by namespace and name.
            var configMaps: [AccessGraph.NamespacedName: MaterializedSecret] = [:]
            for m in g.materializedObjects() where m.manifest?.podMountable == true {
                configMaps[AccessGraph.NamespacedName(namespace: m.namespace, name: m.name)] = configMaps[AccessGraph.NamespacedName(namespace: m.namespace, name: m.name)] ?? m
            }
            for w in g.workloads {
                let refs = w.template.secretReferences.filter { $0.usage == .env || $0.usage == .envFrom }
                var evidence: [String] = []
                var related: [ObjectRef] = []
                var names: [String] = []
                var certain = false
                for ref in refs {
                    let sources = ctx.externalSources(ofSecret: ref.name, in: w.namespace)
                    guard !sources.isEmpty else { continue }
                    if sources.contains(where: { !$0.isConditional }) { certain = true }
                    let usage = "\(ref.usage == .env ? "env" : "envFrom")\(ref.container.map { " in \($0)" } ?? "")"
                    if !names.contains(ref.name) { names.append(ref.name) }
                    for s in sources {
                        evidence.append("Secret \(w.namespace)/\(ref.name) (\(usage)) is written by \(s.description)")
                        if !related.contains(s.object) { related.append(s.object) }
                    }
                }
                for ref in w.template.configMapEnvReferences {
                    guard let m = configMaps[AccessGraph.NamespacedName(namespace: w.namespace, name: ref.name)] else { continue }
                    certain = true
                    let usage = "\(ref.usage == .env ? "env" : "envFrom")\(ref.container.map { " in \($0)" } ?? "")"
                    if !names.contains(ref.name) { names.append(ref.name) }
                    let flag: String
                    if case .allowed(let why) = m.genericTargets { flag = "the operator runs with --unsafe-allow-generic-targets: \(why)" } else { flag = "if the operator runs with --unsafe-allow-generic-targets" }
                    evidence.append("ConfigMap \(w.namespace)/\(ref.name) (\(usage)) is \(m.description) (target.manifest; \(flag))")
                    let es = m.externalSecret
                    let object = ObjectRef(kind: es.kind.rawValue, namespace: es.namespace, name: es.name, source: es.source)
                    if !related.contains(object) { related.append(object) }
                }
                guard !names.isEmpty else { continue }
                // Resting only on labels the input lacks: reported, lower, as a possibility.
                out.append(thisRule.finding(
                    severity: certain ? .medium : .low,
                    message: "\(w.kind) \(w.namespace)/\(w.name) \(certain ? "takes" : "may take") external secrets through environment variables: \(names.joined(separator: ", "))",
                    object: ObjectRef(kind: w.kind, namespace: w.namespace, name: w.name, source: w.source),
                    related: related, evidence: evidence))
            }
            return out
        })

    /// Vault policies granting writes or sudo on paths that cover whole mounts.
    public static let vaultPolicyBroadWrite = FindingRule(
        id: "vault-policy-broad-write", category: .externalSecrets, severity: .high,
        title: "Vault policy grants writes or sudo on a broad path",
        rationale: "A path pattern whose glob (`*`, or a `+` segment) comes before it names a folder of a mount — `*`, `secret/*`, `secret/data/*` (KV version 2's `data/`, `metadata/`, `delete/`, `undelete/`, `destroy/` and `subkeys/` name no folder), `+/config`, `secret/+/db` — covers every secret of that mount, or of every mount, including those added later. `create`, `update`, `patch` or `delete` there overwrite or destroy every one of them; `sudo` opens root-protected endpoints. A glob over a whole collection of Vault's own configuration (`sys/policy/*`, `sys/policies/acl/*`, `sys/auth/*`, `sys/mounts/*`, `auth/kubernetes/role/*`) is as broad: a write there rewrites who may do what, the holder's own policies included. Every token of a role naming the policy holds it (every token at all, for a modified `default`). Per-token storage (`cubbyhole/`) is not counted.",
        remediation: "Narrow the pattern to the folder the holder writes (`secret/data/ci/*`), keep `sudo` for break-glass policies, and give readers `read`/`list` only.",
        triggeringExamples: [
            FindingRule.Example(vault: [
                "sys/policy/ops.hcl": """
                    # Operators manage every secret.
                    path "secret/*" {
                      capabilities = ["create", "read", "update", "delete", "list", "sudo"]
                    }
                    """
            ]),
            FindingRule.Example(vault: [
                "sys/policy/apps.hcl": """
                    path "+/data/config" {
                      capabilities = ["update"]
                    }
                    """,
                "auth/kubernetes/role/apps.json": """
                    {"data": {"bound_service_account_names": ["api"], "bound_service_account_namespaces": ["prod"], "token_policies": ["apps"]}}
                    """,
            ]),
            // Every role of the Kubernetes auth mount: the holder binds itself any policy.
            FindingRule.Example(vault: [
                "sys/policy/deployer.hcl": """
                    path "auth/kubernetes/role/*" {
                      capabilities = ["create", "update"]
                    }
                    """
            ]),
        ],
        nonTriggeringExamples: [
            // Writes on a narrow folder and on one named role; reads on a broad one; a deny.
            FindingRule.Example(vault: [
                "sys/policy/ci.hcl": """
                    path "secret/data/ci/*" {
                      capabilities = ["create", "update", "delete"]
                    }
                    path "secret/*" {
                      capabilities = ["read", "list"]
                    }
                    path "secret/data/prod/*" {
                      capabilities = ["deny"]
                    }
                    path "auth/kubernetes/role/ci-*" {
                      capabilities = ["update"]
                    }
                    """
            ]),
            // Vault's shipped default policy (writes on its own token, cubbyhole, tools).
            FindingRule.Example(vault: [
                "sys/policy/default.hcl": """
                    path "auth/token/lookup-self" {
                        capabilities = ["read"]
                    }
                    path "auth/token/renew-self" {
                        capabilities = ["update"]
                    }
                    path "auth/token/revoke-self" {
                        capabilities = ["update"]
                    }
                    path "sys/capabilities-self" {
                        capabilities = ["update"]
                    }
                    path "identity/entity/id/{{identity.entity.id}}" {
                      capabilities = ["read"]
                    }
                    path "identity/entity/name/{{identity.entity.name}}" {
                      capabilities = ["read"]
                    }
                    path "sys/internal/ui/resultant-acl" {
                        capabilities = ["read"]
                    }
                    path "sys/renew" {
                        capabilities = ["update"]
                    }
                    path "sys/leases/renew" {
                        capabilities = ["update"]
                    }
                    path "sys/leases/lookup" {
                        capabilities = ["update"]
                    }
                    path "cubbyhole/*" {
                        capabilities = ["create", "read", "update", "delete", "list"]
                    }
                    path "sys/wrapping/wrap" {
                        capabilities = ["update"]
                    }
                    path "sys/wrapping/lookup" {
                        capabilities = ["update"]
                    }
                    path "sys/wrapping/unwrap" {
                        capabilities = ["update"]
                    }
                    path "sys/tools/hash" {
                        capabilities = ["update"]
                    }
                    path "sys/tools/hash/*" {
                        capabilities = ["update"]
                    }
                    path "sys/control-group/request" {
                        capabilities = ["update"]
                    }
                    path "sys/mfa/challenge" {
                        capabilities = ["update"]
                    }
                    """
            ]),
        ],
        inputs: [.vault],
        check: { thisRule, ctx in
            let vault = ctx.graph.external.vault
            var out: [Finding] = []
            for policy in vault.policies {
                let broad = policy.rules.compactMap { rule -> (VaultPathRule, VaultCapabilities, String)? in
                    let risky = rule.capabilities.intersection(VaultCapabilities.write.union(.sudo))
                    guard !rule.capabilities.contains(.deny), !risky.isEmpty, let covers = VaultPathRule.breadth(rule.path) else { return nil }
                    return (rule, risky, covers)
                }
                guard let first = broad.first else { continue }
                var evidence = broad.map { rule, risky, covers in
                    "path \"\(rule.path)\" {\(risky)}: \(covers)" + (rule.isConditional ? " (with parameter or wrapping constraints)" : "")
                        + (rule.source.map { " at \($0)" } ?? "")
                }
                let issuers = vault.roles.filter { $0.tokenPolicies.contains { $0.isExactly(policy.name) } }
                if policy.name.isExactly("default") {
                    evidence.append("default: every token holds it, of every role without token_no_default_policy")
                }
                evidence.append(issuers.isEmpty
                    ? "no Kubernetes auth role of the Vault folder issues it (other auth methods may)"
                    : "issued by: " + issuers.map(\.path).joined(separator: ", "))
                let patterns = broad.map { "\($0.0.path) {\($0.1)}" }
                var object = ObjectRef(policy)
                object.source = first.0.source ?? policy.source
                out.append(thisRule.finding(
                    severity: .high,
                    message: "Vault policy \(policy.name) grants writes or sudo on broad paths: \(patterns.joined(separator: ", "))",
                    object: object, evidence: evidence))
            }
            return out
        })
}

extension ObjectRef {
    /// A SecretStore or ClusterSecretStore.
    public init(_ store: SecretStore) {
        self.init(kind: store.kind.rawValue, namespace: store.namespace, name: store.name, source: store.source)
    }

    /// A Vault Kubernetes auth role: `VaultRole/auth/MOUNT/role/NAME`, at its JSON file.
    public init(_ role: VaultRole) {
        self.init(kind: "VaultRole", name: role.path, source: role.source)
    }

    /// A Vault ACL policy: `VaultPolicy/NAME`, at its HCL file.
    public init(_ policy: VaultPolicy) {
        self.init(kind: "VaultPolicy", name: policy.name, source: policy.source)
    }
}

extension SecretStore {
    /// Why a ClusterSecretStore serves every namespace, present or future (no conditions, or
    /// a condition admitting any name); `nil` when its conditions limit it, or for a SecretStore.
    public var servesEveryNamespaceBecause: String? {
        guard kind == .clusterSecretStore else { return nil }
        if conditions.isEmpty { return "no spec.conditions" }
        for (i, c) in conditions.enumerated() {
            if c.namespaceSelector?.isEmpty == true {
                return "spec.conditions[\(i)].namespaceSelector is {} (selects every namespace)"
            }
            for r in c.namespaceRegexes where GoRegex.matchesEveryName(r) {
                return "spec.conditions[\(i)].namespaceRegexes \"\(r)\" matches every name"
            }
        }
        return nil
    }

    /// Whether a ClusterSecretStore names credentials and none with a namespace: each
    /// namespace using it lends its own (a referent store).
    public var isReferentOnly: Bool {
        kind == .clusterSecretStore && !credentials.isEmpty && credentials.allSatisfy { $0.namespace == nil }
    }
}

extension GoRegex {
    /// Whether an unanchored Go regular expression certainly matches every non-empty name:
    /// `""`, `.`, `.*`, `.+`, with or without one anchor (`^.*$` too). Other patterns are not
    /// claimed to, whatever they match.
    public static func matchesEveryName(_ pattern: String) -> Bool {
        var body = Substring(pattern)
        let start = body.hasPrefix("^")
        if start { body = body.dropFirst() }
        let end = body.hasSuffix("$") && !body.hasSuffix("\\$")
        if end { body = body.dropLast() }
        switch body {
        case ".*", ".+": return true
        case "", ".": return !(start && end)
        default: return false
        }
    }
}

extension VaultPathRule {
    /// The second segments of a KV version 2 mount's API paths: they name no folder.
    static let kvVersion2Segments: Set<String> = ["data", "metadata", "delete", "undelete", "destroy", "subkeys"]

    /// What a path pattern covers when that is more than a folder: every secret of a mount or
    /// of every mount (``coversWholeMount(_:)``), or a whole collection of Vault's own
    /// configuration — every ACL policy, every role of an auth mount, every auth method or
    /// secrets engine mount, where a write rewrites who may do what. `nil` for a narrower one.
    public static func breadth(_ path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // A glob standing for a whole entry name (`*`, `+`, `*suffix`), not a name prefix.
        func anyName(_ i: Int) -> Bool { i < segments.count && (segments[i] == "+" || segments[i].hasPrefix("*")) }
        if segments.count >= 3, segments[0] == "sys", segments[1] == "policy", anyName(2) { return "every ACL policy" }
        if segments.count >= 4, segments[0] == "sys", segments[1] == "policies", anyName(3) { return "every \(segments[2]) policy" }
        if segments.count >= 3, segments[0] == "sys", segments[1] == "auth", anyName(2) { return "every auth method" }
        if segments.count >= 3, segments[0] == "sys", segments[1] == "mounts", anyName(2) { return "every secrets engine mount" }
        if segments.count >= 4, segments[0] == "auth", segments[2] == "role", anyName(3) {
            return segments[1] == "+" ? "every role of every auth mount" : "every role of auth/\(segments[1])"
        }
        guard coversWholeMount(path) else { return nil }
        guard let first = segments.first, first != "+", !first.contains("*") else { return "every mount" }
        // Vault's own trees, not secrets engine mounts.
        if ["sys", "auth", "identity"].contains(first) { return "every path under \(first)/" }
        return "every secret of the \(first) mount"
    }

    /// Whether a path pattern covers every secret of a mount (or of every mount): its first
    /// glob (`*`, or a `+` segment) comes before it names a folder — fewer than two segments
    /// naming folders (a segment `prod*` names some), KV version 2's `data/` and its kin not
    /// counted. An exact path covers only itself; per-token `cubbyhole/` is private to each
    /// token.
    public static func coversWholeMount(_ path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.contains(where: { $0 == "+" || $0.contains("*") }) else { return false }
        if segments.first == "cubbyhole" { return false }
        var literal = 0
        for (i, s) in segments.enumerated() {
            if s == "+" { break }
            if let star = s.firstIndex(of: "*") {
                // `prod*` still names folders (those starting with `prod`), unless it could
                // be KV version 2's API segment (`d*` covers `data/`).
                let prefix = s[..<star]
                if !prefix.isEmpty && !(i == 1 && kvVersion2Segments.contains { $0.hasPrefix(prefix) }) { literal += 1 }
                break
            }
            literal += 1
        }
        if literal >= 2, kvVersion2Segments.contains(String(segments[1])) { literal -= 1 }
        return literal < 2
    }
}
