import RBACCore
import Testing

/// Kubernetes compares strings as Go does, byte for byte. Swift's `==` treats canonically
/// equivalent strings as equal ("é" and "e\u{301}", "K" and the Kelvin sign), and `hasPrefix`
/// works on whole characters. These cases pin rbacgraph to Go's behaviour in both directions.
@Suite("strings compare byte for byte, as in Go")
struct ExactStringTests {
    static let nfc = "caf\u{E9}"  // é as one scalar
    static let nfd = "cafe\u{301}"  // e + combining acute

    @Test(
        "byte order is Go's order of strings, not Swift's",
        arguments: [
            ("a", "b", true), ("b", "a", false), ("a", "a", false), ("", "a", true), ("a", "", false), ("", "", false),
            ("a.yaml", "a/x.yaml", true),  // '.' (0x2E) before '/' (0x2F)
            ("a/x.yaml", "a.yaml", false),
            ("Z", "a", true),  // bytes, not case
            (ExactStringTests.nfd, ExactStringTests.nfc, true),  // "e" (0x65) before "é" (0xC3 0xA9); Swift calls them equal
            (ExactStringTests.nfc, ExactStringTests.nfd, false),
            ("abc", "abcd", true), ("abcd", "abc", false),
        ])
    func byteOrder(a: String, b: String, precedes: Bool) {
        #expect(a.precedesExactly(b) == precedes)
        #expect(a.precedesExactly(b) == a.utf8.lexicographicallyPrecedes(b.utf8))
    }

    @Test("a user name in another Unicode normalization is another user")
    func userNames() {
        #expect(!Subject.user(Self.nfc).applies(to: Identity(name: Self.nfd), bindingNamespace: ""))
        let graph = AccessGraph(
            roles: [clusterRole("reader", [rule(["get"], resources: ["secrets"])])],
            bindings: [clusterRoleBinding("b", to: "reader", [.user(Self.nfc)])])
        #expect(!graph.authorize(Identity(name: Self.nfd), req("get", "secrets", ns: "x")).allowed)
        #expect(graph.authorize(Identity(name: Self.nfc), req("get", "secrets", ns: "x")).allowed)
    }

    @Test("the Kelvin sign is not K")
    func kelvin() {
        let kelvinGroup = "\u{212A}ube-admins"
        #expect(!Subject.group("Kube-admins").applies(to: Identity(name: "u", groups: [kelvinGroup]), bindingNamespace: ""))
        #expect(!rule(["get"], resources: ["pods"], names: ["K"]).allows(req("get", "pods", name: "\u{212A}")))
    }

    @Test("a non-resource prefix matches bytes, even inside a character")
    func urlPrefixInsideCharacter() {
        // Go: strings.HasPrefix("/x/e\u0301", "/x/e") is true; Swift's hasPrefix says false.
        #expect(urlRule(["get"], ["/x/e*"]).allows(url("get", "/x/e\u{301}")))
        #expect(!urlRule(["get"], ["/x/\u{E9}*"]).allows(url("get", "/x/e\u{301}")))
    }

    @Test("roleRef names resolve byte for byte")
    func roleRefNames() {
        let graph = AccessGraph(
            roles: [clusterRole(Self.nfc, [rule(["get"], resources: ["pods"])])],
            bindings: [clusterRoleBinding("b", to: Self.nfd, [.user("u")])])
        let d = graph.authorize(Identity(name: "u"), req("get", "pods", ns: "x"))
        #expect(!d.allowed)
        #expect(d.reason == "RBAC: clusterrole.rbac.authorization.k8s.io \"\(Self.nfd)\" not found")
    }

    @Test("who-can keeps subjects that differ only in normalization apart")
    func whoCanSubjects() {
        let graph = AccessGraph(
            roles: [clusterRole("reader", [rule(["get"], resources: ["secrets"])])],
            bindings: [clusterRoleBinding("b", to: "reader", [.user(Self.nfc), .user(Self.nfd)])])
        let names = graph.subjects(allowedTo: req("get", "secrets")).map(\.subject.name)
        #expect(names.filter { $0.isExactly(Self.nfc) }.count == 1)
        #expect(names.filter { $0.isExactly(Self.nfd) }.count == 1)
    }

    @Test("aggregation keeps rules that differ only in normalization apart")
    func aggregationDedup() {
        var roles = [
            clusterRole("agg", [], aggregating: [LabelSelector(matchLabels: [(key: "a", value: "b")])]),
            clusterRole("one", labels: ["a": "b"], [rule(["get"], resources: [Self.nfc])]),
            clusterRole("two", labels: ["a": "b"], [rule(["get"], resources: [Self.nfd])]),
        ]
        Aggregation.apply(to: &roles)
        #expect(roles[0].rules.count == 2)
    }
}
