// Building the access graph: objects of one kind, namespace and name replace earlier ones (the
// last wins, in the place of the first, as `kubectl apply` leaves them), whether the graph is
// given a cluster it shares or one it takes over; the query indexes come on the first query.

import RBACCore
import Testing

private let masters = #"Group "system:masters""#

@Suite("AccessGraph: deduplication and the first query")
struct GraphBuildTests {
    /// Roles and bindings with interleaved duplicates: `a` twice, `b` three times, `c` once.
    static let cluster = Cluster(
        roles: [
            clusterRole("a", [rule(["get"], resources: ["pods"])]),
            role("dev", "b", [rule(["get"], resources: ["pods"])]),
            clusterRole("c", [rule(["list"], resources: ["pods"])]),
            role("dev", "b", [rule(["list"], resources: ["pods"])]),
            clusterRole("a", [rule(["watch"], resources: ["pods"])]),
            role("prod", "b", [rule(["get"], resources: ["secrets"])]),
            role("dev", "b", [rule(["delete"], resources: ["pods"])]),
        ],
        bindings: [
            roleBinding("dev", "x", to: "b", kind: "Role", [.user("alice")]),
            clusterRoleBinding("y", to: "a", [.user("alice")]),
            roleBinding("dev", "x", to: "b", kind: "Role", [.user("bob")]),
            clusterRoleBinding("z", to: "missing", [.user("bob")]),
            clusterRoleBinding("y", to: "c", [.user("alice")]),
        ])

    @Test("the last object of a name replaces the first, in its place", arguments: [false, true])
    func lastWinsInPlaceOfFirst(takenOver: Bool) {
        var shared: Cluster? = Self.cluster
        let graph: AccessGraph
        if takenOver {
            let cluster = shared!
            shared = nil
            graph = AccessGraph(consume cluster)
        } else {
            graph = AccessGraph(shared!)
        }
        #expect(graph.roles.map(\.displayName) == ["ClusterRole/a", "Role/dev/b", "ClusterRole/c", "Role/prod/b"])
        #expect(graph.roles.map { $0.rules.first?.verbs ?? [] } == [["watch"], ["delete"], ["list"], ["get"]])
        #expect(graph.bindings.map(\.displayName) == ["RoleBinding/dev/x", "ClusterRoleBinding/y", "ClusterRoleBinding/z"])
        #expect(graph.bindings.map { $0.subjects } == [[.user("bob")], [.user("alice")], [.user("bob")]])
        #expect(graph.duplicates == ["Role/dev/b", "ClusterRole/a", "Role/dev/b", "RoleBinding/dev/x", "ClusterRoleBinding/y"])
        #expect(graph.resolutions == [.role(RoleID(1)), .role(RoleID(2)), .error(#"clusterrole.rbac.authorization.k8s.io "missing" not found"#)])
        // The caller's cluster is untouched when shared.
        if let shared { #expect(shared.roles.count == 7 && shared.bindings.count == 5) }
    }

    @Test("the first query answers from indexes of the deduplicated objects, and copies of the graph share them")
    func firstQuery() {
        let graph = AccessGraph(Self.cluster)
        let copy = graph
        #expect(copy.whoCan(req("delete", "pods", ns: "dev")) == [masters, #"User "bob""#])
        #expect(graph.whoCan(req("list", "pods", ns: "dev")) == [masters, #"User "alice""#])
        #expect(!graph.authorize(alice, req("get", "pods", ns: "dev")).allowed)
        #expect(graph.namespacesWithRoleBindings == ["dev"])
    }
}
