import ArgumentParser
import RBACCore
import RBACGraphviz
import RBACLoading
import RBACPresentation

extension RBACGraphCommand {
    /// `rbacgraph report`: the least-privilege report, for people and for CI.
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Least-privilege report: findings, what each principal holds (and uses, with audit logs), minimal roles.",
            discussion: """
                Formats: md (default), html (one self-contained page), json (schema rbacgraph.report/v1, \
                see docs/findings.md), sarif (2.1.0, for code scanning).

                Exit codes: 0 no finding at or above --fail-on (or no --fail-on); 2 a finding at or above \
                --fail-on; 3 some input failed to load.

                Examples:
                  rbacgraph report -f manifests/ --output-file report.html
                  rbacgraph report -f cluster.yaml --audit-log audit.log.gz -o md
                  rbacgraph report -f manifests/ -o sarif --output-file rbac.sarif --fail-on high --ignore .rbacgraph-baseline
                  rbacgraph report -f cluster.yaml --subject 'sa:kube-system/*'
                """)

        @OptionGroup var input: InputOptions

        @Option(name: .customLong("audit-log"), help: ArgumentHelp("Kubernetes audit log (JSON lines, gzip accepted); repeatable.", valueName: "file"))
        var auditLogs: [String] = []

        @Option(name: .shortAndLong, help: "Only findings and principals of this namespace.")
        var namespace: String?

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Every namespace (the default).")
        var allNamespaces = false

        @OptionGroup var outputOptions: OutputOptions<ReportFormats>
        var format: OutputFormat { outputOptions.format }
        var outputFile: String? { outputOptions.outputFile }

        @Option(help: ArgumentHelp(
            "Only findings and principals of the identities matching a pattern: sa:kube-system/*, user:*, group:system:*.",
            valueName: "pattern"))
        var subject: String?

        @Flag(help: "Every finding: escalation-grant once per identity, kind and namespace (default: one digest per identity and kind).")
        var detail = false

        @Option(help: ArgumentHelp("Exit 2 when a finding at or above this severity exists: info, low, medium, high or critical.", valueName: "severity"))
        var failOn: String?

        @Option(help: ArgumentHelp("A baseline: one accepted finding per line (its baselineKey, or `RULE-ID KIND/NS/NAME`); # comments.", valueName: "file"))
        var ignore: String?

        @Option(name: .customLong("write-baseline"), help: ArgumentHelp("Write a baseline accepting every finding of this report to this file (for --ignore).", valueName: "file"))
        var writeBaseline: String?

        /// The most pictures one HTML report carries (each high finding's, in order).
        static let maxGraphics = 40

        /// Inline SVG for high findings: an escalation finding's path to cluster-admin, else
        /// what the finding's principal holds. Rendering errors leave the finding without one.
        static func graphics(context: ReportContext, quiet: Bool) -> (Finding) -> String? {
            let graph = context.graph
            var drawn = 0
            var warned = false
            return { finding in
                guard let principal = finding.principal.flatMap(PathNode.identity(parsing:)) else { return nil }
                guard drawn < maxGraphics else {
                    if !warned && !quiet { Terminal.warn("the HTML report draws the first \(maxGraphics) high findings only") }
                    warned = true
                    return nil
                }
                let view: GraphView
                if finding.ruleID == "escalation-path" {
                    let esc = context.escalation  // built by the rules already
                    let paths = esc.paths(from: principal, to: .fullAuthority)
                    guard !paths.isEmpty else { return nil }
                    view = GraphView.paths(paths, in: esc, title: "\(principal) → cluster-admin", maxNodes: 60)
                } else {
                    view = GraphView.access(graph, filter: AccessFilter(subject: principal), maxNodes: 60)
                }
                guard let bytes = try? GraphvizRenderer.render(dot: view.dot, format: .svg) else { return nil }
                drawn += 1
                // Inline: drop the XML prologue and DOCTYPE before `<svg`.
                let marker = Array("<svg".utf8)
                guard let at = (0...max(0, bytes.count - marker.count)).first(where: { Array(bytes[$0..<$0 + marker.count]) == marker })
                else { return nil }
                return String(decoding: bytes[at...], as: UTF8.self)
            }
        }

        /// The input as arguments (`-f FILE… --vault DIR…`), for the commands the report suggests.
        var inputArguments: String {
            (input.filenames.map { "-f \($0)" } + input.vault.map { "--vault \($0)" }).joined(separator: " ")
        }

        func validate() throws {
            if let subject { do { _ = try IdentityPattern(subject) } catch { throw ValidationError(error.message) } }
            if allNamespaces && namespace != nil { throw ValidationError("Give -n or -A, not both.") }
            if let f = failOn, Severity(name: f) == nil {
                throw ValidationError("--fail-on takes info, low, medium, high or critical.")
            }
        }

        func run() throws {
            // A baseline that is not there is a mistake in the command: say so before loading,
            // with the command that creates one.
            if let path = ignore, FileSystem.kind(of: path) == .missing {
                let files = inputArguments
                Terminal.error("no baseline at \(path); to accept today's findings, create it with: rbacgraph report \(files) --write-baseline \(path)")
                throw ExitCode(ExitCodes.usage)
            }
            let loaded = try input.load()
            let (graph, result) = (loaded.graph, loaded.result)
            var events: [AuditEvent] = []
            var auditFailed = false
            if !auditLogs.isEmpty {
                let audit = AuditLogReader().read(paths: auditLogs)
                auditFailed = audit.hasErrors
                for d in audit.diagnostics where d.severity == .error || !input.quiet { DiagnosticPrinter.print(d) }
                events = audit.events
                if !input.quiet {
                    Terminal.writeStderr("audit: \(audit.lines) line(s), \(audit.events.count) request(s) kept, \(audit.denied) denied left out\n")
                }
            }
            var ignoreLines: [String] = []
            if let path = ignore {
                let bytes = try IO.readFile(path, what: "the baseline")
                ignoreLines = Baseline(text: String(decoding: bytes, as: UTF8.self)).entries
            }
            let analysed = Report.Input(
                files: input.filenames, objects: loaded.cluster?.read.objects ?? result.statistics.loadedObjects,
                auditLogs: auditLogs, auditRequests: auditLogs.isEmpty ? nil : events.count,
                cluster: loaded.cluster.map { "\($0.read.origin) at \($0.read.server)" },
                notRead: loaded.notRead, unknown: loaded.unknownFacts.map(\.statement),
                vault: input.vault.isEmpty ? nil : Report.Input.VaultFolders(
                    folders: input.vault, roles: graph.external.vault.roles.count, policies: graph.external.vault.policies.count))
            InputWarnings.namespace(namespace, in: graph, quiet: input.quiet)
            let pattern = try subject.map { try IdentityPattern($0) }
            if let pattern, pattern.matches(in: graph).isEmpty, !input.quiet {
                Terminal.warn("--subject \(pattern) matches no identity of the input")
            }
            let report = Report(
                graph: graph, namespace: namespace, events: events, ignore: ignoreLines, input: analysed,
                builtinPolicy: result.builtinPolicy?.summary, subject: pattern, detail: detail)
            if !input.quiet {
                for n in report.notChecked { Terminal.warn("not checked: \(n.ruleIDs.joined(separator: ", ")): \(n.reason)") }
            }
            if let path = writeBaseline {
                let header = ["rbacgraph baseline: accepted findings, one per line (report --ignore \(path))",
                              "written by: rbacgraph report " + inputArguments]
                try OutputFile.write(Array(report.baseline(header: header).utf8), to: path)
                if !input.quiet {
                    Terminal.writeStderr("wrote \(report.findings.count + report.ignored.count) accepted finding(s) to \(path)\n")
                }
            }
            // Only audit logs give principals a usage: without them, no principal is built here.
            if !input.quiet && !events.isEmpty {
                for p in report.principals {
                    guard let s = p.usage?.suggestion, !s.notHeldToday.isEmpty else { continue }
                    Terminal.warn(s.widening(of: p.name) + ": " + s.notHeldToday.map(\.description).joined(separator: "; "))
                }
            }
            if !input.quiet {
                for line in report.unmatchedBaseline { Terminal.warn("baseline \(ignore ?? ""): \"\(line)\" matches no finding") }
            }
            switch format {
            // JSON is written as it is serialized, one finding and one principal at a time: neither
            // the text of a large report nor what all its principals hold is ever held whole.
            case .json: try OutputFile.writeJSON(members: report.jsonMembers, to: outputFile)
            case .sarif:
                try OutputFile.writeJSON(
                    report.sarif(version: RBACGraphCommand.configuration.version, baseURI: IO.currentDirectory() + "/"), to: outputFile)
            case .md, .html:
                let text = format == .md ? report.markdown() : report.html(graphic: Self.graphics(context: report.context, quiet: input.quiet))
                if let path = outputFile {
                    try OutputFile.write(Array(text.utf8), to: path)
                } else {
                    IO.writeStdout(text)
                }
            default: preconditionFailure("report formats are md, html, json and sarif (checked in validate)")
            }
            if auditFailed { throw ExitCode(ExitCodes.loadErrors) }
            // A gate hit on what was read stands; a passed gate on a partial read does not.
            let gateHit = failOn.flatMap(Severity.init(name:)).map { !report.findings(atLeast: $0).isEmpty } ?? false
            try loaded.exitIfIncomplete(yes: gateHit)
            if let f = failOn, let threshold = Severity(name: f), !report.findings(atLeast: threshold).isEmpty {
                if !input.quiet {
                    Terminal.writeStderr("\(report.findings(atLeast: threshold).count) finding(s) at or above \(threshold)\n")
                }
                throw ExitCode(ExitCodes.gateHit)
            }
        }
    }
}
