import Foundation
import Testing

/// Inputs as people point rbacgraph at them: audit logs, chart folders, broken files.
@Suite("inputs people point it at")
struct InputCLITests {
    /// A scratch directory removed when the test ends.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-inputs-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }

        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }
    }

    @Test("audit-log problems exit 3, as manifest load errors do; the report is still written", arguments: [
        ("missing", nil),
        ("garbled", "{\"kind\": \"Event\", \"verb\": \n"),
    ] as [(String, String?)])
    func auditLogProblems(_ c: (name: String, text: String?)) throws {
        let scratch = try Scratch()
        let log = c.text.map { try? scratch.write("\(c.name).jsonl", $0) } ?? nil
        let path = log ?? scratch.url.appendingPathComponent("no-such-audit.log").path
        let r = try CLI.run(["report", "-f", "samples/", "--audit-log", path, "-o", "json", "-q"])
        #expect(r.status == 3, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("error:"))
        #expect(r.stdout.contains("\"findings\""))
    }
}

extension InputCLITests {
    static let role = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: pod-reader, namespace: dev}
        rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: alice-reads, namespace: dev}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
        subjects: [{kind: User, name: alice}]

        """

    @Test("a chart folder answers with exit 0: Chart.yaml and values.yaml are notes; --exclude leaves a folder out")
    func chartFolder() throws {
        let scratch = try Scratch()
        try scratch.write("chart/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 0.1.0\n")
        try scratch.write("chart/values.yaml", "replicaCount: 1\n")
        try scratch.write("chart/templates/rbac.yaml", Self.role)
        try scratch.write("chart/tests/broken.yaml", "kind: [\n")
        let chart = scratch.url.appendingPathComponent("chart").path
        let r = try CLI.run(["who-can", "get", "pods", "-n", "dev", "-f", chart, "--exclude", "tests"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("alice"))
        #expect(r.stderr.contains("\(chart)/Chart.yaml:1:1: note: not a Kubernetes object (no kind): skipped"))
        #expect(!r.stderr.contains("error:"))
        let quiet = try CLI.run(["who-can", "get", "pods", "-n", "dev", "-f", chart, "--exclude", "tests", "-q"])
        #expect(quiet.stderr == "")
        let all = try CLI.run(["who-can", "get", "pods", "-n", "dev", "-f", chart])
        #expect(all.status == 3)
    }

    @Test("a missing file: its path, no :0:0")
    func missingFile() throws {
        let r = try CLI.run(["who-can", "get", "pods", "-f", "no-such-file.yaml"])
        #expect(r.status == 3)
        #expect(r.stderr.hasPrefix("no-such-file.yaml: error: no such file or directory"), "stderr: \(r.stderr)")
    }
}

extension InputCLITests {
    /// A kubectl dump: managedFields and the last-applied annotation on every object (what the
    /// pre-scan hands libyaml as empty lines), a rule with a misspelt key after them, and a
    /// document that never closes its brackets.
    static let dump = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRole
          metadata:
            annotations:
              kubectl.kubernetes.io/last-applied-configuration: |
                {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"secret-reader"}}
            managedFields:
            - apiVersion: rbac.authorization.k8s.io/v1
              fieldsType: FieldsV1
              fieldsV1: {"f:rules": {}}
              manager: kubectl-client-side-apply
              operation: Update
            name: secret-reader
          rules:
          - {apiGroups: [""], resources: [secrets], verbs: [get, list]}
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: ClusterRoleBinding
          metadata:
            managedFields:
            - {manager: kubectl, operation: Update, fieldsV1: {"f:subjects": {}}}
            name: readers
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
          subjects:
          - {kind: User, name: alice}
        - apiVersion: rbac.authorization.k8s.io/v1
          kind: Role
          metadata:
            managedFields:
            - {manager: kubectl, operation: Update}
            name: broken
            namespace: dev
          rules:
          - {apiGroups: [""], resourcez: [pods], verbs: [get]}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: unclosed, namespace: dev}
        rules: [{apiGroups: [""], resources: [pods]

        """

    @Test("with RBACGRAPH_PRESCAN=0 (the pre-scan off): the same answers, statistics and located errors")
    func prescanOff() throws {
        let scratch = try Scratch()
        let file = try scratch.write("dump.yaml", Self.dump)
        for args in [["stats", "-o", "json", "-f", file], ["who-can", "list", "secrets", "-A", "-f", file]] {
            let on = try CLI.run(args)
            let off = try CLI.run(args, environment: ["RBACGRAPH_PRESCAN": "0"])
            #expect(on.status == 3, "\(args): \(on.stderr)")
            #expect(on.stderr.contains("dump.yaml:36:5: warning: Role \"dev/broken\""), "\(args): \(on.stderr)")
            #expect(on.stderr.contains("dump.yaml:42:1: error:"), "\(args): \(on.stderr)")
            #expect((measured(off.stdout), off.stderr, off.status) == (measured(on.stdout), on.stderr, on.status), "\(args)")
        }
        /// The output without the run's time and memory, which differ from run to run.
        func measured(_ stdout: String) -> [Substring] {
            stdout.split(separator: "\n").filter { !$0.contains("\"seconds\"") && !$0.contains("\"peakResidentBytes\"") }
        }
        #expect(try CLI.run(["who-can", "list", "secrets", "-A", "-f", file]).stdout.contains("alice"))
    }

    /// A binding the API server would refuse (a subject of an unknown kind) still grants alice
    /// as written: the answer says it rests on it; --strict leaves it out.
    static let refused = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: readers}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
        subjects:
        - {kind: Robot, name: r2d2}
        - {kind: User, name: alice}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: secret-reader}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]

        """

    @Test("an answer that rests on an object the API server would refuse says so", arguments: [
        ["who-can", "get", "secrets", "-n", "prod"],
        ["can-i", "get", "secrets", "-n", "prod", "--as", "alice"],
    ])
    func refusedObject(_ args: [String]) throws {
        let scratch = try Scratch()
        let file = try scratch.write("crb.yaml", Self.refused)
        let r = try CLI.run(args + ["-f", file])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stderr.contains(#"\#(file):1:1: warning: ClusterRoleBinding "readers": the API server would refuse it: subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group" (evaluated as written)"#))
        #expect(r.stderr.contains("this answer rests on an object the API server would refuse"))
        #expect(r.stderr.contains("ClusterRoleBinding/readers (\(file):1:1), which grants it: subjects[0].kind"))
        if args[0] == "who-can" { #expect(r.stdout.contains("alice")) }
        let strict = try CLI.run(args + ["-f", file, "--strict"])
        if args[0] == "who-can" { #expect(!strict.stdout.contains("alice")) } else { #expect(strict.status == 1) }
        #expect(!strict.stderr.contains("this answer rests on"))
        #expect(strict.stderr.contains("(left out by --strict)"))
    }
}

/// `report` options for CI: severities, baselines.
@Suite("report: gates and baselines")
struct ReportGateTests {
    @Test("--fail-on info is accepted: every finding counts")
    func failOnInfo() throws {
        let r = try CLI.run(["report", "-f", "samples/", "--fail-on", "info", "-q"])
        #expect(r.status == 2, "stderr: \(r.stderr)")
    }

    @Test("a missing baseline is a clear error, exit 64 without the usage text, naming the command that makes one")
    func missingBaseline() throws {
        let r = try CLI.run(["report", "-f", "samples/", "--ignore", "no-such-baseline", "-q"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("no-such-baseline"))
        #expect(r.stderr.contains("rbacgraph report -f samples/ --write-baseline no-such-baseline"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("USAGE:"))
        #expect(r.stdout.isEmpty)
    }

    @Test("--write-baseline accepts today's findings: the next run with --ignore passes every gate")
    func writeBaseline() throws {
        let scratch = try InputCLITests.Scratch()
        let baseline = scratch.url.appendingPathComponent("baseline").path
        let w = try CLI.run(["report", "-f", "samples/", "--write-baseline", baseline, "-o", "json", "-q"])
        #expect(w.status == 0, "stderr: \(w.stderr)")
        let text = try String(contentsOfFile: baseline, encoding: .utf8)
        #expect(text.hasPrefix("# "))
        #expect(text.contains("\nescalation-path "))
        let r = try CLI.run(["report", "-f", "samples/", "--ignore", baseline, "--fail-on", "info", "-o", "json", "-q"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("\"findings\": []"))
    }
}

extension ReportGateTests {
    @Test("JSON report: input as structured data; non-resource URLs in their own field")
    func jsonShape() throws {
        let auditLog = ReportCLITests.auditLog
        let r = try CLI.run(["report", "-f", "samples/", "--audit-log", auditLog, "-o", "json", "-q"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let input = try #require(json["input"] as? [String: Any], "input: \(String(describing: json["input"]))")
        #expect(input["files"] as? [String] == ["samples/"])
        #expect((input["objects"] as? Int ?? 0) > 0)
        #expect(input["auditLogs"] as? [String] == [auditLog])
        #expect(input["auditRequests"] as? Int == 7)
        let principals = try #require(json["principals"] as? [[String: Any]])
        let lines = principals.flatMap { ($0["permissions"] as? [[String: Any]]) ?? [] }
        #expect(lines.contains { $0["nonResourceURL"] as? String == "/metrics" && $0["resource"] == nil })
        #expect(!lines.contains { ($0["resource"] as? String)?.hasPrefix("/") == true })
    }
}
