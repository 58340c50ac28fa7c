import FakeAPIServer
import Foundation
import RBACCluster
import RBACCore
import RBACLoading
import Testing

/// The README's live examples (```` ```console live ```` blocks) run against `samples/` served by
/// the fake API server, and print exactly what the README shows.
@Suite("README live examples", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct ReadmeLiveTests {
    static func examples() throws -> [(args: [String], expected: String)] {
        let text = try String(contentsOf: Where.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var out: [(args: [String], expected: String)] = []
        for block in text.components(separatedBy: "```console live\n").dropFirst() {
            let lines = block.components(separatedBy: "```")[0].components(separatedBy: "\n")
            for (i, line) in lines.enumerated() where line.hasPrefix("$ rbacgraph ") {
                var expected = ""
                for next in lines[(i + 1)...].dropLast() {
                    if next.hasPrefix("$ ") { break }
                    expected += next + "\n"
                }
                out.append((line.dropFirst("$ rbacgraph ".count).split(separator: " ").map(String.init), expected))
            }
        }
        return out
    }

    @Test("every live example prints what the README shows")
    func liveExamples() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 2)
        let samples = Where.packageRoot.appendingPathComponent("samples")
        let files = try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { samples.appendingPathComponent($0).path }
        let fx = try LiveFixture(world: try FakeWorld.load(files: files))
        let kc = try fx.tokenKubeconfig()
        for e in examples {
            let out = try Binary.run(e.args, env: ["KUBECONFIG": kc])
            #expect(out.stdout == e.expected, "rbacgraph \(e.args.joined(separator: " "))\n\(out.stderr)")
        }
        #expect(fx.server.violations.isEmpty)
    }
}

/// `deploy/reader-clusterrole.yaml` allows every request a read makes, and no more verbs.
@Suite("deploy/reader-clusterrole.yaml", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct ReaderRoleTests {
    @Test("bound to a user, it allows every request a full read makes (with and without the external secret kinds served)", arguments: [false, true])
    func sufficient(external: Bool) async throws {
        let fx = try LiveFixture(world: external ? try LiveExternalTests.servingWorld() : try LiveFixture.world(smallWorld))
        _ = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        let role = Where.packageRoot.appendingPathComponent("deploy/reader-clusterrole.yaml").path
        let binding = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: rbacgraph-reader}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: rbacgraph-reader}
            subjects: [{kind: User, name: reader, apiGroup: rbac.authorization.k8s.io}]
            """
        var cluster = try ManifestLoader().load(paths: [role]).cluster
        cluster.append(contentsOf: try ManifestLoader().load(yaml: binding).cluster)
        let graph = AccessGraph(cluster)
        let reader = Identity.authenticatedUser("reader", groups: [])
        var checked = 0
        for r in fx.server.received {
            let path = String(r.path.split(separator: "?")[0])
            let parts = path.split(separator: "/").map(String.init)
            let request: Request
            let discovery = parts[0] == "api" ? parts.count <= 2 : parts.count <= 3
            if discovery {
                request = .nonResource(verb: "get", path: path)
            } else {
                var rest = parts[0] == "api" ? Array(parts[2...]) : Array(parts[3...])
                let group = parts[0] == "api" ? "" : parts[1]
                var ns = ""
                if rest.count == 3 && rest[0] == "namespaces" {
                    ns = rest[1]
                    rest = [rest[2]]
                }
                request = .resource(ResourceRequest(verb: "list", apiGroup: group, resource: rest[0], namespace: ns))
            }
            #expect(graph.authorize(reader, request).allowed, "\(request)")
            checked += 1
        }
        #expect(checked > 20)
        if external { #expect(fx.server.received.contains { $0.path.hasPrefix("/apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasses?") }) }
    }
}
