import RBACCore
import Testing

/// The compaction behind `can-i --list` and the report's per-principal table.
@Suite("CompactPermission")
struct CompactPermissionTests {
    @Test("one entry per resource.group and names, verbs merged in first-seen order, URLs apart")
    func compaction() {
        let grants = [
            rule(["get", "list"], groups: ["", "apps"], resources: ["pods"]),
            rule(["watch", "get"], resources: ["pods"]),
            rule(["get"], resources: ["pods"], names: ["web"]),
            // resourceNames do not apply to non-resource URLs.
            PolicyRule(verbs: ["get"], resourceNames: ["x"], nonResourceURLs: ["/metrics"]),
        ].enumerated().map { RuleGrant(rule: $1, grant: Grant(subject: .user("u"), binding: BindingID(0), role: RoleID($0), ruleIndex: 0)) }
        let c = CompactPermission.compact(grants)
        #expect(c.map(\.resource) == ["pods", "pods.apps", "pods", "/metrics"])
        #expect(c[0].verbs == ["get", "list", "watch"] && c[0].roles == [RoleID(0), RoleID(1)])
        #expect(c[1].verbs == ["get", "list"] && c[1].roles == [RoleID(0)])
        #expect(c[2].resourceNames == ["web"] && c[2].verbs == ["get"])
        #expect(c[3].isNonResourceURL && c[3].resourceNames.isEmpty)
    }
}
