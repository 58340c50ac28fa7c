import Foundation
import Testing
import RBACCore
import RBACLoading

/// Privilege paths that end in Vault (`paths --to vault:…`), on the world of
/// ``ExternalWorldTests`` (the projects' documented examples) and a few more people: each route
/// of the issue, and the near misses that must find nothing.
@Suite struct VaultPathTests {
    static let more = """

        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a}
        ---
        # dave creates ClusterExternalSecrets (cluster-scoped): he chooses their namespaces.
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: ces-author}
        rules:
        - apiGroups: [external-secrets.io]
          resources: [clusterexternalsecrets]
          verbs: [create]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ces-author}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ces-author}
        subjects: [{kind: User, name: dave, apiGroup: rbac.authorization.k8s.io}]
        ---
        # erin writes SecretStores and ExternalSecrets in prod; frank only SecretStores.
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: store-author, namespace: prod}
        rules:
        - apiGroups: [external-secrets.io]
          resources: [secretstores, externalsecrets]
          verbs: [create]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: store-author, namespace: prod}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: store-author}
        subjects: [{kind: User, name: erin, apiGroup: rbac.authorization.k8s.io}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: store-only, namespace: prod}
        rules:
        - apiGroups: [external-secrets.io]
          resources: [secretstores]
          verbs: [create]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: store-only, namespace: prod}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: store-only}
        subjects: [{kind: User, name: frank, apiGroup: rbac.authorization.k8s.io}]
        ---
        # gus may only update ExternalSecrets in prod: he needs one to exist.
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: es-updater, namespace: prod}
        rules:
        - apiGroups: [external-secrets.io]
          resources: [externalsecrets]
          verbs: [update]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: es-updater, namespace: prod}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: es-updater}
        subjects: [{kind: User, name: gus, apiGroup: rbac.authorization.k8s.io}]
        ---
        # The CSI driver's Vault provider page: a class mounting one path with role web.
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: vault-database, namespace: prod}
        spec:
          provider: vault
          parameters:
            roleName: web
            objects: |
              - objectName: db-password
                secretPath: secret/data/prod/db-pass
                secretKey: password
        """

    /// hank may impersonate sa:prod/ces-bot, which may create ClusterExternalSecrets: he reaches
    /// what a ClusterExternalSecret reads by a path, not by a permission of his own.
    static let impersonator = """

        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: ces-bot, namespace: prod}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: ces-bot}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ces-author}
        subjects: [{kind: ServiceAccount, name: ces-bot, namespace: prod}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: impersonate-ces-bot, namespace: prod}
        rules:
        - apiGroups: [""]
          resources: [serviceaccounts]
          verbs: [impersonate]
          resourceNames: [ces-bot]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: hank, namespace: prod}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: impersonate-ces-bot}
        subjects: [{kind: User, name: hank, apiGroup: rbac.authorization.k8s.io}]
        """

    /// kim and lou may create ExternalSecrets in prod and read no Secret themselves; kim may
    /// impersonate sa:prod/secret-reader, which may get the Secret `scratch` of prod, and lou
    /// sa:dev/dev-reader, which may get it in dev only.
    static let secondReader = """

        ---
        \(ESOWorld.binding("kim-lou", namespace: "prod", role: "eso-author", users: ["kim", "lou"]))
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: secret-reader, namespace: prod}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: dev-reader, namespace: dev}
        ---
        \(ESOWorld.binding("secret-reader", namespace: "prod", role: "scratch-reader", users: [], serviceAccounts: ["prod/secret-reader"]))
        ---
        \(ESOWorld.binding("dev-reader", namespace: "dev", role: "scratch-reader", users: [], serviceAccounts: ["dev/dev-reader"]))
        ---
        \(ESOWorld.role("impersonate-secret-reader", namespace: "prod", resources: ["serviceaccounts"], verbs: ["impersonate"], names: ["secret-reader"]))
        ---
        \(ESOWorld.binding("kim", namespace: "prod", role: "impersonate-secret-reader", roleKind: "Role", users: ["kim"]))
        ---
        \(ESOWorld.role("impersonate-dev-reader", namespace: "dev", resources: ["serviceaccounts"], verbs: ["impersonate"], names: ["dev-reader"]))
        ---
        \(ESOWorld.binding("lou", namespace: "dev", role: "impersonate-dev-reader", roleKind: "Role", users: ["lou"]))
        """

    static func world(extra: String = "", vault: [String: String] = [:]) throws -> EscalationGraph {
        var cluster = try ManifestLoader().load(yaml: ExternalWorldTests.manifests + more + extra, name: "world.yaml").cluster
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-vault-paths-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (path, text) in ExternalWorldTests.vault.merging(vault, uniquingKeysWith: { $1 }) {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let loaded = try VaultLoader().load(folders: [dir.path])
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        cluster.external.vault = loaded.inventory
        return PathFinder(AccessGraph(cluster)).graph(including: [.user("dave"), .user("erin"), .user("frank"), .user("gus"), .user("hank"), .user("nobody")])
    }

    static func kinds(_ p: VaultPath, in esc: EscalationGraph) -> [String] {
        p.kubernetes.steps.map(\.kind.rawValue) + p.external.map(\.kind.rawValue)
    }

    /// Each route of the issue, as the shortest path of someone who has it.
    @Test(arguments: [
        // Become a service account (pod-create, run-as…), then its Vault login.
        ("user:alice", "vault:secret/data/prod/db", ["pod-create", "run-as", "each-service-account", "vault-login", "vault-policy"]),
        // Create an ExternalSecret in a namespace the store serves.
        ("user:bob", "vault:secret/data/shared/db", ["externalsecret-write", "store-login", "vault-policy"]),
        // Create a ClusterExternalSecret: its ExternalSecret in team-a, which the ClusterSecretStore serves.
        ("user:dave", "vault:secret/data/shared/db", ["clusterexternalsecret-write", "externalsecret-write", "store-login", "vault-policy"]),
        // Create a SecretStore of one's own naming a service account of the namespace.
        ("user:erin", "vault:secret/data/prod/db", ["secretstore-write", "store-login", "vault-policy"]),
        // A pattern target: some path under it.
        ("user:bob", "vault:secret/data/shared/*", ["externalsecret-write", "store-login", "vault-policy"]),
    ])
    func routes(from: String, to: String, kinds: [String]) throws {
        let esc = try Self.world()
        let paths = esc.vaultPaths(from: PathNode.identity(parsing: from)!, to: VaultTarget.parse(to)!)
        try #require(paths.count == 1)
        #expect(Self.kinds(paths[0], in: esc) == kinds)
        #expect(paths[0].external.last.map { $0.condition == nil && !$0.evidence.isEmpty } == true, "the policy step names its policy file")
    }

    @Test func theVaultLoginNamesTheRoleAndThePolicyFile() throws {
        let esc = try Self.world()
        let p = try #require(esc.vaultPaths(from: .user("alice"), to: VaultTarget.parse("vault:secret/data/prod/db")!).first)
        #expect(p.certainty == .certain)
        #expect(p.access?.login.role.path == "auth/kubernetes/role/web")
        #expect(p.external[0].to == "Vault auth/kubernetes/role/web as sa:prod/web")
        #expect(p.external[1].why == "path \"secret/data/prod/*\" {read} decides secret/data/prod/db")
        #expect(p.external[1].evidence.first?.hasPrefix("policy web at ") == true)
    }

    /// A direct write carries its RBAC grant; the SecretStore route rests on the operator,
    /// which the input shows (it holds stores).
    /// The store routes of `paths --to vault:` are the store's own (those of `paths --to
    /// store:`) with its login after them: a PushSecret writes with the login (create, update,
    /// patch), as `who-can` already said; and a store reads and writes under its own mount
    /// only, whether its login is followed or not (a store of mount kv reached secret/… before).
    @Test func storeRoutesToVaultAreTheStoresOwn() throws {
        let extra = """

            ---
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: kv-store, namespace: prod}
            spec:
              provider:
                vault:
                  server: "http://vault.vault:8200"
                  path: kv
                  auth:
                    kubernetes: {role: eso, serviceAccountRef: {name: eso-reader}}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pusher, namespace: prod}
            rules:
            - {apiGroups: [external-secrets.io], resources: [pushsecrets], verbs: [create]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: pusher, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pusher}
            subjects: [{kind: User, name: pia, apiGroup: rbac.authorization.k8s.io}]
            """
        let policy = """
            path "secret/data/shared/*" { capabilities = ["read", "list", "create"] }
            path "kv/data/*" { capabilities = ["read"] }
            """
        let esc = try Self.world(extra: extra, vault: ["sys/policy/eso.hcl": policy])
        let pia = PathNode.user("pia")
        let create = try #require(VaultTarget.parse("vault:secret/data/shared/db", capability: .create))
        let push = try #require(PathFinder(esc.access).graph(including: [pia]).vaultPaths(from: pia, to: create).first)
        #expect(push.external.map(\.kind) == [.pushSecretWrite, .storeLogin, .vaultPolicy])
        #expect(push.external[0].to == "store:prod/vault-backend")
        #expect(Set(esc.vaultReaders(of: "secret/data/shared/db", capability: .create).map(\.identity)).contains(pia))
        // No route through kv-store to secret/…; through it to kv/….
        let bob = PathNode.user("bob")
        let all = esc.vaultPaths(from: bob, to: try #require(VaultTarget.parse("vault:secret/data/shared/db")), all: true)
        #expect(!all.isEmpty && !all.contains { $0.external.contains { $0.to == "store:prod/kv-store" } })
        let kv = esc.vaultPaths(from: bob, to: try #require(VaultTarget.parse("vault:kv/data/x")))
        #expect(kv.first?.external.first?.to == "store:prod/kv-store")
    }

    @Test func directWritesShowTheirGrant() throws {
        let esc = try Self.world()
        let bob = try #require(esc.vaultPaths(from: .user("bob"), to: VaultTarget.parse("vault:secret/data/shared/db")!).first)
        let grant = try #require(bob.external[0].grant)
        #expect(esc.access.bindings[grant.binding].name == "eso-author")
        let erin = try #require(esc.vaultPaths(from: .user("erin"), to: VaultTarget.parse("vault:secret/data/prod/db")!).first)
        #expect(erin.external[0].condition?.observed == true)
        #expect(erin.certainty == .shownTrue)
    }

    /// With `all`, every route. gus may update an ExternalSecret of prod, if one exists (this
    /// world holds none: a condition not shown); bob, who may only create them, has no such route.
    @Test func allListsEveryRoute() throws {
        let esc = try Self.world()
        let paths = esc.vaultPaths(from: .user("alice"), to: VaultTarget.parse("vault:secret/data/prod/db-pass")!, all: true)
        let first = paths.map { Self.kinds($0, in: esc).first ?? "" }
        // Mounting the class is shorter than becoming the service account.
        #expect(first.first == "csi-mount")
        #expect(first.contains("pod-create"))
        let bob = esc.vaultPaths(from: .user("bob"), to: VaultTarget.parse("vault:secret/data/shared/db")!, all: true)
        #expect(!bob.isEmpty && !bob.contains { $0.external[0].why.hasPrefix("update") })
        let gus = esc.vaultPaths(from: .user("gus"), to: VaultTarget.parse("vault:secret/data/shared/db")!, all: true)
        let update = try #require(gus.first)
        #expect(update.external[0].why.hasPrefix("update"))
        #expect(update.external[0].condition?.text == "an ExternalSecret exists in prod")
        #expect(update.external[0].condition?.observed == nil)
        #expect(update.certainty == .notShown)
    }

    /// Near misses: a deny on the subpath, a pattern no policy reaches, a namespace no store
    /// serves (carol's dev), a SecretStore without an ExternalSecret to read through it
    /// (frank), a capability ExternalSecrets do not have, someone with no permission at all.
    @Test(arguments: [
        ("user:alice", "vault:secret/data/prod/admin/root", VaultCapabilities.read),
        ("user:alice", "vault:secret/data/prod/admin/*", .read),
        ("user:alice", "vault:secret/data/dev/*", .read),
        ("user:carol", "vault:secret/data/shared/db", .read),
        ("user:frank", "vault:secret/data/prod/db", .read),
        ("user:bob", "vault:secret/data/shared/db", .update),
        ("user:nobody", "vault:secret/data/prod/db", .read),
    ])
    func nearMissesFindNoPath(from: String, to: String, capability: VaultCapabilities) throws {
        let esc = try Self.world()
        let paths = esc.vaultPaths(from: PathNode.identity(parsing: from)!, to: VaultTarget.parse(to, capability: capability)!, all: true)
        #expect(paths.isEmpty, "\(paths.map { Self.kinds($0, in: esc) })")
    }

    /// Patterns match as policy paths do.
    @Test(arguments: [
        ("secret/data/prod/*", "secret/data/prod/db", true),
        ("secret/data/prod/*", "secret/data/production/db", false),
        ("secret/data/prod*", "secret/data/production/db", true),
        ("secret/+/prod/db", "secret/data/prod/db", true),
        ("secret/+/prod/db", "secret/data/x/prod/db", false),
        ("secret/data/prod/db", "secret/data/prod/db2", false),
        // Vault compares bytes: a decomposed é is another path than a precomposed one.
        ("secret/data/caf\u{E9}", "secret/data/cafe\u{301}", false),
        ("secret/data/caf\u{E9}", "secret/data/caf\u{E9}", true),
    ])
    func targetPatterns(pattern: String, path: String, matches: Bool) {
        #expect(VaultTarget(pattern: pattern).matches(path) == matches)
    }

    /// who-can names the ClusterExternalSecret author too, once, by the first of its routes:
    /// for each namespace a store serves, the ExternalSecret it would make there (`paths --all`
    /// has each).
    @Test func whoCanNamesClusterExternalSecretAuthors() throws {
        let esc = try Self.world()
        let dave = esc.vaultReaders(of: "secret/data/shared/db", capability: .read).filter { $0.identity == .user("dave") }
        let routes = dave.compactMap { r -> String? in
            guard case .store(let store, let ns, let kind, _) = r.route, kind == .clusterExternalSecret else { return nil }
            return "\(store.targetName) in \(ns)"
        }
        #expect(routes == ["store:prod/vault-backend in prod"], "\(routes)")
        #expect(dave.count == 1 && dave.allSatisfy { $0.grant != nil && $0.certainty == .yes })
        let target = try #require(VaultTarget.parse("vault:secret/data/shared/db"))
        let stores = esc.vaultPaths(from: .user("dave"), to: target, all: true).filter { $0.external.first?.kind == .clusterExternalSecretWrite }
            .map { $0.external[1].to }
        #expect(Set(stores) == ["store:prod/vault-backend", "clusterstore:teams"], "\(stores)")
        // Writes are PushSecrets' business, not ClusterExternalSecrets'.
        #expect(!esc.vaultReaders(of: "secret/data/shared/db", capability: .update).contains { $0.identity == .user("dave") })
    }

    /// `who-can --effective` lists exactly the identities `paths` finds a path for, on every
    /// route: hank, who becomes a service account that may create ClusterExternalSecrets; gus,
    /// who may update an ExternalSecret; alice, by her certain pod as sa:prod/eso-reader
    /// (listed certain, not by a conditional route); kim, who reads the Secret her
    /// ExternalSecret writes as another identity; and without `--effective`, the
    /// identities whose path has no Kubernetes step.
    @Test(arguments: [
        ("secret/data/shared/db", VaultCapabilities.read), ("secret/data/prod/db", .read), ("secret/data/prod/db-pass", .read),
        ("secret/data/team-a/ci", .read), ("secret/data/shared/db", .update), ("secret/data/prod/admin/root", .read),
    ])
    func whoCanEffectiveIsWhoHasAPath(path: String, capability: VaultCapabilities) throws {
        let esc = try Self.world(extra: Self.impersonator + Self.secondReader)
        let target = VaultTarget(pattern: path, capability: capability)
        let effective = esc.vaultReaders(of: path, capability: capability, effective: true)
        let direct = esc.vaultReaders(of: path, capability: capability, effective: false)
        var withPath = Set<PathNode>(), withoutSteps = Set<PathNode>(), certain = Set<PathNode>()
        for node in esc.nodes where node.isIdentity {
            let paths = esc.vaultPaths(from: node, to: target, all: false).filter { $0.certainty != .shownFalse }
            guard let best = paths.first else { continue }
            withPath.insert(node)
            // No Kubernetes step, and no other identity's to read what the operator writes.
            if best.kubernetes.steps.isEmpty && !best.external.contains(where: { $0.kind == .writtenSecretRead }) { withoutSteps.insert(node) }
            if best.certainty <= .shownTrue { certain.insert(node) }
        }
        // Credentials readers are no route of the paths engine (their reach is unknown).
        let routed = { (rs: [VaultReader]) in rs.filter { if case .credentialSecret = $0.route { false } else { true } } }
        #expect(Set(routed(effective).map(\.identity)) == withPath)
        // Held directly: every path without a step; the authorizer's own grants too
        // (system:masters, whose path takes the system-masters step).
        #expect(Set(routed(direct).map(\.identity)).isSuperset(of: withoutSteps))
        #expect(Set(routed(direct).map(\.identity)).isSubset(of: withPath))
        #expect(Set(effective.filter { $0.certainty == .yes }.map(\.identity)) == certain)
        if path == "secret/data/shared/db" && capability == .read {
            #expect(withPath.isSuperset(of: [.user("hank"), .user("gus"), .user("alice"), .user("dave")]))
            #expect(effective.first { $0.identity == .user("alice") }?.certainty == .yes)
            #expect(!withPath.contains(.user("frank")) && !withPath.contains(.user("carol")))
            // kim reads the Secret her ExternalSecret writes as another identity; lou cannot.
            #expect(withPath.contains(.user("kim")) && !withPath.contains(.user("lou")))
        }
    }

    /// The API server decides "create the ExternalSecret" and "read the Secret it writes" apart:
    /// kim creates the ExternalSecret herself and reads its Secret as sa:prod/secret-reader,
    /// whom she may impersonate — the read is its own step, with its own evidence and path.
    /// Near misses: lou's reader reads Secrets of dev only, ivy reads none at all.
    @Test func theWrittenSecretMayBeReadAsAnotherIdentity() throws {
        let esc = try Self.world(extra: Self.secondReader)
        let target = VaultTarget.parse("vault:secret/data/shared/db")!
        let kim = try #require(esc.vaultPaths(from: .user("kim"), to: target).first)
        #expect(Self.kinds(kim, in: esc) == ["externalsecret-write", "written-secret-read", "store-login", "vault-policy"])
        let read = kim.external[1]
        #expect(read.namespace == "prod")
        #expect(read.evidence == ["sa:prod/secret-reader may get Secret prod/scratch (RoleBinding/prod/secret-reader → ClusterRole/scratch-reader)"])
        // The reader's Kubernetes steps are the path's own: counted, and in the JSON's steps.
        #expect(read.branch.map { $0.steps.map(\.kind.rawValue) } == ["impersonate"])
        #expect(read.branch.map { esc.nodes[$0.start] } == .user("kim"))
        #expect(kim.stepCount == 5)
        let json = esc.json(kim)
        #expect(json["steps"]?.arrayValue?.compactMap { $0["kind"]?.stringValue }
            == ["externalsecret-write", "impersonate", "written-secret-read", "store-login", "vault-policy"])
        #expect(json["steps"]?.arrayValue?[2]["from"]?.stringValue == "sa:prod/secret-reader")
        #expect(esc.readerJSON(kim)["length"] == .number(5) && esc.readerJSON(kim)["direct"]?.boolValue == false)
        // The write is kim's own: its grant, and no read said on it.
        #expect(kim.external[0].grant != nil)
        #expect(!kim.external[0].evidence.contains { $0.contains("may read") })
        #expect(kim.certainty == .certain)
        for near in ["lou", "ivy"] {
            #expect(esc.vaultPaths(from: .user(near), to: target).isEmpty, "\(near)")
        }
        // A store target, and paths --from without --to, say the same.
        let store = try #require(StoreTarget.parse("store:prod/vault-backend"))
        #expect(esc.storePaths(from: .user("kim"), to: store, use: .read).first?.external.map(\.kind) == [.externalSecretWrite, .writtenSecretRead])
        #expect(esc.storePaths(from: .user("lou"), to: store, use: .read).isEmpty)
        #expect(esc.pathsBeyond(from: .user("kim")).contains { $0.end.target == "vault:secret/data/shared/*" })
        #expect(!esc.pathsBeyond(from: .user("lou")).contains { $0.end.target == "vault:secret/data/shared/*" })
        // who-can: kim by a privilege path (--effective), not as a direct holder.
        let effective = esc.vaultReaders(of: "secret/data/shared/db", capability: .read, effective: true).map(\.identity)
        #expect(effective.contains(.user("kim")))
        #expect(!effective.contains(.user("lou")) && !effective.contains(.user("ivy")))
        #expect(!esc.vaultReaders(of: "secret/data/shared/db", capability: .read).map(\.identity).contains(.user("kim")))
        let storeReaders = esc.storeReaders(of: store, use: .read, effective: true).map { esc.nodes[$0.kubernetes.start] }
        #expect(storeReaders.contains(.user("kim")) && !storeReaders.contains(.user("lou")))
    }

    /// The reader's steps decide the path's certainty and rank: kim's reader is certain (5
    /// steps); rita reaches sa:prod/secret-reader only by exec into a pod of its Deployment,
    /// which the input shows but not its pods — a condition shown true, so her path is
    /// conditional too, and the read step itself has no condition of its own. A shorter
    /// certain route wins over a longer one: kim's own Secret read, once granted, makes her
    /// path 3 steps with no branch.
    @Test func theReadersStepsDecideCertaintyAndRank() throws {
        let esc = try Self.world(extra: Self.secondReader + Self.conditionalReader)
        let target = VaultTarget.parse("vault:secret/data/shared/db")!
        let rita = try #require(esc.vaultPaths(from: .user("rita"), to: target).first)
        #expect(Self.kinds(rita, in: esc) == ["externalsecret-write", "written-secret-read", "store-login", "vault-policy"])
        let branch = try #require(rita.external[1].branch)
        #expect(branch.steps.contains { $0.condition?.observed == true }, "\(branch.steps)")
        #expect(rita.external[1].condition == nil)
        #expect(rita.certainty == .shownTrue && rita.stepCount == 4 + branch.steps.count)
        // who-can --effective ranks it as paths does: after kim's certain one.
        let readers = esc.vaultReaders(of: "secret/data/shared/db", capability: .read, effective: true).map(\.identity)
        let (k, r) = (readers.firstIndex(of: .user("kim")), readers.firstIndex(of: .user("rita")))
        #expect(k != nil && r != nil && k! < r!, "\(readers)")
        // kim, granted a Secret read of her own: no branch, the shorter path.
        let own = try Self.world(extra: Self.secondReader + "\n---\n" + ESOWorld.binding("kim-reads", role: "scratch-reader", users: ["kim"]))
        let kim = try #require(own.vaultPaths(from: .user("kim"), to: target).first)
        #expect(kim.stepCount == 3 && !kim.branches)
    }

    /// rita may create ExternalSecrets in prod and exec into its pods; a Deployment of prod runs
    /// as sa:prod/secret-reader (its pods are not in the input).
    static let conditionalReader = """

        ---
        \(ESOWorld.binding("rita", namespace: "prod", role: "eso-author", users: ["rita"]))
        ---
        \(ESOWorld.role("pod-exec", namespace: "prod", resources: ["pods/exec"], verbs: ["create"]))
        ---
        \(ESOWorld.binding("rita-exec", namespace: "prod", role: "pod-exec", roleKind: "Role", users: ["rita"]))
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: reader, namespace: prod}
        spec:
          selector: {matchLabels: {app: reader}}
          template:
            metadata: {labels: {app: reader}}
            spec:
              serviceAccountName: secret-reader
              containers: [{name: c, image: busybox}]
        """

    /// `secretstore-write` needs two requests, a SecretStore and an ExternalSecret reading
    /// through it, which the API server decides apart: sam may create only the SecretStore and
    /// becomes sa:prod/es-writer, which may create the ExternalSecret (and read a Secret of
    /// prod). The ExternalSecret is its own step, with sam's path to that identity. Near
    /// misses: sid's other identity writes ExternalSecrets in dev only; frank becomes no one.
    @Test func theSecretStoreAndItsExternalSecretMayBeWrittenAsTwoIdentities() throws {
        let esc = try Self.world(extra: Self.splitStoreAuthor)
        let target = VaultTarget.parse("vault:secret/data/prod/db")!
        let sam = try #require(esc.vaultPaths(from: .user("sam"), to: target).first)
        #expect(Self.kinds(sam, in: esc) == ["secretstore-write", "externalsecret-write", "store-login", "vault-policy"])
        let es = sam.external[1]
        #expect(es.branch.map { $0.steps.map(\.kind.rawValue) } == ["impersonate"])
        #expect(es.evidence.first == "sa:prod/es-writer may create externalsecrets in prod (RoleBinding/prod/es-writer → ClusterRole/eso-author)")
        #expect(es.evidence.contains { $0.hasPrefix("the author may read the Secret the operator writes") })
        #expect(sam.stepCount == 5)
        #expect(sam.external[0].grant != nil)
        for near in ["sid", "frank"] {
            #expect(esc.vaultPaths(from: .user(near), to: target).isEmpty, "\(near)")
        }
        // who-can --effective lists sam, with the same path; without --effective, not.
        let effective = esc.vaultReaders(of: "secret/data/prod/db", capability: .read, effective: true).map(\.identity)
        #expect(effective.contains(.user("sam")) && !effective.contains(.user("sid")))
        // …its route the path's steps, the other identity's included.
        let reader = try #require(esc.vaultReaders(of: "secret/data/prod/db", capability: .read, effective: true).first { $0.identity == .user("sam") })
        guard case .steps(let steps, _) = reader.route else { Issue.record("\(reader.route)"); return }
        #expect(steps.map(\.kind) == sam.external.map(\.kind) && steps[1].branch != nil)
        // The store step's words no longer say its author creates the ExternalSecret too.
        #expect(!sam.external[0].why.contains("and an ExternalSecret"))
        #expect(!esc.vaultReaders(of: "secret/data/prod/db", capability: .read).map(\.identity).contains(.user("sam")))
    }

    /// sam creates SecretStores in prod and may impersonate sa:prod/es-writer, which creates
    /// ExternalSecrets in prod and reads its Secret `scratch`; sid creates SecretStores in prod
    /// and may impersonate sa:dev/es-writer, which creates ExternalSecrets in dev only.
    static let splitStoreAuthor = """

        ---
        \(ESOWorld.binding("sam-sid", namespace: "prod", role: "store-only", roleKind: "Role", users: ["sam", "sid"]))
        ---
        \(ESOWorld.binding("es-writer", namespace: "prod", role: "eso-author", users: [], serviceAccounts: ["prod/es-writer"]))
        ---
        \(ESOWorld.binding("es-writer-reads", namespace: "prod", role: "scratch-reader", users: [], serviceAccounts: ["prod/es-writer"]))
        ---
        \(ESOWorld.binding("es-writer", namespace: "dev", role: "eso-author", users: [], serviceAccounts: ["dev/es-writer"]))
        ---
        \(ESOWorld.role("impersonate-es-writer", namespace: "prod", resources: ["serviceaccounts"], verbs: ["impersonate"], names: ["es-writer"]))
        ---
        \(ESOWorld.binding("sam", namespace: "prod", role: "impersonate-es-writer", roleKind: "Role", users: ["sam"]))
        ---
        \(ESOWorld.role("impersonate-es-writer", namespace: "dev", resources: ["serviceaccounts"], verbs: ["impersonate"], names: ["es-writer"]))
        ---
        \(ESOWorld.binding("sid", namespace: "dev", role: "impersonate-es-writer", roleKind: "Role", users: ["sid"]))
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: es-writer, namespace: prod}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: es-writer, namespace: dev}
        """

    /// Where the input shows generic targets in use, an author who reads no Secret may name a
    /// ConfigMap as the target and read it — as another identity too: cora becomes
    /// sa:prod/cm-reader, which may get prod's ConfigMaps. The read is its own step
    /// (`written-read`) with her path to that identity, on the condition of the operator's flag.
    /// Near misses: without an ExternalSecret writing anything but a Secret, no such route; cole's
    /// reader reads ConfigMaps of dev only.
    @Test func theConfigMapTargetMayBeReadAsAnotherIdentity() throws {
        let target = VaultTarget.parse("vault:secret/data/shared/db")!
        let esc = try Self.world(extra: Self.configMapReaders + Self.genericWriter)
        let cora = try #require(esc.vaultPaths(from: .user("cora"), to: target).first)
        #expect(Self.kinds(cora, in: esc) == ["externalsecret-write", "written-read", "store-login", "vault-policy"])
        let read = cora.external[1]
        #expect(read.to == "the ConfigMap written in prod")
        #expect(read.branch.map { $0.steps.map(\.kind.rawValue) } == ["impersonate"])
        #expect(read.evidence == ["sa:prod/cm-reader may get configmaps in prod (RoleBinding/prod/cm-reader → ClusterRole/cm-reader)"])
        #expect(read.condition?.text.contains("--unsafe-allow-generic-targets") == true)
        #expect(cora.certainty == .notShown && cora.stepCount == 5)
        #expect(esc.vaultPaths(from: .user("cole"), to: target).isEmpty)
        // No sign of generic targets: no such route.
        let plain = try Self.world(extra: Self.configMapReaders)
        #expect(plain.vaultPaths(from: .user("cora"), to: target).isEmpty)
    }

    /// cora and cole create ExternalSecrets in prod and read neither Secrets nor ConfigMaps;
    /// cora may impersonate sa:prod/cm-reader (get ConfigMaps of prod), cole sa:dev/cm-reader
    /// (of dev).
    static let configMapReaders = """

        ---
        \(ESOWorld.binding("cora-cole", namespace: "prod", role: "eso-author", users: ["cora", "cole"]))
        ---
        \(ESOWorld.role("cm-reader", resources: ["configmaps"], verbs: ["get"]))
        ---
        \(ESOWorld.binding("cm-reader", namespace: "prod", role: "cm-reader", users: [], serviceAccounts: ["prod/cm-reader"]))
        ---
        \(ESOWorld.binding("cm-reader", namespace: "dev", role: "cm-reader", users: [], serviceAccounts: ["dev/cm-reader"]))
        ---
        \(ESOWorld.role("impersonate-cm-reader", namespace: "prod", resources: ["serviceaccounts"], verbs: ["impersonate"], names: ["cm-reader"]))
        ---
        \(ESOWorld.binding("cora", namespace: "prod", role: "impersonate-cm-reader", roleKind: "Role", users: ["cora"]))
        ---
        \(ESOWorld.role("impersonate-cm-reader", namespace: "dev", resources: ["serviceaccounts"], verbs: ["impersonate"], names: ["cm-reader"]))
        ---
        \(ESOWorld.binding("cole", namespace: "dev", role: "impersonate-cm-reader", roleKind: "Role", users: ["cole"]))
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: cm-reader, namespace: prod}
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: cm-reader, namespace: dev}
        """

    /// An ExternalSecret writing a ConfigMap: the sign that the operator allows generic targets.
    static let genericWriter = """

        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: app-config, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: SecretStore}
          target:
            name: app-config
            manifest: {apiVersion: v1, kind: ConfigMap}
          data:
          - secretKey: password
            remoteRef: {key: shared/db, property: password}
        """

    /// `--all` means what it means for a Kubernetes target: every simple Kubernetes path, for
    /// every route, best first; not one Kubernetes part per route. alice becomes
    /// sa:prod/eso-reader by her pod, and by way of a privileged pod and the nodes too.
    @Test func allListsEveryKubernetesPartOfEachRoute() throws {
        let esc = try Self.world()
        let target = VaultTarget.parse("vault:secret/data/shared/db")!
        let every = esc.vaultPaths(from: .user("alice"), to: target, all: true)
        let shortest = try #require(esc.vaultPaths(from: .user("alice"), to: target).first)
        #expect(every.first.map { Self.kinds($0, in: esc) } == Self.kinds(shortest, in: esc))
        let byRoute = Dictionary(grouping: every) { p in p.external.map { "\($0.kind.rawValue)>\($0.to)>\($0.why)" }.joined(separator: "|") }
        #expect(byRoute.values.contains { $0.count > 1 }, "\(every.map { Self.kinds($0, in: esc) })")
        let distinct = Set(every.map { p in (p.kubernetes.steps.map { "\($0.kind.rawValue)>\(esc.nodes[$0.to])" } + p.external.map { "\($0.kind.rawValue)>\($0.to)>\($0.why)" }).joined(separator: "|") })
        #expect(distinct.count == every.count)
        // Best first: certain before conditional, then fewer steps.
        for (a, b) in zip(every, every.dropFirst()) { #expect(a.cost < b.cost || (a.cost == b.cost && a.stepCount <= b.stepCount)) }
        #expect(esc.vaultPaths(from: .user("alice"), to: target, all: true, limit: 3).count == 3)
    }

    /// A login of `policy` (HCL) as sa:prod/app.
    static func login(_ policy: String) throws -> VaultLogin {
        let role = #"{"bound_service_account_names": ["app"], "bound_service_account_namespaces": ["prod"], "token_policies": ["app"], "token_no_default_policy": true}"#
        let loaded = try VaultLoader().load(files: ["auth/kubernetes/role/app.json": role, "sys/policy/app.hcl": policy], root: "vault")
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        let sa = ServiceAccountName(namespace: "prod", name: "app")
        return try #require(loaded.inventory.logins(for: sa, namespaceLabels: nil).first)
    }

    /// A pattern target is decided on the pattern, not on sample paths: here every sample
    /// (`+` read as `x`, each policy path made concrete) falls under the deny on
    /// `secret/data/x/*`, yet `secret/data/OTHER/db` is readable.
    @Test func aPatternTargetIsDecidedOnThePatternNotOnSamples() throws {
        let login = try Self.login("""
            path "secret/data/+/db" {
              capabilities = ["read"]
            }
            path "secret/data/x/*" {
              capabilities = ["deny"]
            }
            """)
        let r = try #require(login.reach(VaultTarget(pattern: "secret/data/+/db")))
        #expect(r.verdict == .yes)
        #expect(!r.path.contains("/x/") && VaultTarget(pattern: "secret/data/+/db").matches(r.path), "\(r.path)")
        #expect(login.reach(VaultTarget(pattern: "secret/data/x/*")) == nil)
        #expect(login.reach(VaultTarget(pattern: "secret/data/x/+")) == nil)
        #expect(login.reach(VaultTarget(pattern: "secret/data/*"))?.verdict == .yes)
        #expect(login.reach(VaultTarget(pattern: "secret/data/+/db", capability: .update)) == nil)
    }

    /// On random policies and targets over a small alphabet, whenever some path of the target
    /// (among every path of up to four segments of `a`, `b`, `x` or nothing) is allowed,
    /// `reach` finds one; whatever it finds is a path of the target that is allowed.
    @Test(arguments: 0..<40)
    func reachMissesNoPathOfThePattern(seed: Int) throws {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        /// A seeded linear congruential sequence: the same worlds on every run.
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let parts = ["a", "b", "x", "+"]
        func pattern() -> String {
            let n = 1 + Int(next() % 3)
            var p = (0..<n).map { _ in parts[Int(next() % 4)] }.joined(separator: "/")
            if next() % 2 == 0 { p += next() % 2 == 0 ? "/*" : "*" }
            if p.hasPrefix("+*") || p.contains("/+*") { p = p.replacingOccurrences(of: "+*", with: "+/*") }
            return p
        }
        var hcl = ""
        for _ in 0..<(1 + Int(next() % 4)) {
            hcl += "path \"\(pattern())\" {\n  capabilities = [\"\(next() % 3 == 0 ? "deny" : "read")\"]\n}\n"
        }
        let login = try Self.login(hcl)
        let target = VaultTarget(pattern: pattern())
        var paths: [String] = [""]
        var frontier = [""]
        for _ in 0..<4 {
            frontier = frontier.flatMap { p in ["a", "b", "x", ""].map { p.isEmpty ? $0 : p + "/" + $0 } }
            paths += frontier
        }
        let allowed = paths.filter { target.matches($0) && login.access($0).allows(.read) == .yes }
        let r = login.reach(target)
        if !allowed.isEmpty { #expect(r?.verdict == .yes, "\(hcl) \(target.pattern): \(allowed.prefix(3))") }
        if let r, r.verdict == .yes {
            #expect(target.matches(r.path) && login.access(r.path).allows(.read) == .yes)
        }
    }
}
