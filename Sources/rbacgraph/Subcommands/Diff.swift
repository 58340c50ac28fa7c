import ArgumentParser
import RBACCore
import RBACLoading
import RBACPresentation

#if canImport(Glibc)
import Glibc
#endif

enum DiffFormats: OutputFormats { static let formats: [OutputFormat] = [.table, .md, .json, .sarif] }

extension RBACGraphCommand {
    /// `rbacgraph diff --base INPUT... --head INPUT...`: what a change does to access.
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "What a change does to access: access gained and lost per identity with the object changes behind it, readers of secrets, privilege paths and findings introduced and resolved.",
            discussion: """
                Both sides are loaded with the same options and built-in policy. The diff is the \
                authorizer's: a request is listed exactly when the base and the head answer it \
                differently (see docs/diff.md).

                Exit codes: 0 no gate hit (or no --fail-on); 2 a --fail-on gate hit; 3 an input \
                failed to load; 64 usage error.

                Examples:
                  rbacgraph diff --base main/rbac/ --head pr/rbac/
                  rbacgraph diff --base main/rbac/ --head pr/rbac/ -o md --output-file comment.md --fail-on sensitive --fail-on path --fail-on high
                  rbacgraph diff --base release-1.yaml --head release-2.yaml -n prod -o json
                  rbacgraph diff --base manifests/ --head context:prod-cluster   # drift: manifests vs the cluster
                """)

        @Option(parsing: .upToNextOption, help: ArgumentHelp("The base side: files, folders or - (anything -f takes), or a live cluster, context:NAME (a context of the kubeconfig); repeatable.", valueName: "input"))
        var base: [String] = []

        @Option(parsing: .upToNextOption, help: ArgumentHelp("The head side (the change applied), as --base.", valueName: "input"))
        var head: [String] = []

        @OptionGroup var input: InputOptions

        @Option(name: .shortAndLong, help: "Only changes of requests in this namespace (and cluster-wide ones).")
        var namespace: String?

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Every namespace (the default).")
        var allNamespaces = false

        @OptionGroup var outputOptions: OutputOptions<DiffFormats>
        var format: OutputFormat { outputOptions.format }

        @Option(help: ArgumentHelp(
            "Exit 2 when the change hits a gate: gain (any access gained), sensitive (sensitive access or readers of secrets gained), path (a privilege path to cluster-admin, secrets or an identity gained or made more certain), or a severity (info, low, medium, high, critical: a finding at or above it introduced); repeatable.",
            valueName: "gate"))
        var failOn: [String] = []

        @Option(help: ArgumentHelp("With -o md: at most this many lines of changes; a count of the rest.", valueName: "n"))
        var maxLines = 200

        /// The gates of `--fail-on`: a kind of change, or a severity of findings introduced.
        enum Gate {
            case gain, sensitive, path
            case severity(Severity)

            init?(_ text: String) {
                switch text {
                case "gain": self = .gain
                case "sensitive": self = .sensitive
                case "path": self = .path
                default:
                    guard let s = Severity(name: text) else { return nil }
                    self = .severity(s)
                }
            }
        }

        /// A side that is a live cluster: `context:NAME`, a context of the kubeconfig.
        static let contextPrefix = "context:"

        /// Loads one side: files with the loading flags, or the cluster of a kubeconfig
        /// context (which serves its own built-in policy).
        func load(_ side: [String]) throws -> (graph: AccessGraph, result: ManifestLoader.Result) {
            if side.count == 1, side[0].hasPrefix(Self.contextPrefix) {
                let loaded = try input.loadLive(context: String(side[0].dropFirst(Self.contextPrefix.count)))
                return (loaded.graph, loaded.result)
            }
            return try input.loadFiles(side)
        }

        func validate() throws {
            if base.isEmpty || head.isEmpty { throw ValidationError("Give both --base INPUT... and --head INPUT....") }
            if !input.filenames.isEmpty || input.live.context != nil {
                throw ValidationError("diff reads --base and --head, not -f or --context: give a cluster as a side, context:NAME.")
            }
            for side in [base, head] where side.contains(where: { $0.hasPrefix(Self.contextPrefix) }) {
                if side.count > 1 || side[0].count == Self.contextPrefix.count {
                    throw ValidationError("A side is files or one cluster, context:NAME (a file of that name: ./context:NAME).")
                }
            }
            if input.live.isSet && !(base + head).contains(where: { $0.hasPrefix(Self.contextPrefix) }) {
                throw ValidationError("--kubeconfig and --no-secrets go with a side that is a cluster, context:NAME.")
            }
            if base.filter({ $0 == "-" }).count + head.filter({ $0 == "-" }).count > 1 {
                throw ValidationError("Standard input (-) can be read by one side only.")
            }
            if allNamespaces && namespace != nil { throw ValidationError("Give -n or -A, not both.") }
            for g in failOn where Gate(g) == nil {
                throw ValidationError("--fail-on takes gain, sensitive, path, info, low, medium, high or critical, not \"\(g)\".")
            }
            if maxLines < 1 { throw ValidationError("--max-lines takes a positive number.") }
        }

        /// The report's findings of each side (built-in-only ones left out), paths to
        /// cluster-admin among them, compared; and each side's escalation graph. Only the
        /// findings introduced and resolved outlive the call: each side's own are dropped.
        static func compareFindings(base: AccessGraph, head: AccessGraph, namespace: String?) -> (FindingsDiff, EscalationGraph, EscalationGraph) {
            // The two sides at once.
            let sides = Concurrently.both(
                { RBACCore.Report.Findings(graph: base, namespace: namespace) },
                { RBACCore.Report.Findings(graph: head, namespace: namespace) })
            let (b, h) = (sides[0], sides[1])
            return (FindingsDiff(base: b.findings, head: h.findings), b.context.escalation, h.context.escalation)
        }

        func run() throws {
            let (baseSide, headSide) = try loadSides()
            let baseGraph = baseSide.graph, headGraph = headSide.graph
            let (findings, baseEscalation, headEscalation) = Self.compareFindings(base: baseGraph, head: headGraph, namespace: namespace)
            var diff = AccessDiff(base: baseGraph, head: headGraph)
            diff.findings = findings
            // Paths to cluster-admin, secrets and identities, and the readers of secrets.
            diff.compareReach(base: baseEscalation, head: headEscalation)
            if let namespace {
                InputWarnings.namespace(namespace, in: headGraph, quiet: input.quiet)
                diff = diff.restricted(toNamespace: namespace)
            }
            switch format {
            case .json: try OutputFile.writeJSON(members: diff.jsonMembers, to: outputOptions.outputFile)
            case .sarif:
                try OutputFile.writeJSON(
                    diff.sarif(version: RBACGraphCommand.configuration.version, baseURI: IO.currentDirectory() + "/"), to: outputOptions.outputFile)
            default:
                let text = format == .md ? diff.markdown(maxLines: maxLines) : diff.text()
                if let path = outputOptions.outputFile {
                    try OutputFile.write(Array(text.utf8), to: path)
                } else {
                    IO.writeStdout(text)
                }
            }
            if baseSide.hasErrors || headSide.hasErrors { throw ExitCode(ExitCodes.loadErrors) }
            var hits: [String] = []
            for gate in failOn.compactMap({ Gate($0) }) {
                switch gate {
                case .gain:
                    let n = diff.identities.filter(\.gains).count
                    if n > 0 { hits.append("\(n) identit\(n == 1 ? "y gains" : "ies gain") access") }
                case .sensitive:
                    let n = diff.identities.filter(\.gainsSensitive).count
                    if n > 0 { hits.append("\(n) identit\(n == 1 ? "y gains" : "ies gain") sensitive access") }
                    let exposed = diff.secretExposure.filter(\.gains).count
                    if exposed > 0 { hits.append("\(exposed) secret scope\(exposed == 1 ? " gains" : "s gain") readers") }
                case .path:
                    let n = diff.findings?.pathsGained.count ?? 0
                    if n > 0 { hits.append("\(n) identit\(n == 1 ? "y newly reaches" : "ies newly reach") cluster-admin") }
                    let opened = diff.paths.filter(\.isGain).count
                    if opened > 0 { hits.append("\(opened) privilege path\(opened == 1 ? "" : "s") gained or more certain") }
                case .severity(let threshold):
                    let n = diff.findings?.introduced.filter { $0.severity >= threshold }.count ?? 0
                    if n > 0 { hits.append("\(n) finding\(n == 1 ? "" : "s") at or above \(threshold) introduced") }
                }
            }
            if !hits.isEmpty {
                if !input.quiet { Terminal.writeStderr("--fail-on: " + hits.joined(separator: "; ") + "\n") }
                throw ExitCode(ExitCodes.gateHit)
            }
        }
    }
}
