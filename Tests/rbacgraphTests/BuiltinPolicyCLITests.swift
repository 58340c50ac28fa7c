// Issue 9, wrong answer 1: bindings to the roles the API server creates (cluster-admin, edit,
// system:*) granted nothing, because a manifest repository never contains those roles. Each test
// shows the old wrong answer with --no-builtin-policy (the input alone) next to the right one.

import Foundation
import Testing

@Suite("Built-in policy on the command line")
struct BuiltinPolicyCLITests {
    static let dir = "Tests/rbacgraphTests/Fixtures/builtin-policy/"
    static let deployer = dir + "deployer-admin.yaml"
    static let binder = dir + "binder.yaml"
    static let empty = dir + "empty/"

    @Test("who-can lists a service account bound to the built-in cluster-admin, as the input's grant")
    func whoCanSeesBuiltInRole() throws {
        let r = try CLI.run(["who-can", "delete", "nodes", "-f", Self.deployer])
        let row = r.stdout.split(separator: "\n").first { $0.contains("ci/deployer") }
        #expect(row?.contains("ClusterRoleBinding/deployer-admin ") == true && row?.contains("(built-in)") == false, "\(r.stdout)")
        // The built-in controllers that may delete nodes come after it, marked.
        #expect(r.stdout.contains("ClusterRoleBinding/system:controller:node-controller (built-in)"))
        let json = try CLI.run(["who-can", "delete", "nodes", "-f", Self.deployer, "-o", "json"])
        #expect(json.stdout.contains("\"origin\" : \"built-in\"") || json.stdout.contains("\"origin\": \"built-in\""))
        // The input alone: the old wrong answer.
        let alone = try CLI.run(["who-can", "delete", "nodes", "--no-builtin-policy", "-f", Self.deployer])
        #expect(!alone.stdout.contains("ci/deployer"))
    }

    @Test("the gates fire on a service account bound to cluster-admin")
    func gatesFire() throws {
        // full-authority (critical): the binding now grants * on *.
        #expect(try CLI.run(["report", "-f", Self.deployer, "--fail-on", "critical", "-q"]).status == 2)
        #expect(try CLI.run(["report", "-f", Self.deployer, "--fail-on", "high", "-q"]).status == 2)
        let esc = try CLI.run(["escalations", "--fail-if-any", "-f", Self.deployer])
        #expect(esc.status == 2)
        #expect(esc.stderr.contains("1 identity reaches full authority"), "\(esc.stderr)")
        // The input alone: both passed (only the binding's name was flagged, as high).
        #expect(try CLI.run(["report", "-f", Self.deployer, "--fail-on", "critical", "-q", "--no-builtin-policy"]).status == 0)
        #expect(try CLI.run(["escalations", "--fail-if-any", "--no-builtin-policy", "-f", Self.deployer]).status == 0)
    }

    @Test("an empty manifest repository passes every gate; what the built-in policy grants is listed apart")
    func emptyRepositoryPasses() throws {
        let report = try CLI.run(["report", "-f", Self.empty, "--fail-on", "low", "-q", "-o", "md"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains("No findings."))
        #expect(report.stdout.contains("## Built-in policy findings ("))
        #expect(report.stdout.contains("Built-in policy: Kubernetes v"))
        let esc = try CLI.run(["escalations", "--fail-if-any", "-f", Self.empty])
        #expect(esc.status == 0, "\(esc.stderr)")
        // The built-in controllers that reach full authority are shown, marked, not counted.
        #expect(esc.stdout.contains("sa:kube-system/clusterrole-aggregation-controller") && esc.stdout.contains("(built-in)"))
    }

    @Test("the report no longer calls cluster-admin a missing role")
    func noMissingClusterAdmin() throws {
        let r = try CLI.run(["report", "-f", Self.deployer, "-o", "json", "-q"])
        #expect(!r.stdout.contains("\"cluster-admin\\\" not found"))
        #expect(!r.stdout.contains("\"ruleId\": \"missing-role\""))
        let alone = try CLI.run(["report", "-f", Self.deployer, "-o", "json", "-q", "--no-builtin-policy"])
        #expect(alone.stdout.contains("\"ruleId\": \"missing-role\""))
        #expect(alone.stdout.contains("clusterrole.rbac.authorization.k8s.io \\\"cluster-admin\\\" not found"))
    }

    @Test("create clusterrolebindings + bind cluster-admin is a path to full authority")
    func bindPath() throws {
        let r = try CLI.run(["paths", "--from", "sa:ci/binder", "-f", Self.binder])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.contains("bind") && r.stdout.contains("hold ClusterRole/cluster-admin cluster-wide"))
        #expect(r.stdout.contains("builtin:v"))  // the role's source: the built-in policy data
        #expect(try CLI.run(["paths", "--from", "sa:ci/binder", "--no-builtin-policy", "-f", Self.binder]).status == 1)
    }

    @Test("--kubernetes-version picks a shipped version; an unknown one is a usage error naming those shipped")
    func kubernetesVersion() throws {
        let ok = try CLI.run(["stats", "--kubernetes-version", "1.24", "-f", Self.deployer])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("Built-in policy: Kubernetes v1.24.0-alpha.1 ("))
        let bad = try CLI.run(["stats", "--kubernetes-version", "1.7", "-f", Self.deployer])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("no built-in policy for Kubernetes 1.7; shipped: v1.24.0-alpha.1"), "\(bad.stderr)")
        #expect(try CLI.run(["stats", "--kubernetes-version", "1.24", "--no-builtin-policy", "-f", Self.deployer]).status == 64)
        let none = try CLI.run(["stats", "--no-builtin-policy", "-f", Self.deployer])
        #expect(none.stdout.contains("Built-in policy: none (--no-builtin-policy)"))
    }

    @Test("every command that reads files takes --no-builtin-policy, eval included (run-all.sh looks for it)",
          arguments: ["who-can", "can-i", "eval", "paths", "escalations", "secrets", "report", "graph", "stats"])
    func flagEverywhere(_ command: String) throws {
        let help = try CLI.run([command, "--help"])
        #expect(help.stdout.contains("--no-builtin-policy") && help.stdout.contains("--kubernetes-version"))
    }

    @Test("a binding of a built-in name with another roleRef is replaced, with a warning")
    func replacedBindingWarns() throws {
        let yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: system:basic-user}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
            subjects: [{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]
            """
        let r = try CLI.run(["can-i", "delete", "nodes", "--as", "anyone", "-f", "-"], stdin: yaml)
        #expect(r.status == 1)  // the API server put its own system:basic-user back
        #expect(r.stderr.contains("ClusterRoleBinding/system:basic-user: another roleRef than the built-in binding"), "\(r.stderr)")
        let protected = try CLI.run(["can-i", "delete", "nodes", "--as", "anyone", "-f", "-"], stdin: yaml.replacingOccurrences(
            of: "metadata: {name: system:basic-user}",
            with: "metadata: {name: system:basic-user, annotations: {rbac.authorization.kubernetes.io/autoupdate: \"false\"}}"))
        #expect(protected.status == 0)
    }

    @Test("can-i says when only the built-in policy allows a request")
    func canINote() throws {
        let r = try CLI.run(["can-i", "create", "selfsubjectaccessreviews.authorization.k8s.io", "--as", "anyone", "-f", Self.empty])
        #expect(r.status == 0)
        #expect(r.stdout.contains("built-in: the API server's default policy grants this, not the input"), "\(r.stdout)")
    }
}
