import Foundation
import Testing
import TestSupport

/// One output convention, kubectl's: `-o/--output FORMAT` in every command, `--output-file FILE`,
/// a usage error (never a silent fallback) for a format a command cannot write; and kubectl's
/// habits: `--no-headers`, `-o wide`, `can-i -A`, "Did you mean", warnings for words that match
/// nothing.
@Suite("output convention and kubectl habits")
struct OutputConventionTests {
    static func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-out-\(UUID().uuidString)-\(name)")
    }

    /// Every command takes `-o FORMAT` (long form `--output`).
    static let formats: [[String]] = [
        ["who-can", "get", "secrets", "-n", "prod", "-f", "samples/", "--output", "json"],
        ["can-i", "get", "secrets", "-n", "prod", "--sa", "prod/api", "-f", "samples/", "--output", "json"],
        ["access-matrix", "--sa", "prod/api", "-n", "prod", "-f", "samples/", "--output", "json"],
        ["paths", "--from", "sa:ci/runner", "-f", "samples/", "--output", "json"],
        ["escalations", "-f", "samples/", "--output", "json"],
        ["secrets", "-n", "prod", "-f", "samples/", "--output", "json"],
        ["report", "-f", "samples/", "--output", "json"],
        ["stats", "-f", "samples/", "--output", "json"],
    ]

    @Test("--output FORMAT in every command", arguments: formats)
    func longForm(_ args: [String]) throws {
        let r = try CLI.run(args)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.hasPrefix("{"))
    }

    @Test("--output report.html is a usage error naming --output-file")
    func outputIsNotAFile() throws {
        let r = try CLI.run(["report", "-f", "samples/", "--output", "report.html"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--output-file report.html"), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: CLI.packageRoot.appendingPathComponent("report.html").path))
    }

    /// A format the command cannot write is refused, never replaced by another.
    static let unsupported: [[String]] = [
        ["stats", "-f", "samples/", "-o", "svg"],
        ["can-i", "get", "secrets", "--sa", "prod/api", "-f", "samples/", "-o", "dot"],
        ["report", "-f", "samples/", "-o", "yaml"],
        ["graph", "-f", "samples/", "-o", "json"],
        ["escalations", "-f", "samples/", "-o", "wide"],
        ["who-can", "get", "secrets", "-f", "samples/", "-o", "md"],
    ]

    @Test("a format a command cannot produce is a usage error", arguments: unsupported)
    func unsupportedFormat(_ args: [String]) throws {
        let r = try CLI.run(args)
        #expect(r.status == 64, "stdout: \(r.stdout.prefix(200))")
        #expect(r.stderr.contains("allowed formats are:"), "stderr: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("--output-file: the format from the extension; -o and the extension must agree")
    func outputFile() throws {
        let json = Self.temporaryFile("who.json")
        defer { try? FileManager.default.removeItem(at: json) }
        let r = try CLI.run(["who-can", "get", "secrets", "-n", "prod", "-f", "samples/", "--output-file", json.path])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(try String(contentsOf: json, encoding: .utf8).hasPrefix("{"))

        let svg = Self.temporaryFile("esc.svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        let e = try CLI.run(["escalations", "-f", "samples/", "-q", "--output-file", svg.path])
        #expect(e.status == 0, "stderr: \(e.stderr)")
        #expect(try String(contentsOf: svg, encoding: .utf8).contains("<svg"))

        let mismatch = try CLI.run(["who-can", "get", "secrets", "-f", "samples/", "-o", "yaml", "--output-file", json.path])
        #expect(mismatch.status == 64)
        #expect(mismatch.stderr.contains("-o says yaml"), "stderr: \(mismatch.stderr)")
    }

    /// `escalations`, `secrets` and `who-can --effective` draw their answers as `paths` does.
    static let pictures: [[String]] = [
        ["escalations", "-f", "samples/"],
        ["secrets", "-n", "prod", "-f", "samples/"],
        ["who-can", "create", "pods", "-n", "kube-system", "--effective", "-f", "samples/"],
    ]

    @Test("pictures of escalations, secrets and who-can --effective", arguments: pictures)
    func drawn(_ args: [String]) throws {
        let dot = try CLI.run(args + ["-o", "dot", "-q"])
        #expect(dot.status == 0, "stderr: \(dot.stderr)")
        #expect(dot.stdout.hasPrefix("digraph "))
        let svg = try CLI.run(args + ["-o", "svg", "-q"])
        #expect(svg.stdout.contains("<svg") && svg.stdout.contains("</svg>"))
    }

    @Test("who-can --effective answers in JSON and YAML")
    func effectiveJSON() throws {
        let r = try CLI.run(["who-can", "create", "pods", "-n", "kube-system", "--effective", "-f", "samples/", "-o", "yaml"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("effective: true"))
    }

    @Test("--no-headers prints the rows only")
    func noHeaders() throws {
        let r = try CLI.run(["who-can", "get", "secrets", "-n", "prod", "-f", "samples/", "--no-headers", "--no-builtin-policy"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("Group           system:masters") == true, "stdout: \(r.stdout)")
        #expect(!r.stdout.contains("KIND") && !r.stdout.contains("Subjects allowed"))
        let list = try CLI.run(["can-i", "--list", "--sa", "prod/api", "-n", "prod", "-f", "samples/", "--no-headers"])
        #expect(!list.stdout.contains("RESOURCES"))
        // kubectl: --no-headers only with --list.
        #expect(try CLI.run(["can-i", "get", "pods", "--sa", "prod/api", "-f", "samples/", "--no-headers"]).status == 64)
    }

    @Test("-o wide adds where each binding and role are written")
    func wide() throws {
        let r = try CLI.run(["who-can", "get", "secrets", "-n", "prod", "-f", "samples/", "-o", "wide", "--no-builtin-policy"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("SOURCE"))
        #expect(r.stdout.contains("samples/secrets-management.yaml:"), "stdout: \(r.stdout)")
    }

    @Test("can-i -A is kubectl's: the request with no namespace (cluster-wide)")
    func canIAllNamespaces() throws {
        // alice reads prod's secrets through a RoleBinding: not cluster-wide.
        let inProd = try CLI.run(["can-i", "get", "secrets", "-n", "prod", "--as", "alice", "-f", "samples/"])
        #expect(inProd.status == 0)
        let r = try CLI.run(["can-i", "get", "secrets", "-A", "--as", "alice", "-f", "samples/", "-o", "json"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\"namespace\" : \"\"") || r.stdout.contains("\"namespace\": \"\""))
    }

    @Test("a mistyped subcommand: did you mean?")
    func didYouMean() throws {
        let r = try CLI.run(["whocan", "get", "pods", "-f", "samples/"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("unknown command \"whocan\" for \"rbacgraph\""))
        #expect(r.stderr.contains("Did you mean this?\n\twho-can"), "stderr: \(r.stderr)")
    }

    /// Words that match nothing in the input get a warning; the answer is still given.
    static let warnings: [(args: [String], warning: String)] = [
        (["can-i", "gett", "pods", "--as", "alice", "-f", "samples/"], "verb 'gett' is not a known verb"),
        (["who-can", "get", "secrets", "-n", "prodd", "-f", "samples/"], "namespace \"prodd\" is not in the input"),
        (["can-i", "get", "secrets", "-n", "prod", "--sa", "prod/apii", "-f", "samples/"], "service account prod/apii is not in the input"),
        (["can-i", "get", "secrets", "-n", "prod", "--as", "sa:prod/apii", "-f", "samples/"], "service account prod/apii is not in the input"),
        (["escalations", "--ignore", "sa:ci/runnr", "-f", "samples/"], "--ignore sa:ci/runnr matches no identity"),
        (["can-i", "--list", "--subject", "sa:nowhere/*", "-f", "samples/"], "--subject sa:nowhere/* matches no identity"),
    ]

    @Test("warnings for what matches nothing", arguments: warnings)
    func warning(_ c: (args: [String], warning: String)) throws {
        let r = try CLI.run(c.args)
        #expect(r.stderr.contains(c.warning), "stderr: \(r.stderr)")
    }

    @Test("report: a baseline line that matches no finding is named")
    func staleBaseline() throws {
        let baseline = Self.temporaryFile("baseline")
        defer { try? FileManager.default.removeItem(at: baseline) }
        try "# accepted\nno-such-rule ClusterRole/nothing\n".write(to: baseline, atomically: true, encoding: .utf8)
        let r = try CLI.run(["report", "-f", "samples/", "--ignore", baseline.path, "-o", "json"])
        #expect(r.stderr.contains("\"no-such-rule ClusterRole/nothing\" matches no finding"), "stderr: \(r.stderr)")
    }

    @Test("--subject selects identities by pattern in can-i --list and report")
    func subjectPattern() throws {
        let r = try CLI.run(["can-i", "--list", "--subject", "sa:ci/*", "-n", "ci", "-f", "samples/", "--no-builtin-policy"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.contains("sa:ci/deployer:") && r.stdout.contains("sa:ci/runner:"), "stdout: \(r.stdout)")
        #expect(!r.stdout.contains("sa:prod/api:"))
        let report = try CLI.run(["report", "-f", "samples/", "--subject", "sa:kube-system/*", "-o", "json"])
        #expect(report.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(!findings.isEmpty)
        #expect(findings.allSatisfy { ($0["principal"] as? String)?.hasPrefix("sa:kube-system/") == true })
    }
}
