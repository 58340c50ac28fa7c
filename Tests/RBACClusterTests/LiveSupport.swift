import FakeAPIServer
import Foundation
import NIOCore
import RBACCluster
import RBACCore
import RBACLoading
import TestSupport
import Testing

/// Where things are (``Repository`` of TestSupport), and scratch folders.
enum Where {
    static let packageRoot = Repository.root
    static let conformanceFixtures = Repository.fixtures("ConformanceTests")
    static let shared = Repository.shared
    static let sharedConformance = Repository.conformance

    static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    static func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "rbacgraph-live-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// The run's certificates, or why there are none.
enum Certs {
    static var available: Bool { TestCertificates.opensslAvailable }

    static func get() throws -> TestCertificates { try TestCertificates.shared.get() }
}

/// A fake server with a world, a kubeconfig pointing at it, and helpers to read it.
final class LiveFixture: @unchecked Sendable {
    let server: FakeAPIServer
    let certs: TestCertificates
    let dir: String
    static let token = "s3cr3t-token"

    init(world: FakeWorld, tokens: Set<String> = [LiveFixture.token], clientCertificates: Bool = false) throws {
        certs = try Certs.get()
        server = FakeAPIServer(world: world, certificates: certs, tokens: tokens, acceptClientCertificates: clientCertificates)
        try server.start()
        dir = try Where.tempDir()
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A world from YAML text.
    static func world(_ yaml: String) throws -> FakeWorld {
        var w = FakeWorld()
        for doc in try YAMLTree.parseDocuments(Array(yaml.utf8), typed: true) { w.add(doc) }
        return w
    }

    /// Writes a kubeconfig with one context `fake` whose user is `user` (YAML lines under `user:`).
    func kubeconfig(user: String, cluster extra: String = "", name: String = "config") throws -> String {
        let path = "\(dir)/\(name)"
        let text = """
            apiVersion: v1
            kind: Config
            current-context: fake
            clusters:
            - name: fake
              cluster:
                server: \(server.url)
                certificate-authority: \(certs.caFile)
            \(extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            contexts:
            - name: fake
              context: {cluster: fake, user: me, namespace: prod}
            users:
            - name: me
              user:
            \(user.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The token user's kubeconfig.
    func tokenKubeconfig() throws -> String { try kubeconfig(user: "token: \(Self.token)") }

    /// Reads the cluster with a kubeconfig, as the CLI does.
    func read(kubeconfig: String, options: ClusterReader.Options = ClusterReader.Options(), timeout: TimeAmount = .seconds(10))
        async throws -> ClusterRead
    {
        try await Self.read(KubeconfigLoader(explicitPath: kubeconfig, environment: [:]).resolve(), options: options, timeout: timeout)
    }

    /// Reads the cluster a resolved configuration names, through one transport, as the CLI does.
    static func read(
        _ config: ConnectionConfig, options: ClusterReader.Options = ClusterReader.Options(), timeout: TimeAmount = .seconds(10),
        environment: [String: String] = [:]
    ) async throws -> ClusterRead {
        let transport = try HTTPTransport(config, timeout: timeout, environment: environment)
        let reader = ClusterReader(transport: transport, server: config.server, origin: config.origin, contextNamespace: config.namespace, options: options)
        do {
            let r = try await reader.read()
            await transport.shutdown()
            return r
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    /// Fast retries, for tests of failures.
    static var quickOptions: ClusterReader.Options {
        var o = ClusterReader.Options()
        o.initialBackoff = .milliseconds(10)
        return o
    }
}

/// A small world: RBAC, service accounts, namespaces, pods, workloads and secrets.
let smallWorld = """
    apiVersion: v1
    kind: Namespace
    metadata: {name: prod, labels: {pod-security.kubernetes.io/enforce: baseline}}
    ---
    apiVersion: v1
    kind: Namespace
    metadata: {name: dev}
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: secret-reader}
    rules:
    - apiGroups: [""]
      resources: [secrets]
      verbs: [get, list]
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: {name: read-secrets, namespace: prod}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
    subjects:
    - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
    - {kind: ServiceAccount, name: app, namespace: prod}
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata: {name: pod-exec, namespace: dev}
    rules:
    - apiGroups: [""]
      resources: [pods/exec]
      verbs: [create]
    ---
    apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata: {name: exec, namespace: dev}
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-exec}
    subjects:
    - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
    ---
    apiVersion: v1
    kind: ServiceAccount
    metadata: {name: app, namespace: prod}
    automountServiceAccountToken: false
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: db-password
      namespace: prod
      annotations:
        kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"aHVudGVyMg=="}}'
        team: payments
    type: Opaque
    data: {password: aHVudGVyMg==}
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: app-token
      namespace: prod
      annotations:
        kubernetes.io/service-account.name: app
        kubectl.kubernetes.io/last-applied-configuration: '{"data":{"token":"dG9rZW4="}}'
    type: kubernetes.io/service-account-token
    data: {token: dG9rZW4=}
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: api, namespace: prod}
    spec:
      template:
        spec:
          serviceAccountName: app
          volumes:
          - name: creds
            secret: {secretName: db-password}
          containers:
          - name: api
            env:
            - name: PW
              valueFrom: {secretKeyRef: {name: db-password, key: password}}
            securityContext: {privileged: true}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: api-1, namespace: prod}
    spec:
      serviceAccountName: app
      nodeName: node-1
      hostPID: true
      containers:
      - name: api
        envFrom:
        - secretRef: {name: db-password}
      imagePullSecrets:
      - name: registry
    ---
    apiVersion: batch/v1
    kind: CronJob
    metadata: {name: backup, namespace: prod}
    spec:
      jobTemplate:
        spec:
          template:
            spec:
              volumes:
              - name: h
                hostPath: {path: /var}
              containers: [{name: b}]
    ---
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wdg]}
      versions: [{name: v1, served: true, storage: true}]
    """

extension Cluster {
    /// The objects without their source locations, for comparing two loads.
    var withoutSources: Cluster {
        var c = self
        for i in c.roles.indices { c.roles[i].source = nil }
        for i in c.bindings.indices { c.bindings[i].source = nil }
        for i in c.serviceAccounts.indices { c.serviceAccounts[i].source = nil }
        for i in c.namespaces.indices { c.namespaces[i].source = nil }
        for i in c.secrets.indices { c.secrets[i].source = nil }
        for i in c.workloads.indices { c.workloads[i].source = nil }
        return c
    }
}
