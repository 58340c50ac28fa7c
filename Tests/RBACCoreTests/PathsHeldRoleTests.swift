// A role one may bind is held in many scopes. Its rules answer each question once, and a held
// role whose rules allowed no step in one scope is not derived again in a scope of the same
// kind: these tests pin that the shortcut changes no step.

import RBACCore
import Testing

@Suite("Privilege paths: a role held in many namespaces")
struct PathsHeldRoleTests {
    /// alice may create RoleBindings and bind any ClusterRole in three namespaces (a-dev and
    /// b-dev first, in byte order, then kube-system).
    static let namespaces = ["a-dev", "b-dev", "kube-system"]

    static func graph() -> (EscalationGraph, role: (String) -> RoleID) {
        let roles = [
            clusterRole("binder", [
                rule(["create"], groups: [rbacGroup], resources: ["rolebindings"]),
                rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"]),
            ]),
            // A step only where aws-auth lives: none in a-dev, one in kube-system.
            clusterRole("eks", [rule(["update"], resources: ["configmaps"], names: ["aws-auth"])]),
            // A step in every namespace.
            clusterRole("podmaker", [rule(["create"], resources: ["pods"])]),
            // No step anywhere.
            clusterRole("viewer", [rule(["get", "list"], resources: ["configmaps"])]),
        ]
        let bindings = namespaces.map { roleBinding($0, "binder", to: "binder", kind: "ClusterRole", [.user("alice")]) }
        let access = AccessGraph(Cluster(roles: roles, bindings: bindings))
        let ids = Dictionary(uniqueKeysWithValues: zip(access.roles.map(\.name), access.roles.ids))
        return (EscalationGraph(access), { ids[$0]! })
    }

    @Test("a role that allowed no step in one namespace still gets the steps another namespace allows (aws-auth in kube-system)")
    func awsAuthOnlyInKubeSystem() {
        let (esc, role) = Self.graph()
        for ns in Self.namespaces {
            #expect(esc.step(aliceNode, .bind, .holder(role: role("eks"), in: .namespace(ns))) != nil, "bind eks in \(ns)")
        }
        #expect(esc.steps(from: .holder(role: role("eks"), in: .namespace("a-dev"))).isEmpty)
        #expect(esc.steps(from: .holder(role: role("eks"), in: .namespace("b-dev"))).isEmpty)
        #expect(esc.step(.holder(role: role("eks"), in: .namespace("kube-system")), .awsAuth, .fullAuthority) != nil)
        #expect(esc.best(aliceNode, target("cluster-admin")) != nil)
    }

    @Test("a role with a step is derived in every namespace; one without is held everywhere and leads nowhere")
    func everyNamespace() {
        let (esc, role) = Self.graph()
        for ns in Self.namespaces {
            #expect(esc.step(.holder(role: role("podmaker"), in: .namespace(ns)), .podCreate, .runPods(in: .namespace(ns))) != nil, "pods in \(ns)")
            #expect(esc.step(aliceNode, .bind, .holder(role: role("viewer"), in: .namespace(ns))) != nil, "bind viewer in \(ns)")
            #expect(esc.steps(from: .holder(role: role("viewer"), in: .namespace(ns))).isEmpty, "viewer in \(ns)")
        }
    }
}
