import ArgumentParser
import RBACCore
import RBACGraphviz

extension RBACGraphCommand {
    /// `rbacgraph escalations [-n NS | -A] [--fail-if-any]`.
    struct Escalations: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "escalations",
            abstract: "List every identity that can reach full authority (cluster-admin), most dangerous first.",
            discussion: """
                Each identity (user, group, service account) with its shortest path to full \
                authority. Order: the public identities (system:authenticated, \
                system:unauthenticated, system:anonymous) first, then certain paths before \
                conditional ones (conditions shown true by the input, then not shown, then shown \
                false), then fewer steps. system:masters, which has full authority by design, \
                comes last. Service accounts whose path only goes through a group listed \
                above are named under the table (the JSON lists every identity).

                -n NS: the identities of that namespace (its service accounts and the group \
                system:serviceaccounts:NS); -A (the default): every identity.

                -o wide adds FIRST GRANT (the binding → role behind the first step) and SOURCE \
                (where that binding is written); --no-headers prints the rows only.

                Examples:
                  rbacgraph escalations -f cluster.yaml
                  rbacgraph escalations -n ci -f manifests/ -o json
                  rbacgraph escalations --fail-if-any --ignore group:cluster-admins -f cluster.yaml

                Paths that only the API server's built-in policy makes (every cluster has \
                them; see --no-builtin-policy) are marked (built-in) and listed after the \
                others.

                Exit status: 0 (whatever is found), or with --fail-if-any 2 when an identity \
                other than system:masters (and those given to --ignore) reaches full authority by \
                a path the input does not rule out and that is not only built-in; 3 some input \
                failed to load; 64 usage error.
                """)

        @OptionGroup var input: InputOptions

        @OptionGroup var outputOptions: OutputOptions<WideDrawnFormats>
        @OptionGroup var tableOptions: TableOptions

        var output: OutputFormat { outputOptions.format }
        var outputFile: String? { outputOptions.outputFile }

        @Option(name: .shortAndLong, help: "Only the identities of this namespace: its service accounts and group system:serviceaccounts:NS.")
        var namespace: String?

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Every identity (the default).")
        var allNamespaces = false

        @Option(help: "The most steps a path may have.")
        var maxSteps = 8

        @Flag(help: "Exit 2 when an identity other than system:masters reaches full authority by a path not ruled out by the input (for CI).")
        var failIfAny = false

        @Option(help: ArgumentHelp("An identity to leave out (a known administrator), as user:NAME, group:NAME or sa:NS/NAME; repeatable.", valueName: "identity"))
        var ignore: [String] = []


        @Option(help: "With a picture format: the node budget (beyond it, parts are collapsed and a note says so).")
        var maxNodes = GraphView.defaultMaxNodes

        func validate() throws {
            try tableOptions.check(output)
            if allNamespaces && namespace != nil { throw ValidationError("Give -n or -A, not both.") }
            if maxSteps < 0 { throw ValidationError("--max-steps must be 0 or more.") }
            for i in ignore where PathNode.identity(parsing: i) == nil {
                throw ValidationError("--ignore takes user:NAME, group:NAME or sa:NAMESPACE/NAME, not \"\(i)\".")
            }
        }

        /// Whether an identity is in the namespace asked about.
        static func belongs(_ n: PathNode, to ns: String) -> Bool {
            switch n {
            case .serviceAccount(let sns, _): return sns == ns
            case .group(let g): return g == "system:serviceaccounts:\(ns)"
            default: return false
            }
        }

        static func isMasters(_ n: PathNode) -> Bool { n == .group(Identity.mastersGroup) }

        func run() throws {
            let loaded = try input.load()
            let graph = loaded.graph
            let esc = EscalationGraph(graph)
            InputWarnings.namespace(namespace, in: graph, quiet: input.quiet)
            let printer = PathPrinter(esc)
            let ignored = Set(ignore.compactMap(PathNode.identity(parsing:)))
            let reaching = esc.identitiesReaching(.fullAuthority, maxSteps: maxSteps)
            if !input.quiet {
                // An --ignore entry that matches nothing is a typo or a stale baseline: say so.
                let starts = Set(reaching.map { esc.nodes[$0.start] })
                for i in ignore where !(PathNode.identity(parsing: i).map(starts.contains) ?? false) {
                    Terminal.warn("--ignore \(i) matches no identity that reaches cluster-admin")
                }
            }
            var found = reaching.filter { p in
                let n = esc.nodes[p.start]
                if ignored.contains(n) { return false }
                if let ns = namespace { return Self.belongs(n, to: ns) }
                return true
            }
            // system:masters has full authority by design: last, not first.
            // system:masters has full authority by design: last, not first. Before it, what only
            // the built-in policy grants (every cluster has it): true, but not news.
            let masters = found.filter { Self.isMasters(esc.nodes[$0.start]) }
            let others = found.filter { !Self.isMasters(esc.nodes[$0.start]) }
            let byBuiltIns = esc.identitiesReachingByBuiltInsAlone(.fullAuthority, maxSteps: maxSteps)
            let notNews = { (p: PrivilegePath) in esc.isBuiltInOnly(p) || byBuiltIns.contains(esc.nodes[p.start]) }
            found = esc.ranked(others.filter { !notNews($0) }) + esc.ranked(others.filter(notNews)) + masters
            let alarming = others.filter { !notNews($0) && $0.certainty != .shownFalse }
            /// The note after a path: why it does not count for --fail-if-any.
            func note(_ p: PrivilegePath) -> String {
                if Self.isMasters(esc.nodes[p.start]) { return "  (by design)" }
                if esc.isBuiltInOnly(p) { return "  (built-in)" }
                if byBuiltIns.contains(esc.nodes[p.start]) { return "  (built-in policy alone reaches it too)" }
                return ""
            }

            if output.isPicture {
                let scope = namespace.map { " of namespace \($0)" } ?? ""
                let view = GraphView.paths(found, in: esc, title: "Identities\(scope) that can reach cluster-admin", maxNodes: maxNodes)
                try output.write(view, to: outputFile, quiet: input.quiet)
            } else {
                try outputOptions.redirectText()
            }
            switch output {
            case _ where output.isPicture: break
            case .table, .wide:
                printTable(found, printer: printer, note: note)
                if let footer = loaded.notReadFooter { print(footer) }
            default:
                var pairs: [(String, JSONValue)] = [("target", .string("cluster-admin"))]
                if let namespace { pairs.append(("namespace", .string(namespace))) }
                pairs.append(("maxSteps", .number(Double(maxSteps))))
                pairs.append(("identities", .array(found.map { p in
                    var item: [(String, JSONValue)] = [
                        ("identity", .string(esc.nodes[p.start].description)),
                        ("public", .bool(esc.nodes[p.start].isPublic)),
                        ("certainty", .string(p.certainty.id)),
                        ("length", .number(Double(p.steps.count))),
                    ]
                    if Self.isMasters(esc.nodes[p.start]) { item.append(("byDesign", .bool(true))) }
                    if esc.isBuiltInOnly(p) { item.append(("builtIn", .bool(true))) }
                    if byBuiltIns.contains(esc.nodes[p.start]) { item.append(("reachedByBuiltInsAlone", .bool(true))) }
                    item.append(("path", esc.json(p)))
                    return .object(item)
                })))
                output.emit(.object(pairs + loaded.notReadFields))
            }
            // A gate hit on what was read stands; a list or a passed gate on a partial read does not.
            try loaded.exitIfIncomplete(yes: failIfAny && !alarming.isEmpty)
            if failIfAny && !alarming.isEmpty {
                if !input.quiet {
                    Terminal.writeStderr("\(alarming.count) identit\(alarming.count == 1 ? "y reaches" : "ies reach") full authority (--fail-if-any)\n")
                }
                throw ExitCode(ExitCodes.gateHit)
            }
        }

        private func printTable(_ found: [PrivilegePath], printer: PathPrinter, note: @escaping (PrivilegePath) -> String) {
            let scope = namespace.map { " of namespace \($0)" } ?? ""
            let headers = !tableOptions.noHeaders
            if found.isEmpty {
                if headers { print("No identity\(scope) reaches cluster-admin (full authority) in at most \(maxSteps) steps.") }
                return
            }
            let (rows, members) = printer.collapsingMembers(found)
            if headers { print("Identities\(scope) that can reach cluster-admin (full authority), most dangerous first:") }
            let wide = output == .wide
            var table = Table(["#", "IDENTITY", "STEPS", "CERTAINTY", "PATH"] + (wide ? ["FIRST GRANT", "SOURCE"] : []))
            for (k, p) in rows.enumerated() {
                let path = printer.plainChain(p) + note(p)
                let first = printer.firstGrant(p)
                table.add([String(k + 1), printer.name(p.start), String(p.steps.count), p.certaintyLabel, path] + (wide ? [first.grant, first.source] : []))
            }
            print(table.render(color: printer.color, headers: headers) { r, c, text in
                switch c {
                case 1: return printer.paint(text, "1")
                case 3: return printer.paintCertainty(text, rows[r])
                case 4:
                    return printer.chain(rows[r]) + note(rows[r])
                default: return text
                }
            }, terminator: "")
            if !headers { return }
            let lines = printer.memberLines(members)
            if !lines.isEmpty {
                print("\nAlso, by being in these groups:")
                lines.forEach { print($0) }
            }
            print()
            print("─kind→ a step; ─kind?→ a step that needs a condition; ⊃ one of the set before it.")
            print("`rbacgraph paths --from IDENTITY` shows the grant and condition of every step.")
        }
    }
}
