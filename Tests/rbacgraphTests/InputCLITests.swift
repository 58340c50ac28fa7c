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
