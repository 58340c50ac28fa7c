import Foundation
import Testing
import RBACCore
import RBACLoading

/// Stores as targets (`store:NS/NAME`, `clusterstore:NAME`: whatever their credentials reach)
/// and the Secrets ExternalSecrets write, on a world made of the External Secrets Operator's
/// documented examples (the Vault provider page's `vault-backend` store and `vault-example`
/// ExternalSecret, the ClusterSecretStore page's `conditions`, the PushSecret page's
/// `pushsecret-example`), with the near misses that must find nothing.
@Suite struct StoreTargetTests {
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
        kind: Namespace
        metadata: {name: team-a, labels: {eso: enabled}}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-backend, namespace: prod}
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: "secret"
              version: "v2"
              auth:
                kubernetes:
                  mountPath: "kubernetes"
                  role: "demo"
                  serviceAccountRef: {name: "my-sa"}
        ---
        # The ClusterSecretStore page: conditions by selector or by name; not dev.
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: labelled}
        spec:
          conditions:
          - namespaceSelector: {matchLabels: {eso: enabled}}
          - namespaces: [prod]
          provider:
            aws:
              service: SecretsManager
              region: eu-west-1
              auth:
                secretRef:
                  accessKeyIDSecretRef: {name: awssm-secret, key: access-key, namespace: platform}
                  secretAccessKeySecretRef: {name: awssm-secret, key: secret-access-key, namespace: platform}
        ---
        # The Vault provider page's ExternalSecret: target example-sync.
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: vault-example, namespace: prod}
        spec:
          refreshInterval: "15s"
          secretStoreRef: {name: vault-backend, kind: SecretStore}
          target: {name: example-sync}
          data:
          - secretKey: foobar
            remoteRef: {key: foo, property: my-value}
        ---
        # No target name: the Secret is named as the ExternalSecret.
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: api, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: SecretStore}
          data:
          - {secretKey: key, remoteRef: {key: api}}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: merged, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: SecretStore}
          target: {name: merged-into, creationPolicy: Merge}
          data:
          - {secretKey: key, remoteRef: {key: merged}}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: merged-missing, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: SecretStore}
          target: {name: nowhere, creationPolicy: Merge}
          data:
          - {secretKey: key, remoteRef: {key: merged}}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: orphan, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: SecretStore}
          target: {creationPolicy: Orphan}
          data:
          - {secretKey: key, remoteRef: {key: orphan}}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: none, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: SecretStore}
          target: {creationPolicy: None}
          data:
          - {secretKey: key, remoteRef: {key: none}}
        ---
        # In another namespace, through the ClusterSecretStore: dev's example-sync is its own.
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: vault-example, namespace: team-a}
        spec:
          secretStoreRef: {name: labelled, kind: ClusterSecretStore}
          target: {name: example-sync}
          data:
          - {secretKey: key, remoteRef: {key: team-a/db}}
        ---
        # The ClusterExternalSecret page: one ExternalSecret in each namespace its selector picks.
        apiVersion: external-secrets.io/v1
        kind: ClusterExternalSecret
        metadata: {name: shared}
        spec:
          externalSecretName: shared-es
          namespaceSelectors:
          - matchLabels: {eso: enabled}
          externalSecretSpec:
            secretStoreRef: {name: labelled, kind: ClusterSecretStore}
            target: {name: shared-db}
            data:
            - {secretKey: key, remoteRef: {key: shared/db}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: merged-into, namespace: prod}
        type: Opaque
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: my-sa, namespace: prod}
        ---
        # bob: ExternalSecrets in prod. carol: in dev (no store serves it). dana: in team-a.
        # erin: PushSecrets in prod. frank: reads Secrets of platform (the AWS keys).
        \(ESOWorld.role("es-author", group: "external-secrets.io", resources: ["externalsecrets"], verbs: ["create"]))
        ---
        \(ESOWorld.role("push-author", group: "external-secrets.io", resources: ["pushsecrets"], verbs: ["create"]))
        ---
        \(ESOWorld.role("secret-reader", resources: ["secrets"], verbs: ["get", "list"]))
        ---
        \(ESOWorld.binding("bob", namespace: "prod", role: "es-author", users: ["bob"]))
        ---
        \(ESOWorld.binding("carol", namespace: "dev", role: "es-author", users: ["carol"]))
        ---
        \(ESOWorld.binding("dana", namespace: "team-a", role: "es-author", users: ["dana"]))
        ---
        \(ESOWorld.binding("erin", namespace: "prod", role: "push-author", users: ["erin"]))
        ---
        \(ESOWorld.binding("frank", namespace: "platform", role: "secret-reader", users: ["frank"]))
        ---
        # What an ExternalSecret reads reaches its author through the Secret the operator writes:
        # bob, carol and dana may get a Secret named scratch (an ExternalSecret may name it as its
        # target). gina writes ExternalSecrets in prod but reads no Secret: a near miss.
        \(ESOWorld.role("scratch-reader", resources: ["secrets"], verbs: ["get"], names: ["scratch"]))
        ---
        \(ESOWorld.binding("scratch-reader", role: "scratch-reader", users: ["bob", "carol", "dana"]))
        ---
        \(ESOWorld.binding("gina", namespace: "prod", role: "es-author", users: ["gina"]))
        """

    static let people: [PathNode] = ["alice", "bob", "carol", "dana", "erin", "frank", "gina"].map { .user($0) }

    static func world() throws -> EscalationGraph { try ESOWorld.paths(manifests, from: people) }

    static func store(_ text: String, in esc: EscalationGraph) throws -> SecretStore {
        let target = try #require(StoreTarget.parse(text))
        return try #require(esc.stores(named: target).first)
    }

    static func names(_ paths: [VaultPath], in esc: EscalationGraph) -> Set<String> {
        Set(paths.map { esc.nodes[$0.kubernetes.start].description })
    }

    // MARK: The notation

    @Test("a store target reads back as it prints", arguments: [
        "store:prod/vault-backend", "clusterstore:labelled", "store:prod/aws key prod/api-key", "clusterstore:x key a/b c",
        "store:prod/aws (keys found by pattern)", "clusterstore:x (keys found by pattern)", "store:*/local", "store:*/aws key a",
    ])
    func notationRoundTrips(_ text: String) throws {
        let t = try #require(StoreTarget.parse(text))
        #expect(t.description == text)
    }

    @Test("malformed store targets are refused", arguments: [
        "store:prod", "store:/x", "store:prod/", "store:prod/a/b", "store:*/*", "store:prod/*", "store:*/", "clusterstore:", "clusterstore:a/b",
        "store:prod/x key ", "stores:prod/x", "clusterstore:*",
    ])
    func malformed(_ text: String) {
        #expect(StoreTarget.parse(text) == nil)
    }

    @Test func everyStoreOfTheInputPrintsAsATargetThatNamesIt() throws {
        let esc = try Self.world()
        for s in esc.access.external.stores {
            let t = try #require(StoreTarget.parse(StoreTarget(s).description))
            #expect(t.names(s))
            #expect(esc.stores(named: t).count == 1)
        }
    }

    /// `store:*/NAME` (what `secrets --external` prints for a ClusterExternalSecret selecting no
    /// namespace of the input) is the SecretStore NAME of any namespace: certain through the
    /// one the input holds, on the condition that it exists elsewhere.
    @Test func anyNamespaceIsTheSecretStoreOfThatNameInEveryNamespace() throws {
        let esc = try Self.world()
        let t = try #require(StoreTarget.parse("store:*/vault-backend"))
        #expect(t.anyNamespace && t.description == "store:*/vault-backend")
        #expect(esc.stores(named: t).map(\.namespace) == ["prod"])
        let readers = esc.storeReaders(of: t, use: .read, effective: false)
        func who(_ name: String) -> VaultPath? { readers.first { esc.nodes[$0.kubernetes.start] == .user(name) } }
        #expect(who("bob")?.certainty == .certain)
        #expect(who("bob")?.end == "store:prod/vault-backend")
        // dana writes ExternalSecrets in team-a, carol in dev: a SecretStore vault-backend there is not in the input.
        #expect(who("dana")?.certainty == .notShown && who("dana")?.end == "store:team-a/vault-backend")
        #expect(who("carol")?.external.first?.condition?.text == "SecretStore dev/vault-backend exists (the input does not hold it)")
        // erin writes PushSecrets only, frank reads Secrets only.
        #expect(who("erin") == nil && who("frank") == nil)
        #expect(esc.storeReaders(of: t, use: .write, effective: false).contains { esc.nodes[$0.kubernetes.start] == .user("erin") })
    }

    /// An ExternalSecret's author gets what the store reads only through the Secret the
    /// operator writes, which the author names: any Secret of the namespace the API server lets
    /// them get, or list or watch, or mount in a pod they create. The step says which.
    @Test("the author reads what the store reads only by reading the Secret it writes", arguments: [
        (#"{apiGroups: [""], resources: [secrets], verbs: [get]}"#, "get secrets in prod"),
        (#"{apiGroups: [""], resources: [secrets], verbs: [list]}"#, "list secrets in prod"),
        (#"{apiGroups: [""], resources: [secrets], verbs: [watch]}"#, "watch secrets in prod"),
        (#"{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [mine]}"#, "get Secret prod/mine"),
        (#"{apiGroups: [""], resources: [pods], verbs: [create]}"#, "create pods in prod, which may mount it"),
        // Near misses: another verb, another resource, a name only in another namespace.
        (#"{apiGroups: [""], resources: [secrets], verbs: [delete]}"#, nil),
        (#"{apiGroups: [""], resources: [configmaps], verbs: [get, list]}"#, nil),
        (#"{apiGroups: [""], resources: [secrets/status], verbs: [get]}"#, nil),
        (#"{apiGroups: [apps], resources: [secrets], verbs: [get]}"#, nil),
    ] as [(String, String?)])
    func authorReadsTheWrittenSecret(_ rule: String, _ how: String?) throws {
        let extra = """

            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: xena, namespace: prod}
            rules:
            - {apiGroups: [external-secrets.io], resources: [externalsecrets], verbs: [create]}
            - \(rule)
            ---
            \(ESOWorld.binding("xena", namespace: "prod", role: "xena", roleKind: "Role", users: ["xena"]))
            ---
            # In dev she may get every Secret: no store serves dev.
            \(ESOWorld.binding("xena", namespace: "dev", role: "secret-reader", users: ["xena"]))
            """
        let xena = PathNode.user("xena")
        let esc = try ESOWorld.paths(Self.manifests + extra, from: [xena])
        let store = try Self.store("store:prod/vault-backend", in: esc)
        let path = esc.storePaths(from: xena, to: store, use: .read).first
        #expect((path != nil) == (how != nil), "\(rule)")
        let readers = Self.names(esc.storeReaders(of: store, use: .read, effective: true), in: esc)
        #expect(readers.contains("user:xena") == (how != nil))
        guard let how, let path else { return }
        #expect(path.kubernetes.steps.isEmpty && path.external.map(\.kind) == [.externalSecretWrite])
        #expect(path.external[0].evidence.contains { $0.hasSuffix(": \(how) (RoleBinding/prod/xena → Role/prod/xena)") }, "\(path.external[0].evidence)")
        // The data of the Secrets the store fills, too.
        let secret = try #require(esc.access.materializedSecret(namespace: "prod", name: "example-sync"))
        #expect(!esc.materializedPaths(from: xena, to: secret).isEmpty)
    }

    // MARK: The Secrets ExternalSecrets write

    /// `creationPolicy` as the operator's reconciler acts on it, and the default target name.
    @Test("which Secrets are written", arguments: [
        ("prod", "example-sync", true),  // target.name
        ("prod", "vault-example", false),  // not its own name when target.name is given
        ("prod", "api", true),  // no target.name: its own name
        ("prod", "merged-into", true),  // Merge into a Secret of the input
        ("prod", "nowhere", false),  // Merge: never created
        ("prod", "orphan", true),  // Orphan creates it
        ("prod", "none", false),  // None writes nothing
        ("team-a", "example-sync", true),  // its own namespace
        ("dev", "example-sync", false),  // no ExternalSecret in dev
        ("team-a", "shared-db", true),  // the ClusterExternalSecret selects team-a by its label
        ("prod", "shared-db", false),  // … not prod
    ])
    func materialized(_ ns: String, _ name: String, _ expected: Bool) throws {
        let esc = try Self.world()
        let m = esc.access.materializedSecret(namespace: ns, name: name)
        #expect((m != nil) == expected)
        if let m {
            #expect(m.inInput == (name == "merged-into"))
            #expect(m.externalSecret.kind == (name == "shared-db" ? .clusterExternalSecret : .externalSecret))
            #expect(m.description.contains("at world.yaml:"), "\(m.description)")
        }
    }

    @Test func aBadCreationPolicyIsALocatedError() throws {
        let yaml = """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: x, namespace: prod}
            spec:
              secretStoreRef: {name: vault-backend}
              target: {creationPolicy: Always}
            """
        let loaded = try ManifestLoader().load(yaml: yaml, name: "bad.yaml")
        #expect(loaded.hasErrors)
        #expect(loaded.diagnostics.description.contains("bad.yaml:1"), "\(loaded.diagnostics)")
        #expect(loaded.diagnostics.description.contains("spec.target.creationPolicy must be one of Owner, Orphan, Merge, None"), "\(loaded.diagnostics)")
    }

    // MARK: Who uses a store

    @Test("who may use a store, by the verb", arguments: [
        // gina creates ExternalSecrets in prod but may read no Secret there: what the store reads
        // for her lands in a Secret she cannot see.
        ("store:prod/vault-backend", StoreUse.read, ["bob", "sa:prod/my-sa"], ["carol", "dana", "erin", "gina"]),
        ("store:prod/vault-backend", StoreUse.write, ["erin", "sa:prod/my-sa"], ["bob", "gina"]),
        ("store:prod/vault-backend", StoreUse.use, ["bob", "erin", "sa:prod/my-sa"], ["carol", "frank", "gina"]),
        // Served by selector (team-a) and by name (prod), not dev; its keys are read by frank.
        ("clusterstore:labelled", StoreUse.read, ["bob", "dana", "frank"], ["carol", "erin", "gina"]),
    ])
    func storeReaders(_ target: String, _ use: StoreUse, _ yes: [String], _ no: [String]) throws {
        let esc = try Self.world()
        let readers = Self.names(esc.storeReaders(of: try Self.store(target, in: esc), use: use, effective: false), in: esc)
        for who in yes { #expect(readers.contains(who.contains(":") ? who : "user:\(who)"), "\(who) in \(readers)") }
        for who in no { #expect(!readers.contains("user:\(who)"), "\(who) not in \(readers)") }
    }

    @Test("the shortest path to a store, step by step", arguments: [
        ("user:bob", "store:prod/vault-backend", StoreUse.use, ["externalsecret-write"]),
        ("user:erin", "store:prod/vault-backend", StoreUse.write, ["pushsecret-write"]),
        ("user:dana", "clusterstore:labelled", StoreUse.use, ["externalsecret-write"]),
        ("user:frank", "clusterstore:labelled", StoreUse.use, ["secrets-read", "store-credentials"]),
    ])
    func storePath(_ from: String, _ target: String, _ use: StoreUse, _ kinds: [String]) throws {
        let esc = try Self.world()
        let start = try #require(PathNode.identity(parsing: from))
        let p = try #require(esc.storePaths(from: start, to: try Self.store(target, in: esc), use: use).first)
        #expect(p.kubernetes.steps.map(\.kind.rawValue) + p.external.map(\.kind.rawValue) == kinds)
        #expect(p.end == target)
        #expect(p.certainty == .certain)
    }

    @Test("near misses find no path", arguments: [
        ("user:carol", "store:prod/vault-backend"),  // a SecretStore serves its own namespace
        ("user:carol", "clusterstore:labelled"),  // dev matches no condition
        ("user:alice", "store:prod/vault-backend"),  // no permission at all
    ])
    func nearMisses(_ from: String, _ target: String) throws {
        let esc = try Self.world()
        let start = try #require(PathNode.identity(parsing: from))
        #expect(esc.storePaths(from: start, to: try Self.store(target, in: esc)).isEmpty)
    }

    @Test func bobMayNotWriteWithTheStore() throws {
        let esc = try Self.world()
        #expect(esc.storePaths(from: .user("bob"), to: try Self.store("store:prod/vault-backend", in: esc), use: .write).isEmpty)
    }

    // MARK: A written Secret's data through its stores

    @Test("the data of a written Secret, through its store", arguments: [
        ("user:bob", "prod", "example-sync", true),
        ("user:bob", "prod", "merged-into", true),
        ("user:dana", "team-a", "example-sync", true),
        ("user:bob", "team-a", "example-sync", true),  // the ClusterSecretStore serves prod too: the same keys
        ("user:carol", "prod", "example-sync", false),  // dev is served by no store
        ("user:erin", "prod", "example-sync", false),  // a PushSecret writes, it does not read
    ])
    func throughStores(_ from: String, _ ns: String, _ name: String, _ expected: Bool) throws {
        let esc = try Self.world()
        let m = try #require(esc.access.materializedSecret(namespace: ns, name: name))
        let start = try #require(PathNode.identity(parsing: from))
        let paths = esc.materializedPaths(from: start, to: m)
        #expect(!paths.isEmpty == expected)
        if let p = paths.first {
            #expect(p.external.last?.kind == .storeRead)
            #expect(p.end == "secret:\(ns)/\(name)")
            #expect(p.external.last?.evidence.first?.contains("materialized by ExternalSecret \(ns)/") == true || name == "merged-into")
        }
    }

    @Test func aWrittenSecretOfTheInputOrNotIsASecretOfTheEscalationGraph() throws {
        let esc = try Self.world()
        for (ns, name) in [("prod", "example-sync"), ("prod", "api"), ("team-a", "example-sync")] {
            #expect(esc.index(of: .secret(namespace: ns, name: name)) != nil, "\(ns)/\(name)")
        }
        for (ns, name) in [("prod", "nowhere"), ("prod", "none"), ("prod", "vault-example")] {
            #expect(esc.index(of: .secret(namespace: ns, name: name)) == nil, "\(ns)/\(name)")
        }
    }

    @Test func theShortestOfBothKindsWins() throws {
        let esc = try Self.world()
        let m = try #require(esc.access.materializedSecret(namespace: "prod", name: "example-sync"))
        let target = try #require(PathTarget.parse("secret:prod/example-sync"))
        // bob has no way in Kubernetes; through the store, two steps.
        let bob = esc.paths(from: .user("bob"), to: target, writtenBy: m)
        guard case .external(let p)? = bob.first else { Issue.record("\(bob)"); return }
        #expect(p.external.map(\.kind) == [.externalSecretWrite, .storeRead])
        // The Kubernetes readers are still there: frank reads Secrets of platform only.
        #expect(esc.paths(from: .user("frank"), to: target, writtenBy: m).isEmpty)
    }

    // MARK: Without a target: beyond the cluster

    @Test func pathsWithoutATargetEndAtTheStores() throws {
        let esc = try Self.world()
        let beyond = esc.pathsBeyond(from: .user("bob"))
        // The Vault paths the ExternalSecrets name first: the world has no --vault, so the
        // store's reach is a condition the input does not show; then the stores, certain.
        #expect(beyond.map(\.end.target) == [
            "vault:secret/data/api", "vault:secret/data/foo", "vault:secret/data/merged", "vault:secret/data/none", "vault:secret/data/orphan",
            "store:prod/vault-backend", "clusterstore:labelled",
        ])
        for b in beyond {
            #expect(b.path.certainty == (b.end.vault == nil ? .certain : .notShown), "\(b.end.target)")
            #expect(b.path.end == b.end.target)
        }
        #expect(esc.pathsBeyond(from: .user("carol")).isEmpty)
    }
}
