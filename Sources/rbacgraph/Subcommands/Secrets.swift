import ArgumentParser
import RBACCore
import RBACGraphviz

extension RBACGraphCommand {
    /// `rbacgraph secrets [-n NS | -A]`: who can read each Secret, directly and by a path.
    struct Secrets: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "secrets",
            abstract: "Who can read each Secret: directly (get, list, watch) and by a privilege path, and how.",
            discussion: """
                "Who can get secret X", done right: for each Secret of the input (metadata only: \
                values are never read), the subjects whose bindings allow get (by name), list or \
                watch on it, then every other identity with a path to its data — creating a pod or \
                a workload that mounts it, impersonating a reader, requesting a token, binding a \
                role, … — with its shortest path, most dangerous first. A namespace of which the \
                input holds no Secret gets one entry, for any secret created there. Objects of \
                other kinds that ExternalSecrets write (target.manifest: a ConfigMap, a custom \
                resource) follow the Secrets, with their readers, in every format (JSON: \
                writtenObjects; pictures draw them too).

                -n NS: the secrets of that namespace; -A (the default): of every namespace.

                -o wide adds SOURCE: where the grant (or the first grant of the path) is \
                written. --no-headers prints the rows only, each with the SECRET it is about \
                first (NS/NAME, or NS/* for any secret of a namespace whose secrets the input \
                does not hold; an object an ExternalSecret writes by its target, \
                can:get:RESOURCE:NS:NAME).

                Examples:
                  rbacgraph secrets -f cluster.yaml
                  rbacgraph secrets -n prod -f manifests/ -o json

                Exit status: 0; 3 some input failed to load; 64 usage error.
                """)

        @OptionGroup var input: InputOptions

        @OptionGroup var outputOptions: OutputOptions<WideDrawnFormats>
        @OptionGroup var tableOptions: TableOptions

        var output: OutputFormat { outputOptions.format }
        var outputFile: String? { outputOptions.outputFile }

        @Option(name: .shortAndLong, help: "Only the secrets of this namespace.")
        var namespace: String?

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "The secrets of every namespace (the default).")
        var allNamespaces = false

        @Option(help: "The most steps a path may have.")
        var maxSteps = 8


        @Option(help: "With a picture format: the node budget (beyond it, parts are collapsed and a note says so).")
        var maxNodes = GraphView.defaultMaxNodes

        @Flag(help: "Secrets outside Kubernetes instead: every Vault path (and other provider key) the input names, who reaches it and how.")
        var external = false

        func validate() throws {
            try tableOptions.check(output)
            if allNamespaces && namespace != nil { throw ValidationError("Give -n or -A, not both.") }
            if maxSteps < 0 { throw ValidationError("--max-steps must be 0 or more.") }
        }

        /// The readers of secrets sharing them (``RBACCore/SecretReaders``).
        typealias Entry = SecretReaders

        func run() throws {
            if external { return try runExternal() }
            let loaded = try input.load()
            let graph = loaded.graph
            let esc = EscalationGraph(graph)
            InputWarnings.namespace(namespace, in: graph, quiet: input.quiet)
            let printer = PathPrinter(esc)
            let entries = esc.secretReaders(namespace: namespace, maxSteps: maxSteps)
            // Objects of other kinds ExternalSecrets write (`target.manifest`): their readers too.
            let objects = graph.materializedObjects().filter { m in namespace.map { m.namespace.isExactly($0) } ?? true }
                .map { (object: $0, readers: esc.writtenObjectReaders($0, maxSteps: maxSteps)) }
            if output.isPicture {
                // Every reader's best path to the secrets asked about, direct readers included;
                // then those of the objects ExternalSecrets write.
                var seen = Set<PrivilegePath>()
                var paths = entries.flatMap(\.all).filter { seen.insert($0).inserted }.map { AnyPrivilegePath.kubernetes($0).external(end: "") }
                for (m, r) in objects {
                    paths += r.directPaths.map { AnyPrivilegePath.kubernetes($0).external(end: m.target) } + r.paths.map { $0.external(end: m.target) }
                }
                let scope = namespace.map { " of \($0)" } ?? ""
                try output.write(GraphView.vaultPaths(paths, in: esc, title: "Who can read the secrets\(scope)", maxNodes: maxNodes), to: outputFile, quiet: input.quiet)
                try loaded.exitIfIncomplete()
                return
            }
            try outputOptions.redirectText()
            // What writes a Secret an ExternalSecret has the operator create, said with it.
            let written = graph.materializedSecretLookup()
            switch output {
            case .table, .wide:
                printTable(entries, objects: objects, printer: printer, written: written)
                if let footer = loaded.notReadFooter { print(footer) }
            default:
                var pairs: [(String, JSONValue)] = [("secrets", .array(entries.map { json($0, esc: esc, written: written) }))]
                if !objects.isEmpty { pairs.append(("writtenObjects", .array(objects.map { writtenObjectJSON($0.object, $0.readers, esc: esc) }))) }
                output.emit(.object(pairs + loaded.notReadFields))
            }
            // Readers missing from a partial read are possible: a list on a partial read exits 3.
            try loaded.exitIfIncomplete()
        }

        /// - Parameter written: what writes a Secret (``AccessGraph/materializedSecretLookup()``).
        private func json(_ e: Entry, esc: EscalationGraph, written: (String, String) -> MaterializedSecret?) -> JSONValue {
            var pairs: [(String, JSONValue)] = [("namespace", .string(e.namespace))]
            pairs.append(("secrets", .array(e.secrets.map { s in
                var item: [(String, JSONValue)] = [("name", .string(s.name)), ("type", .string(s.type))]
                if let m = written(s.namespace, s.name) {
                    item.append(("materializedBy", .string(m.description)))
                    item.append(("inInput", .bool(m.inInput)))
                } else if let src = s.source {
                    item.append(("source", .string(src.description)))
                }
                return .object(item)
            })))
            if e.secrets.isEmpty {
                pairs.append(("note", .string("the input holds no Secret of this namespace: readers of any secret created there")))
            }
            pairs.append(("direct", .array(e.direct.map { d in
                var item: [(String, JSONValue)] = [
                    ("subject", d.subject.json), ("verbs", .array(d.verbs.map { .string($0) })),
                ]
                if let g = d.grant {
                    item.append(("grant", esc.access.json(g)))
                } else {
                    item.append(("reason", .string("system:masters is allowed everything by the API server")))
                }
                return .object(item)
            })))
            pairs.append(("paths", .array(e.paths.map { p in
                .object([
                    ("identity", .string(esc.nodes[p.start].description)), ("how", .string(PathPrinter.how(p))),
                    ("certainty", .string(p.certainty.id)), ("length", .number(Double(p.steps.count))),
                    ("path", esc.json(p)),
                ])
            })))
            return .object(pairs)
        }

        private func printTable(
            _ entries: [Entry], objects: [(object: MaterializedSecret, readers: WrittenObjectReaders)], printer: PathPrinter,
            written: (String, String) -> MaterializedSecret?
        ) {
            let esc = printer.esc
            let wide = output == .wide
            let headers = !tableOptions.noHeaders
            // Without headers: the rows of every entry in one table, the secret first.
            var bare = Table(["SECRET", "READER", "HOW", "STEPS", "CERTAINTY", "GRANT OR PATH"] + (wide ? ["SOURCE"] : []))
            for (k, e) in entries.enumerated() {
                if k > 0 && headers { print() }
                var title: String
                if e.secrets.count == 1, let s = e.secrets.first {
                    title = printer.paint("Secret \(e.namespace)/\(s.name)", "1") + " (\(s.type)"
                    if let m = written(s.namespace, s.name) {
                        title += ", \(m.description)\(m.inInput ? "" : ", not in the input"); also read through its stores: who-can get secret \(s.name) -n \(s.namespace)"
                    } else if let src = PathPrinter.location(s.source) {
                        title += ", \(src)"
                    }
                    title += ")"
                } else if e.secrets.isEmpty {
                    title = printer.paint("Secrets of \(e.namespace)", "1") + " (the input holds none: any secret created there)"
                } else {
                    let names = e.secrets.map { "\(e.namespace)/\($0.name)" }
                    let shown = names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
                    title = printer.paint("Secrets \(shown)", "1") + " (\(names.count) with the same readers)"
                }
                if headers { print(title) }
                var rows: [[String]] = []
                var kinds: [Int] = []  // 0 direct, 1 path
                for d in e.direct {
                    let s = d.subject
                    let name = PathNode(subject: s)?.description ?? "\(s.kind):\(s.name)"
                    let via = d.grant.map {
                        "\(esc.access.bindings[$0.binding].displayName) → \(esc.access.roles[$0.role].displayName)"
                            + (esc.access.isBuiltInOnly($0) ? "  (built-in)" : "")
                    } ?? "the API server allows system:masters everything"
                    let source = d.grant.map { PathPrinter.location(esc.access.bindings[$0.binding].source) ?? "-" } ?? "-"
                    rows.append([name, "direct: " + d.verbs.joined(separator: ","), "0", "certain", via] + (wide ? [source] : []))
                    kinds.append(0)
                }
                // Members of a group listed (directly or by a path) are named under the table.
                let collapsed = printer.collapsingMembers(e.all)
                let isDirect = { (p: PrivilegePath) in e.directNodes.contains(esc.nodes[p.start]) }
                let pathRows = collapsed.rows.filter { !isDirect($0) }
                let members = collapsed.members.map { g in (group: g.group, members: g.members.filter { !e.directNodes.contains(esc.nodes[$0]) }) }
                    .filter { !$0.members.isEmpty }
                for p in pathRows {
                    rows.append([printer.name(p.start), PathPrinter.how(p), String(p.steps.count), p.certaintyLabel,
                                 printer.plainChain(p) + (esc.isBuiltInOnly(p) ? "  (built-in)" : "")] + (wide ? [printer.firstGrant(p).source] : []))
                    kinds.append(1)
                }
                if !headers {
                    let secrets = e.secrets.isEmpty ? ["\(e.namespace)/*"] : e.secrets.map { "\(e.namespace)/\($0.name)" }
                    for s in secrets { rows.forEach { bare.add([s] + $0) } }
                    continue
                }
                var table = Table(["READER", "HOW", "STEPS", "CERTAINTY", "GRANT OR PATH"] + (wide ? ["SOURCE"] : []))
                rows.forEach { table.add($0) }
                let pathOffset = e.direct.count
                let rendered = table.render(color: printer.color) { r, c, text in
                    switch c {
                    case 0: return printer.paint(text, "1")
                    case 3: return kinds[r] == 1 ? printer.paintCertainty(text, pathRows[r - pathOffset]) : text
                    case 4:
                        guard kinds[r] == 1 else { return text }
                        let p = pathRows[r - pathOffset]
                        return printer.chain(p) + (esc.isBuiltInOnly(p) ? "  (built-in)" : "")
                    default: return text
                    }
                }
                print(rendered.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }
                    .joined(separator: "\n"), terminator: "")
                let lines = printer.memberLines(members)
                if !lines.isEmpty {
                    print("  Also, by being in these groups:")
                    lines.forEach { print("  " + $0) }
                }
            }
            if !headers {
                // The objects ExternalSecrets write, by their target (`can:get:RESOURCE:NS:NAME`).
                for (m, r) in objects { writtenObjectRows(r, printer: printer).forEach { bare.add([m.target] + $0) } }
                print(bare.render(color: printer.color, headers: false) { _, c, text in c == 1 ? printer.paint(text, "1") : text }, terminator: "")
                return
            }
            if !entries.isEmpty {
                print()
                print("─kind→ a step; ─kind?→ a step that needs a condition; ⊃ one of the set before it.")
                print("`rbacgraph paths --from READER --to secret:NS/NAME` shows the grant and condition of every step.")
            }
            printWrittenObjects(objects, printer: printer, first: entries.isEmpty)
        }
    }
}

extension RBACGraphCommand.Secrets {
    /// The rows of an object an ExternalSecret writes, in the columns of the Secrets' tables:
    /// READER, HOW, STEPS, CERTAINTY, GRANT OR PATH (and with `-o wide`, SOURCE).
    func writtenObjectRows(_ readers: WrittenObjectReaders, printer: PathPrinter) -> [[String]] {
        let esc = printer.esc
        let wide = output == .wide
        var rows: [[String]] = []
        for a in readers.direct {
            let via = a.grant.map { "\(esc.access.bindings[$0.binding].displayName) → \(esc.access.roles[$0.role].displayName)" } ?? PathPrinter.apiServer
            let source = a.grant.map { PathPrinter.location(esc.access.bindings[$0.binding].source) ?? "-" } ?? "-"
            rows.append([a.subject.notation, "direct: get", "0", "certain", via] + (wide ? [source] : []))
        }
        for p in readers.paths {
            switch p {
            case .kubernetes(let path):
                rows.append([printer.name(path.start), PathPrinter.how(path), String(path.steps.count), path.certaintyLabel, printer.plainChain(path)]
                    + (wide ? [printer.firstGrant(path).source] : []))
            case .external(let path):
                // What one does first: the first granted Kubernetes step, else the first step beyond.
                let how = path.kubernetes.steps.isEmpty ? (path.external.first?.kind.rawValue ?? "direct") : PathPrinter.how(path.kubernetes)
                var source = printer.firstGrant(path.kubernetes).source
                if path.kubernetes.steps.isEmpty, let g = path.external.first?.grant {
                    source = PathPrinter.location(esc.access.bindings[g.binding].source) ?? "-"
                }
                rows.append([printer.name(path.kubernetes.start), how, String(path.stepCount), path.certaintyLabel, printer.externalChain(path)]
                    + (wide ? [source] : []))
            }
        }
        return rows
    }

    func printWrittenObjects(_ objects: [(object: MaterializedSecret, readers: WrittenObjectReaders)], printer: PathPrinter, first: Bool) {
        let wide = output == .wide
        for (k, (m, readers)) in objects.enumerated() {
            if k > 0 || !first { print() }
            var title = printer.paint(m.title, "1") + " (not a Secret: \(m.description), with what its stores read"
            if let note = m.conditionNote { title += "; on conditions the input does not show: \(note)" }
            print(title + ")")
            var table = Table(["READER", "HOW", "STEPS", "CERTAINTY", "GRANT OR PATH"] + (wide ? ["SOURCE"] : []))
            writtenObjectRows(readers, printer: printer).forEach { table.add($0) }
            print(table.render(color: printer.color).split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n"), terminator: "")
            if readers.direct.isEmpty && readers.paths.isEmpty { print("  (none)") }
        }
        if !objects.isEmpty {
            print()
            print("`rbacgraph paths --from READER --to \(objects[0].object.target)` shows how a reader gets the data of an object an ExternalSecret writes.")
        }
    }

    func writtenObjectJSON(_ m: MaterializedSecret, _ readers: WrittenObjectReaders, esc: EscalationGraph) -> JSONValue {
        let (direct, paths) = (readers.direct, readers.paths)
        var pairs: [(String, JSONValue)] = [
            ("kind", .string(m.manifest?.kind ?? "Secret")), ("apiVersion", .string(m.manifest?.apiVersion ?? "v1")),
            ("namespace", .string(m.namespace)), ("name", .string(m.name)), ("target", .string(m.target)),
            ("materializedBy", .string(m.description)),
        ]
        if let note = m.conditionNote { pairs.append(("condition", .string(note))) }
        pairs.append(("direct", .array(direct.map { a in
            var item: [(String, JSONValue)] = [("subject", a.subject.json)]
            if let g = a.grant { item.append(("grant", esc.access.json(g))) } else { item.append(("reason", .string("system:masters is allowed everything by the API server"))) }
            return .object(item)
        })))
        pairs.append(("paths", .array(paths.map { p in
            switch p {
            case .kubernetes(let path):
                return .object([
                    ("identity", .string(esc.nodes[path.start].description)), ("certainty", .string(path.certainty.id)),
                    ("length", .number(Double(path.steps.count))), ("path", esc.json(path)),
                ])
            case .external(let path): return esc.readerJSON(path)
            }
        })))
        return .object(pairs)
    }
}
