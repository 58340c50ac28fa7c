import FakeAPIServer
import Foundation
import RBACCluster
import RBACCore
import Testing

/// The ways to reach an API server beyond a plain kubeconfig, end to end against the fake
/// server: through a `proxy-url`, and from inside a pod (in-cluster configuration).
@Suite("Reaching the API server: proxies and in-cluster", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct ConnectionRouteTests {
    @Test("proxy-url: every request goes through the proxy's CONNECT tunnel, and the read is complete")
    func proxyURL() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let proxy = ConnectProxy()
        try proxy.start()
        defer { proxy.stop() }
        let kc = try fx.kubeconfig(user: "token: \(LiveFixture.token)", cluster: "proxy-url: http://127.0.0.1:\(proxy.port)")
        let config = try KubeconfigLoader(explicitPath: kc, environment: [:]).resolve()
        #expect(config.proxyURL == "http://127.0.0.1:\(proxy.port)")
        let read = try await LiveFixture.read(config)
        #expect(read.gaps.isEmpty, "\(read.gaps)")
        #expect(read.cluster.bindings.count == 2 && read.cluster.namespaces.count == 2)
        #expect(!proxy.tunnels.isEmpty)
        #expect(proxy.tunnels.allSatisfy { $0 == "127.0.0.1:\(fx.server.port)" }, "\(proxy.tunnels)")
    }

    @Test("the CLI reads through proxy-url too")
    func proxyCLI() throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let proxy = ConnectProxy()
        try proxy.start()
        defer { proxy.stop() }
        let kc = try fx.kubeconfig(user: "token: \(LiveFixture.token)", cluster: "proxy-url: http://127.0.0.1:\(proxy.port)")
        let out = try Binary.run(["who-can", "get", "secrets", "-n", "prod", "--kubeconfig", kc])
        #expect(out.status == 0 && out.stdout.contains("alice"), "\(out.stdout)\(out.stderr)")
        #expect(!proxy.tunnels.isEmpty)
    }

    @Test("HTTPS_PROXY is not used for a loopback server (as kubectl), but proxy-url is")
    func environmentProxyAndLoopback() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let proxy = ConnectProxy()
        try proxy.start()
        defer { proxy.stop() }
        let config = try KubeconfigLoader(explicitPath: try fx.tokenKubeconfig(), environment: [:]).resolve()
        let read = try await LiveFixture.read(config, environment: ["HTTPS_PROXY": "http://127.0.0.1:\(proxy.port)"])
        #expect(read.gaps.isEmpty && read.cluster.bindings.count == 2)
        #expect(proxy.tunnels.isEmpty, "\(proxy.tunnels)")
    }

    @Test("in a pod: KUBERNETES_SERVICE_HOST/PORT, the mounted token and CA reach the server; a rotated token is read again")
    func inCluster() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld), tokens: [LiveFixture.token, "rotated-token"])
        let root = try Where.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try LiveFixture.token.write(toFile: root + "/token", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: fx.certs.caFile, toPath: root + "/ca.crt")
        try "prod\n".write(toFile: root + "/namespace", atomically: true, encoding: .utf8)
        // HOME without a kubeconfig: the in-cluster configuration is the one used.
        var loader = KubeconfigLoader(environment: [
            "HOME": root, "KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": String(fx.server.port),
        ])
        loader.inClusterRoot = root
        let config = try loader.resolve()
        #expect(config.origin.hasPrefix("in-cluster configuration"))
        #expect(config.namespace == "prod")
        // One transport for both reads, as for the whole of one CLI run.
        let transport = try HTTPTransport(config, timeout: .seconds(10), environment: [:])
        let reader = ClusterReader(transport: transport, server: config.server, origin: config.origin, contextNamespace: config.namespace)
        let read = try await reader.read()
        #expect(read.gaps.isEmpty, "\(read.gaps)")
        #expect(read.cluster.roles.count == 2 && read.cluster.secrets.count == 2)
        #expect(fx.server.received.allSatisfy { $0.authorization == "Bearer \(LiveFixture.token)" })
        #expect(fx.server.violations.isEmpty, "\(fx.server.violations)")

        // The kubelet rotates the projected token: the same transport sends the new one.
        try "rotated-token".write(toFile: root + "/token", atomically: true, encoding: .utf8)
        let before = fx.server.received.count
        let again = try await reader.read()
        await transport.shutdown()
        #expect(again.gaps.isEmpty)
        #expect(fx.server.received.count > before)
        #expect(fx.server.received.dropFirst(before).allSatisfy { $0.authorization == "Bearer rotated-token" })
    }
}
