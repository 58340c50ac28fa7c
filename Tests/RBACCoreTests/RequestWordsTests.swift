import Testing
@testable import RBACCore

/// kubectl's request grammar (`VERB TYPE[/NAME]`, `--subresource`, `-n`), with rbacgraph's
/// notation read first, row by row: words → the request the API server would see.
@Suite("request words")
struct RequestWordsTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var words: RequestWords
        var request: Request
        var warnings: [String] = []
        var testDescription: String { "\(words.verb) \(words.target)\(words.name.map { " " + $0 } ?? "")" }
    }

    static func rr(_ verb: String, _ group: String, _ resource: String, sub: String = "", ns: String, name: String = "") -> Request {
        .resource(ResourceRequest(verb: verb, apiGroup: group, resource: resource, subresource: sub, namespace: ns, name: name))
    }

    static let rows: [Row] = [
        Row(words: RequestWords(verb: "get", target: "secrets/db", namespace: "prod"), request: rr("get", "", "secrets", ns: "prod", name: "db")),
        Row(words: RequestWords(verb: "get", target: "secret", name: "db", namespace: "prod"), request: rr("get", "", "secrets", ns: "prod", name: "db")),
        Row(words: RequestWords(verb: "list", target: "deploy"), request: rr("list", "apps", "deployments", ns: "default")),
        Row(words: RequestWords(verb: "create", target: "pods", namespace: "dev", subresource: "exec"),
            request: rr("create", "", "pods", sub: "exec", ns: "dev")),
        Row(words: RequestWords(verb: "create", target: "pods/exec", namespace: "dev"), request: rr("create", "", "pods", ns: "dev", name: "exec"),
            warnings: ["read as pods named \"exec\"; for the subresource use --subresource exec"]),
        Row(words: RequestWords(verb: "get", target: "deployments.apps/scale"), request: rr("get", "apps", "deployments", ns: "default", name: "scale"),
            warnings: ["read as deployments named \"scale\"; for the subresource use --subresource scale"]),
        // Cluster-scoped: no namespace, and a note when -n named one.
        Row(words: RequestWords(verb: "list", target: "nodes"), request: rr("list", "", "nodes", ns: "")),
        Row(words: RequestWords(verb: "list", target: "no", namespace: "prod"), request: rr("list", "", "nodes", ns: ""),
            warnings: ["nodes is cluster-scoped: asked cluster-wide, -n prod left out"]),
        Row(words: RequestWords(verb: "escalate", target: "clusterroles", namespace: "dev"),
            request: rr("escalate", "rbac.authorization.k8s.io", "clusterroles", ns: ""),
            warnings: ["clusterroles is cluster-scoped: asked cluster-wide, -n dev left out"]),
        // Checks the API server makes in a namespace on a cluster-scoped resource.
        Row(words: RequestWords(verb: "bind", target: "clusterroles", name: "view", namespace: "dev"),
            request: rr("bind", "rbac.authorization.k8s.io", "clusterroles", ns: "dev", name: "view")),
        Row(words: RequestWords(verb: "bind", target: "clusterroles/view", clusterWide: true),
            request: rr("bind", "rbac.authorization.k8s.io", "clusterroles", ns: "", name: "view")),
        Row(words: RequestWords(verb: "use", target: "podsecuritypolicies", name: "restricted", namespace: "dev"),
            request: rr("use", "policy", "podsecuritypolicies", ns: "dev", name: "restricted")),
        // can-i -A: the request with no namespace.
        Row(words: RequestWords(verb: "create", target: "pods", namespace: nil, clusterWide: true), request: rr("create", "", "pods", ns: "")),
        // rbacgraph's notation, read before kubectl's grammar.
        Row(words: RequestWords(verb: "get", target: "secret:prod/db"), request: rr("get", "", "secrets", ns: "prod", name: "db")),
        Row(words: RequestWords(verb: "list", target: "secret:prod/*"), request: rr("list", "", "secrets", ns: "prod")),
        Row(words: RequestWords(verb: "impersonate", target: "sa:kube-system/tiller"),
            request: rr("impersonate", "", "serviceaccounts", ns: "kube-system", name: "tiller")),
        Row(words: RequestWords(verb: "impersonate", target: "user:alice"), request: rr("impersonate", "", "users", ns: "", name: "alice")),
        Row(words: RequestWords(verb: "impersonate", target: "group:devs"), request: rr("impersonate", "", "groups", ns: "", name: "devs")),
        // Non-resource URLs, and kubectl's warning for verbs it does not know.
        Row(words: RequestWords(verb: "get", target: "/metrics"), request: .nonResource(verb: "get", path: "/metrics")),
        Row(words: RequestWords(verb: "gett", target: "pods"), request: rr("gett", "", "pods", ns: "default"),
            warnings: ["verb 'gett' is not a known verb"]),
        Row(words: RequestWords(verb: "list", target: "/metrics"), request: .nonResource(verb: "list", path: "/metrics"),
            warnings: ["verb 'list' is not a known verb"]),
    ]

    @Test("words → request", arguments: rows)
    func row(_ row: Row) throws {
        let parsed = try row.words.parse()
        #expect(parsed.request == row.request)
        #expect(parsed.warnings == row.warnings)
    }

    static let refused: [RequestWords] = [
        RequestWords(verb: "get", target: "secrets/a", name: "b"),
        RequestWords(verb: "get", target: "secrets/"),
        RequestWords(verb: "get", target: "/metrics", name: "x"),
        RequestWords(verb: "get", target: "/metrics", subresource: "x"),
        RequestWords(verb: "get", target: "secret:prod/db", namespace: "dev"),
        RequestWords(verb: "get", target: "secret:prod/db", name: "other"),
        RequestWords(verb: "get", target: "sa:prod"),
        RequestWords(verb: "", target: "pods"),
    ]

    @Test("refused", arguments: refused)
    func refusedWords(_ words: RequestWords) {
        #expect(throws: RequestWords.ParseError.self) { try words.parse() }
    }
}
