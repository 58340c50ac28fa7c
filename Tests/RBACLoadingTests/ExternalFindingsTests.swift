import Testing
import RBACCore
import RBACLoading

/// The external-secrets report rules beyond their own examples: what counts as a broad Vault
/// path, a regular expression admitting every namespace, "readable by many", and each rule's
/// severities.
@Suite struct ExternalFindingsTests {
    /// The findings of `rule` on manifests and a Vault folder.
    static func findings(_ rule: FindingRule, _ manifests: String, vault: [String: String] = [:]) throws -> [Finding] {
        var result = load(manifests, name: "external-findings.yaml")
        #expect(result.errors.isEmpty, "\(result.errors)")
        let loaded = try VaultLoader().load(files: vault, root: "vault")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics.map(\.description))")
        result.cluster.external.vault = loaded.inventory
        return rule.findings(in: ReportContext(graph: AccessGraph(result.cluster)))
    }

    @Test("which Vault path patterns cover whole mounts", arguments: [
        ("*", true), ("secret/*", true), ("secret/data/*", true), ("secret/metadata/*", true), ("secret/d*", true),
        ("+/data/config", true), ("secret/+/db", true), ("secret/data/+/db", true), ("secret*", true), ("sys/*", true),
        ("secret/data/prod/*", false), ("secret/data/prod*", false), ("secret/prod/*", false), ("secret/data/prod/+/db", false),
        ("secret/data/prod/db", false), ("secret/", false), ("cubbyhole/*", false), ("sys/tools/hash/*", false),
        ("secret/data/{{identity.entity.aliases.auth_kubernetes_1.metadata.service_account_namespace}}/*", false),
    ])
    func broadPaths(_ c: (path: String, broad: Bool)) {
        #expect(VaultPathRule.coversWholeMount(c.path) == c.broad, "\(c.path)")
    }

    @Test("which namespaceRegexes certainly admit every namespace", arguments: [
        ("", true), (".*", true), ("^.*$", true), (".+", true), (".", true), ("^", true), ("$", true),
        ("^$", false), ("^.$", false), ("^team-", false), ("prod", false), ("[a-z]+", false),
    ])
    func everyName(_ c: (regex: String, all: Bool)) {
        #expect(GoRegex.matchesEveryName(c.regex) == c.all, "\(c.regex)")
    }

    static let tokenStore = """
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
        kind: ClusterRole
        metadata: {name: secret-reader}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
        """

    static func readers(_ subjects: [String]) -> String {
        """
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: readers, namespace: prod}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
        subjects: [\(subjects.joined(separator: ", "))]
        """
    }

    static func user(_ n: String) -> String { "{kind: User, name: \(n), apiGroup: rbac.authorization.k8s.io}" }

    @Test("readable by many: a group for everyone is high, another group or more than 3 users medium, 3 users nothing", arguments: [
        (["{kind: Group, name: \"system:authenticated\", apiGroup: rbac.authorization.k8s.io}"], Severity?.some(.high)),
        (["{kind: Group, name: \"system:serviceaccounts\", apiGroup: rbac.authorization.k8s.io}"], .high),
        (["{kind: Group, name: \"system:serviceaccounts:prod\", apiGroup: rbac.authorization.k8s.io}"], .high),
        (["{kind: User, name: \"system:anonymous\", apiGroup: rbac.authorization.k8s.io}"], .high),
        (["{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}"], .medium),
        ([user("a"), user("b"), user("c"), "{kind: ServiceAccount, name: ci, namespace: prod}"], .medium),
        ([user("a"), user("b"), user("c")], nil),
        (["{kind: Group, name: \"system:masters\", apiGroup: rbac.authorization.k8s.io}"], nil),
    ])
    func readableByMany(_ c: (subjects: [String], severity: Severity?)) throws {
        let found = try Self.findings(.storeCredentialsReadable, Self.tokenStore + "\n" + Self.readers(c.subjects))
        #expect(found.map(\.severity) == (c.severity.map { [$0] } ?? []))
        if let f = found.first {
            #expect(f.object.description == "SecretStore/prod/vault")
            #expect(f.baselineKey == "store-credentials-readable SecretStore/prod/vault")
            #expect(f.evidence.first == "Secret prod/vault-token is named by spec.provider.vault.auth.tokenSecretRef")
            let readers = f.evidence.dropFirst()
            #expect(readers.count == c.subjects.count)
            #expect(readers.allSatisfy { $0.contains("may read Secret prod/vault-token: RoleBinding/prod/readers → ClusterRole/secret-reader rule 0: get secrets") })
        }
    }

    @Test func listingTheNamespaceSecretsCountsAsReading() throws {
        let yaml = Self.tokenStore.replacingOccurrences(of: "verbs: [get]", with: "verbs: [list]")
            + "\n" + Self.readers(["{kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}"])
        #expect(try Self.findings(.storeCredentialsReadable, yaml).map(\.severity) == [.medium])
    }

    /// The finding is located at the wildcard that makes it: `*` of the names, else of the
    /// namespaces, else the empty selector.
    @Test("Vault role: any namespace high, any name medium, only the default policy low", arguments: [
        (#"{"bound_service_account_names": ["*"], "bound_service_account_namespaces": ["*"], "token_policies": ["app"]}"#, Severity?.some(.high), "1:34"),
        (#"{"bound_service_account_names": ["vault-auth"], "bound_service_account_namespaces": ["*"], "token_policies": ["app"]}"#, .high, "1:86"),
        (#"{"bound_service_account_names": ["vault-auth"], "bound_service_account_namespace_selector": "{}", "token_policies": ["app"]}"#, .high, "1:49"),
        (#"{"bound_service_account_names": ["a", "*"], "bound_service_account_namespaces": ["prod"], "token_policies": ["app"]}"#, .medium, "1:39"),
        (#"{"bound_service_account_names": ["*"], "bound_service_account_namespaces": ["*"]}"#, .low, "1:34"),
        (#"{"bound_service_account_names": ["web"], "bound_service_account_namespaces": ["prod", "team-*"], "token_policies": ["app"]}"#, nil, ""),
        (#"{"bound_service_account_names": ["web"], "bound_service_account_namespace_selector": "{\"matchLabels\": {\"team\": \"web\"}}", "token_policies": ["app"]}"#, nil, ""),
    ])
    func vaultRoleSeverity(_ c: (role: String, severity: Severity?, at: String)) throws {
        let found = try Self.findings(.vaultRoleWildcard, "", vault: ["auth/kubernetes/role/r.json": c.role])
        #expect(found.map(\.severity) == (c.severity.map { [$0] } ?? []))
        if let f = found.first {
            #expect(f.baselineKey == "vault-role-wildcard VaultRole/auth/kubernetes/role/r")
            #expect(f.object.source?.description == "vault/auth/kubernetes/role/r.json:\(c.at)")
        }
    }

    @Test func aWildcardRoleRelatesTheServiceAccountsItAdmitsSoNamespaceReportsKeepIt() throws {
        let manifests = serviceAccountYAML("builder", namespace: "team-a") + "\n---\n" + serviceAccountYAML("web", namespace: "prod")
        var result = load(manifests)
        let role = #"{"bound_service_account_names": ["*"], "bound_service_account_namespaces": ["team-*"], "token_policies": ["tenant"]}"#
        result.cluster.external.vault = try VaultLoader().load(files: ["auth/kubernetes/role/tenant.json": role], root: "vault").inventory
        let graph = AccessGraph(result.cluster)
        let found = FindingRule.vaultRoleWildcard.findings(in: ReportContext(graph: graph))
        #expect(found.first?.related.map(\.description) == ["ServiceAccount/team-a/builder"])
        let ids = { (ns: String) in Report(graph: graph, rules: [.vaultRoleWildcard], namespace: ns).findings.map(\.ruleID) }
        #expect(ids("team-a") == ["vault-role-wildcard"])
        #expect(ids("prod") == [])
    }

    @Test func aBroadPolicyIsLocatedAtItsStanzaAndNamesItsRoles() throws {
        let policy = """
            path "secret/data/ci/*" {
              capabilities = ["create", "update"]
            }

            path "secret/*" {
              capabilities = ["read", "list", "sudo"]
            }
            """
        let role = #"{"bound_service_account_names": ["ci"], "bound_service_account_namespaces": ["ci"], "token_policies": ["ci"]}"#
        let found = try Self.findings(.vaultPolicyBroadWrite, "", vault: ["sys/policy/ci.hcl": policy, "auth/kubernetes/role/ci.json": role])
        try #require(found.count == 1)
        #expect(found[0].message == "Vault policy ci grants writes or sudo on broad paths: secret/* {sudo}")
        #expect(found[0].object.source?.description == "vault/sys/policy/ci.hcl:5:1")
        #expect(found[0].evidence == ["path \"secret/*\" {sudo}: every secret of the secret mount at vault/sys/policy/ci.hcl:5:1", "issued by: auth/kubernetes/role/ci"])
    }

    @Test("what a broad pattern covers", arguments: [
        ("*", "every mount"), ("+/data/config", "every mount"), ("secret/data/*", "every secret of the secret mount"),
        ("sys/policy/*", "every ACL policy"), ("sys/policies/acl/+", "every acl policy"), ("sys/auth/*", "every auth method"),
        ("sys/mounts/*", "every secrets engine mount"), ("auth/kubernetes/role/*", "every role of auth/kubernetes"),
        ("auth/+/role/+", "every role of every auth mount"), ("sys/*", "every path under sys/"),
        ("sys/policy/team-*", nil), ("auth/kubernetes/role/ci-*", nil), ("auth/kubernetes/role/web", nil), ("secret/data/prod/*", nil),
    ] as [(String, String?)])
    func breadth(_ c: (path: String, covers: String?)) {
        #expect(VaultPathRule.breadth(c.path) == c.covers, "\(c.path)")
    }

    @Test func aModifiedDefaultPolicyIsEveryTokens() throws {
        let found = try Self.findings(.vaultPolicyBroadWrite, "", vault: ["sys/policy/default.hcl": "path \"+/data/*\" {\n  capabilities = [\"update\"]\n}\n"])
        #expect(found.first?.evidence.contains("default: every token holds it, of every role without token_no_default_policy") == true)
    }

    static let openStore = """
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: shared}
        spec:
          provider:
            vault:
              server: "https://vault.example.com:8200"
              path: secret
              auth:
                kubernetes: {role: eso, serviceAccountRef: {name: eso, namespace: external-secrets}}
        """

    @Test func aClusterStoreNoOneCanUseYetIsMedium() throws {
        let found = try Self.findings(.clusterStoreAllNamespaces, Self.openStore)
        #expect(found.map(\.severity) == [.medium])
        #expect(found.first?.evidence.contains("no one but system:masters may create ExternalSecrets in the input's namespaces today") == true)
        #expect(found.first?.evidence.contains("Vault provider, mount secret (KV v2), logs in with auth/kubernetes/role/eso (no Vault folder in the input: --vault DIR shows what it reads)") == true)
    }

    @Test func aClusterStoreNamesWhoCanUseItAndWhatItReads() throws {
        let authors = """
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: es-author}
            rules: [{apiGroups: [external-secrets.io], resources: [externalsecrets], verbs: [create]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: es-author, namespace: dev}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: es-author}
            subjects: [{kind: User, name: carol, apiGroup: rbac.authorization.k8s.io}]
            """
        let role = #"{"bound_service_account_names": ["eso"], "bound_service_account_namespaces": ["external-secrets"], "token_policies": ["eso"]}"#
        let found = try Self.findings(.clusterStoreAllNamespaces, Self.openStore + "\n" + authors, vault: ["auth/kubernetes/role/eso.json": role])
        #expect(found.map(\.severity) == [.high])
        #expect(found.first?.evidence.contains("may create ExternalSecrets, and so read through it: user:carol in dev") == true)
        #expect(found.first?.evidence.contains("Vault provider, mount secret (KV v2), logs in with auth/kubernetes/role/eso (policies eso, default)") == true)
    }

    @Test func aClusterExternalSecretsTargetInEnvIsReportedInTheNamespacesItSelects() throws {
        let yaml = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a, labels: {tier: apps}}
            ---
            apiVersion: external-secrets.io/v1
            kind: ClusterExternalSecret
            metadata: {name: registry}
            spec:
              namespaceSelectors: [{matchLabels: {tier: apps}}]
              externalSecretSpec:
                secretStoreRef: {name: shared, kind: ClusterSecretStore}
                target: {name: registry-token}
                data: [{secretKey: token, remoteRef: {key: ci/registry}}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: builder, namespace: team-a}
            spec:
              containers: [{name: b, image: b, env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: registry-token, key: token}}}]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: builder, namespace: team-b}
            spec:
              containers: [{name: b, image: b, env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: registry-token, key: token}}}]}]
            """
        let found = try Self.findings(.externalSecretInEnv, Self.openStore + "\n---\n" + yaml + Self.podIn("team-c"))
        // team-c has labels that the selector does not match; team-b has no Namespace object:
        // its answer is unknown, reported low as a possibility.
        #expect(found.map(\.object.description) == ["Pod/team-a/builder", "Pod/team-b/builder"])
        #expect(found.map(\.severity) == [.medium, .low])
        #expect(found.first?.evidence == ["Secret team-a/registry-token (env in b) is written by ClusterExternalSecret registry from ClusterSecretStore shared (vault:secret/data/ci/registry)"])
        #expect(found.last?.message == "Pod team-b/builder may take external secrets through environment variables: registry-token")
        #expect(found.last?.evidence.first?.hasSuffix(", if its namespaceSelectors select team-b (the input has no Namespace team-b with its labels)") == true)
    }

    static func podIn(_ ns: String) -> String {
        """

        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: \(ns), labels: {tier: data}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: builder, namespace: \(ns)}
        spec:
          containers: [{name: b, image: b, env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: registry-token, key: token}}}]}]
        """
    }
}
