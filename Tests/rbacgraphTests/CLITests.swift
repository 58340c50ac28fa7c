import Foundation
import Testing
import TestSupport

/// The README's tour, run through the real binary on `samples/`: each command's output is
/// compared with a golden file, so the documentation cannot go stale.
@Suite("rbacgraph on samples/")
struct SampleTourTests {
    /// Each case: golden file, arguments, expected exit status.
    static let cases: [(golden: String, args: [String], status: Int32)] = [
        ("who-can-get-secrets-prod.txt", ["who-can", "get", "secrets", "-n", "prod", "-f", "samples/"], 0),
        ("who-can-get-secrets-prod.json", ["who-can", "get", "secrets", "-n", "prod", "-f", "samples/", "-o", "json"], 0),
        ("who-can-get-secrets-prod.yaml", ["who-can", "get", "secret", "-n", "prod", "-f", "samples/", "-o", "yaml"], 0),
        ("who-can-exec-all.txt", ["who-can", "create", "pods", "--subresource", "exec", "-A", "-f", "samples/"], 0),
        ("who-can-metrics.txt", ["who-can", "get", "/metrics", "-f", "samples/"], 0),
        ("who-can-list-nodes.txt", ["who-can", "list", "no", "-n", "prod", "-f", "samples/"], 0),
        ("can-i-sa-yes.txt", ["can-i", "get", "secrets", "-n", "prod", "--sa", "prod/api", "-f", "samples/"], 0),
        ("can-i-missing-role-no.txt", ["can-i", "get", "secrets", "-n", "prod", "--as", "bob", "-f", "samples/"], 1),
        ("can-i-scoped-no.txt", ["can-i", "get", "secrets", "-n", "prod", "--as", "carol", "--as-group", "devs", "-f", "samples/"], 1),
        ("can-i-masters.json", ["can-i", "delete", "nodes", "--as", "root", "--as-group", "system:masters", "-f", "samples/", "-o", "json"], 0),
        ("can-i-list-devs.txt", ["can-i", "--list", "--as", "carol", "--as-group", "devs", "-n", "dev", "-f", "samples/"], 0),
        ("can-i-list-sa.yaml", ["can-i", "--list", "--sa", "ci/deployer", "-n", "prod", "-f", "samples/", "-o", "yaml"], 0),
    ]

    @Test("golden output", arguments: cases.indices)
    func golden(_ i: Int) throws {
        let c = Self.cases[i]
        let r = try CLI.run(c.args)
        #expect(r.status == c.status, "exit status of rbacgraph \(c.args.joined(separator: " ")); stderr: \(r.stderr)")
        try expectGolden(r.stdout, c.golden, in: CLI.golden)
    }

    @Test("stats counts what samples/ holds and what it skips")
    func stats() throws {
        let r = try CLI.run(["stats", "-f", "samples/", "-o", "json"])
        #expect(r.status == 0)
        // Timing and memory vary: blank them before comparing.
        let normalized = r.stdout.replacingOccurrences(
            of: #""seconds": [0-9.e-]+"#, with: #""seconds": 0"#, options: .regularExpression
        ).replacingOccurrences(of: #""peakResidentBytes": [0-9]+"#, with: #""peakResidentBytes": 0"#, options: .regularExpression)
        try expectGolden(normalized, "stats.json", in: CLI.golden)
    }

    @Test("eval answers the machine interface on samples/")
    func eval() throws {
        let queries = CLI.fixtures.appendingPathComponent("sample-queries.jsonl").path
        let r = try CLI.run(["eval", "-f", "samples/", "--queries", queries])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        try expectGolden(r.stdout, "eval.jsonl", in: CLI.golden)
    }

    @Test("eval reads queries from stdin")
    func evalStdin() throws {
        let r = try CLI.run(["eval", "-f", "samples/", "--queries", "-"],
            stdin: #"{"id": 7, "op": "authorize", "serviceAccount": "ci/deployer", "verb": "create", "apiGroup": "apps", "resource": "deployments", "namespace": "prod"}"# + "\n")
        #expect(r.stdout.hasPrefix(#"{"id":7,"allowed":true"#))
    }

    @Test("eval reads a queries file with CRLF line ends (a Windows checkout) line by line, as with LF")
    func evalCRLF() throws {
        let queries = try String(contentsOf: CLI.fixtures.appendingPathComponent("sample-queries.jsonl"), encoding: .utf8)
        let lf = try CLI.run(["eval", "-f", "samples/", "--queries", "-"], stdin: queries)
        let crlf = try CLI.run(["eval", "-f", "samples/", "--queries", "-"], stdin: queries.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(crlf.status == 0, "stderr: \(crlf.stderr)")
        #expect(lf.stdout.split(separator: "\n").count > 3)
        #expect(crlf.stdout == lf.stdout)
    }
}

/// Exit codes and diagnostics a CI job relies on.
@Suite("exit codes and load errors")
struct ExitCodeTests {
    static let broken = CLI.fixtures.appendingPathComponent("broken.yaml").path

    @Test("a load error prints file:line:col and exits 3, and the rest still answers")
    func loadErrors() throws {
        let r = try CLI.run(["who-can", "get", "secrets", "-n", "prod", "-f", Self.broken])
        #expect(r.status == 3)
        // libyaml notices the unclosed flow sequence of line 9 at line 10, column 6.
        #expect(r.stderr.contains("broken.yaml:10:6: error: did not find expected ',' or ']' (while parsing a flow sequence at line 9, column 18)"), "stderr: \(r.stderr)")
        // One defect, one message: no derived shape errors from the document that died.
        #expect(r.stderr.components(separatedBy: "error:").count == 2)
        // The valid documents around the broken one loaded: alice (doc 1) and the
        // binding of doc 3.
        #expect(r.stdout.contains("alice"))
        #expect(r.stdout.contains("RoleBinding/prod/after-the-error"))
    }

    @Test("--strict stops at the first error and answers nothing")
    func strict() throws {
        let r = try CLI.run(["who-can", "get", "secrets", "-n", "prod", "--strict", "-f", Self.broken])
        #expect(r.status == 3)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("error:"))
    }

    @Test("manifests from stdin")
    func stdin() throws {
        let yaml = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: readers}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
            subjects: [{kind: User, name: dana, apiGroup: rbac.authorization.k8s.io}]
            """
        let r = try CLI.run(["can-i", "get", "secrets", "-n", "any", "--as", "dana", "-f", "-"], stdin: yaml)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("yes"))
    }

    @Test("usage errors exit 64")
    func usage() throws {
        #expect(try CLI.run(["can-i", "get", "pods", "-f", "samples/"]).status == 64)  // no --as/--sa
        #expect(try CLI.run(["who-can", "get", "pods", "-f", "samples/", "--context", "x"]).status == 64)  // files and a cluster
        #expect(try CLI.run(["who-can", "get", "pods", "-n", "x", "-A", "-f", "samples/"]).status == 64)
    }

    /// A file that cannot be read or written while running is not a usage error: exit 1,
    /// the reason, and no usage text. (A baseline given to --ignore that does not exist is a
    /// usage error: ReportGateTests.)
    @Test("runtime I/O errors exit 1 without the usage text", arguments: [
        (["report", "-f", "samples/", "--output-file", "/nonexistent/report.md"], "cannot write /nonexistent/report.md: No such file or directory"),
        (["eval", "-f", "samples/", "--queries", "/nonexistent/q.jsonl"], "cannot read the queries file /nonexistent/q.jsonl: No such file or directory"),
        (["graph", "-f", "samples/", "-o", "dot", "--output-file", "/nonexistent/g.dot"], "cannot write /nonexistent/g.dot: No such file or directory"),
    ])
    func runtimeIOErrors(args: [String], message: String) throws {
        let r = try CLI.run(args)
        #expect(r.status == 1, "rbacgraph \(args.joined(separator: " ")); stderr: \(r.stderr)")
        #expect(r.stderr.contains("Error: \(message)"), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Usage:"), "stderr: \(r.stderr)")
    }

    @Test("a missing input file is a load error")
    func missingFile() throws {
        let r = try CLI.run(["stats", "-f", "no/such/file.yaml"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("no/such/file.yaml"))
    }

    @Test("secret values never reach any output")
    func secretValues() throws {
        // samples/ holds my-secret with base64 values and an EncryptionConfiguration key.
        for args in [["who-can", "get", "secrets", "-n", "prod", "-o", "json"], ["stats", "-o", "yaml"],
                     ["can-i", "--list", "--sa", "prod/api", "-n", "prod", "-o", "json"]] {
            let r = try CLI.run(args + ["-f", "samples/"])
            for value in ["dXNlcm5hbWU=", "cGFzc3dvcmQ=", "c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/"] {
                #expect(!r.stdout.contains(value) && !r.stderr.contains(value))
            }
        }
    }
}
