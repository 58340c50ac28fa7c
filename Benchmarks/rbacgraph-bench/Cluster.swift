/// The cluster the generator describes: Kubernetes' bootstrap RBAC and system namespaces, then
/// tenant namespaces.
enum Names {
    static let first = [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj",
        "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yara", "zoe", "liam", "noah", "emma",
        "ava", "mia", "lucas", "leo", "nora", "iris", "omar", "priya", "chen", "sofia", "mateo", "aisha", "kenji",
    ]
    static let last = [
        "smith", "jones", "garcia", "miller", "davis", "martin", "lopez", "wilson", "anderson", "thomas", "moore",
        "jackson", "lee", "perez", "white", "harris", "clark", "lewis", "young", "walker", "hall", "allen", "king",
        "wright", "scott", "green", "baker", "adams", "nelson", "hill", "campbell", "mitchell", "roberts", "carter",
    ]
    static let teams = [
        "payments", "orders", "identity", "search", "data", "ml", "platform", "growth", "mobile", "web", "infra",
        "security", "risk", "fraud", "catalog", "shipping", "support", "billing", "ads", "media",
    ]
    static let apps = [
        "api", "web", "worker", "gateway", "auth", "ledger", "search", "cache", "scheduler", "notifier", "frontend",
        "backend", "ingest", "reporting", "analytics", "checkout", "inventory", "pricing", "mailer", "uploader",
        "indexer", "exporter", "router", "sync", "audit", "cron", "importer", "renderer",
    ]
    static let envs = ["prod", "staging", "dev", "qa", "perf"]
    static let controllers = [
        "attachdetach-controller", "certificate-controller", "clusterrole-aggregation-controller",
        "cronjob-controller", "daemon-set-controller", "deployment-controller", "disruption-controller",
        "endpoint-controller", "endpointslice-controller", "endpointslicemirroring-controller",
        "ephemeral-volume-controller", "expand-controller", "generic-garbage-collector", "horizontal-pod-autoscaler",
        "job-controller", "namespace-controller", "node-controller", "persistent-volume-binder",
        "pod-garbage-collector", "pv-protection-controller", "pvc-protection-controller", "replicaset-controller",
        "replication-controller", "resourcequota-controller", "root-ca-cert-publisher", "route-controller",
        "service-account-controller", "service-controller", "statefulset-controller",
        "ttl-after-finished-controller", "ttl-controller", "legacy-service-account-token-cleaner",
        "validatingadmissionpolicy-status-controller",
    ]
    static let crdGroups = [
        "monitoring.coreos.com", "cert-manager.io", "argoproj.io", "kafka.strimzi.io", "postgresql.cnpg.io",
        "external-secrets.io", "networking.istio.io", "velero.io", "keda.sh", "traefik.io", "acme.cert-manager.io",
        "snapshot.storage.k8s.io", "policy.kyverno.io", "tekton.dev", "serving.knative.dev",
    ]
}

extension DumpGenerator {
    typealias R = Rule

    static let readVerbs = ["get", "list", "watch"]
    static let writeVerbs = ["create", "delete", "deletecollection", "patch", "update"]

    static let viewRules: [Rule] = [
        .r([""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"], readVerbs),
        .r([""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], readVerbs),
        .r([""], ["namespaces"], readVerbs),
        .r(["discovery.k8s.io"], ["endpointslices"], readVerbs),
        .r(["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], readVerbs),
        .r(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], readVerbs),
        .r(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], readVerbs),
        .r(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], readVerbs),
        .r(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], readVerbs),
    ]
    static let editRules: [Rule] = [
        .r([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], readVerbs),
        .r([""], ["serviceaccounts"], ["impersonate"]),
        .r([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], writeVerbs),
        .r([""], ["pods/eviction"], ["create"]),
        .r([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"], writeVerbs),
        .r([""], ["serviceaccounts/token"], ["create"]),
        .r(["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"], writeVerbs),
        .r(["autoscaling"], ["horizontalpodautoscalers"], writeVerbs),
        .r(["batch"], ["cronjobs", "jobs"], writeVerbs),
        .r(["networking.k8s.io"], ["ingresses", "networkpolicies"], writeVerbs),
        .r(["coordination.k8s.io"], ["leases"], readVerbs + writeVerbs),
    ]
    static let adminRules: [Rule] = [
        .r(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
        .r(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], readVerbs + writeVerbs),
    ]

    /// What every cluster has: system namespaces, the API server's bootstrap roles and bindings,
    /// the controllers' service accounts, and an organisation's cluster-wide grants.
    mutating func systemObjects() {
        var r = SplitMix64(seed: seed, stream: 2)
        for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
            namespaceObject(ns, labels: [], rng: &r)
            serviceAccount("default", namespace: ns, tokenSecret: nil, automount: nil, applied: false, rng: &r)
            caConfigMap(namespace: ns, rng: &r)
        }
        for ns in ["monitoring", "ingress-nginx", "cert-manager", "argocd", "external-secrets"] {
            namespaceObject(ns, labels: [("team", "platform"), ("env", "prod")], rng: &r)
            serviceAccount("default", namespace: ns, tokenSecret: nil, automount: nil, applied: false, rng: &r)
            serviceAccount(ns, namespace: ns, tokenSecret: nil, automount: nil, applied: true, rng: &r)
            caConfigMap(namespace: ns, rng: &r)
            role(clusterWide: true, name: ns, namespace: nil, rules: [
                .r([""], ["nodes", "namespaces", "pods", "services", "endpoints"], Self.readVerbs),
                .r([""], ["secrets", "configmaps"], Self.readVerbs + (ns == "monitoring" ? [] : Self.writeVerbs)),
                .r(["apiextensions.k8s.io"], ["customresourcedefinitions"], Self.readVerbs),
                .r(["coordination.k8s.io"], ["leases"], Self.readVerbs + Self.writeVerbs),
                .url(["/metrics", "/metrics/cadvisor"], ["get"]),
            ], labels: [("app.kubernetes.io/name", ns)], rng: &r)
            binding(clusterWide: true, name: ns, namespace: nil, roleKind: "ClusterRole", roleName: ns,
                    subjects: [.serviceAccount(ns, ns)], labels: [("app.kubernetes.io/name", ns)], rng: &r)
        }
        // kube-system: controller service accounts, bootstrap roles.
        for c in Names.controllers {
            serviceAccount(c, namespace: "kube-system", tokenSecret: nil, automount: nil, applied: false, rng: &r)
            var rules: [Rule] = [.r([""], ["events"], ["create", "patch", "update"]), .r(["events.k8s.io"], ["events"], ["create", "patch", "update"])]
            let resources = ["pods", "nodes", "services", "endpoints", "persistentvolumes", "persistentvolumeclaims", "namespaces", "serviceaccounts", "secrets", "configmaps", "replicationcontrollers"]
            rules.append(.r([""], r.sample(resources, r.int(1, 4)), r.sample(Self.readVerbs + Self.writeVerbs, r.int(2, 6))))
            if r.chance(0.5) {
                rules.append(.r(["apps", "extensions"], r.sample(["deployments", "replicasets", "statefulsets", "daemonsets", "controllerrevisions"], r.int(1, 3)), Self.readVerbs + ["update"]))
            }
            if r.chance(0.3) { rules.append(.r(["*"], ["*"], ["get", "list", "watch"])) }
            role(clusterWide: true, name: "system:controller:\(c)", namespace: nil, rules: rules, bootstrap: true, rng: &r)
            binding(clusterWide: true, name: "system:controller:\(c)", namespace: nil, roleKind: "ClusterRole", roleName: "system:controller:\(c)",
                    subjects: [.serviceAccount("kube-system", c)], bootstrap: true, rng: &r)
        }
        for sa in ["coredns", "kube-proxy", "metrics-server"] {
            serviceAccount(sa, namespace: "kube-system", tokenSecret: nil, automount: nil, applied: true, rng: &r)
        }
        role(clusterWide: true, name: "cluster-admin", namespace: nil, rules: [.r(["*"], ["*"], ["*"]), .url(["*"], ["*"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "admin", namespace: nil, rules: Self.viewRules + Self.editRules + Self.adminRules, aggregateLabels: ["rbac.authorization.k8s.io/aggregate-to-admin"], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "edit", namespace: nil, rules: Self.viewRules + Self.editRules, labels: [("rbac.authorization.k8s.io/aggregate-to-admin", "true")], aggregateLabels: ["rbac.authorization.k8s.io/aggregate-to-edit"], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "view", namespace: nil, rules: Self.viewRules, labels: [("rbac.authorization.k8s.io/aggregate-to-edit", "true")], aggregateLabels: ["rbac.authorization.k8s.io/aggregate-to-view"], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:aggregate-to-admin", namespace: nil, rules: Self.adminRules, labels: [("rbac.authorization.k8s.io/aggregate-to-admin", "true")], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:aggregate-to-edit", namespace: nil, rules: Self.editRules, labels: [("rbac.authorization.k8s.io/aggregate-to-edit", "true")], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:aggregate-to-view", namespace: nil, rules: Self.viewRules, labels: [("rbac.authorization.k8s.io/aggregate-to-view", "true")], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:basic-user", namespace: nil, rules: [.r(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]), .r(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:discovery", namespace: nil, rules: [.url(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"], ["get"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:public-info-viewer", namespace: nil, rules: [.url(["/healthz", "/livez", "/readyz", "/version", "/version/"], ["get"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:monitoring", namespace: nil, rules: [.url(["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"], ["get"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:node", namespace: nil, rules: [
            .r(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
            .r([""], ["services", "nodes", "endpoints"], Self.readVerbs),
            .r([""], ["nodes", "nodes/status"], ["create", "get", "list", "watch", "patch", "update", "delete"]),
            .r([""], ["pods"], Self.readVerbs + ["create", "delete"]),
            .r([""], ["pods/status"], ["patch", "update"]),
            .r([""], ["pods/eviction"], ["create"]),
            .r([""], ["configmaps", "secrets"], ["get", "list", "watch"]),
            .r([""], ["persistentvolumeclaims", "persistentvolumes"], ["get"]),
            .r([""], ["serviceaccounts/token"], ["create"]),
            .r(["coordination.k8s.io"], ["leases"], ["create", "delete", "get", "patch", "update"]),
        ], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:node-proxier", namespace: nil, rules: [.r([""], ["endpoints", "services"], Self.readVerbs), .r([""], ["nodes"], Self.readVerbs), .r(["discovery.k8s.io"], ["endpointslices"], Self.readVerbs)], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:kube-scheduler", namespace: nil, rules: [.r([""], ["pods", "nodes", "namespaces"], Self.readVerbs), .r([""], ["bindings", "pods/binding"], ["create"]), .r([""], ["pods/status"], ["patch", "update"]), .r(["coordination.k8s.io"], ["leases"], ["create"]), .r(["coordination.k8s.io"], ["leases"], ["get", "update"], names: ["kube-scheduler"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:kube-controller-manager", namespace: nil, rules: [.r([""], ["secrets", "serviceaccounts"], ["create"]), .r([""], ["secrets"], ["delete"], names: ["bootstrap-token-abcdef"]), .r(["*"], ["*"], ["list", "watch"]), .r([""], ["serviceaccounts/token"], ["create"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:auth-delegator", namespace: nil, rules: [.r(["authentication.k8s.io"], ["tokenreviews"], ["create"]), .r(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:certificates.k8s.io:certificatesigningrequests:nodeclient", namespace: nil, rules: [.r(["certificates.k8s.io"], ["certificatesigningrequests/nodeclient"], ["create"])], bootstrap: true, rng: &r)
        role(clusterWide: true, name: "system:kube-dns", namespace: nil, rules: [.r([""], ["endpoints", "services"], ["list", "watch"])], bootstrap: true, rng: &r)

        binding(clusterWide: true, name: "cluster-admin", namespace: nil, roleKind: "ClusterRole", roleName: "cluster-admin", subjects: [.group("system:masters")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:basic-user", namespace: nil, roleKind: "ClusterRole", roleName: "system:basic-user", subjects: [.group("system:authenticated")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:discovery", namespace: nil, roleKind: "ClusterRole", roleName: "system:discovery", subjects: [.group("system:authenticated")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:public-info-viewer", namespace: nil, roleKind: "ClusterRole", roleName: "system:public-info-viewer", subjects: [.group("system:authenticated"), .group("system:unauthenticated")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:monitoring", namespace: nil, roleKind: "ClusterRole", roleName: "system:monitoring", subjects: [.group("system:monitoring")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:node", namespace: nil, roleKind: "ClusterRole", roleName: "system:node", subjects: [], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:node-proxier", namespace: nil, roleKind: "ClusterRole", roleName: "system:node-proxier", subjects: [.user("system:kube-proxy")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:kube-scheduler", namespace: nil, roleKind: "ClusterRole", roleName: "system:kube-scheduler", subjects: [.user("system:kube-scheduler")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:kube-controller-manager", namespace: nil, roleKind: "ClusterRole", roleName: "system:kube-controller-manager", subjects: [.user("system:kube-controller-manager")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "system:kube-dns", namespace: nil, roleKind: "ClusterRole", roleName: "system:kube-dns", subjects: [.serviceAccount("kube-system", "coredns")], bootstrap: true, rng: &r)
        binding(clusterWide: true, name: "kubeadm:node-proxier", namespace: nil, roleKind: "ClusterRole", roleName: "system:node-proxier", subjects: [.serviceAccount("kube-system", "kube-proxy")], rng: &r)
        binding(clusterWide: true, name: "metrics-server:system:auth-delegator", namespace: nil, roleKind: "ClusterRole", roleName: "system:auth-delegator", subjects: [.serviceAccount("kube-system", "metrics-server")], rng: &r)
        binding(clusterWide: true, name: "kubeadm:get-nodes", namespace: nil, roleKind: "ClusterRole", roleName: "kubeadm:get-nodes", subjects: [.group("system:bootstrappers:kubeadm:default-node-token")], rng: &r)
        role(clusterWide: true, name: "kubeadm:get-nodes", namespace: nil, rules: [.r([""], ["nodes"], ["get"])], rng: &r)
        binding(clusterWide: true, name: "kubeadm:node-autoapprove-bootstrap", namespace: nil, roleKind: "ClusterRole", roleName: "system:certificates.k8s.io:certificatesigningrequests:nodeclient", subjects: [.group("system:bootstrappers:kubeadm:default-node-token")], rng: &r)

        // kube-system Roles.
        role(clusterWide: false, name: "extension-apiserver-authentication-reader", namespace: "kube-system", rules: [.r([""], ["configmaps"], ["get", "list", "watch"], names: ["extension-apiserver-authentication"])], bootstrap: true, rng: &r)
        role(clusterWide: false, name: "system::leader-locking-kube-controller-manager", namespace: "kube-system", rules: [.r([""], ["configmaps"], ["watch"]), .r([""], ["configmaps"], ["get", "update"], names: ["kube-controller-manager"])], bootstrap: true, rng: &r)
        role(clusterWide: false, name: "system:controller:bootstrap-signer", namespace: "kube-system", rules: [.r([""], ["secrets"], Self.readVerbs)], bootstrap: true, rng: &r)
        role(clusterWide: false, name: "kube-proxy", namespace: "kube-system", rules: [.r([""], ["configmaps"], ["get"], names: ["kube-proxy"])], rng: &r)
        binding(clusterWide: false, name: "metrics-server-auth-reader", namespace: "kube-system", roleKind: "Role", roleName: "extension-apiserver-authentication-reader", subjects: [.serviceAccount("kube-system", "metrics-server")], rng: &r)
        binding(clusterWide: false, name: "system::leader-locking-kube-controller-manager", namespace: "kube-system", roleKind: "Role", roleName: "system::leader-locking-kube-controller-manager", subjects: [.user("system:kube-controller-manager"), .serviceAccount("kube-system", "kube-controller-manager")], bootstrap: true, rng: &r)
        binding(clusterWide: false, name: "system:controller:bootstrap-signer", namespace: "kube-system", roleKind: "Role", roleName: "system:controller:bootstrap-signer", subjects: [.serviceAccount("kube-system", "bootstrap-signer")], bootstrap: true, rng: &r)
        binding(clusterWide: false, name: "kube-proxy", namespace: "kube-system", roleKind: "Role", roleName: "kube-proxy", subjects: [.group("system:bootstrappers:kubeadm:default-node-token")], rng: &r)

        // The organisation's grants.
        let admins = r.sample(users, 4).map { SubjectSpec.user($0) }
        binding(clusterWide: true, name: "platform-admins", namespace: nil, roleKind: "ClusterRole", roleName: "cluster-admin", subjects: [.group("platform-admins")] + admins, rng: &r)
        binding(clusterWide: true, name: "sre-view", namespace: nil, roleKind: "ClusterRole", roleName: "view", subjects: [.group("oidc:sre"), .group("oidc:oncall")], rng: &r)
        binding(clusterWide: true, name: "auditors", namespace: nil, roleKind: "ClusterRole", roleName: "monitoring-reader", subjects: [.group("oidc:auditors")] + r.sample(users, 3).map { .user($0) }, rng: &r)
        role(clusterWide: true, name: "monitoring-reader", namespace: nil, rules: [], aggregateLabels: ["rbac.example.com/aggregate-to-monitoring"], rng: &r)
        role(clusterWide: true, name: "monitoring-reader-core", namespace: nil, rules: [.r([""], ["pods", "nodes", "services", "endpoints"], Self.readVerbs), .url(["/metrics"], ["get"])], labels: [("rbac.example.com/aggregate-to-monitoring", "true")], rng: &r)
        role(clusterWide: true, name: "node-reader", namespace: nil, rules: [.r([""], ["nodes", "nodes/status", "nodes/metrics", "nodes/proxy"], Self.readVerbs)], labels: [("rbac.example.com/aggregate-to-monitoring", "true")], rng: &r)
        binding(clusterWide: true, name: "ci-deployer", namespace: nil, roleKind: "ClusterRole", roleName: "edit", subjects: [.serviceAccount("argocd", "argocd"), .user("ci-bot@example.com")], rng: &r)
        binding(clusterWide: true, name: "secrets-operator", namespace: nil, roleKind: "ClusterRole", roleName: "external-secrets", subjects: [.serviceAccount("external-secrets", "external-secrets")], rng: &r)
    }

    static let caPEM: String = {
        var r = SplitMix64(seed: 7)
        var s = "-----BEGIN CERTIFICATE-----\n"
        for _ in 0..<17 { s += DumpGenerator.base64(&r, 64).replacingOccurrences(of: "=", with: "A") + "\n" }
        s += "Q2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
        return s
    }()

    mutating func caConfigMap(namespace: String, rng r: inout SplitMix64) {
        configMap("kube-root-ca.crt", namespace: namespace, data: [("ca.crt", Self.caPEM)],
                  annotations: [("kubernetes.io/description", "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.")],
                  applied: false, manager: "kube-controller-manager", rng: &r)
    }

    func pem(_ r: inout SplitMix64, lines: Int) -> String {
        DumpGenerator.base64(&r, lines * 64)
    }

    // MARK: Tenants

    /// One tenant namespace: a team's application.
    mutating func tenantNamespace(index: Int, rng r: inout SplitMix64) {
        let team = r.pick(teams)
        let env = r.pick(Names.envs)
        var ns = "\(team)-\(r.pick(Names.apps))-\(env)"
        var n = 2
        while usedNamespaces.contains(ns) {
            ns = "\(team)-\(r.pick(Names.apps))-\(env)-\(n)"
            n += 1
        }
        usedNamespaces.insert(ns)
        let teamGroup = "team-\(team)"
        namespaceObject(ns, labels: [("team", team), ("env", env)], rng: &r)
        serviceAccount("default", namespace: ns, tokenSecret: nil, automount: r.chance(0.3) ? false : nil, applied: false, rng: &r)
        caConfigMap(namespace: ns, rng: &r)

        let apps = r.sample(Names.apps, r.int(3, 6))
        var serviceAccounts = ["default"]
        var secretNames: [String] = []
        for app in apps {
            let ownSA = r.chance(0.8)
            let sa = ownSA ? app : "default"
            if ownSA {
                serviceAccounts.append(app)
                let legacy = r.chance(0.15)
                let token = legacy ? "\(app)-token-\(Self.suffix(&r, 5))" : nil
                let ann: [(String, String)] = r.chance(0.25) ? [("eks.amazonaws.com/role-arn", "arn:aws:iam::123456789012:role/\(ns)-\(app)")] : []
                serviceAccount(app, namespace: ns, tokenSecret: token, automount: r.chance(0.2) ? false : nil, annotations: ann, applied: true, rng: &r)
                if let token {
                    secret(token, namespace: ns, type: "kubernetes.io/service-account-token",
                           data: [("ca.crt", pem(&r, lines: 17)), ("namespace", Self.base64(&r, 16)), ("token", Self.base64(&r, 1200))],
                           annotations: [("kubernetes.io/service-account.name", app), ("kubernetes.io/service-account.uid", Self.uuid(&r))],
                           applied: false, manager: "kube-controller-manager", rng: &r)
                    secretNames.append(token)
                }
            }
            // Secrets and config the app reads.
            let creds = "\(app)-credentials"
            let keys = r.sample(["password", "username", "api-key", "database-url", "jwt-secret", "client-secret"], r.int(2, 4))
            secret(creds, namespace: ns, type: "Opaque", data: keys.map { ($0, Self.base64(&r, r.int(16, 96))) },
                   labels: [("app", app)], applied: true, rng: &r)
            secretNames.append(creds)
            var volumes: [Volume] = [.configMap("config", "\(app)-config")]
            var mounts: [(volume: String, path: String, readOnly: Bool)] = [("config", "/etc/\(app)", true)]
            if r.chance(0.5) {
                let tls = "\(app)-tls"
                secret(tls, namespace: ns, type: "kubernetes.io/tls",
                       data: [("ca.crt", pem(&r, lines: 17)), ("tls.crt", pem(&r, lines: 40)), ("tls.key", pem(&r, lines: 26))],
                       labels: [("controller.cert-manager.io/fao", "true")],
                       annotations: [("cert-manager.io/alt-names", "\(app).\(ns).svc"), ("cert-manager.io/certificate-name", tls), ("cert-manager.io/common-name", "\(app).\(ns).svc"), ("cert-manager.io/issuer-kind", "ClusterIssuer"), ("cert-manager.io/issuer-name", "internal-ca")],
                       applied: false, manager: "cert-manager-certificates-issuing", rng: &r)
                secretNames.append(tls)
                volumes.append(.secret("tls", tls))
                mounts.append(("tls", "/etc/tls", true))
            }
            if r.chance(0.3) {
                volumes.append(.emptyDir("tmp"))
                mounts.append(("tmp", "/tmp", false))
            }
            var cfg = "server:\n  port: 8080\n  shutdownTimeout: 30s\nlogging:\n  level: info\n  format: json\n"
            cfg += "upstreams:\n"
            for u in r.sample(Names.apps, r.int(2, 6)) {
                cfg += "  - name: \(u)\n    url: http://\(u).\(ns).svc.cluster.local:8080\n    timeout: \(r.int(1, 30))s\n"
            }
            cfg += "features:\n"
            for f in 0..<r.int(3, 10) { cfg += "  feature\(f): \(r.chance(0.5))\n" }
            configMap("\(app)-config", namespace: ns, data: [("application.yaml", cfg), ("LOG_LEVEL", "info"), ("REGION", "eu-west-1")],
                      labels: [("app", app)], applied: true, rng: &r)

            var env: [(String, EnvSource)] = keys.prefix(3).map { (k: String) -> (String, EnvSource) in
                (k.uppercased().replacingOccurrences(of: "-", with: "_"), .secret(creds, k))
            }
            env.append(("LOG_LEVEL", .configMap("\(app)-config", "LOG_LEVEL")))
            env.append(("POD_NAME", .field("metadata.name")))
            env.append(("GOMAXPROCS", .value(String(r.int(1, 4)))))
            env.append(("SERVICE_NAME", .value(app)))
            var containers = [Container(
                name: app, image: "registry.example.com/\(team)/\(app):\(r.int(1, 4)).\(r.int(0, 30)).\(r.int(0, 9))",
                port: 8080, env: env, mounts: mounts, cpu: ("\(r.int(1, 5) * 100)m", "\(r.int(1, 4))"),
                memory: ("\(r.int(1, 8) * 128)Mi", "\(r.int(1, 4))Gi"), probe: true)]
            if r.chance(0.3) {
                containers.append(Container(
                    name: "envoy", image: "envoyproxy/envoy:v1.29.\(r.int(0, 5))", port: 9901,
                    env: [("ENVOY_UID", .value("0"))], mounts: [], cpu: ("100m", "500m"), memory: ("64Mi", "256Mi"), probe: false))
            }
            let spec = PodSpec(serviceAccount: sa, containers: containers, volumes: volumes)
            let replicas = r.int(1, 4)
            let hash = Self.suffix(&r, 10)
            let labels = [("app", app), ("app.kubernetes.io/name", app), ("app.kubernetes.io/part-of", team)]
            deployment(app, namespace: ns, spec: spec, replicas: replicas, hash: hash, labels: labels, rng: &r)
            let rs = OwnerRef(apiVersion: "apps/v1", kind: "ReplicaSet", name: "\(app)-\(hash)", uid: Self.uuid(&r))
            for _ in 0..<replicas {
                let name = "\(app)-\(hash)-\(Self.suffix(&r, 5))"
                pod(name, namespace: ns, spec: spec, owner: rs, generateName: "\(app)-\(hash)-",
                    labels: labels + [("pod-template-hash", hash)], applied: false, node: "node-\(r.int(1, 200))", rng: &r)
            }
        }
        if r.chance(0.1) {
            // A debugging pod someone applied by hand.
            let c = Container(name: "debug", image: "busybox:1.36", port: nil, env: [("TOKEN", .secret(secretNames[0], r.chance(0.5) ? "token" : "password"))],
                              mounts: [], cpu: ("10m", "100m"), memory: ("16Mi", "64Mi"), probe: false)
            pod("debug-\(Self.suffix(&r, 4))", namespace: ns, spec: PodSpec(serviceAccount: "default", containers: [c], volumes: []),
                owner: nil, generateName: nil, labels: [("run", "debug")], applied: true, node: "node-\(r.int(1, 200))", rng: &r)
        }
        if r.chance(0.5) {
            let auth = "{\"auths\":{\"registry.example.com\":{\"username\":\"robot$\(team)\",\"password\":\"\(Self.hexString(&r, 32))\"}}}"
            secret("regcred", namespace: ns, type: "kubernetes.io/dockerconfigjson",
                   data: [(".dockerconfigjson", Self.base64(&r, auth.utf8.count * 4 / 3 + 4))], applied: true, rng: &r)
            secretNames.append("regcred")
        }
        if r.chance(0.35) {
            let release = r.pick(apps)
            for v in 1...r.int(1, 3) {
                secret("sh.helm.release.v1.\(release).v\(v)", namespace: ns, type: "helm.sh/release.v1",
                       data: [("release", Self.base64(&r, r.int(6000, 16000)))],
                       labels: [("name", release), ("owner", "helm"), ("status", v == 1 ? "deployed" : "superseded"), ("version", String(v))],
                       applied: false, manager: "helm", rng: &r)
            }
        }

        // RBAC: Roles for the apps, RoleBindings for the apps, the team and a few people.
        let main = apps[0]
        let mainSA = serviceAccounts.count > 1 ? serviceAccounts[1] : "default"
        role(clusterWide: false, name: "\(main)-config-reader", namespace: ns, rules: [
            .r([""], ["configmaps"], Self.readVerbs),
            .r([""], ["secrets"], ["get"], names: r.sample(secretNames, r.int(1, 3))),
        ], labels: [("app", main)], rng: &r)
        binding(clusterWide: false, name: "\(main)-config-reader", namespace: ns, roleKind: "Role", roleName: "\(main)-config-reader",
                subjects: [.serviceAccount(ns, mainSA)], labels: [("app", main)], rng: &r)
        if r.chance(0.7) {
            role(clusterWide: false, name: "leader-election", namespace: ns, rules: [
                .r(["coordination.k8s.io"], ["leases"], ["get", "create", "update", "patch"]),
                .r([""], ["configmaps"], ["get", "create", "update"], names: ["\(main)-leader"]),
                .r([""], ["events"], ["create", "patch"]),
            ], rng: &r)
            binding(clusterWide: false, name: "leader-election", namespace: ns, roleKind: "Role", roleName: "leader-election",
                    subjects: r.sample(serviceAccounts, r.int(1, 3)).map { .serviceAccount(ns, $0) }, rng: &r)
        }
        if r.chance(0.6) {
            role(clusterWide: false, name: "deployer", namespace: ns, rules: [
                .r(["apps"], ["deployments", "replicasets", "statefulsets"], Self.readVerbs + Self.writeVerbs),
                .r([""], ["pods", "services", "configmaps"], Self.readVerbs + Self.writeVerbs),
                .r([""], ["pods/log"], ["get"]),
                .r([""], ["pods/exec", "pods/portforward"], ["create"]),
                .r(["networking.k8s.io"], ["ingresses"], Self.readVerbs + ["create", "update", "patch"]),
            ], rng: &r)
            binding(clusterWide: false, name: "deployer", namespace: ns, roleKind: "Role", roleName: "deployer",
                    subjects: [.serviceAccount("argocd", "argocd-application-controller"), .user("ci-bot@example.com")], rng: &r)
        }
        if r.chance(0.3) {
            role(clusterWide: false, name: "\(team)-debug", namespace: ns, rules: [
                .r([""], ["pods"], ["get", "list"]),
                .r([""], ["pods/exec", "pods/attach", "pods/portforward"], ["create", "get"]),
                .r([""], ["pods/log"], ["get"]),
            ], rng: &r)
            binding(clusterWide: false, name: "\(team)-debug", namespace: ns, roleKind: "Role", roleName: "\(team)-debug",
                    subjects: r.sample(users, r.int(1, 3)).map { .user($0) }, rng: &r)
        }
        binding(clusterWide: false, name: "\(team)-edit", namespace: ns, roleKind: "ClusterRole", roleName: env == "prod" ? "view" : "edit",
                subjects: [.group(teamGroup)] + r.sample(users, r.int(0, 2)).map { .user($0) }, rng: &r)
        if r.chance(0.6) {
            binding(clusterWide: false, name: "\(team)-admin", namespace: ns, roleKind: "ClusterRole", roleName: "admin",
                    subjects: [.user(r.pick(users))], rng: &r)
        }
        if r.chance(0.3) {
            // A cross-namespace grant: another namespace's service account reads here.
            binding(clusterWide: false, name: "monitoring-view", namespace: ns, roleKind: "ClusterRole", roleName: "view",
                    subjects: [.serviceAccount("monitoring", "monitoring"), .group("system:serviceaccounts:monitoring")], rng: &r)
        }

        // Now and then an operator with cluster-wide rights, and CRD roles that aggregate.
        if r.chance(0.2) {
            let op = "\(ns)-operator"
            serviceAccount("operator", namespace: ns, tokenSecret: nil, automount: nil, applied: true, rng: &r)
            let group = r.pick(Names.crdGroups)
            role(clusterWide: true, name: op, namespace: nil, rules: [
                .r([""], ["namespaces", "nodes"], Self.readVerbs),
                .r([""], ["secrets"], r.chance(0.5) ? Self.readVerbs : ["get"]),
                .r([group], ["*"], ["*"]),
                .r(["apiextensions.k8s.io"], ["customresourcedefinitions"], Self.readVerbs),
            ], labels: [("app.kubernetes.io/managed-by", "Helm")], rng: &r)
            binding(clusterWide: true, name: op, namespace: nil, roleKind: "ClusterRole", roleName: op,
                    subjects: [.serviceAccount(ns, "operator")], labels: [("app.kubernetes.io/managed-by", "Helm")], rng: &r)
        }
        if r.chance(0.15) {
            let group = r.pick(Names.crdGroups)
            let plural = "\(r.pick(Names.apps))\(r.pick(["es", "s", "configs", "policies"]))"
            role(clusterWide: true, name: "\(ns)-\(plural)-view", namespace: nil, rules: [.r([group], [plural, "\(plural)/status"], Self.readVerbs)],
                 labels: [("rbac.authorization.k8s.io/aggregate-to-view", "true"), ("rbac.example.com/aggregate-to-monitoring", "true")], rng: &r)
            role(clusterWide: true, name: "\(ns)-\(plural)-edit", namespace: nil, rules: [.r([group], [plural], Self.writeVerbs)],
                 labels: [("rbac.authorization.k8s.io/aggregate-to-edit", "true"), ("rbac.authorization.k8s.io/aggregate-to-admin", "true")], rng: &r)
        }
        if r.chance(0.05) {
            binding(clusterWide: true, name: "\(ns)-\(r.pick(users).split(separator: "@")[0])-cluster-view", namespace: nil, roleKind: "ClusterRole", roleName: "view",
                    subjects: [.user(r.pick(users))], rng: &r)
        }
    }
}
