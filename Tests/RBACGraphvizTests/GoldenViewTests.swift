import RBACCore
import Testing
import TestSupport

@testable import RBACGraphviz

/// The DOT of each view on `samples/`, against golden files (re-record with
/// `RBACGRAPH_RECORD=1`). DOT only: SVG and PNG bytes change with the Graphviz version.
@Suite("Views on samples/ (golden DOT)")
struct GoldenViewTests {
    let graph = Fixture.sampleGraph

    @Test("Access graph", arguments: [
        ("access-all.dot", AccessFilter()),
        ("access-namespace-prod.dot", AccessFilter(namespace: "prod")),
        ("access-subject-sa-ci-deployer.dot", AccessFilter(subject: .serviceAccount(namespace: "ci", name: "deployer"))),
        ("access-subject-group-devs.dot", AccessFilter(subject: .group("devs"))),
        ("access-role-cluster-admin.dot", AccessFilter(role: RoleSelector(kind: .clusterRole, name: "cluster-admin"))),
        ("access-role-missing-auditor.dot", AccessFilter(role: RoleSelector(kind: .role, namespace: "prod", name: "auditor"))),
    ])
    func access(file: String, filter: AccessFilter) throws {
        let view = GraphView.access(graph, filter: filter)
        try expectGolden(view.dot, file, in: Fixture.golden)
        #expect(view.dot == GraphView.access(graph, filter: filter).dot, "deterministic")
    }

    @Test("Access graph over a small node budget")
    func accessBudget() throws {
        let view = GraphView.access(graph, maxNodes: 25)
        try expectGolden(view.dot, "access-max-nodes-25.dot", in: Fixture.golden)
        #expect(view.nodeCount <= 25)
        #expect(view.warnings.first?.contains("namespaces collapsed") == true)
    }

    @Test("Who can get secrets in prod")
    func whoCanSecrets() throws {
        let request = Request.resource(ResourceRequest(verb: "get", resource: "secrets", namespace: "prod"))
        let view = GraphView.whoCan(graph.subjects(allowedTo: request), request: request, in: graph)
        try expectGolden(view.dot, "who-can-get-secrets-prod.dot", in: Fixture.golden)
    }

    @Test("Who can create pods/exec in any namespace")
    func whoCanExecAnywhere() throws {
        let request = ResourceRequest(verb: "create", resource: "pods", subresource: "exec", namespace: "default")
        let view = GraphView.whoCan(inAnyNamespace: graph.subjectsInAnyNamespace(allowedTo: request), request: request, in: graph)
        try expectGolden(view.dot, "who-can-create-pods-exec-any.dot", in: Fixture.golden)
    }

    @Test("Who can get /metrics")
    func whoCanMetrics() throws {
        let request = Request.nonResource(verb: "get", path: "/metrics")
        let view = GraphView.whoCan(graph.subjects(allowedTo: request), request: request, in: graph)
        try expectGolden(view.dot, "who-can-get-metrics.dot", in: Fixture.golden)
    }

    @Test("Privilege paths to cluster-admin")
    func escalations() throws {
        let esc = EscalationGraph(graph)
        let view = GraphView.paths(esc.identitiesReaching(.fullAuthority), in: esc)
        try expectGolden(view.dot, "paths-to-cluster-admin.dot", in: Fixture.golden)
    }

    @Test("Privilege path from sa:ci/runner")
    func runnerPath() throws {
        let esc = EscalationGraph(graph)
        let paths = esc.paths(from: .serviceAccount(namespace: "ci", name: "runner"), to: .fullAuthority)
        #expect(!paths.isEmpty)
        try expectGolden(GraphView.paths(paths, in: esc).dot, "paths-sa-ci-runner.dot", in: Fixture.golden)
    }
}
