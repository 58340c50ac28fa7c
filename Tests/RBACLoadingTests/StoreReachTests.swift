import Testing
import RBACCore
import RBACLoading

/// Stores whose reach the input cannot follow — a static Vault token, AppRole, a role not in
/// `--vault`, a cloud provider — and ClusterExternalSecrets: their readers are listed as
/// unknown, with why, never left out; worlds from the operator's provider pages.
@Suite struct StoreReachTests {
    static let world = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod, labels: {env: prod}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: dev, labels: {env: dev}}
        ---
        # bob creates ExternalSecrets in prod.
        \(ESOWorld.role("es-author", namespace: "prod", group: "external-secrets.io", resources: ["externalsecrets"], verbs: ["create"]))
        ---
        \(ESOWorld.binding("es-author", namespace: "prod", role: "es-author", roleKind: "Role", users: ["bob"]))
        ---
        # bob may also get a Secret named scratch in prod: an ExternalSecret he writes may name it
        # as its target, so what the store reads reaches him.
        \(ESOWorld.role("scratch-reader", namespace: "prod", resources: ["secrets"], verbs: ["get"], names: ["scratch"]))
        ---
        \(ESOWorld.binding("scratch-reader", namespace: "prod", role: "scratch-reader", roleKind: "Role", users: ["bob"]))
        ---
        # carl reads the Secret holding the Vault token; dora only another Secret.
        \(ESOWorld.role("token-reader", namespace: "prod", resources: ["secrets"], verbs: ["get"], names: ["vault-token"]))
        ---
        \(ESOWorld.binding("token-reader", namespace: "prod", role: "token-reader", roleKind: "Role", users: ["carl"]))
        ---
        \(ESOWorld.role("other-reader", namespace: "prod", resources: ["secrets"], verbs: ["get"], names: ["db-credentials"]))
        ---
        \(ESOWorld.binding("other-reader", namespace: "prod", role: "other-reader", roleKind: "Role", users: ["dora"]))
        ---
        # The Vault provider page's token authentication.
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-token, namespace: prod}
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: secret
              version: v2
              auth:
                tokenSecretRef: {name: vault-token, key: token}
        ---
        # AppRole, on another mount.
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-approle, namespace: prod}
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: kv
              version: v2
              auth:
                appRole:
                  path: approle
                  roleId: db02de05-fa39-4855-059b-67221c5c2f63
                  secretRef: {name: vault-approle, key: secret-id}
        ---
        # AWS Secrets Manager with static keys.
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: aws, namespace: prod}
        spec:
          provider:
            aws:
              service: SecretsManager
              region: eu-central-1
              auth:
                secretRef:
                  accessKeyIDSecretRef: {name: awssm-secret, key: access-key}
                  secretAccessKeySecretRef: {name: awssm-secret, key: secret-access-key}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: api, namespace: prod}
        spec:
          secretStoreRef: {name: aws}
          data: [{secretKey: key, remoteRef: {key: prod/api-key}}]
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: db, namespace: prod}
        spec:
          secretStoreRef: {name: vault-token}
          data: [{secretKey: password, remoteRef: {key: prod/db, property: password}}]
        ---
        # A ClusterExternalSecret for every env=prod namespace, through the AWS store's
        # namespace-less twin.
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: aws-all}
        spec:
          provider:
            aws:
              service: SecretsManager
              region: eu-central-1
              auth:
                jwt:
                  serviceAccountRef: {name: eso, namespace: external-secrets}
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterExternalSecret
        metadata: {name: shared}
        spec:
          namespaceSelectors:
          - matchLabels: {env: prod}
          externalSecretSpec:
            secretStoreRef: {name: aws-all, kind: ClusterSecretStore}
            data: [{secretKey: k, remoteRef: {key: shared/token}}]
        """

    /// More Vault stores of prod on mount `other`, each logging in a way the input does not
    /// follow: JWT auth with a service account token, TLS certificates, Kubernetes auth whose
    /// role is not in the folder, Kubernetes auth as the operator itself, no auth block; and a
    /// SecretProviderClass whose role is not in the folder.
    static let unfollowed = """

        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-jwt, namespace: prod}
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: other
              auth:
                jwt:
                  path: jwt
                  role: eso
                  kubernetesServiceAccountToken:
                    serviceAccountRef: {name: eso}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-cert, namespace: prod}
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: other
              auth:
                cert:
                  clientCert: {name: vault-cert, key: tls.crt}
                  secretRef: {name: vault-cert, key: tls.key}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-k8s-missing-role, namespace: prod}
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: other
              auth:
                kubernetes: {mountPath: kubernetes, role: nowhere, serviceAccountRef: {name: eso}}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-no-auth, namespace: prod}
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: other
        ---
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: vault-unknown-role, namespace: prod}
        spec:
          provider: vault
          parameters:
            roleName: nowhere
            objects: |
              - objectName: db
                secretPath: other/data/csi/db
        ---
        # pat creates pods in prod: a pod may mount the class.
        \(ESOWorld.role("pod-creator", namespace: "prod", resources: ["pods"], verbs: ["create"]))
        ---
        \(ESOWorld.binding("pod-creator", namespace: "prod", role: "pod-creator", roleKind: "Role", users: ["pat"]))
        """

    /// Each login the input does not follow is said unknown, with why, naming the store, and
    /// bob (who may create ExternalSecrets in prod and read a Secret there) is listed as a
    /// reader of unknown reach, by `who-can` and by `paths`: never left out.
    @Test(arguments: [
        ("vault-jwt", "it logs in with Vault JWT auth with role auth/jwt/role/eso (service account prod/eso): rbacgraph follows Kubernetes auth roles only"),
        ("vault-cert", "it logs in with Vault cert auth (Secret prod/vault-cert"),
        ("vault-k8s-missing-role", "its Vault role auth/kubernetes/role/nowhere is not in --vault"),
        ("vault-no-auth", "its Vault provider names no auth method"),
    ])
    func unfollowedLoginsAreUnknownNotDropped(store: String, why: String) throws {
        let esc = try ESOWorld.paths(Self.world + Self.unfollowed, name: "stores.yaml", from: [.user("bob"), .user("pat")])
        let s = try #require(esc.access.external.stores.first { $0.name == store })
        #expect(esc.unknownReach(of: s, from: "prod")?.contains(why) == true, "\(String(describing: esc.unknownReach(of: s, from: "prod")))")
        let readers = esc.vaultReaders(of: "other/data/x", capability: .read)
        // Bob, who may create ExternalSecrets where each such store serves, once (by his best
        // route, a store whose reach is unknown); through this store, his paths say.
        let bob = readers.filter { $0.identity == .user("bob") }
        #expect(bob.count == 1 && bob.first?.certainty == .unknown)
        if case .storeOfUnknownReach = bob.first?.route {} else { Issue.record("\(String(describing: bob.first?.route))") }
        let paths = esc.vaultPaths(from: .user("bob"), to: try #require(VaultTarget.parse("vault:other/data/x")), all: true)
        let through = try #require(paths.first { $0.external.first?.to == "store:prod/\(store)" })
        #expect(through.certainty == .notShown && through.external.last?.condition?.text.contains(why) == true)
    }

    /// A SecretProviderClass whose role the folder lacks: whoever may create pods where it is
    /// mounts it, reach unknown.
    @Test func aClassWhoseRoleIsNotInTheFolderIsMountedWithUnknownReach() throws {
        let esc = try ESOWorld.paths(Self.world + Self.unfollowed, name: "stores.yaml", from: [.user("pat")])
        let target = try #require(VaultTarget.parse("vault:other/data/csi/db"))
        let p = try #require(esc.vaultPaths(from: .user("pat"), to: target).first)
        #expect(p.external.map(\.kind) == [.csiMount])
        #expect(p.external[0].condition?.text == "its login may read other/data/csi/db: its role auth/kubernetes/role/nowhere is not in --vault")
        #expect(esc.vaultReaders(of: "other/data/csi/db", capability: .read).contains { $0.identity == .user("pat") && $0.certainty == .unknown })
    }

    static func graph() throws -> EscalationGraph { EscalationGraph(AccessGraph(try ESOWorld.cluster(world, name: "stores.yaml"))) }

    @Test(arguments: [
        ("vault-token", "a static Vault token (Secret prod/vault-token)"),
        ("vault-approle", "AppRole (Secret prod/vault-approle)"),
        ("aws", "a aws store (Secret prod/awssm-secret"),
    ])
    func whyTheReachIsUnknown(store: String, why: String) throws {
        let esc = try Self.graph()
        let s = try #require(esc.access.external.stores.first { $0.name == store })
        let reason = try #require(esc.unknownReach(of: s, from: "prod"))
        #expect(reason.contains(why), "\(reason)")
    }

    /// Who may create an ExternalSecret where a token store serves may read whatever the
    /// token reaches: listed, unknown; only under the store's own mount.
    @Test func aTokenStoresReadersAreUnknownNotLeftOut() throws {
        let esc = try Self.graph()
        let readers = esc.vaultReaders(of: "secret/data/prod/db", capability: .read)
        let bob = try #require(readers.first { $0.identity == .user("bob") })
        #expect(bob.certainty == .unknown)
        guard case .storeOfUnknownReach(let store, let ns, _, let reason) = bob.route else {
            Issue.record("\(bob.route)")
            return
        }
        #expect(store.name == "vault-token" && ns == "prod" && reason.contains("token"))
        // The AppRole store reads under kv/ only: not a reader of secret/…
        #expect(!readers.contains { if case .storeOfUnknownReach(let s, _, _, _) = $0.route { return s.name == "vault-approle" } else { return false } })
        // Nor may anyone read through a store in dev, which no store serves.
        #expect(!readers.contains { if case .storeOfUnknownReach(_, let ns, _, _) = $0.route { return ns == "dev" } else { return false } })
    }

    /// Keys of a cloud store are listed with their reach unknown; a ClusterExternalSecret's
    /// keys are listed for the namespaces it selects.
    @Test func externalSecretPathsSayWhatIsUnknown() throws {
        let esc = try Self.graph()
        let paths = esc.externalSecretPaths()
        let api = try #require(paths.first { $0.target == "store:prod/aws key prod/api-key" })
        #expect(api.unknownReach?.contains("does not read aws permissions") == true)
        #expect(api.store?.name == "aws")
        let readers = esc.storeReaders(of: try #require(StoreTarget.parse(api.target)), use: .read, effective: false).map(esc.reader)
        #expect(readers.map(\.identity).filter { $0 != .group("system:masters") } == [.user("bob")], "\(readers.map(\.identity))")
        #expect(readers.allSatisfy { $0.certainty == .unknown })
        let shared = try #require(paths.first { $0.target == "clusterstore:aws-all key shared/token" })
        #expect(shared.namedBy == ["ClusterExternalSecret shared"])
        #expect(paths.contains { $0.target == "vault:secret/data/prod/db" })
        let ces = try #require(esc.access.external.externalSecrets.first { $0.kind == .clusterExternalSecret })
        #expect(esc.clusterExternalSecretNamespaces(ces) == ["prod"])
    }

    /// `paths --to vault:` follows such a store too, its last step conditional (not shown):
    /// a path that may exist, not a silent "no path".
    @Test func pathsThroughATokenStoreEndUnknown() throws {
        let esc = try ESOWorld.paths(Self.world, name: "stores.yaml", from: [.user("bob")])
        let p = try #require(esc.vaultPaths(from: .user("bob"), to: VaultTarget.parse("vault:secret/data/prod/db")!).first)
        #expect(p.external.map(\.kind) == [.externalSecretWrite, .storeLogin])
        #expect(p.external.last?.condition?.observed == nil)
        #expect(p.external.last?.condition?.text.contains("a static Vault token") == true)
        #expect(p.certainty == .notShown)
        #expect(p.access == nil)
        // The AppRole store reads under kv/ only.
        #expect(esc.vaultPaths(from: .user("bob"), to: VaultTarget.parse("vault:secret/data/x")!, all: true).allSatisfy { !$0.external.contains { $0.why.contains("vault-approle") } })
        #expect(!esc.vaultPaths(from: .user("bob"), to: VaultTarget.parse("vault:kv/data/x")!).isEmpty)
        #expect(esc.vaultPaths(from: .user("bob"), to: VaultTarget.parse("vault:other/data/x")!).isEmpty)
    }

    /// Whoever reads the Secret holding a store's static token holds the token: a reader of
    /// unknown reach; a reader of another Secret is not.
    @Test func readersOfTheTokenSecretAreUnknownReaders() throws {
        let esc = try Self.graph()
        let readers = esc.vaultReaders(of: "secret/data/prod/db", capability: .read)
        let carl = try #require(readers.first { $0.identity == .user("carl") })
        guard case .credentialSecret(let store, let ns, let name, let reason) = carl.route else {
            Issue.record("\(carl.route)")
            return
        }
        #expect(store.name == "vault-token" && ns == "prod" && name == "vault-token" && reason.contains("static Vault token"))
        // Reading the Secret is his own (the grant is on that step, as `who-can get secret` has it).
        #expect(carl.certainty == .unknown && carl.path?.steps.map(\.kind) == [.secretsRead])
        #expect(!readers.contains { $0.identity == .user("dora") })
    }
}
