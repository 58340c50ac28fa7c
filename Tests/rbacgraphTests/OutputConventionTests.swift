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
        ["paths", "--from", "sa:ci/runner", "-f", "samples/", "-o", "wide"],
        ["report", "-f", "samples/", "-o", "wide"],
        ["eval", "--queries", "/dev/null", "-f", "samples/", "-o", "wide"],
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

    /// A command that prints a table, as kubectl's printers do.
    struct TableCommand: CustomTestStringConvertible, Sendable {
        var args: [String]
        /// A column header of the table (gone with --no-headers).
        var header: String
        /// A column only `-o wide` has.
        var wideColumn: String
        /// Text of a wide row (nil: the column header says enough).
        var wideCell: String?
        var testDescription: String { args.joined(separator: " ") }
    }

    static let tables: [TableCommand] = [
        TableCommand(args: ["who-can", "get", "secrets", "-n", "prod"], header: "BINDING", wideColumn: "SOURCE", wideCell: "samples/secrets-management.yaml:"),
        TableCommand(args: ["who-can", "create", "pods", "-n", "kube-system", "--effective"], header: "CERTAINTY", wideColumn: "SOURCE", wideCell: "samples/escalation.yaml:55"),
        TableCommand(args: ["can-i", "--list", "--sa", "prod/api", "-n", "prod"], header: "RESOURCES", wideColumn: "THROUGH", wideCell: "RoleBinding/prod/read-secrets"),
        TableCommand(args: ["access-matrix", "--sa", "prod/api", "-n", "prod"], header: "CREATE", wideColumn: "DELETECOLLECTION"),
        TableCommand(args: ["escalations"], header: "IDENTITY", wideColumn: "FIRST GRANT", wideCell: "ClusterRoleBinding/ops-admins → ClusterRole/cluster-admin"),
        TableCommand(args: ["secrets", "-n", "prod"], header: "READER", wideColumn: "SOURCE", wideCell: "samples/secrets-management.yaml:"),
        TableCommand(args: ["stats"], header: "LOADED", wideColumn: "BUILT-IN ADDED"),
    ]

    @Test("--no-headers and -o wide on every command that prints a table", arguments: tables)
    func everyTable(_ t: TableCommand) throws {
        let args = t.args + ["-f", "samples/"]
        let plain = try CLI.run(args)
        #expect(plain.status == 0, "stderr: \(plain.stderr)")
        #expect(plain.stdout.contains(t.header))
        #expect(!plain.stdout.split(separator: "\n").contains { $0.contains(t.header) && $0.contains(t.wideColumn) })
        // Rows only: no title, no header line, no notes; every row is a row of the table.
        let bare = try CLI.run(args + ["--no-headers"])
        #expect(bare.status == 0, "stderr: \(bare.stderr)")
        #expect(!bare.stdout.isEmpty)
        #expect(!bare.stdout.contains(t.header), "stdout: \(bare.stdout.prefix(300))")
        #expect(!bare.stdout.contains("\n\n"), "a blank line: a note or a second table")
        let wide = try CLI.run(args + ["-o", "wide"])
        #expect(wide.status == 0, "stderr: \(wide.stderr)")
        #expect(wide.stdout.split(separator: "\n").contains { $0.contains(t.header) && $0.contains(t.wideColumn) })
        if let cell = t.wideCell { #expect(wide.stdout.contains(cell), "stdout: \(wide.stdout.prefix(600))") }
        let wideBare = try CLI.run(args + ["-o", "wide", "--no-headers"])
        #expect(wideBare.status == 0)
        #expect(!wideBare.stdout.contains(t.wideColumn) && !wideBare.stdout.contains(t.header))
        // --no-headers with a format that is not a table is a usage error.
        let json = try CLI.run(args + ["-o", "json", "--no-headers"])
        #expect(json.status == 64)
        #expect(json.stderr.contains("--no-headers goes with a table"), "stderr: \(json.stderr)")
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
