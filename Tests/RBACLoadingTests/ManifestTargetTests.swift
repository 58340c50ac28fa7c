import Foundation
import Testing
import RBACCore
import RBACLoading

/// ExternalSecrets that write into an object other than a Secret (`spec.target.manifest`), on a
/// world made of the External Secrets Operator's "Targeting Custom Resources" guide: its
/// `application-config` ExternalSecret writing ConfigMap `app-config`, and its `argocd-app`
/// writing an Argo CD `Application` (a custom resource the built-in table does not hold).
/// Whoever reads that object reads the values; a reader of Secrets does not, through it.
@Suite struct ManifestTargetTests {
    static let manifests = """
        # Pod Security admits no privileged pod in prod: creating pods there stays in prod.
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod, labels: {pod-security.kubernetes.io/enforce: restricted}}
        ---
        # The store's service account lives in eso, out of reach of everyone here.
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: my-sa, namespace: eso}
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: vault-backend}
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: "secret"
              auth:
                kubernetes: {mountPath: kubernetes, role: demo, serviceAccountRef: {name: my-sa, namespace: eso}}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: application-config, namespace: prod}
        spec:
          refreshInterval: 1h0m0s
          secretStoreRef: {name: vault-backend, kind: ClusterSecretStore}
          target:
            name: app-config
            manifest: {apiVersion: v1, kind: ConfigMap}
          data:
          - {secretKey: database-host, remoteRef: {key: config/database/host}}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: argocd-app, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: ClusterSecretStore}
          target:
            name: my-application
            manifest: {apiVersion: argoproj.io/v1alpha1, kind: Application}
          dataFrom:
          - extract: {key: argocd/applications/my-app}
        ---
        # A manifest of kind Secret is a Secret after all.
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: plain, namespace: prod}
        spec:
          secretStoreRef: {name: vault-backend, kind: ClusterSecretStore}
          target:
            name: plain-secret
            manifest: {apiVersion: v1, kind: Secret}
          data:
          - {secretKey: k, remoteRef: {key: plain}}
        ---
        # cora gets ConfigMaps of prod; lena lists Applications; sam gets the Secret app-config
        # (the name of the ConfigMap); paul creates pods.
        \(ESOWorld.role("cm-get", resources: ["configmaps"], verbs: ["get"]))
        ---
        \(ESOWorld.binding("cora", namespace: "prod", role: "cm-get", users: ["cora"]))
        ---
        \(ESOWorld.role("app-list", group: "argoproj.io", resources: ["applications"], verbs: ["list"]))
        ---
        \(ESOWorld.binding("lena", namespace: "prod", role: "app-list", users: ["lena"]))
        ---
        \(ESOWorld.role("secret-get", resources: ["secrets"], verbs: ["get"], names: ["app-config", "my-application"]))
        ---
        \(ESOWorld.binding("sam", namespace: "prod", role: "secret-get", users: ["sam"]))
        ---
        \(ESOWorld.role("pod-create", resources: ["pods"], verbs: ["create"]))
        ---
        \(ESOWorld.binding("paul", namespace: "prod", role: "pod-create", users: ["paul"]))
        ---
        # ava writes ExternalSecrets in prod and reads its ConfigMaps, no Secret; ben writes them
        # and reads nothing there.
        \(ESOWorld.role("es-author", group: "external-secrets.io", resources: ["externalsecrets"], verbs: ["create"]))
        ---
        \(ESOWorld.binding("ava-es", namespace: "prod", role: "es-author", users: ["ava", "ben"]))
        ---
        \(ESOWorld.binding("ava-cm", namespace: "prod", role: "cm-get", users: ["ava"]))
        ---
        # dev: cora may get ConfigMaps there too, where no ExternalSecret writes one.
        \(ESOWorld.binding("cora", namespace: "dev", role: "cm-get", users: ["cora"]))
        """

    static let people: [PathNode] = ["cora", "lena", "sam", "paul", "ava", "ben"].map { .user($0) }

    static func world() throws -> EscalationGraph { try ESOWorld.paths(manifests, from: people) }

    static func object(_ resource: String, _ group: String = "", _ name: String, in esc: EscalationGraph) throws -> MaterializedSecret {
        try #require(esc.access.materialized(getting: ResourceRequest(verb: "get", apiGroup: group, resource: resource, namespace: "prod", name: name)))
    }

    static func readers(of m: MaterializedSecret, in esc: EscalationGraph) -> Set<String> {
        let direct = esc.access.subjects(allowedTo: .resource(m.getRequest)).compactMap { PathNode(subject: $0.subject)?.description }
        let other = esc.materializedReaders(of: m, effective: true).map { esc.nodes[$0.kubernetes.start].description }
        return Set(direct + other)
    }

    // MARK: Loading

    @Test func theManifestIsLoaded() throws {
        let cluster = try ESOWorld.cluster(Self.manifests)
        let byName = Dictionary(uniqueKeysWithValues: cluster.external.externalSecrets.map { ($0.name, $0) })
        let cm = try #require(byName["application-config"]?.manifest)
        #expect(cm.group == "" && cm.kind == "ConfigMap" && cm.resource.name == "configmaps" && !cm.resource.guessed)
        let app = try #require(byName["argocd-app"]?.manifest)
        #expect(app.group == "argoproj.io" && app.resource.name == "applications" && app.resource.guessed)
        #expect(byName["plain"]?.writesSecret == true && byName["argocd-app"]?.writesSecret == false)
    }

    @Test("a manifest without its two fields is a located error", arguments: [
        ("{kind: ConfigMap}", "spec.target.manifest.apiVersion is required"),
        ("{apiVersion: v1}", "spec.target.manifest.kind is required"),
        ("[v1, ConfigMap]", "spec.target.manifest must be a mapping with apiVersion and kind"),
        ("{apiVersion: a/b/c, kind: X}", "spec.target.manifest.apiVersion must be VERSION or GROUP/VERSION, not a/b/c"),
    ])
    func badManifest(_ manifest: String, _ message: String) throws {
        let yaml = """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: x, namespace: prod}
            spec:
              secretStoreRef: {name: vault-backend}
              target: {name: t, manifest: \(manifest)}
            """
        let loaded = try ManifestLoader().load(yaml: yaml, name: "bad.yaml")
        #expect(loaded.hasErrors)
        #expect(loaded.diagnostics.description.contains("bad.yaml:1"), "\(loaded.diagnostics)")
        #expect(loaded.diagnostics.description.contains(message), "\(loaded.diagnostics)")
    }

    @Test func createOrMergeIsACreationPolicy() throws {
        let yaml = """
            apiVersion: external-secrets.io/v1
            kind: ExternalSecret
            metadata: {name: x, namespace: prod}
            spec:
              secretStoreRef: {name: vault-backend}
              target: {name: t, creationPolicy: CreateOrMerge}
            """
        let cluster = try ESOWorld.cluster(yaml)
        #expect(cluster.external.externalSecrets.first?.creationPolicy == .createOrMerge)
        // Created when missing: the Secret exists for rbacgraph without the input holding it.
        #expect(AccessGraph(cluster).materializedSecret(namespace: "prod", name: "t") != nil)
    }

    @Test("a kind's resource: the built-in table's, else guessed as the API machinery guesses", arguments: [
        ("ConfigMap", "", "configmaps", false), ("Deployment", "apps", "deployments", false),
        ("Application", "argoproj.io", "applications", true), ("Policy", "example.com", "policies", true),
        ("Ingress", "example.com", "ingresses", true), ("AppConfig", "config.example.com", "appconfigs", true),
        ("ConfigMap", "example.com", "configmaps", true),  // not the core ConfigMap: guessed
    ])
    func resourceOfKind(_ kind: String, _ group: String, _ resource: String, _ guessed: Bool) {
        let r = APIResource.resource(ofKind: kind, group: group)
        #expect(r.name == resource && (r.known == nil) == guessed)
    }

    // MARK: What is written

    @Test func aConfigMapTargetWritesNoSecret() throws {
        let esc = try Self.world()
        // No Secret prod/app-config for rbacgraph: Secret readers do not read it through this ExternalSecret.
        #expect(esc.access.materializedSecret(namespace: "prod", name: "app-config") == nil)
        #expect(esc.access.materializedSecret(namespace: "prod", name: "my-application") == nil)
        // A manifest of kind Secret: a Secret.
        #expect(esc.access.materializedSecret(namespace: "prod", name: "plain-secret") != nil)
        let objects = esc.access.materializedObjects().map(\.title)
        #expect(objects == ["ConfigMap prod/app-config", "Application (argoproj.io/v1alpha1) prod/my-application"])
    }

    @Test("the get that names the written object", arguments: [
        ("configmaps", "", "prod", "app-config", true),
        ("applications", "argoproj.io", "prod", "my-application", true),
        ("secrets", "", "prod", "app-config", false),  // not a Secret
        ("configmaps", "", "dev", "app-config", false),  // another namespace
        ("configmaps", "", "prod", "other", false),  // another name
        ("applications", "example.com", "prod", "my-application", false),  // another group
    ])
    func getNamesIt(_ resource: String, _ group: String, _ ns: String, _ name: String, _ expected: Bool) throws {
        let graph = try Self.world().access
        let found = graph.materialized(getting: ResourceRequest(verb: "get", apiGroup: group, resource: resource, namespace: ns, name: name))
        #expect((found?.manifest != nil) == expected)
    }

    // MARK: Who reads it

    /// The readers of the ConfigMap: who gets it (cora), who creates pods that may mount it
    /// (paul), not who reads Secrets only (sam) nor who lists Applications (lena).
    @Test func theConfigMapsReaders() throws {
        let esc = try Self.world()
        let m = try Self.object("configmaps", "", "app-config", in: esc)
        let readers = Self.readers(of: m, in: esc)
        #expect(readers.isSuperset(of: ["user:cora", "user:paul", "sa:eso/my-sa"]), "\(readers)")
        #expect(readers.isDisjoint(with: ["user:sam", "user:lena"]), "\(readers)")
        #expect(m.target == "can:get:configmaps:prod:app-config")
        #expect(m.conditionNote?.contains("--unsafe-allow-generic-targets") == true)
        #expect(m.conditionNote?.contains("guessed") == false)
    }

    /// The Application's resource is guessed: its readers are found on that guess, said.
    @Test func theCustomResourcesReadersOnAStatedCondition() throws {
        let esc = try Self.world()
        let m = try Self.object("applications", "argoproj.io", "my-application", in: esc)
        let readers = Self.readers(of: m, in: esc)
        #expect(readers.contains("user:lena"), "\(readers)")
        // No pod mounts an Application; ConfigMap and Secret readers do not read it.
        #expect(readers.isDisjoint(with: ["user:paul", "user:cora", "user:sam"]), "\(readers)")
        #expect(m.conditionNote?.contains("its resource is applications.argoproj.io, guessed from the kind") == true, "\(m.conditionNote ?? "")")
    }

    @Test("paths to the written object's data", arguments: [
        ("user:cora", "can:get:configmaps:prod:app-config", [String]()),  // she gets it: no step
        ("user:paul", "can:get:configmaps:prod:app-config", ["written-read"]),
        ("user:lena", "can:get:applications.argoproj.io:prod:my-application", ["written-read"]),
    ])
    func paths(_ from: String, _ to: String, _ kinds: [String]) throws {
        let esc = try Self.world()
        let start = try #require(PathNode.identity(parsing: from))
        let target = try #require(PathTarget.parse(to))
        guard case .permission(.resource(let r)) = target else { Issue.record("\(target)"); return }
        let m = try #require(esc.access.materialized(getting: r))
        let found = try #require(esc.paths(from: start, to: target, writtenBy: m).first)
        switch found {
        case .kubernetes(let p): #expect(p.steps.map(\.kind.rawValue) == kinds)
        case .external(let p):
            #expect(p.kubernetes.steps.map(\.kind.rawValue) + p.external.map(\.kind.rawValue) == kinds)
            #expect(p.end == to)
        }
    }

    @Test("near misses find no path to the written object", arguments: [
        ("user:sam", "can:get:configmaps:prod:app-config"),  // the Secret of that name only
        ("user:lena", "can:get:configmaps:prod:app-config"),  // Applications only
        ("user:cora", "can:get:applications.argoproj.io:prod:my-application"),  // ConfigMaps only
        ("user:paul", "can:get:applications.argoproj.io:prod:my-application"),  // a pod mounts no Application
    ])
    func nearMisses(_ from: String, _ to: String) throws {
        let esc = try Self.world()
        let start = try #require(PathNode.identity(parsing: from))
        let target = try #require(PathTarget.parse(to))
        guard case .permission(.resource(let r)) = target else { Issue.record("\(target)"); return }
        let m = try #require(esc.access.materialized(getting: r))
        // A path the input shows closed (a privileged pod where Pod Security refuses one) is no way.
        let open = esc.paths(from: start, to: target, writtenBy: m, all: true).filter { p in
            switch p {
            case .kubernetes(let k): return k.certainty != .shownFalse
            case .external(let e): return e.certainty != .shownFalse
            }
        }
        #expect(open.isEmpty, "\(open)")
    }

    /// Where the input shows generic targets in use, an author who may read the namespace's
    /// ConfigMaps but no Secret names a ConfigMap as the target: a reader on that condition.
    /// (Without such a sign the route is not claimed: ``StoreTargetTests``' configmaps near miss.)
    @Test func anAuthorReadingConfigMapsReadsThroughAGenericTargetOnACondition() throws {
        let esc = try Self.world()
        let target = try #require(StoreTarget.parse("clusterstore:vault-backend"))
        let store = try #require(esc.stores(named: target).first)
        let readers = esc.storeReaders(of: store, use: .read, effective: false)
        let ava = try #require(readers.first { esc.nodes[$0.kubernetes.start] == .user("ava") })
        #expect(ava.certainty == .notShown)
        #expect(ava.external.first?.condition?.text.contains("--unsafe-allow-generic-targets") == true, "\(ava.external)")
        #expect(ava.external.first?.evidence.contains { $0.contains("a ConfigMap the operator writes instead") && $0.contains("get configmaps in prod") } == true,
                "\(ava.external.first?.evidence ?? [])")
        // ben reads neither Secrets nor ConfigMaps of prod.
        #expect(!readers.contains { esc.nodes[$0.kubernetes.start] == .user("ben") })
    }

    /// The ConfigMaps containers take through the environment, read for `external-secret-in-env`.
    @Test func theConfigMapsOfTheEnvironmentAreLoaded() throws {
        let yaml = """
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
                    - {name: A, valueFrom: {configMapKeyRef: {name: app-config, key: a}}}
                    - {name: B, valueFrom: {secretKeyRef: {name: creds, key: b}}}
                    envFrom: [{configMapRef: {name: more-config}}, {secretRef: {name: env-secret}}]
                  volumes: [{name: c, configMap: {name: mounted}}]
            """
        let w = try #require(try ESOWorld.cluster(yaml).workloads.first)
        #expect(w.template.configMapEnvReferences == [
            SecretReference(name: "app-config", usage: .env, container: "api"), SecretReference(name: "more-config", usage: .envFrom, container: "api"),
        ])
        #expect(w.template.secretReferences.map(\.name) == ["creds", "env-secret"])
    }

    /// `secrets --external` says where the values land.
    @Test func theKeysNameTheObjectTheyAreWrittenInto() throws {
        let esc = try Self.world()
        let named = esc.externalSecretPaths().flatMap(\.namedBy)
        #expect(named.contains("ExternalSecret prod/application-config (writes ConfigMap prod/app-config)"), "\(named)")
        #expect(named.contains("ExternalSecret prod/argocd-app (writes Application (argoproj.io/v1alpha1) prod/my-application)"), "\(named)")
        #expect(named.contains("ExternalSecret prod/plain"), "\(named)")
    }
}
