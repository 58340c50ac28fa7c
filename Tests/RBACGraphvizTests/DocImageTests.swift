import Foundation
import RBACCore
import Testing

@testable import RBACGraphviz

/// Writes the who-can and privilege-path pictures of `docs/rendering.md` (the access graphs
/// there come from `rbacgraph graph`). Runs only with `RBACGRAPH_DOCS_IMAGES=1`.
@Suite("docs/images", .enabled(if: ProcessInfo.processInfo.environment["RBACGRAPH_DOCS_IMAGES"] == "1"))
struct DocImageTests {
    static let directory = Fixture.repository.appendingPathComponent("docs/images")

    func write(_ view: GraphView, _ name: String) throws {
        try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
        try Data(view.rendered(as: .svg)).write(to: Self.directory.appendingPathComponent(name))
    }

    @Test func whoCan() throws {
        let graph = Fixture.sampleGraph
        let request = Request.resource(ResourceRequest(verb: "get", resource: "secrets", namespace: "prod"))
        try write(GraphView.whoCan(graph.subjects(allowedTo: request), request: request, in: graph), "who-can-get-secrets-prod.svg")
    }

    @Test func paths() throws {
        let graph = Fixture.sampleGraph
        let esc = EscalationGraph(graph)
        try write(GraphView.paths(esc.identitiesReaching(.fullAuthority), in: esc), "paths-to-cluster-admin.svg")
        let runner = esc.paths(from: .serviceAccount(namespace: "ci", name: "runner"), to: .fullAuthority)
        try write(GraphView.paths(runner, in: esc), "paths-sa-ci-runner.svg")
    }
}
