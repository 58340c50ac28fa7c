// The one walk over an identity's bindings (Kubernetes' `VisitRulesFor`): which bindings, in
// which order, with which errors, and stopping when the visitor says so.

import RBACCore
import Testing

@Suite("The rule walk (VisitRulesFor)")
struct RuleWalkTests {
    static let a = rule(["get"], resources: ["pods"])
    static let b = rule(["list"], resources: ["pods"])
    static let c = rule(["get"], resources: ["secrets"])

    /// alice: a ClusterRoleBinding (rules a, b), RoleBindings in `zz` and `aa` (rule c), one in
    /// `aa` to a missing Role, and one for bob only.
    static let graph = AccessGraph(
        roles: [
            clusterRole("ab", [a, b]),
            role("zz", "c", [c]),
            role("aa", "c", [c]),
        ],
        bindings: [
            roleBinding("zz", "rb-zz", to: "c", kind: "Role", [.user("alice")]),
            clusterRoleBinding("crb", to: "ab", [.user("alice")]),
            roleBinding("aa", "rb-missing", to: "missing", kind: "Role", [.user("alice")]),
            roleBinding("aa", "rb-aa", to: "c", kind: "Role", [.group("devs")]),
            clusterRoleBinding("crb-bob", to: "ab", [.user("bob")]),
        ])
    static let alice = Identity(name: "alice", groups: ["devs"])

    static func walk(_ selection: BindingSelection, stopAfter limit: Int = .max) -> (visits: [String], completed: Bool) {
        var visits: [String] = []
        let completed = graph.visitRules(for: alice, selection) { visit in
            switch visit {
            case .rule(let rg): visits.append("\(graph.bindings[rg.grant.binding].name):\(rg.rule.summary)")
            case .error(let message): visits.append("error: \(message)")
            }
            return visits.count < limit
        }
        return (visits, completed)
    }

    @Test("a request's walk: ClusterRoleBindings, then the namespace's RoleBindings in list order, errors included")
    func request() {
        #expect(Self.walk(.request(namespace: "aa")).visits == [
            "crb:get pods", "crb:list pods",
            #"error: role.rbac.authorization.k8s.io "missing" not found"#,
            "rb-aa:get secrets",
        ])
        #expect(Self.walk(.request(namespace: "")).visits == ["crb:get pods", "crb:list pods"])
    }

    @Test("one namespace's RoleBindings only")
    func roleBindingsOnly() {
        #expect(Self.walk(.roleBindings(namespace: "zz")).visits == ["rb-zz:get secrets"])
        #expect(Self.walk(.roleBindings(namespace: "")).visits.isEmpty)
    }

    @Test("everywhere: each binding once, namespaces in byte order")
    func everywhere() {
        #expect(Self.walk(.everywhere).visits == [
            "crb:get pods", "crb:list pods",
            #"error: role.rbac.authorization.k8s.io "missing" not found"#, "rb-aa:get secrets",
            "rb-zz:get secrets",
        ])
    }

    @Test("the visitor stops the walk")
    func earlyStop() {
        let stopped = Self.walk(.everywhere, stopAfter: 3)
        #expect(stopped.visits.count == 3)
        #expect(!stopped.completed)
        #expect(Self.walk(.everywhere).completed)
    }

    @Test("bindings are visited with the subject that names the identity")
    func bindings() {
        var seen: [String] = []
        Self.graph.visitBindings(for: Self.alice, .request(namespace: "aa")) { visit in
            switch visit {
            case .bound(let b, let r, let subject): seen.append("\(Self.graph.bindings[b].name) → \(Self.graph.roles[r].name) as \(subject.kind) \(subject.name)")
            case .unresolved(let b, _): seen.append("\(Self.graph.bindings[b].name) unresolved")
            }
            return true
        }
        #expect(seen == ["crb → ab as User alice", "rb-missing unresolved", "rb-aa → c as Group devs"])
    }
}
