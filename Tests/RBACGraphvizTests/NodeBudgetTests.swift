import RBACCore
import Testing

@testable import RBACGraphviz

/// Large inputs collapse beyond the node budget, and say what they collapsed.
@Suite("Node budget")
struct NodeBudgetTests {
    /// `namespaces` namespaces, each with a Role bound to `perNamespace` service accounts;
    /// `clusterRoles` harmless ClusterRoles bound cluster-wide to one user each, and one
    /// cluster-admin bound to a group.
    static func cluster(namespaces: Int, perNamespace: Int, clusterRoles: Int) -> AccessGraph {
        var c = Cluster()
        for n in 0..<namespaces {
            let ns = "team-\(n)"
            c.roles.append(Role(kind: .role, name: "app", namespace: ns, rules: [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["configmaps"])]))
            c.bindings.append(Binding(
                kind: .roleBinding, name: "app", namespace: ns, roleRef: RoleRef(kind: "Role", name: "app"),
                subjects: (0..<perNamespace + n % 3).map { .serviceAccount(ns, "sa-\($0)") }))
        }
        for r in 0..<clusterRoles {
            c.roles.append(Role(kind: .clusterRole, name: "view-\(r)", rules: [PolicyRule(verbs: ["list"], apiGroups: [""], resources: ["pods"])]))
            c.bindings.append(Binding(
                kind: .clusterRoleBinding, name: "view-\(r)", roleRef: RoleRef(kind: "ClusterRole", name: "view-\(r)"),
                subjects: [.user("user-\(r)")]))
        }
        c.roles.append(Role(kind: .clusterRole, name: "cluster-admin", rules: [PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"])]))
        c.bindings.append(Binding(
            kind: .clusterRoleBinding, name: "admins", roleRef: RoleRef(kind: "ClusterRole", name: "cluster-admin"), subjects: [.group("ops")]))
        return AccessGraph(c)
    }

    @Test("Namespaces collapse, largest first, one node each")
    func namespaces() throws {
        let graph = Self.cluster(namespaces: 60, perNamespace: 5, clusterRoles: 3)
        #expect(GraphView.access(graph, maxNodes: 10_000).nodeCount > 300)
        let view = GraphView.access(graph)
        #expect(view.nodeCount <= 300)
        #expect(view.graph.allNodes.contains { $0.id.hasPrefix("collapsed-namespace:") })
        let warning = try #require(view.warnings.first)
        #expect(warning.contains("namespaces collapsed, largest first"))
        #expect(view.dot.contains("namespaces collapsed, largest first"))  // the note on the picture
        // The cluster-wide part stays whole.
        #expect(view.graph.allNodes.contains { $0.id == "role:ClusterRole/cluster-admin" })
        _ = try SVGContent(view.rendered(as: .svg))
    }

    @Test("A dense graph collapses even with few nodes: at most twice as many edges as nodes")
    func dense() throws {
        var c = Cluster()
        for r in 0..<40 {
            c.roles.append(Role(kind: .clusterRole, name: "role-\(r)", rules: [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"])]))
        }
        for b in 0..<120 {
            c.bindings.append(Binding(
                kind: .roleBinding, name: "rb-\(b)", namespace: "ns-\(b % 8)", roleRef: RoleRef(kind: "ClusterRole", name: "role-\(b % 40)"),
                subjects: (0..<12).map { .group("group-\((b * 7 + $0 * 5) % 60)") }))
        }
        let graph = AccessGraph(c)
        let full = GraphView.access(graph, maxNodes: 100_000)
        #expect(full.nodeCount < 300)
        #expect(full.graph.edges.count > 600)
        let view = GraphView.access(graph)
        #expect(view.graph.edges.count <= 600)
        #expect(view.warnings.first?.contains("larger than the budget of 300 nodes and 600 edges") == true)
        _ = try SVGContent(view.rendered(as: .svg))
    }

    @Test("Too many namespaces for one node each: one node for all")
    func mergedNamespaces() {
        let view = GraphView.access(Self.cluster(namespaces: 400, perNamespace: 2, clusterRoles: 3))
        #expect(view.nodeCount <= 300)
        #expect(view.graph.allNodes.contains { $0.id == "collapsed-namespaces" })
        #expect(view.warnings.first?.contains("(into one node)") == true)
    }

    @Test("Roles collapse least dangerous first: full authority stays")
    func roles() throws {
        let view = GraphView.access(Self.cluster(namespaces: 0, perNamespace: 0, clusterRoles: 400))
        #expect(view.nodeCount <= 300)
        let ids = Set(view.graph.allNodes.map(\.id))
        #expect(ids.contains("role:ClusterRole/cluster-admin"))
        #expect(ids.contains("group:ops"))
        #expect(ids.contains("collapsed-roles"))
        #expect(view.warnings.first?.contains("collapsed into one node, least dangerous first (none dangerous)") == true)
        _ = try SVGContent(view.rendered(as: .svg))
    }

    @Test("The namespace asked for never collapses")
    func namespaceAskedFor() {
        let graph = Self.cluster(namespaces: 3, perNamespace: 400, clusterRoles: 2)
        let view = GraphView.access(graph, filter: AccessFilter(namespace: "team-1"))
        #expect(view.nodeCount <= 300)
        #expect(!view.graph.allNodes.contains { $0.id.hasPrefix("collapsed-namespace") })
        #expect(view.graph.allNodes.contains { $0.id == "collapsed-bindings:role:Role/team-1/app" })
    }

    @Test("Any budget is met, down to a handful of nodes", arguments: [1, 3, 10, 50, 120])
    func tinyBudgets(maxNodes: Int) {
        let view = GraphView.access(Self.cluster(namespaces: 50, perNamespace: 4, clusterRoles: 50), maxNodes: maxNodes)
        #expect(view.nodeCount <= max(maxNodes, 4))
        #expect(!view.warnings.isEmpty)
    }

    @Test("Who-can answers collapse the subjects of crowded bindings")
    func whoCan() throws {
        var c = Cluster()
        c.roles.append(Role(kind: .role, name: "reader", namespace: "prod", rules: [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"])]))
        c.bindings.append(Binding(
            kind: .roleBinding, name: "everyone", namespace: "prod", roleRef: RoleRef(kind: "Role", name: "reader"),
            subjects: (0..<500).map { .user("user-\($0)") }))
        let graph = AccessGraph(c)
        let request = Request.resource(ResourceRequest(verb: "get", resource: "secrets", namespace: "prod"))
        let view = GraphView.whoCan(graph.subjects(allowedTo: request), request: request, in: graph)
        #expect(view.nodeCount <= 300)
        #expect(view.graph.allNodes.contains { $0.id == "collapsed-subjects:RoleBinding/prod/everyone" })
        #expect(view.warnings.first?.contains("collapsed") == true)
        _ = try SVGContent(view.rendered(as: .svg))
    }

    @Test("Paths beyond the budget are left out, and counted")
    func paths() {
        let graph = Fixture.sampleGraph
        let esc = EscalationGraph(graph)
        let all = esc.identitiesReaching(.fullAuthority)
        let view = GraphView.paths(all, in: esc, maxNodes: 4)
        #expect(view.nodeCount <= 4)
        #expect(view.warnings.first?.hasPrefix("only ") == true)
        #expect(view.warnings.first?.contains("of \(all.count) paths drawn") == true)
    }
}
