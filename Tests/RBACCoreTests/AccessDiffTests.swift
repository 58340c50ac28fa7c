// `rbacgraph diff` (issue 12) on small worlds: what each kind of change does to access, and
// which object change the diff names as its cause.

import RBACCore
import Testing

@Suite("Access diff: changes and their causes")
struct AccessDiffTests {
    static let secrets = clusterRole("secret-reader", [rule(["get", "list"], resources: ["secrets"])])
    static let pods = role("prod", "pod-reader", [rule(["get"], resources: ["pods"])])

    /// The compacted lines of an identity's scope: `+ get,list secrets`, `- get pods`.
    static func lines(_ diff: AccessDiff, _ identity: String, _ namespace: String? = nil) -> [String] {
        guard let scope = diff.identities.first(where: { $0.identity == identity })?.scopes.first(where: { $0.namespace == namespace }) else { return [] }
        return scope.compactGained.map { "+ " + $0.text } + scope.compactLost.map { "- " + $0.text }
    }

    static func causes(_ diff: AccessDiff, _ identity: String, _ namespace: String? = nil) -> [String] {
        guard let scope = diff.identities.first(where: { $0.identity == identity })?.scopes.first(where: { $0.namespace == namespace }) else { return [] }
        return (scope.compactGained + scope.compactLost).flatMap { $0.causes.map { "\($0.object) \($0.kind.rawValue)" } }
    }

    @Test("a new binding: its subject gains the role's rules, marked sensitive, caused by the binding")
    func bindingAdded() {
        let base = AccessGraph(roles: [Self.secrets], bindings: [])
        let head = AccessGraph(roles: [Self.secrets], bindings: [roleBinding("prod", "ci", to: "secret-reader", kind: "ClusterRole", [.serviceAccount("ci", "deployer")])])
        let diff = AccessDiff(base: base, head: head)
        #expect(diff.identities.map(\.identity) == ["sa:ci/deployer"])
        #expect(Self.lines(diff, "sa:ci/deployer", "prod") == ["+ get,list secrets"])
        #expect(diff.identities[0].gainsSensitive)
        #expect(Self.causes(diff, "sa:ci/deployer", "prod") == ["RoleBinding/prod/ci added"])
        #expect(diff.objectChangesWithoutAccessEffect.isEmpty)
    }

    @Test("two spellings of one name are two users, as the authorizer compares names byte for byte")
    func spellingsAreTwoUsers() {
        let composed = "zo\u{EB}", decomposed = "zoe\u{308}"
        let base = AccessGraph(roles: [Self.secrets], bindings: [clusterRoleBinding("a", to: "secret-reader", [.user(composed)])])
        let head = AccessGraph(roles: [Self.secrets], bindings: [
            clusterRoleBinding("a", to: "secret-reader", [.user(composed)]),
            clusterRoleBinding("b", to: "secret-reader", [.user(decomposed)]),
        ])
        #expect(base.knownIdentities.filter { $0.hasExactPrefix("user:") }.count == 1)
        #expect(head.knownIdentities.filter { $0.hasExactPrefix("user:") }.count == 2)
        let diff = AccessDiff(base: base, head: head)
        #expect(diff.identities.count == 1)
        #expect(diff.identities.first?.identity.isExactly("user:" + decomposed) == true)
    }

    @Test("a label that aggregates a ClusterRole into another: every holder gains, caused by the label")
    func aggregationLabel() {
        let aggregate = clusterRole("edit", aggregating: [LabelSelector(matchLabels: [("aggregate-to-edit", "true")])])
        let widgets = clusterRole("widgets", [rule(["delete"], groups: ["example.com"], resources: ["widgets"])])
        var labelled = widgets
        labelled.labels = ["aggregate-to-edit": "true"]
        let binding = clusterRoleBinding("devs", to: "edit", [.group("devs")])
        let diff = AccessDiff(base: AccessGraph(roles: [aggregate, widgets], bindings: [binding]), head: AccessGraph(roles: [aggregate, labelled], bindings: [binding]))
        #expect(Self.lines(diff, "group:devs") == ["+ delete widgets.example.com"])
        #expect(Self.causes(diff, "group:devs") == ["ClusterRole/widgets labels aggregate it into"])
    }

    @Test("a deleted role: the binding dangles, its subjects lose the rules, caused by the deletion")
    func roleDeleted() {
        let binding = roleBinding("prod", "support", to: "pod-reader", kind: "Role", [.user("carol")])
        let diff = AccessDiff(base: AccessGraph(roles: [Self.pods], bindings: [binding]), head: AccessGraph(roles: [], bindings: [binding]))
        #expect(Self.lines(diff, "user:carol", "prod") == ["- get pods"])
        let cause = diff.identities[0].scopes[0].lost[0].causes[0]
        #expect(cause.kind == .deleted && cause.object == "Role/prod/pod-reader" && cause.detail == "RoleBinding/prod/support now dangling")
    }

    @Test("a wildcard verb replacing one verb: gained is the wildcard except what was held")
    func wildcardExcept() {
        let before = clusterRole("r", [rule(["get"], resources: ["pods"])])
        let after = clusterRole("r", [rule(["*"], resources: ["pods"])])
        let binding = clusterRoleBinding("b", to: "r", [.user("alice")])
        let diff = AccessDiff(base: AccessGraph(roles: [before], bindings: [binding]), head: AccessGraph(roles: [after], bindings: [binding]))
        #expect(Self.lines(diff, "user:alice") == ["+ * pods (except get)"])
        #expect(Self.causes(diff, "user:alice") == ["ClusterRole/r rule added"])
    }

    @Test("reordered rules and a binding of rules already held: object changes, no access change")
    func noAccessEffect() {
        let r = clusterRole("r", [rule(["get"], resources: ["pods"]), rule(["list"], resources: ["pods"])])
        var reordered = r
        reordered.rules.reverse()
        let binding = clusterRoleBinding("b", to: "r", [.user("alice")])
        let again = clusterRoleBinding("b2", to: "r", [.user("alice")])
        let diff = AccessDiff(base: AccessGraph(roles: [r], bindings: [binding]), head: AccessGraph(roles: [reordered], bindings: [binding, again]))
        #expect(diff.isEmpty)
        #expect(diff.objectChangesWithoutAccessEffect.map { "\($0.object) \($0.kind.rawValue) \($0.detail)" } == [
            "ClusterRole/r modified rules reordered", "ClusterRoleBinding/b2 added ",
        ])
    }

    @Test("a grant to system:authenticated: every user changes the same way, said once")
    func authenticatedGroup() {
        let binding = clusterRoleBinding("all", to: "secret-reader", [.group("system:authenticated")])
        let other = clusterRoleBinding("alice", to: "none", [.user("alice")])
        let diff = AccessDiff(base: AccessGraph(roles: [Self.secrets], bindings: [other]), head: AccessGraph(roles: [Self.secrets], bindings: [other, binding]))
        #expect(Self.lines(diff, "group:system:authenticated") == ["+ get,list secrets"])
        let alice = diff.identities.first { $0.identity == "user:alice" }
        #expect(alice?.scopes.map(\.sameAsGroup) == ["group:system:authenticated"])
    }

    @Test("a cluster-wide gain already held in a namespace: the namespace is listed as unchanged")
    func namespaceAlreadyHeld() {
        let binding = roleBinding("prod", "pods", to: "pod-reader", kind: "Role", [.user("alice")])
        let podsEverywhere = clusterRole("pods", [rule(["get"], resources: ["pods"])])
        let crb = clusterRoleBinding("pods", to: "pods", [.user("alice")])
        let diff = AccessDiff(
            base: AccessGraph(roles: [Self.pods, podsEverywhere], bindings: [binding]),
            head: AccessGraph(roles: [Self.pods, podsEverywhere], bindings: [binding, crb]))
        let scopes = diff.identities.first { $0.identity == "user:alice" }?.scopes ?? []
        #expect(scopes.map(\.namespace) == [nil, "prod"])
        #expect(Self.lines(diff, "user:alice") == ["+ get pods"])
        #expect(Self.lines(diff, "user:alice", "prod") == [])
    }
}

@Suite("Findings diff: introduced and resolved by baseline key, paths to cluster-admin by identity")
struct FindingsDiffTests {
    @Test("creating admission webhooks newly granted: a path to cluster-admin gained, and its finding introduced")
    func pathGained() {
        let impersonate = clusterRole("webhooks", [rule(["create"], groups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"])])
        let binding = clusterRoleBinding("ci-webhooks", to: "webhooks", [.serviceAccount("ci", "x")])
        let base = Report(graph: AccessGraph(roles: [impersonate], bindings: []))
        let head = Report(graph: AccessGraph(roles: [impersonate], bindings: [binding]))
        let diff = FindingsDiff(base: base.findings, head: head.findings)
        #expect(diff.pathsGained.compactMap(\.principal) == ["sa:ci/x"])
        #expect(diff.pathsLost.isEmpty)
        #expect(diff.introduced.contains { $0.ruleID == FindingsDiff.pathRuleID })
        // Reversed: lost and resolved; the role left unbound is a finding introduced.
        let back = FindingsDiff(base: head.findings, head: base.findings)
        #expect(back.pathsLost.compactMap(\.principal) == ["sa:ci/x"])
        #expect(back.resolved.contains { $0.ruleID == FindingsDiff.pathRuleID })
        #expect(back.introduced.map(\.ruleID) == ["unbound-role"])
    }

    @Test("a finding for the other spelling of a name is introduced: keys compare byte for byte")
    func byteExactKeys() {
        let composed = clusterRoleBinding("all", to: "secret-reader", [.user("zo\u{EB}")])
        let decomposed = clusterRoleBinding("all", to: "secret-reader", [.user("zoe\u{308}")])
        let base = Report(graph: AccessGraph(roles: [AccessDiffTests.secrets], bindings: [composed]))
        let head = Report(graph: AccessGraph(roles: [AccessDiffTests.secrets], bindings: [decomposed]))
        let diff = FindingsDiff(base: base.findings, head: head.findings)
        #expect(diff.introduced.contains { $0.principal?.isExactly("user:zoe\u{308}") == true })
        #expect(diff.resolved.contains { $0.principal?.isExactly("user:zo\u{EB}") == true })
    }

    @Test("the same findings on both sides: nothing introduced or resolved")
    func same() {
        let binding = clusterRoleBinding("all", to: "secret-reader", [.group("system:authenticated")])
        let graph = AccessGraph(roles: [AccessDiffTests.secrets], bindings: [binding])
        let report = Report(graph: graph)
        #expect(!report.findings.isEmpty)
        #expect(FindingsDiff(base: report.findings, head: Report(graph: graph).findings).isEmpty)
    }
}
