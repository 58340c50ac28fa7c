// "Who can": `SubjectAccessEvaluator.AllowedSubjects` of the subject locator
// (docs/semantics.md §6), as the analyzer reports it: `Group system:masters` first, ServiceAccounts
// of RoleBindings given the binding's namespace, subjects that can match no one left out, each
// subject once.

import RBACCore
import Testing

@Suite("§6 Who can")
struct WhoCanTests {
    static let masters = #"Group "system:masters""#

    @Test("system:masters comes first, even in an empty cluster")
    func mastersFirst() {
        let empty = AccessGraph(roles: [], bindings: [])
        let subjects = empty.subjects(allowedTo: req("get", "pods", ns: "a"))
        #expect(subjects.map(\.subject) == [.group("system:masters")])
        #expect(subjects.first?.grant == nil)

        let graph = AccessGraph(
            roles: [clusterRole("view", [rule(["get"], resources: ["pods"])])],
            bindings: [clusterRoleBinding("view", to: "view", [.user("alice")])])
        #expect(graph.whoCan(req("get", "pods", ns: "a")) == [Self.masters, #"User "alice""#])
        #expect(graph.whoCan(url("get", "/")) == [Self.masters])
    }

    /// Subjects as named in the bindings: a ServiceAccount without namespace in a RoleBinding
    /// is reported in the binding's namespace; unknown kinds and namespace-less ServiceAccounts
    /// in ClusterRoleBindings match no one and are left out.
    @Test("subjects are reported as they can match")
    func subjectForms() {
        let graph = AccessGraph(
            roles: [clusterRole("view", [rule(["get"], resources: ["pods"])])],
            bindings: [
                clusterRoleBinding("crb", to: "view", [
                    .serviceAccount("", "orphan"), Subject(kind: "user", name: "lower"), Subject(kind: "Robot", name: "r2"),
                    .serviceAccount("ops", "bot"), .group("devs"),
                ]),
                roleBinding("team-a", "rb", to: "view", kind: "ClusterRole", [
                    .serviceAccount("", "api"), Subject(kind: "serviceaccount", name: "x", namespace: "team-a"), .user("alice"),
                ]),
            ])
        let subjects = graph.subjects(allowedTo: req("get", "pods", ns: "team-a", name: "p")).map(\.subject)
        #expect(subjects == [.group("system:masters"), .serviceAccount("ops", "bot"), .group("devs"), .serviceAccount("team-a", "api"), .user("alice")])
    }

    /// ClusterRoleBinding subjects first (list order), then the namespace's RoleBindings.
    /// RoleBinding → ClusterRole grants count only for requests in that namespace.
    @Test("ClusterRoleBindings before RoleBindings; RoleBindings only in their namespace")
    func orderAndScope() {
        let graph = AccessGraph(
            roles: [clusterRole("view", [rule(["get"], resources: ["pods"])]), role("team-a", "r", [rule(["get"], resources: ["pods"])])],
            bindings: [
                roleBinding("team-a", "rb-cr", to: "view", kind: "ClusterRole", [.user("rb-cr-user")]),
                roleBinding("team-a", "rb-r", to: "r", kind: "Role", [.user("rb-role-user")]),
                clusterRoleBinding("crb-2", to: "view", [.user("crb-2-user")]),
                clusterRoleBinding("crb-1", to: "view", [.user("crb-1-user")]),
            ])
        #expect(graph.whoCan(req("get", "pods", ns: "team-a", name: "p"))
            == [Self.masters, #"User "crb-2-user""#, #"User "crb-1-user""#, #"User "rb-cr-user""#, #"User "rb-role-user""#])
        #expect(graph.whoCan(req("get", "pods", ns: "team-b", name: "p")) == [Self.masters, #"User "crb-2-user""#, #"User "crb-1-user""#])
        #expect(graph.whoCan(req("list", "pods")) == [Self.masters])  // "list" is not granted
        #expect(graph.whoCan(req("get", "pods")) == [Self.masters, #"User "crb-2-user""#, #"User "crb-1-user""#])
    }

    /// If any rule of the role allows the request, all the binding's subjects are in; each
    /// distinct subject is reported once, with the first grant in visit order.
    @Test("each subject once, with its first grant")
    func deduplicated() {
        let graph = AccessGraph(
            roles: [clusterRole("view", [rule(["get"], resources: ["pods"])]), clusterRole("all", [rule(["*"], groups: ["*"], resources: ["*"])])],
            bindings: [
                roleBinding("a", "rb", to: "view", kind: "ClusterRole", [.user("alice"), .serviceAccount("", "api")]),
                clusterRoleBinding("crb-all", to: "all", [.user("alice"), Subject(kind: "User", name: "alice", apiGroup: "")]),
                clusterRoleBinding("crb-view", to: "view", [.serviceAccount("a", "api"), .group("system:masters")]),
            ])
        let subjects = graph.subjects(allowedTo: req("get", "pods", ns: "a", name: "p"))
        #expect(subjects.map(\.subject.description) == [Self.masters, #"User "alice""#, #"ServiceAccount "api/a""#])
        #expect(subjects.dropFirst().map { graph.bindings[$0.grant!.binding].name } == ["crb-all", "crb-view"])
        #expect(subjects.dropFirst().map { graph.roles[$0.grant!.role].name } == ["all", "view"])
    }

    /// Who-can uses the same rule matching as authorize: every wildcard form finds its subjects.
    @Test(
        "wildcard rules are found",
        arguments: [
            (rule(["*"], groups: ["*"], resources: ["*"]), req("update", "deployments", sub: "scale", group: "apps", ns: "a"), true),
            (rule(["update"], groups: ["apps"], resources: ["*/scale"]), req("update", "deployments", sub: "scale", group: "apps", ns: "a"), true),
            (rule(["update"], groups: ["apps"], resources: ["*/scale"]), req("update", "deployments", group: "apps", ns: "a"), false),
            (rule(["get"], resources: ["pods/*"]), req("get", "pods", sub: "log", ns: "a"), false),
            (rule(["get"], resources: ["*/*"]), req("get", "pods", sub: "*", ns: "a"), true),
            (rule(["get"], resources: ["pods"]), req("get", "pods", sub: "status", ns: "a"), false),
            (rule(["get"], resources: ["secrets"], names: ["db"]), req("get", "secrets", ns: "a", name: "db"), true),
            (rule(["get"], resources: ["secrets"], names: ["db"]), req("get", "secrets", ns: "a"), false),
            (rule(["get"], groups: [], resources: ["pods"]), req("get", "pods", ns: "a"), false),
            (urlRule(["get"], ["/healthz*"]), url("get", "/healthz/etcd"), true),
            (urlRule(["get"], ["/apis/*"]), url("get", "/apis"), false),
            (PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"], nonResourceURLs: ["/metrics"]), url("get", "/metrics"), true),
        ] as [(PolicyRule, Request, Bool)])
    func wildcardRules(rule: PolicyRule, request: Request, found: Bool) {
        let graph = AccessGraph(
            roles: [clusterRole("r", [rule])],
            bindings: [clusterRoleBinding("b", to: "r", [.user("alice")])])
        #expect(graph.whoCan(request) == (found ? [Self.masters, #"User "alice""#] : [Self.masters]))
        #expect(graph.authorize(alice, request).allowed == found)
    }

    /// Non-resource URLs in a ClusterRole are reachable through ClusterRoleBindings only.
    @Test("non-resource URLs through RoleBindings reach no one")
    func nonResourceThroughRoleBinding() {
        let graph = AccessGraph(
            roles: [clusterRole("metrics", [urlRule(["get"], ["/metrics"])])],
            bindings: [
                roleBinding("a", "rb", to: "metrics", kind: "ClusterRole", [.user("rb-user")]),
                clusterRoleBinding("crb", to: "metrics", [.user("crb-user")]),
            ])
        #expect(graph.whoCan(url("get", "/metrics")) == [Self.masters, #"User "crb-user""#])
    }

    /// Bindings to missing roles contribute nothing and do not stop the walk.
    @Test("dangling bindings are skipped")
    func danglingBindings() {
        let graph = AccessGraph(
            roles: [clusterRole("view", [rule(["get"], resources: ["pods"])])],
            bindings: [
                clusterRoleBinding("gone", to: "gone", [.user("ghost")]),
                roleBinding("a", "gone-role", to: "gone", kind: "Role", [.user("ghost2")]),
                clusterRoleBinding("view", to: "view", [.user("alice")]),
            ])
        #expect(graph.whoCan(req("get", "pods", ns: "a")) == [Self.masters, #"User "alice""#])
    }

    /// Who-can and authorize agree: every identity that a reported subject stands for is
    /// allowed, and every allowed identity is covered by a reported subject.
    @Test("who-can agrees with authorize")
    func agreesWithAuthorize() {
        let graph = AccessGraph(
            roles: [
                clusterRole("view", [rule(["get", "list"], groups: ["", "apps"], resources: ["pods", "deployments"])]),
                clusterRole("scale", [rule(["update"], groups: ["apps"], resources: ["*/scale"])]),
                role("a", "secrets", [rule(["get"], resources: ["secrets"], names: ["db"])]),
            ],
            bindings: [
                clusterRoleBinding("view", to: "view", [.group("viewers"), .serviceAccount("a", "ci")]),
                roleBinding("a", "scale", to: "scale", kind: "ClusterRole", [.user("alice"), .serviceAccount("", "hpa")]),
                roleBinding("a", "secrets", to: "secrets", kind: "Role", [.user("bob")]),
                roleBinding("b", "scale", to: "scale", kind: "ClusterRole", [.user("carol")]),
            ])
        let identities: [Identity] = [
            alice, bob, .authenticatedUser("carol"), Identity(name: "dave", groups: ["viewers"]),
            .serviceAccount(namespace: "a", name: "ci"), .serviceAccount(namespace: "a", name: "hpa"),
            .serviceAccount(namespace: "b", name: "hpa"), .anonymous,
        ]
        let requests: [Request] = [
            req("get", "pods", ns: "a", name: "p"), req("list", "deployments", group: "apps"),
            req("update", "deployments", sub: "scale", group: "apps", ns: "a", name: "d"),
            req("update", "deployments", sub: "scale", group: "apps", ns: "b", name: "d"),
            req("get", "secrets", ns: "a", name: "db"), req("get", "secrets", ns: "a", name: "other"),
        ]
        for request in requests {
            let subjects = graph.subjects(allowedTo: request).map(\.subject)
            for identity in identities {
                let named = subjects.contains { $0.applies(to: identity, bindingNamespace: "") }
                #expect(named == graph.authorize(identity, request).allowed, "\(identity) \(request)")
            }
        }
    }
}
