// A node of the escalation graph is its fields, compared byte for byte as Kubernetes compares
// names: never its printed form. A namespace literally named `cluster` is not the cluster,
// a namespace named `*` is not every namespace, and `café` (NFC) is not `café` (NFD).

import RBACCore
import Testing

@Suite("Privilege paths: nodes are their fields")
struct PathNodeTests {
    /// bob may bind the ClusterRole `secret-lister` cluster-wide, alice only in the namespace
    /// named `cluster`. Before nodes compared by their fields, bob's holder node
    /// (`holder:role#0@cluster`) and alice's (the same text) were one node, and bob's path to
    /// prod's secrets vanished.
    static let namespaceNamedCluster = escalation(
        [
            clusterRole("secret-lister", [rule(["list"], resources: ["secrets"])]),
            clusterRole("crb-maker", [
                rule(["create"], groups: [rbacGroup], resources: ["clusterrolebindings"]),
                rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"], names: ["secret-lister"]),
            ]),
            clusterRole("rb-maker", [
                rule(["create"], groups: [rbacGroup], resources: ["rolebindings"]),
                rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"], names: ["secret-lister"]),
            ]),
        ],
        [
            clusterRoleBinding("bob-binds", to: "crb-maker", [.user("bob")]),
            roleBinding("cluster", "alice-binds", to: "rb-maker", kind: "ClusterRole", [.user("alice")]),
        ],
        namespaces: [Namespace(name: "cluster"), Namespace(name: "prod")])

    @Test("a namespace named cluster does not hide a cluster-wide holder (issue 8, bug 1)")
    func namespaceNamedCluster() throws {
        let esc = Self.namespaceNamedCluster
        let bob = try #require(esc.best(.user("bob"), target("secret:prod/*")))
        #expect(esc.trail(bob) == ["bind→holder:role#0@cluster", "secrets-read→secret:*/*"])
        #expect(esc.describe(bob.steps[0].to) == "hold ClusterRole/secret-lister cluster-wide")
        #expect(bob.isCertain)
        // alice holds it in the namespace `cluster` only: its secrets, not prod's.
        let alice = try #require(esc.best(aliceNode, target("secret:cluster/*")))
        #expect(esc.describe(alice.steps[0].to) == "hold ClusterRole/secret-lister in cluster")
        #expect(esc.best(aliceNode, target("secret:prod/*")).map { !$0.isCertain } ?? true)
        #expect(esc.paths(from: aliceNode, to: target("secret:prod/*")).allSatisfy { p in
            !p.steps.contains { $0.kind == .secretsRead && esc.nodes[$0.to] == .secrets(in: .everyNamespace) }
        })
    }

    static let nfc = "caf\u{E9}"  // é as one scalar
    static let nfd = "cafe\u{301}"  // e + combining acute

    /// Pairs of nodes that print alike (or that Swift's `==` on strings would merge) but are
    /// different nodes.
    static let distinct: [(PathNode, PathNode)] = [
        (.holder(role: RoleID(0), in: .cluster), .holder(role: RoleID(0), in: .namespace("cluster"))),
        (.holder(role: RoleID(0), in: .everyNamespace), .holder(role: RoleID(0), in: .namespace("*"))),
        (.runPods(in: .everyNamespace), .runPods(in: .namespace("*"))),
        (.secrets(in: .everyNamespace), .secret(namespace: "*", name: "*")),
        (.user(nfc), .user(nfd)),
        (.serviceAccount(namespace: nfc, name: "api"), .serviceAccount(namespace: nfd, name: "api")),
        (.workloads(kind: "Deployment", in: .namespace(nfc)), .workloads(kind: "Deployment", in: .namespace(nfd))),
        (.user("alice"), .group("alice")),
    ]

    @Test("nodes that print alike are different nodes", arguments: distinct)
    func distinctNodes(_ a: PathNode, _ b: PathNode) {
        #expect(a != b)
        #expect(Set([a, b]).count == 2)
    }

    @Test("a graph finds each node by its fields: users named alike are two users")
    func lookup() throws {
        let esc = escalation(
            [clusterRole("lister", [rule(["list"], resources: ["secrets"])]), clusterRole("viewer", [rule(["get"], resources: ["pods"])])],
            [
                clusterRoleBinding("read", to: "lister", [.user(Self.nfc)]),
                clusterRoleBinding("view", to: "viewer", [.user(Self.nfd)]),
            ],
            namespaces: [Namespace(name: "prod")])
        let composed = try #require(esc.index(of: .user(Self.nfc)))
        let decomposed = try #require(esc.index(of: .user(Self.nfd)))
        #expect(composed != decomposed)
        #expect(esc.best(.user(Self.nfc), target("secret:prod/*"))?.steps.count == 1)
        #expect(esc.best(.user(Self.nfd), target("secret:prod/*")) == nil)
    }
}
