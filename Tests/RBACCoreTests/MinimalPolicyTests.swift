import RBACCore
import Testing

/// The minimal policy of the least-privilege report allows what an audit log shows a principal
/// used. Written as rules it can grant more than the principal holds today — a verb used on two
/// named objects becomes a rule without names, a request of a log from another policy was never
/// allowed here — and then it says so, permission by permission.
@Suite("Minimal policy: what it adds")
struct MinimalPolicyTests {
    static let ci = Identity.serviceAccount(namespace: "ci", name: "builder")

    struct Case: CustomTestStringConvertible, Sendable {
        var label: String
        /// What the principal holds today.
        var rules: [PolicyRule]
        /// What the log shows it used.
        var observed: [Request]
        /// The permissions of the suggestion it does not hold today.
        var added: [Request]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(
            label: "exactly what it holds: nothing added",
            rules: [rule(["get", "list"], resources: ["pods"])],
            observed: [req("get", "pods", ns: "ci", name: "a"), req("list", "pods", ns: "ci")],
            added: []),
        Case(
            label: "one named object, held by name: nothing added",
            rules: [rule(["get"], resources: ["secrets"], names: ["token"])],
            observed: [req("get", "secrets", ns: "ci", name: "token")],
            added: []),
        Case(
            label: "two named objects held by name become a rule without names: get on every pod is added",
            rules: [rule(["get"], resources: ["pods"], names: ["a", "b"])],
            observed: [req("get", "pods", ns: "ci", name: "a"), req("get", "pods", ns: "ci", name: "b")],
            added: [req("get", "pods", ns: "ci")]),
        Case(
            label: "a request it is not allowed today (the log comes from another policy)",
            rules: [rule(["list"], resources: ["pods"])],
            observed: [req("list", "pods", ns: "ci"), req("create", "pods", sub: "exec", ns: "ci", name: "a")],
            added: [req("create", "pods", sub: "exec", ns: "ci", name: "a")]),
        Case(
            label: "a non-resource URL it may not get",
            rules: [urlRule(["get"], ["/healthz"])],
            observed: [url("get", "/healthz"), url("get", "/metrics")],
            added: [url("get", "/metrics")]),
    ]

    @Test("the suggestion names each permission the principal does not hold today", arguments: cases)
    func added(_ c: Case) {
        let graph = AccessGraph(
            roles: [role("ci", "held", c.rules.filter { $0.nonResourceURLs.isEmpty }), clusterRole("held-urls", c.rules.filter { !$0.nonResourceURLs.isEmpty })],
            bindings: [
                roleBinding("ci", "held", to: "held", kind: "Role", [.serviceAccount("ci", "builder")]),
                clusterRoleBinding("held-urls", to: "held-urls", [.serviceAccount("ci", "builder")]),
            ])
        let usage = LeastPrivilege(graph: graph, events: c.observed.map { AuditEvent(identity: Self.ci, request: $0) }).usages
        #expect(usage.count == 1)
        let suggestion = usage[0].suggestion
        #expect(suggestion.verified)
        #expect(suggestion.notHeldToday == c.added)
    }

    @Test("the permissions of a suggestion: one per verb, resource and name (or none), in its scope")
    func permissions() {
        let policy = MinimalPolicy(
            for: Self.ci, principal: "sa:ci/builder",
            requests: [req("get", "pods", ns: "ci", name: "a"), req("get", "pods", ns: "ci", name: "b"), req("list", "pods", ns: "ci"),
                       req("get", "secrets", ns: "ci", name: "t"), url("get", "/healthz")])
        #expect(policy.permissions == [
            url("get", "/healthz"),
            req("get", "pods", ns: "ci"), req("list", "pods", ns: "ci"),
            req("get", "secrets", ns: "ci", name: "t"),
        ])
    }
}
