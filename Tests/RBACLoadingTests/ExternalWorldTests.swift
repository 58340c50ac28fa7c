import Foundation
import Testing
import RBACCore
import RBACLoading

/// A world built from the projects' documented examples (Vault's Kubernetes auth tutorial,
/// ESO's Vault provider page, the Secrets Store CSI Vault provider page): who reaches which
/// Vault path, and the near misses that must not.
@Suite struct ExternalWorldTests {
    static let manifests = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod, labels: {team: web}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: dev}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: web, namespace: prod}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: web, namespace: dev}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: eso-reader, namespace: prod}
        ---
        # alice may run pods in prod: she can become prod/web.
        \(ESOWorld.role("deployer", namespace: "prod", resources: ["pods"], verbs: ["create"]))
        ---
        \(ESOWorld.binding("deployer", namespace: "prod", role: "deployer", roleKind: "Role", users: ["alice"]))
        ---
        # bob may create ExternalSecrets in prod and dev.
        \(ESOWorld.role("eso-author", group: "external-secrets.io", resources: ["externalsecrets"], verbs: ["create"]))
        ---
        \(ESOWorld.binding("eso-author", namespace: "prod", role: "eso-author", users: ["bob"]))
        ---
        \(ESOWorld.binding("eso-author", namespace: "dev", role: "eso-author", users: ["carol"]))
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-backend, namespace: prod}
        spec:
          provider:
            vault:
              server: "http://vault.vault:8200"
              path: secret
              version: v2
              auth:
                kubernetes:
                  mountPath: kubernetes
                  role: eso
                  serviceAccountRef: {name: eso-reader}
        ---
        # Serves only namespaces matching ^team- : not dev.
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: teams}
        spec:
          conditions:
          - namespaceRegexes: ["^team-"]
          provider:
            vault:
              server: "http://vault.vault:8200"
              path: secret
              auth:
                kubernetes: {role: eso, serviceAccountRef: {name: eso-reader, namespace: prod}}
        ---
        # What an ExternalSecret reads reaches its author through the Secret the operator writes:
        # the authors below may get a Secret named scratch in any namespace, and an ExternalSecret
        # may name it as its target. ivy writes ExternalSecrets in prod but reads no Secret.
        \(ESOWorld.role("scratch-reader", resources: ["secrets"], verbs: ["get"], names: ["scratch"]))
        ---
        \(ESOWorld.binding("scratch-reader", role: "scratch-reader", users: ["bob", "dave", "erin", "gus"], serviceAccounts: ["prod/ces-bot"]))
        ---
        \(ESOWorld.binding("ivy", namespace: "prod", role: "eso-author", users: ["ivy"]))
        """

    static let vault: [String: String] = [
        "auth/kubernetes/role/web.json": #"{"data": {"bound_service_account_names": ["web"], "bound_service_account_namespaces": ["prod"], "token_policies": ["web"]}}"#,
        "auth/kubernetes/role/eso.json": #"{"data": {"bound_service_account_names": ["eso-reader"], "bound_service_account_namespaces": ["prod"], "token_policies": ["eso"], "token_no_default_policy": true}}"#,
        "sys/policy/web.hcl": """
            path "secret/data/prod/*" {
              capabilities = ["read"]
            }
            path "secret/data/prod/admin/*" {
              capabilities = ["deny"]
            }
            """,
        "sys/policy/eso.hcl": "path \"secret/data/shared/*\" { capabilities = [\"read\", \"list\"] }\n",
        "sys/policy/default.hcl": "path \"cubbyhole/*\" { capabilities = [\"create\", \"read\", \"update\", \"delete\", \"list\"] }\n",
    ]

    static func world() throws -> EscalationGraph {
        var cluster = try ESOWorld.cluster(manifests)
        cluster.external.vault = try ESOWorld.vault(vault)
        return EscalationGraph(AccessGraph(cluster))
    }

    static func names(_ readers: [VaultReader]) -> [String] { readers.map(\.identity.description) }

    @Test func theBoundServiceAccountReadsAndWhoeverCanBecomeIt() throws {
        let esc = try Self.world()
        let direct = esc.vaultReaders(of: "secret/data/prod/db", capability: .read)
        // system:masters may create a SecretStore of prod logging in as sa:prod/web, and an
        // ExternalSecret reading through it (the operator's objects are in the input: it runs).
        #expect(Self.names(direct) == ["sa:prod/web", "group:system:masters"])
        #expect(direct.first?.certainty == .yes)
        if case .steps(let steps, _) = direct.last?.route { #expect(steps.first?.kind == .secretStoreWrite) } else { Issue.record("\(direct)") }
        let effective = esc.vaultReaders(of: "secret/data/prod/db", capability: .read, effective: true)
        #expect(Self.names(effective).contains("user:alice"))
        #expect(!Self.names(effective).contains("user:bob"))
    }

    /// Near misses: a deny on the subpath, a glob that does not match, a role bound to another
    /// namespace (dev/web has the same name), a capability the policy does not grant.
    @Test(arguments: [
        ("secret/data/prod/admin/root", VaultCapabilities.read),
        ("secret/data/production/db", .read),
        ("secret/data/dev/db", .read),
        ("secret/data/prod/db", .update),
    ])
    func nearMissesReachNothing(path: String, capability: VaultCapabilities) throws {
        let esc = try Self.world()
        let readers = esc.vaultReaders(of: path, capability: capability, effective: true)
        #expect(!Self.names(readers).contains("sa:prod/web"))
        #expect(!Self.names(readers).contains("sa:dev/web"))
        #expect(!Self.names(readers).contains("user:alice"))
    }

    @Test func creatingAnExternalSecretInAServedNamespaceReadsWhatTheStoreReaches() throws {
        let esc = try Self.world()
        let readers = esc.vaultReaders(of: "secret/data/shared/api-key", capability: .read)
        // The store's own service account, and bob (and system:masters, allowed everything)
        // through the prod SecretStore; carol's dev
        // is served by neither store (the ClusterSecretStore's condition excludes it).
        #expect(Self.names(readers).sorted() == ["group:system:masters", "sa:prod/eso-reader", "user:bob"])
        guard case .store(let store, let ns, let kind, _) = readers.first(where: { $0.identity.description == "user:bob" })?.route else {
            Issue.record("bob reads through a store")
            return
        }
        #expect(store.targetName == "store:prod/vault-backend" && ns == "prod" && kind == .externalSecret)
        // ivy may create ExternalSecrets in prod too, but may read no Secret there: the value
        // reaches a Secret she cannot get, list, watch or mount; not even by a privilege path.
        #expect(!Self.names(esc.vaultReaders(of: "secret/data/shared/api-key", capability: .read, effective: true)).contains("user:ivy"))
        // ExternalSecrets read; they do not write.
        #expect(!Self.names(esc.vaultReaders(of: "secret/data/shared/api-key", capability: .update)).contains("user:bob"))
    }

    @Test func externalSecretPathsAreListed() throws {
        var cluster = try ESOWorld.cluster(Self.manifests + """

            ---
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: db, namespace: prod}
            spec:
              secretStoreRef: {name: vault-backend}
              data: [{secretKey: password, remoteRef: {key: prod/db, property: password}}]
            """, name: "w.yaml")
        cluster.external.vault = VaultInventory()
        let paths = EscalationGraph(AccessGraph(cluster)).externalSecretPaths()
        #expect(paths.map(\.target) == ["vault:secret/data/prod/db"])
        #expect(paths.first?.namedBy == ["ExternalSecret prod/db"])
    }
}
