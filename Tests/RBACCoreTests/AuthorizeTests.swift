// Rule resolution and scoping (`VisitRulesFor`, `RulesFor`, docs/semantics.md §4), the decision
// and its reason (`RBACAuthorizer.Authorize`, §5), and the `system:masters` group the API
// server allows ahead of RBAC.

import RBACCore
import Testing

@Suite("§4 Rule resolution and scoping")
struct RuleResolutionTests {
    /// A RoleBinding to a ClusterRole grants its rules inside the binding's namespace only:
    /// never in another namespace, never cluster-wide (namespace `""`).
    static let roleBindingToClusterRole = AccessGraph(
        roles: [clusterRole("pod-reader", [rule(["get", "list"], resources: ["pods"]), urlRule(["get"], ["/healthz"])])],
        bindings: [roleBinding("team-a", "read-pods", to: "pod-reader", kind: "ClusterRole", [.user("alice")])])

    @Test(
        "RoleBinding → ClusterRole is scoped to the binding's namespace",
        arguments: [
            (req("get", "pods", ns: "team-a", name: "web"), true),
            (req("list", "pods", ns: "team-a"), true),
            (req("get", "pods", ns: "team-b", name: "web"), false),
            (req("list", "pods"), false),  // --all-namespaces: cluster-wide, needs a ClusterRoleBinding
            (req("list", "pods", ns: "*"), false),  // "*" is just a namespace name
            (url("get", "/healthz"), false),  // non-resource URLs are unreachable through a RoleBinding
        ] as [(Request, Bool)])
    func roleBindingScope(request: Request, allowed: Bool) {
        #expect(Self.roleBindingToClusterRole.authorize(alice, request).allowed == allowed)
    }

    /// A ClusterRoleBinding grants everywhere, cluster-wide included, and reaches URLs.
    @Test(
        "ClusterRoleBinding → ClusterRole applies in every namespace and cluster-wide",
        arguments: [
            req("get", "pods", ns: "team-a", name: "web"), req("get", "pods", ns: "team-b", name: "web"),
            req("list", "pods"), url("get", "/healthz"),
        ])
    func clusterRoleBindingScope(request: Request) {
        let graph = AccessGraph(
            roles: Self.roleBindingToClusterRole.roles,
            bindings: [clusterRoleBinding("read-pods", to: "pod-reader", [.user("alice")])])
        #expect(graph.authorize(alice, request).allowed)
        #expect(!graph.authorize(bob, request).allowed)
    }

    /// `kind: Role` resolves to the Role of that name in the binding's namespace, not to a
    /// same-named Role elsewhere.
    @Test("a RoleBinding's Role is looked up in the binding's namespace")
    func roleLookedUpInBindingNamespace() {
        let graph = AccessGraph(
            roles: [role("team-a", "worker", [rule(["get"], resources: ["pods"])]),
                    role("team-b", "worker", [rule(["delete"], resources: ["pods"])])],
            bindings: [roleBinding("team-a", "w", to: "worker", kind: "Role", [.user("alice")])])
        #expect(graph.authorize(alice, req("get", "pods", ns: "team-a", name: "x")).allowed)
        #expect(!graph.authorize(alice, req("delete", "pods", ns: "team-a", name: "x")).allowed)
        #expect(!graph.authorize(alice, req("delete", "pods", ns: "team-b", name: "x")).allowed)
        #expect(!graph.authorize(alice, req("get", "pods", ns: "team-b", name: "x")).allowed)
    }

    /// Only the RoleBindings of the request's namespace are visited, whoever they name.
    @Test("RoleBindings of other namespaces are never visited")
    func otherNamespacesIgnored() {
        let graph = AccessGraph(
            roles: [clusterRole("admin", [rule(["*"], groups: ["*"], resources: ["*"])])],
            bindings: [roleBinding("team-b", "admin", to: "admin", kind: "ClusterRole", [.user("alice")])])
        #expect(!graph.authorize(alice, req("get", "secrets", ns: "team-a", name: "db")).allowed)
        #expect(graph.rules(for: alice, in: "team-a").rules.isEmpty)
        #expect(graph.rules(for: alice, in: "team-b").rules.map(\.rule) == [rule(["*"], groups: ["*"], resources: ["*"])])
    }

    /// Resolution errors use the messages of the real listers, one per failing binding that
    /// applies to the user.
    @Test(
        "a dangling roleRef is an error with the Kubernetes message",
        arguments: [
            (clusterRoleBinding("b", to: "gone", [.user("alice")]), "", #"clusterrole.rbac.authorization.k8s.io "gone" not found"#),
            (roleBinding("ns", "b", to: "gone", kind: "ClusterRole", [.user("alice")]), "ns", #"clusterrole.rbac.authorization.k8s.io "gone" not found"#),
            (roleBinding("ns", "b", to: "gone", kind: "Role", [.user("alice")]), "ns", #"role.rbac.authorization.k8s.io "gone" not found"#),
            // A ClusterRoleBinding to a Role looks in namespace "" and fails, even though the Role exists.
            (clusterRoleBinding("b", to: "exists", kind: "Role", [.user("alice")]), "", #"role.rbac.authorization.k8s.io "exists" not found"#),
            (clusterRoleBinding("b", to: "x", kind: "Group", [.user("alice")]), "", #"unsupported role reference kind: "Group""#),
            (roleBinding("ns", "b", to: "x", kind: "clusterrole", [.user("alice")]), "ns", #"unsupported role reference kind: "clusterrole""#),
        ] as [(Binding, String, String)])
    func danglingRoleRef(binding: Binding, namespace: String, message: String) {
        let graph = AccessGraph(roles: [role("ns", "exists", [rule(["*"], groups: ["*"], resources: ["*"])])], bindings: [binding])
        let decision = graph.authorize(alice, req("get", "pods", ns: namespace, name: "x"))
        #expect(!decision.allowed)
        #expect(decision.errors == [message])
        #expect(decision.reason == "RBAC: " + message)
        let rules = graph.rules(for: alice, in: namespace)
        #expect(rules.rules.isEmpty)
        #expect(rules.errors == [message])
    }

    /// Rules are additive: a dangling reference never denies, and an allow drops the errors.
    @Test("a missing role never denies what another binding grants")
    func missingRoleIsAdditive() {
        let graph = AccessGraph(
            roles: [clusterRole("view", [rule(["get"], resources: ["pods"])])],
            bindings: [
                clusterRoleBinding("dangling", to: "gone", [.user("alice")]),
                clusterRoleBinding("view", to: "view", [.user("alice")]),
            ])
        let decision = graph.authorize(alice, req("get", "pods", ns: "a", name: "x"))
        #expect(decision.allowed)
        #expect(decision.errors.isEmpty)
        #expect(decision.reason == #"RBAC: allowed by ClusterRoleBinding "view" of ClusterRole "view" to User "alice""#)
        // Not allowed: the error is reported.
        let denied = graph.authorize(alice, req("delete", "pods", ns: "a", name: "x"))
        #expect(!denied.allowed)
        #expect(denied.reason == #"RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found"#)
        // rules keeps both: the rules found and the error.
        let rules = graph.rules(for: alice, in: "a")
        #expect(rules.rules.map(\.rule) == [rule(["get"], resources: ["pods"])])
        #expect(rules.errors == [#"clusterrole.rbac.authorization.k8s.io "gone" not found"#])
    }

    /// Several distinct errors print as `[e1, e2]` in visit order (ClusterRoleBindings first),
    /// duplicates removed.
    @Test("several errors are listed once each, in visit order")
    func severalErrors() {
        let graph = AccessGraph(
            roles: [],
            bindings: [
                roleBinding("ns", "rb", to: "missing-role", kind: "Role", [.user("alice")]),
                clusterRoleBinding("crb1", to: "gone", [.user("alice")]),
                clusterRoleBinding("crb2", to: "gone", [.group("system:authenticated")]),
            ])
        let decision = graph.authorize(alice, req("get", "pods", ns: "ns", name: "x"))
        #expect(decision.errors == [
            #"clusterrole.rbac.authorization.k8s.io "gone" not found"#,
            #"role.rbac.authorization.k8s.io "missing-role" not found"#,
        ])
        #expect(decision.reason == #"RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing-role" not found]"#)
        // Cluster-wide, the RoleBinding is not visited: one error, printed bare.
        #expect(graph.authorize(alice, req("get", "nodes")).reason == #"RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found"#)
    }

    /// A ServiceAccount subject without namespace means the RoleBinding's namespace; in a
    /// ClusterRoleBinding it matches no one at all. Invalid kinds grant nothing.
    @Test("subjects that can match no one grant nothing")
    func unmatchableSubjects() {
        let graph = AccessGraph(
            roles: [clusterRole("all", [rule(["*"], groups: ["*"], resources: ["*"])])],
            bindings: [
                clusterRoleBinding("crb", to: "all", [.serviceAccount("", "api"), Subject(kind: "user", name: "alice")]),
                roleBinding("prod", "rb", to: "all", kind: "ClusterRole", [.serviceAccount("", "api")]),
            ])
        let api = Identity.serviceAccount(namespace: "prod", name: "api")
        #expect(graph.authorize(api, req("get", "pods", ns: "prod", name: "p")).allowed)
        #expect(!graph.authorize(api, req("get", "pods", ns: "dev", name: "p")).allowed)
        #expect(!graph.authorize(api, req("get", "nodes")).allowed)
        #expect(!graph.authorize(Identity(name: "system:serviceaccount::api"), req("get", "nodes")).allowed)
        #expect(!graph.authorize(.serviceAccount(namespace: "default", name: "api"), req("get", "pods", ns: "default")).allowed)
        #expect(!graph.authorize(alice, req("get", "pods", ns: "prod")).allowed)
    }

    /// Only bindings whose subjects match the user are resolved.
    @Test("bindings for other users are not resolved")
    func otherUsersBindingsNotResolved() {
        let graph = AccessGraph(roles: [], bindings: [clusterRoleBinding("b", to: "gone", [.user("bob")])])
        let decision = graph.authorize(alice, req("get", "pods"))
        #expect(!decision.allowed)
        #expect(decision.errors.isEmpty)
        #expect(decision.reason == "")
        #expect(!graph.authorize(bob, req("get", "pods")).errors.isEmpty)
    }

    /// `RulesFor`: every ClusterRoleBinding in list order, then the namespace's RoleBindings in
    /// list order; every rule of each, duplicates included.
    @Test("rules come in visit order, duplicates included")
    func rulesInVisitOrder() {
        let a = rule(["get"], resources: ["a"])
        let b = rule(["get"], resources: ["b"])
        let c = rule(["get"], resources: ["c"])
        let graph = AccessGraph(
            roles: [clusterRole("ab", [a, b]), clusterRole("c", [c]), role("ns", "r", [c, a])],
            bindings: [
                roleBinding("ns", "rb1", to: "r", kind: "Role", [.user("alice")]),
                clusterRoleBinding("crb1", to: "c", [.user("alice")]),
                roleBinding("ns", "rb2", to: "ab", kind: "ClusterRole", [.group("system:authenticated")]),
                clusterRoleBinding("crb2", to: "ab", [.group("system:authenticated")]),
                roleBinding("other", "rb3", to: "ab", kind: "ClusterRole", [.user("alice")]),
                clusterRoleBinding("crb-bob", to: "ab", [.user("bob")]),
            ])
        #expect(graph.rules(for: alice, in: "ns").rules.map(\.rule) == [c, a, b, c, a, a, b])
        #expect(graph.rules(for: alice, in: "").rules.map(\.rule) == [c, a, b])
        // Each rule carries the binding it came from.
        let bindings = graph.rules(for: alice, in: "ns").rules.map { graph.bindings[$0.grant.binding].name }
        #expect(bindings == ["crb1", "crb2", "crb2", "rb1", "rb1", "rb2", "rb2"])
        // A binding whose subjects match several ways is still visited once.
        let twice = AccessGraph(
            roles: [clusterRole("c", [c])],
            bindings: [clusterRoleBinding("b", to: "c", [.user("alice"), .group("system:authenticated")])])
        #expect(twice.rules(for: alice, in: "").rules.map(\.rule) == [c])
    }
}

@Suite("§5 Authorize: the decision and its reason")
struct AuthorizeTests {
    @Test("the reason names the binding, the role and the subject as Kubernetes prints them")
    func reasonFormats() {
        let graph = AccessGraph(
            roles: [
                clusterRole("view", [rule(["get"], resources: ["pods"])]),
                role("team-a", "editor", [rule(["update"], resources: ["pods"])]),
            ],
            bindings: [
                clusterRoleBinding("viewers", to: "view", [.user("alice")]),
                roleBinding("team-a", "editors", to: "editor", kind: "Role", [.group("devs")]),
                roleBinding("team-a", "sa-view", to: "view", kind: "ClusterRole", [.serviceAccount("", "api")]),
            ])
        #expect(graph.authorize(alice, req("get", "pods", ns: "x", name: "p")).reason
            == #"RBAC: allowed by ClusterRoleBinding "viewers" of ClusterRole "view" to User "alice""#)
        #expect(graph.authorize(Identity(name: "carol", groups: ["devs"]), req("update", "pods", ns: "team-a", name: "p")).reason
            == #"RBAC: allowed by RoleBinding "editors/team-a" of Role "editor" to Group "devs""#)
        // Name before namespace; the binding's namespace filled in for the SA.
        #expect(graph.authorize(.serviceAccount(namespace: "team-a", name: "api"), req("get", "pods", ns: "team-a", name: "p")).reason
            == #"RBAC: allowed by RoleBinding "sa-view/team-a" of ClusterRole "view" to ServiceAccount "api/team-a""#)
    }

    /// The first matching subject of a binding is the one named.
    @Test("the first matching subject is named")
    func firstMatchingSubject() {
        let graph = AccessGraph(
            roles: [clusterRole("view", [rule(["get"], resources: ["pods"])])],
            bindings: [clusterRoleBinding("b", to: "view", [.user("bob"), .group("devs"), .user("alice")])])
        let decision = graph.authorize(Identity(name: "alice", groups: ["devs"]), req("get", "pods"))
        #expect(decision.grant?.subject == .group("devs"))
        #expect(decision.reason == #"RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "view" to Group "devs""#)
    }

    /// ClusterRoleBindings are visited before RoleBindings, each in list order (not name
    /// order), and the first rule that allows the request stops the walk.
    @Test("the witness is the first allowing rule in visit order")
    func witnessOrder() {
        let graph = AccessGraph(
            roles: [clusterRole("edit", [rule(["list"], resources: ["pods"]), rule(["get"], resources: ["pods"]), rule(["*"], resources: ["pods"])])],
            bindings: [
                roleBinding("ns", "a-rolebinding", to: "edit", kind: "ClusterRole", [.user("alice")]),
                clusterRoleBinding("z-crb", to: "edit", [.user("alice")]),
                clusterRoleBinding("a-crb", to: "edit", [.user("alice")]),
            ])
        let decision = graph.authorize(alice, req("get", "pods", ns: "ns", name: "p"))
        #expect(decision.allowed)
        #expect(!decision.viaMasters)
        #expect(decision.grant.map { graph.bindings[$0.binding].name } == "z-crb")
        #expect(decision.grant?.ruleIndex == 1)
        #expect(decision.grant.map { graph.roles[$0.role].name } == "edit")
        #expect(decision.reason == #"RBAC: allowed by ClusterRoleBinding "z-crb" of ClusterRole "edit" to User "alice""#)
    }

    /// RBAC never denies: no matching rule is NoOpinion, reported as not allowed with an empty
    /// reason when nothing went wrong.
    @Test("no matching rule: not allowed, empty reason")
    func noOpinion() {
        let graph = AccessGraph(
            roles: [clusterRole("view", [rule(["get"], resources: ["pods"])])],
            bindings: [clusterRoleBinding("b", to: "view", [.user("alice")])])
        for request in [req("delete", "pods", ns: "a", name: "x"), req("get", "secrets", ns: "a", name: "x"), url("get", "/healthz")] {
            let d = graph.authorize(alice, request)
            #expect(!d.allowed, "\(request)")
            #expect(d.reason == "")
            #expect(d.errors.isEmpty)
            #expect(d.grant == nil)
        }
        #expect(!graph.authorize(bob, req("get", "pods")).allowed)
    }

    /// kube-apiserver puts a `system:masters` authorizer in front of RBAC: the group is allowed
    /// everything, even with no RBAC objects at all. `rules` still shows only what RBAC grants.
    @Test(
        "system:masters is allowed everything",
        arguments: [
            req("delete", "secrets", ns: "kube-system", name: "x"), req("escalate", "clusterroles", group: "rbac.authorization.k8s.io"),
            req("create", "pods", sub: "exec", ns: "a", name: "p"), url("post", "/anything"), req("get", "whatever", group: "x.io"),
        ])
    func mastersAllowedEverything(request: Request) {
        let graph = AccessGraph(roles: [], bindings: [])
        let root = Identity(name: "root", groups: ["system:masters"])
        let decision = graph.authorize(root, request)
        #expect(decision.allowed)
        #expect(decision.viaMasters)
        #expect(decision.grant == nil)
        #expect(decision.reason.contains("system:masters"))
        #expect(graph.authorize(.authenticatedUser("root", groups: ["system:masters"]), request).allowed)
        #expect(graph.rules(for: root, in: "a").rules.isEmpty)
        // The group grants it, not a user name.
        #expect(!graph.authorize(Identity(name: "system:masters"), request).allowed)
    }

    /// Group-based and service-account grants go through the authenticators' groups.
    @Test("grants to system groups reach the identities the authenticators build")
    func systemGroups() {
        let graph = AccessGraph(
            roles: [clusterRole("discovery", [urlRule(["get"], ["/api", "/api/*"])]),
                    clusterRole("sa-reader", [rule(["get"], resources: ["configmaps"])])],
            bindings: [
                clusterRoleBinding("discovery", to: "discovery", [.group("system:authenticated")]),
                roleBinding("prod", "sas", to: "sa-reader", kind: "ClusterRole", [.group("system:serviceaccounts:prod")]),
            ])
        #expect(graph.authorize(alice, url("get", "/api/v1")).allowed)
        #expect(!graph.authorize(.anonymous, url("get", "/api/v1")).allowed)
        #expect(!graph.authorize(Identity(name: "alice"), url("get", "/api/v1")).allowed)  // no groups given
        #expect(graph.authorize(.serviceAccount(namespace: "prod", name: "any"), req("get", "configmaps", ns: "prod", name: "c")).allowed)
        #expect(!graph.authorize(.serviceAccount(namespace: "dev", name: "any"), req("get", "configmaps", ns: "prod", name: "c")).allowed)
    }
}
