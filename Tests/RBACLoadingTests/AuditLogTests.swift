import Foundation
import RBACCore
import RBACLoading
import RBACPresentation
import Testing
import TestSupport

/// Audit logs as the API server writes them: what each principal used, and the minimal
/// policy that allows exactly that.
@Suite("Audit logs and least privilege")
struct AuditLogTests {
    static let fixtures = Repository.fixtures("RBACLoadingTests")
    static let secretValue = "aHVudGVyMi1hdWRpdA=="

    @Test("events: one per request, allowed only; bodies never read", arguments: ["audit.jsonl", "audit.jsonl.gz"])
    func reader(_ file: String) throws {
        let r = AuditLogReader().read(paths: [Self.fixtures.appendingPathComponent(file).path])
        // 9 events written: the two stages of id-1 count once, id-4 was forbidden.
        #expect(r.events.count == 7)
        #expect(r.denied == 1)
        #expect(r.diagnostics.map(\.message).contains { $0.hasPrefix("invalid JSON") })
        #expect(r.diagnostics.contains { $0.message == "not an audit Event: skipped" && $0.severity == .warning })
        #expect(!String(describing: r.events).contains(Self.secretValue))
        let healthz = r.events.first { $0.identity.name == "alice" && $0.impersonator == nil }
        #expect(healthz?.request == .nonResource(verb: "get", path: "/healthz"))
        // Impersonation: the request counts for the impersonated identity.
        let impersonated = try #require(r.events.first { $0.impersonator != nil })
        #expect(impersonated.identity.name == "system:serviceaccount:prod:api")
        #expect(impersonated.impersonator?.name == "alice")
    }

    @Test("used and unused grants, and a minimal policy that is verified")
    func leastPrivilege() throws {
        let manifests = try ManifestLoader().load(paths: [Repository.samples.path])
        let graph = AccessGraph(manifests.cluster)
        let events = AuditLogReader().read(paths: [Self.fixtures.appendingPathComponent("audit.jsonl").path]).events
        let lp = LeastPrivilege(graph: graph, events: events)
        let api = try #require(lp.usages.first { $0.principal == "sa:prod/api" })
        // get my-secret (twice) and list pods (itself, and alice impersonating it).
        #expect(api.observed.count == 2)
        #expect(api.observed.first { $0.request.verb == "get" }?.count == 2)
        // secret-reader's rule was used; the monitoring rules it gets as an authenticated
        // identity were used for pods; nothing of prod/api's own grants is unused but…
        #expect(api.usedRules.contains { graph.roles[$0.grant.role].name == "secret-reader" })
        #expect(api.suggestion.verified)
        #expect(api.suggestion.roles.map(\.displayName) == ["Role/prod/api-minimal"])
        #expect(api.suggestion.roles[0].rules == [
            PolicyRule(verbs: ["list"], apiGroups: [""], resources: ["pods"]),
            PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["my-secret"]),
        ])
        // The deployer used get and patch on one Deployment: resourceNames narrow it.
        let deployer = try #require(lp.usages.first { $0.principal == "sa:ci/deployer" })
        #expect(deployer.suggestion.roles[0].rules == [
            PolicyRule(verbs: ["get", "patch"], apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["api"])
        ])
        // Its deployer rule was used; the monitoring rules it holds as an authenticated
        // identity were not.
        #expect(deployer.usedRules.map { graph.roles[$0.grant.role].displayName } == ["Role/prod/deployer"])
        #expect(deployer.unusedRules.map { graph.roles[$0.grant.role].displayName } == ["ClusterRole/monitoring", "ClusterRole/monitoring"])
        #expect(deployer.unusedRules.allSatisfy { $0.grant.subject == .group("system:authenticated") })
        // alice: /healthz (cluster-wide: a ClusterRole) and impersonating prod/api.
        let alice = try #require(lp.usages.first { $0.principal == "user:alice" })
        #expect(alice.suggestion.roles.map(\.kind) == [.clusterRole, .role])
        #expect(alice.suggestion.roles[0].rules.contains(PolicyRule(verbs: ["get"], nonResourceURLs: ["/healthz"])))
        #expect(alice.suggestion.roles[1].rules == [
            PolicyRule(verbs: ["impersonate"], apiGroups: [""], resources: ["serviceaccounts"], resourceNames: ["api"])
        ])
        #expect(alice.suggestion.verified)
        // alice may not impersonate in samples/: the log comes from another policy.
        #expect(alice.notAllowedNow.count == 1)
        // …so the suggestion would give alice a permission she does not hold today, and says so.
        #expect(alice.suggestion.notHeldToday == [
            .resource(ResourceRequest(verb: "impersonate", resource: "serviceaccounts", namespace: "prod", name: "api"))
        ])
        #expect(api.suggestion.notHeldToday.isEmpty)
        #expect(deployer.suggestion.notHeldToday.isEmpty)
        #expect(alice.suggestion.yaml.contains("kind: RoleBinding"))
    }
}
