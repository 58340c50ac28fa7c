import ArgumentParser
import RBACCore
import RBACGraphviz

#if canImport(Glibc)
import Glibc
#endif

extension RBACGraphCommand {
    /// `rbacgraph graph -f … [-n NS | -A] [--subject S] [--role R] -o dot|svg|png|pdf [--output FILE]`.
    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "graph",
            abstract: "Draw the access graph: subjects → bindings → roles → permissions, as DOT, SVG, PNG or PDF.",
            discussion: """
                Namespaces are drawn as boxes; dangerous grants (reading secrets, wildcards, \
                escalation steps, full authority) in red; bindings to missing roles and subjects \
                that match nobody dotted, with a warning. See docs/rendering.md.

                Without -n every namespace is drawn (as with -A). Beyond --max-nodes nodes the \
                largest namespaces, then the most-bound roles, are collapsed into one node each; \
                a note on the picture and a warning say what.

                DOT needs no Graphviz; SVG, PNG and PDF are laid out in-process with libgvc. PNG \
                and PDF are not written to a terminal: give --output-file FILE or redirect.

                Examples:
                  rbacgraph graph -f cluster.yaml -o svg --output-file access.svg
                  rbacgraph graph -f samples/ -n prod -o png > prod.png
                  rbacgraph graph -f dump.yaml --subject sa:ci/deployer --output-file deployer.pdf
                  rbacgraph graph -f dump.yaml --role ClusterRole/cluster-admin | dot -Tsvg > admins.svg
                """)

        @OptionGroup var input: InputOptions

        @Option(name: .shortAndLong, help: "Only the RoleBindings of this namespace (ClusterRoleBindings hold everywhere and stay).")
        var namespace: String?

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Every namespace (the default).")
        var allNamespaces = false

        @Option(help: ArgumentHelp("Only what this identity gets (its groups' bindings included): user:NAME, group:NAME or sa:NAMESPACE/NAME.", valueName: "subject"))
        var subject: String?

        @Option(help: ArgumentHelp("Only the bindings to this role: ClusterRole/NAME, Role/NAMESPACE/NAME (or Role/NAME with -n).", valueName: "kind/name"))
        var role: String?

        @OptionGroup var outputOptions: OutputOptions<PictureFormats>
        var outputFile: String? { outputOptions.outputFile }

        @Option(help: "The node budget: beyond it, parts of the graph are collapsed (and a note says which).")
        var maxNodes = GraphView.defaultMaxNodes

        @Flag(help: "Print the time of each phase (load, view, encode, render) to stderr.")
        var timing = false

        func validate() throws {
            if allNamespaces && namespace != nil { throw ValidationError("Give -n or -A, not both.") }
            if maxNodes < 1 { throw ValidationError("--max-nodes must be at least 1.") }
            if let subject, PathNode.identity(parsing: subject) == nil {
                throw ValidationError("--subject takes user:NAME, group:NAME or sa:NAMESPACE/NAME.")
            }
            if let role, RoleSelector.parse(role, defaultNamespace: namespace) == nil {
                throw ValidationError("--role takes ClusterRole/NAME or Role/NAMESPACE/NAME (Role/NAME with -n).")
            }
        }

        /// `-o`, else the output file's extension, else DOT.
        var resolvedFormat: OutputFormat { outputOptions.format }

        func run() throws {
            var clock = PhaseClock(enabled: timing)
            let (graph, result) = try input.loadGraph()
            clock.lap("load + access graph")

            let filter = AccessFilter(
                namespace: namespace, subject: subject.flatMap(PathNode.identity(parsing:)),
                role: role.flatMap { RoleSelector.parse($0, defaultNamespace: namespace) })
            let view = GraphView.access(graph, filter: filter, maxNodes: maxNodes)
            clock.lap("view (\(view.nodeCount) nodes, \(view.graph.edges.count) edges)")
            let dot = view.dot
            clock.lap("DOT encoding (\(IO.fixed(Double(dot.utf8.count) / 1024, 1)) KiB)")
            if !input.quiet { view.warnings.forEach(Terminal.warn) }

            let format = resolvedFormat
            var bytes: [UInt8]
            if let renderFormat = format.renderFormat {
                let rendering = try GraphvizRenderer.rendering(dot: dot, format: renderFormat)
                clock.lap("layout + \(format.rawValue) rendering (\(IO.fixed(Double(rendering.bytes.count) / 1024, 1)) KiB)")
                if !input.quiet { rendering.warnings.forEach { Terminal.warn("Graphviz: \($0)") } }
                bytes = rendering.bytes
            } else {
                bytes = Array(dot.utf8)
            }
            try OutputFile.write(bytes, to: outputFile)
            clock.lap("write")
            clock.report()
            if result.hasErrors { throw ExitCode(ExitCodes.loadErrors) }
        }
    }
}

/// Writes bytes to a file or to standard output.
enum OutputFile {
    static func write(_ bytes: [UInt8], to path: String?) throws(RuntimeError) {
        let fd = path.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? 1
        guard fd >= 0 else { throw .cannotWrite(path: path ?? "-", reason: RuntimeError.reason(errno)) }
        defer { if path != nil { close(fd) } }
        if let failure = IO.writeAll(bytes, to: fd) {
            throw .cannotWrite(path: path ?? "standard output", reason: RuntimeError.reason(failure))
        }
    }

    /// Writes `value` as indented JSON and a line end, piece by piece as it is serialized
    /// (a large report's text is never held whole).
    static func writeJSON(_ value: JSONValue, to path: String?) throws(RuntimeError) {
        try writeJSON(to: path) { sink in try value.writePretty(to: sink) }
    }

    /// Writes an object of `members` as ``writeJSON(_:to:)`` writes it whole, building the
    /// elements of its lazy arrays one at a time.
    static func writeJSON(members: [(String, JSONValue.Member)], to path: String?) throws(RuntimeError) {
        try writeJSON(to: path) { sink in try JSONValue.writePretty(members: members, to: sink) }
    }

    private static func writeJSON(to path: String?, _ write: (([UInt8]) throws -> Void) throws -> Void) throws(RuntimeError) {
        let fd = path.map { open($0, O_WRONLY | O_CREAT | O_TRUNC, 0o644) } ?? 1
        guard fd >= 0 else { throw .cannotWrite(path: path ?? "-", reason: RuntimeError.reason(errno)) }
        defer { if path != nil { close(fd) } }
        do {
            try write { bytes in
                if let failure = IO.writeAll(bytes, to: fd) { throw RuntimeError.cannotWrite(path: path ?? "standard output", reason: RuntimeError.reason(failure)) }
            }
        } catch let error as RuntimeError {
            throw error
        } catch {
            preconditionFailure("only the sink throws")
        }
    }
}

/// `--timing`: wall-clock time per phase, printed to stderr.
struct PhaseClock {
    let enabled: Bool
    private var last = IO.nanoseconds()
    private let start = IO.nanoseconds()
    private var phases: [(String, Double)] = []

    init(enabled: Bool) { self.enabled = enabled }

    mutating func lap(_ name: String) {
        let now = IO.nanoseconds()
        phases.append((name, Double(now - last) / 1e9))
        last = now
    }

    func report() {
        guard enabled else { return }
        var out = ""
        for (name, seconds) in phases { out += "timing: \(IO.fixed(seconds, 3)) s  \(name)\n" }
        out += "timing: \(IO.fixed(Double(last - start) / 1e9, 3)) s  total\n"
        Terminal.writeStderr(out)
    }
}
