// One PolicyRule against one request: `RuleAllows` and the matchers of
// `pkg/apis/rbac/v1/evaluation_helpers.go` (docs/semantics.md §2).

import RBACCore
import Testing

/// One row of a rule-matching table.
struct RuleCase: Sendable, CustomTestStringConvertible {
    var note: String
    var rule: PolicyRule
    var request: Request
    var allowed: Bool

    init(_ note: String, _ rule: PolicyRule, _ request: Request, _ allowed: Bool) {
        self.note = note
        self.rule = rule
        self.request = request
        self.allowed = allowed
    }

    var testDescription: String { note }
}

@Suite("§2 One rule against one request")
struct RuleMatchingTests {
    /// Verbs: `*` or an exact, case-sensitive match. An empty list matches nothing.
    static let verbs: [RuleCase] = [
        RuleCase("* matches any verb", rule(["*"], resources: ["pods"]), req("get", "pods"), true),
        RuleCase("* matches special verbs too", rule(["*"], resources: ["pods"]), req("escalate", "pods"), true),
        RuleCase("an exact verb matches", rule(["get", "list"], resources: ["pods"]), req("list", "pods"), true),
        RuleCase("another verb does not", rule(["get"], resources: ["pods"]), req("list", "pods"), false),
        RuleCase("verbs are case-sensitive", rule(["GET"], resources: ["pods"]), req("get", "pods"), false),
        RuleCase("no verbs match nothing", rule([], resources: ["pods"]), req("get", "pods"), false),
        RuleCase("a verb prefix is not a wildcard", rule(["g*"], resources: ["pods"]), req("get", "pods"), false),
    ]

    /// API groups: `*` or exact; the core group is `""`; an empty apiGroups list matches nothing.
    static let apiGroups: [RuleCase] = [
        RuleCase("\"\" is the core group", rule(["get"], groups: [""], resources: ["pods"]), req("get", "pods"), true),
        RuleCase("\"\" does not match apps", rule(["get"], groups: [""], resources: ["deployments"]), req("get", "deployments", group: "apps"), false),
        RuleCase("apps does not match the core group", rule(["get"], groups: ["apps"], resources: ["pods"]), req("get", "pods"), false),
        RuleCase("apps matches apps", rule(["get"], groups: ["apps"], resources: ["deployments"]), req("get", "deployments", group: "apps"), true),
        RuleCase("* matches a named group", rule(["get"], groups: ["*"], resources: ["deployments"]), req("get", "deployments", group: "apps"), true),
        RuleCase("* matches the core group", rule(["get"], groups: ["*"], resources: ["pods"]), req("get", "pods"), true),
        RuleCase("empty apiGroups matches nothing, even with * everywhere else", rule(["*"], groups: [], resources: ["*"]), req("get", "pods"), false),
        RuleCase("groups are not prefixes", rule(["get"], groups: ["apps"], resources: ["deployments"]), req("get", "deployments", group: "apps.example.com"), false),
    ]

    /// Resources: `*` (every resource and subresource), the exact combined resource, or
    /// `*/SUB` for the request's subresource. Nothing else is a wildcard.
    static let resources: [RuleCase] = [
        RuleCase("* matches a resource", rule(["get"], resources: ["*"]), req("get", "pods"), true),
        RuleCase("* matches every subresource", rule(["get"], resources: ["*"]), req("get", "pods", sub: "status"), true),
        RuleCase("pods matches pods", rule(["get"], resources: ["pods"]), req("get", "pods"), true),
        RuleCase("pods does not match pods/status", rule(["get"], resources: ["pods"]), req("get", "pods", sub: "status"), false),
        RuleCase("pods/status matches pods/status", rule(["get"], resources: ["pods/status"]), req("get", "pods", sub: "status"), true),
        RuleCase("pods/status does not match pods", rule(["get"], resources: ["pods/status"]), req("get", "pods"), false),
        RuleCase("pods/status does not match pods/log", rule(["get"], resources: ["pods/status"]), req("get", "pods", sub: "log"), false),
        RuleCase("*/scale matches deployments/scale", rule(["update"], groups: ["apps"], resources: ["*/scale"]), req("update", "deployments", sub: "scale", group: "apps"), true),
        RuleCase("*/scale matches any resource's scale", rule(["update"], groups: ["*"], resources: ["*/scale"]), req("update", "anything", sub: "scale", group: "x.io"), true),
        RuleCase("*/scale does not match the resource itself", rule(["update"], groups: ["apps"], resources: ["*/scale"]), req("update", "deployments", group: "apps"), false),
        RuleCase("*/scale does not match another subresource", rule(["update"], groups: ["apps"], resources: ["*/scale"]), req("update", "deployments", sub: "status", group: "apps"), false),
        RuleCase("*/scale does not match a subresource it merely ends", rule(["update"], resources: ["*/scale"]), req("update", "pods", sub: "rescale"), false),
        RuleCase("pods/* is literal: not pods/status", rule(["get"], resources: ["pods/*"]), req("get", "pods", sub: "status"), false),
        RuleCase("pods/* is literal: not pods", rule(["get"], resources: ["pods/*"]), req("get", "pods"), false),
        RuleCase("pods/* matches the subresource literally named *", rule(["get"], resources: ["pods/*"]), req("get", "pods", sub: "*"), true),
        RuleCase("*s is literal: not pods", rule(["get"], resources: ["*s"]), req("get", "pods"), false),
        RuleCase("*s matches the resource literally named *s", rule(["get"], resources: ["*s"]), req("get", "*s"), true),
        RuleCase("po* is literal: not pods", rule(["get"], resources: ["po*"]), req("get", "pods"), false),
        RuleCase("*/* is */SUB with SUB = *: not pods/status", rule(["get"], resources: ["*/*"]), req("get", "pods", sub: "status"), false),
        RuleCase("*/* is */SUB with SUB = *: not pods", rule(["get"], resources: ["*/*"]), req("get", "pods"), false),
        RuleCase("*/* matches any resource whose subresource is *", rule(["get"], resources: ["*/*"]), req("get", "secrets", sub: "*"), true),
        RuleCase("resources are case-sensitive", rule(["get"], resources: ["Pods"]), req("get", "pods"), false),
        RuleCase("no resources match no resource request", rule(["*"], groups: ["*"], resources: []), req("get", "pods"), false),
    ]

    /// resourceNames: empty means every name, including the empty name of collection
    /// requests; otherwise the name must be listed, and `*` is a literal name.
    static let resourceNames: [RuleCase] = [
        RuleCase("no resourceNames: any name", rule(["get"], resources: ["secrets"]), req("get", "secrets", ns: "a", name: "db"), true),
        RuleCase("no resourceNames: the empty name (list)", rule(["list"], resources: ["secrets"]), req("list", "secrets", ns: "a"), true),
        RuleCase("a listed name matches", rule(["get"], resources: ["secrets"], names: ["db", "cache"]), req("get", "secrets", ns: "a", name: "cache"), true),
        RuleCase("an unlisted name does not", rule(["get"], resources: ["secrets"], names: ["db"]), req("get", "secrets", ns: "a", name: "web"), false),
        RuleCase("list (empty name) never matches resourceNames", rule(["list"], resources: ["secrets"], names: ["db"]), req("list", "secrets", ns: "a"), false),
        RuleCase("create (empty name) never matches resourceNames", rule(["create"], resources: ["secrets"], names: ["db"]), req("create", "secrets", ns: "a"), false),
        RuleCase("collection-level get never matches resourceNames", rule(["get"], resources: ["secrets"], names: ["db"]), req("get", "secrets", ns: "a"), false),
        RuleCase("\"*\" is not a wildcard name", rule(["get"], resources: ["secrets"], names: ["*"]), req("get", "secrets", ns: "a", name: "db"), false),
        RuleCase("\"*\" matches the object literally named *", rule(["get"], resources: ["secrets"], names: ["*"]), req("get", "secrets", ns: "a", name: "*"), true),
        RuleCase("\"*\" does not match the empty name", rule(["list"], resources: ["secrets"], names: ["*"]), req("list", "secrets", ns: "a"), false),
        RuleCase("resourceNames apply to subresources", rule(["create"], resources: ["pods/exec"], names: ["web"]), req("create", "pods", sub: "exec", ns: "a", name: "web"), true),
    ]

    /// nonResourceURLs: `*`, the exact path, or `P*` (all trailing `*`s removed) as a prefix.
    /// A `*` anywhere else is literal.
    static let nonResourceURLs: [RuleCase] = [
        RuleCase("* matches every path", urlRule(["get"], ["*"]), url("get", "/metrics"), true),
        RuleCase("* matches the root", urlRule(["get"], ["*"]), url("get", "/"), true),
        RuleCase("an exact path matches", urlRule(["get"], ["/healthz"]), url("get", "/healthz"), true),
        RuleCase("an exact path is not a prefix", urlRule(["get"], ["/healthz"]), url("get", "/healthz/etcd"), false),
        RuleCase("paths are case-sensitive", urlRule(["get"], ["/healthz"]), url("get", "/Healthz"), false),
        RuleCase("/apis/* matches /apis/", urlRule(["get"], ["/apis/*"]), url("get", "/apis/"), true),
        RuleCase("/apis/* matches below /apis/", urlRule(["get"], ["/apis/*"]), url("get", "/apis/apps/v1/x"), true),
        RuleCase("/apis/* does not match /apis", urlRule(["get"], ["/apis/*"]), url("get", "/apis"), false),
        RuleCase("/healthz* matches /healthz", urlRule(["get"], ["/healthz*"]), url("get", "/healthz"), true),
        RuleCase("/healthz* matches /healthzfoo", urlRule(["get"], ["/healthz*"]), url("get", "/healthzfoo"), true),
        RuleCase("/healthz* matches /healthz/x", urlRule(["get"], ["/healthz*"]), url("get", "/healthz/x"), true),
        RuleCase("/healthz* does not match /health", urlRule(["get"], ["/healthz*"]), url("get", "/health"), false),
        RuleCase("all trailing *s are removed: /apis** matches /apis", urlRule(["get"], ["/apis**"]), url("get", "/apis"), true),
        RuleCase("a * in the middle is literal", urlRule(["get"], ["/api/*/pods"]), url("get", "/api/v1/pods"), false),
        RuleCase("a * in the middle matches itself", urlRule(["get"], ["/api/*/pods"]), url("get", "/api/*/pods"), true),
        RuleCase("the verb must match too", urlRule(["get"], ["*"]), url("post", "/healthz"), false),
        RuleCase("* verb on non-resource URLs", urlRule(["*"], ["/logs"]), url("delete", "/logs"), true),
    ]

    /// A resource rule never matches a non-resource request and the reverse; a rule with both
    /// kinds of fields (rejected by validation) is checked against whichever arrives.
    static let crossKind: [RuleCase] = [
        RuleCase("* resources never match a URL", rule(["*"], groups: ["*"], resources: ["*"]), url("get", "/healthz"), false),
        RuleCase("* URLs never match a resource", urlRule(["*"], ["*"]), req("get", "pods"), false),
        RuleCase("a mixed rule matches the resource", PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"], nonResourceURLs: ["/healthz"]), req("get", "pods"), true),
        RuleCase("a mixed rule matches the URL", PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"], nonResourceURLs: ["/healthz"]), url("get", "/healthz"), true),
        RuleCase("a URL is not a resource name", rule(["get"], resources: ["healthz"]), url("get", "healthz"), false),
    ]

    @Test("verbs", arguments: verbs)
    func verb(_ c: RuleCase) { #expect(c.rule.allows(c.request) == c.allowed) }

    @Test("API groups", arguments: apiGroups)
    func apiGroup(_ c: RuleCase) { #expect(c.rule.allows(c.request) == c.allowed) }

    @Test("resources and subresources", arguments: resources)
    func resource(_ c: RuleCase) { #expect(c.rule.allows(c.request) == c.allowed) }

    @Test("resource names", arguments: resourceNames)
    func resourceName(_ c: RuleCase) { #expect(c.rule.allows(c.request) == c.allowed) }

    @Test("non-resource URLs", arguments: nonResourceURLs)
    func nonResourceURL(_ c: RuleCase) { #expect(c.rule.allows(c.request) == c.allowed) }

    @Test("resource and non-resource rules stay apart", arguments: crossKind)
    func kinds(_ c: RuleCase) { #expect(c.rule.allows(c.request) == c.allowed) }

    /// The four matchers each decide alone: a request that fails one of them is refused even
    /// when all the others match.
    @Test("every attribute must match")
    func allFourMustMatch() {
        let r = rule(["get"], groups: ["apps"], resources: ["deployments"], names: ["web"])
        let ok = ResourceRequest(verb: "get", apiGroup: "apps", resource: "deployments", namespace: "a", name: "web")
        #expect(r.allows(ok))
        var wrongVerb = ok; wrongVerb.verb = "delete"
        var wrongGroup = ok; wrongGroup.apiGroup = "extensions"
        var wrongResource = ok; wrongResource.resource = "statefulsets"
        var wrongName = ok; wrongName.name = "db"
        for bad in [wrongVerb, wrongGroup, wrongResource, wrongName] {
            #expect(!r.allows(bad), "\(bad)")
        }
        // The namespace plays no part in rule matching (scoping is the binding's business).
        var otherNamespace = ok; otherNamespace.namespace = "b"
        #expect(r.allows(otherNamespace))
    }

    /// The combined resource is `resource/subresource`, the string rules are compared with.
    @Test("the combined resource")
    func combinedResource() {
        #expect(ResourceRequest(verb: "get", resource: "pods").combinedResource == "pods")
        #expect(ResourceRequest(verb: "get", resource: "pods", subresource: "log").combinedResource == "pods/log")
    }
}
