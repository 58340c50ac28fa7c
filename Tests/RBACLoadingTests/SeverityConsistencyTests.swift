import RBACCore
import RBACLoading
import TestSupport
import Testing

/// A rule's registered severity is the highest it reports: docs/findings.md, the SARIF rule's
/// `defaultConfiguration.level` and `--fail-on` all read it, so no finding may go above it.
@Suite("Report rules: severities")
struct SeverityConsistencyTests {
    /// Inputs that push each rule to its highest severity.
    static let inputs: [(String, String)] = [
        ("a rule with * everywhere", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: everything}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: everyone}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
            subjects: [{kind: Group, name: system:authenticated}, {kind: ServiceAccount, name: default, namespace: dev}]
            """),
    ]

    static func check(_ graph: AccessGraph) {
        let context = ReportContext(graph: graph)
        for rule in FindingRule.all {
            for f in rule.findings(in: context) {
                #expect(f.severity <= rule.severity, "\(rule.id) registered as \(rule.severity) emits \(f.severity): \(f.message)")
            }
        }
    }

    @Test("no finding above its rule's severity", arguments: inputs)
    func handMade(_ c: (name: String, yaml: String)) {
        let result = load(c.yaml, name: "severity.yaml")
        #expect(result.errors.isEmpty)
        Self.check(AccessGraph(result.cluster))
    }

    @Test("no finding above its rule's severity on samples/")
    func samples() throws {
        let result = try ManifestLoader().load(paths: [Repository.samples.path])
        Self.check(AccessGraph(result.cluster))
    }
}
