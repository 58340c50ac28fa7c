import Foundation
import Testing
import TestSupport

/// `rbacgraph report` on samples/, in every text format, through the real binary; and the
/// pictures `who-can` and `paths` draw.
@Suite("report and pictures on samples/")
struct ReportCLITests {
    static let auditLog = CLI.packageRoot.appendingPathComponent("Tests/RBACLoadingTests/Fixtures/audit.jsonl").path

    @Test("golden reports", arguments: [("md", "report.md"), ("json", "report.json"), ("sarif", "report.sarif")])
    func golden(_ c: (format: String, golden: String)) throws {
        let r = try CLI.run(["report", "-f", "samples/", "--audit-log", Self.auditLog, "-o", c.format, "-q"])
        // The audit log fixture holds a line that is not JSON on purpose: exit 3, report written.
        #expect(r.status == 3, "stderr: \(r.stderr)")
        // The audit log fixture's absolute path is in the header: make it relative.
        let normalized = r.stdout.replacingOccurrences(of: CLI.packageRoot.path + "/", with: "")
        try expectGolden(normalized, c.golden, in: CLI.golden)
    }

    @Test("HTML: one page, the findings, and inline pictures of the high ones")
    func html() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLI.run(["report", "-f", "samples/", "-o", "html", "--output", out.path, "-q"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        let html = try String(contentsOf: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("escalation-path") && html.contains("sa:ci/runner"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 3)
        #expect(!html.contains("<?xml"))  // inline SVG, no prologue
    }

    @Test("--fail-on is the CI gate: exit 2 at or above the threshold")
    func failOn() throws {
        #expect(try CLI.run(["report", "-f", "samples/", "--fail-on", "critical", "-q"]).status == 2)
        let strict = try CLI.run(["report", "-f", "CLITests-missing.yaml", "--fail-on", "critical", "-q"])
        #expect(strict.status == 3)  // load errors win
        // Only the encryption config: its findings are high and medium.
        let config = CLI.fixtures.appendingPathComponent("encryption-only.yaml").path
        #expect(try CLI.run(["report", "-f", config, "--fail-on", "critical", "-q"]).status == 0)
        #expect(try CLI.run(["report", "-f", config, "--fail-on", "high", "-q"]).status == 2)
        #expect(try CLI.run(["report", "-f", "samples/", "--fail-on", "none"]).status == 64)
    }

    @Test("--ignore leaves accepted findings out")
    func baseline() throws {
        let config = CLI.fixtures.appendingPathComponent("encryption-only.yaml").path
        let baseline = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-baseline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: baseline) }
        try "# accepted\nencryption-identity-first EncryptionConfiguration/encryption-config\n".write(to: baseline, atomically: true, encoding: .utf8)
        let r = try CLI.run(["report", "-f", config, "--ignore", baseline.path, "--fail-on", "high", "-o", "json", "-q"])
        #expect(r.status == 0)  // the high finding is accepted; medium remains
        #expect(r.stdout.contains("\"ignored\": 1"))
        #expect(r.stdout.contains("encryption-static-key"))
    }

    @Test("who-can and paths draw their answers", arguments: [
        ["who-can", "get", "secrets", "-n", "prod", "-f", "samples/"],
        ["who-can", "create", "pods", "--subresource", "exec", "-A", "-f", "samples/"],
        ["paths", "--from", "sa:ci/runner", "-f", "samples/"],
    ])
    func pictures(_ args: [String]) throws {
        let dot = try CLI.run(args + ["-o", "dot", "-q"])
        #expect(dot.status == 0)
        #expect(dot.stdout.hasPrefix("digraph "))
        let svg = try CLI.run(args + ["-o", "svg", "-q"])
        #expect(svg.stdout.contains("<svg") && svg.stdout.contains("</svg>"))
        // Graphviz writes some characters as entities (`-` as `&#45;`).
        let text = svg.stdout.replacingOccurrences(of: "&#45;", with: "-")
        if args[0] == "paths" { #expect(text.contains("ci/runner") && text.contains("cluster-admin")) }
        if args[0] == "who-can" { #expect(text.contains("system:masters")) }
    }

    /// A budget as large as an Int can be is no budget, not a crash (the edge budget doubles it).
    @Test("--max-nodes at its largest")
    func hugeBudget() throws {
        for args in [["graph", "-f", "samples/"], ["who-can", "get", "secrets", "-n", "prod", "-f", "samples/"]] {
            let r = try CLI.run(args + ["--max-nodes", String(Int.max), "-o", "dot", "-q"])
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(r.stdout.hasPrefix("digraph "))
        }
    }
}
