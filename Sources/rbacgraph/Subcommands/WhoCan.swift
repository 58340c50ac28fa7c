import ArgumentParser
import RBACGraphviz
import RBACCore

extension RBACGraphCommand {
    /// `rbacgraph who-can VERB RESOURCE [NAME] [-n NS | -A]`.
    struct WhoCan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "who-can",
            abstract: "List the subjects allowed a request, with the binding and role that grant each.",
            discussion: """
                Answers as the API server's RBAC subject locator: every subject of every binding \
                whose role allows the request, `Group system:masters` first. Without -n the \
                namespace is "default"; cluster-scoped resources (nodes, namespaces, …) are \
                asked cluster-wide. With -A, RoleBindings of every namespace count too.

                With --effective, also every identity that can make the request by a privilege \
                path (creating a pod as a service account that may, impersonating, binding a \
                role, reading a token…), each with its shortest path, most dangerous first (see \
                `rbacgraph paths` and docs/paths.md).

                One row per grant (a subject bound twice is listed twice). -o wide adds SOURCE: \
                where each binding and role (with --effective: the grant, or the first grant of \
                the path) are written. --no-headers prints the rows only.

                Examples:
                  rbacgraph who-can get secrets -n prod -f cluster.yaml
                  rbacgraph who-can create pods --subresource exec -A -f manifests/
                  rbacgraph who-can get secrets/db-password -n prod -f cluster.yaml
                  rbacgraph who-can get /metrics -f cluster.yaml -o json
                  rbacgraph who-can get secrets -n prod --effective -f cluster.yaml
                  rbacgraph who-can read vault:secret/data/prod/db --effective -f cluster.yaml --vault vault/
                  rbacgraph who-can use store:prod/vault-backend --effective -f cluster.yaml

                For a vault:MOUNT/PATH target (with --vault DIR), the verb is a Vault capability \
                (read, list, create, update, patch, delete, sudo): the service accounts whose Vault \
                login allows it, whoever may create an ExternalSecret (or a PushSecret) in a \
                namespace a Vault store serves, and with --effective every identity that can \
                become one of them (docs/external-secrets.md).

                For a store:NS/NAME or clusterstore:NAME target (an External Secrets store: \
                whatever its credentials reach), the verb is use, read (an ExternalSecret in a \
                namespace it serves) or write (a PushSecret there); holding its credentials \
                (its service account, the Secret of its static keys) is both. For `get` of a \
                Secret an ExternalSecret writes, the answer adds what writes it and who gets its \
                data through its stores; likewise for `get` of an object of another kind it \
                writes (target.manifest: a ConfigMap, a custom resource), with who lists, \
                watches or (a ConfigMap) mounts it.
                """)

        @OptionGroup var input: InputOptions

        @OptionGroup var outputOptions: OutputOptions<WideDrawnFormats>
        @OptionGroup var tableOptions: TableOptions

        var output: OutputFormat { outputOptions.format }
        var outputFile: String? { outputOptions.outputFile }
        @OptionGroup var request: RequestArguments

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Count RoleBindings in every namespace.")
        var allNamespaces = false

        @Flag(help: "Also every identity that can make the request by a privilege path, with its shortest path.")
        var effective = false

        @Option(help: "With --effective: the most steps a path may have.")
        var maxSteps = 8



        @Option(help: "With a picture format: the node budget (beyond it, parts are collapsed and a note says so).")
        var maxNodes = GraphView.defaultMaxNodes

        func validate() throws {
            try tableOptions.check(output)
            if allNamespaces && request.namespace != nil { throw ValidationError("Give -n or -A, not both.") }
            if effective && allNamespaces { throw ValidationError("--effective answers for one namespace: give -n, not -A.") }
            if maxSteps < 0 { throw ValidationError("--max-steps must be 0 or more.") }
        }

        func run() throws {
            if let path = Self.vaultPath(request.resource) { return try runVault(path: path) }
            if StoreTarget.isStoreTarget(request.resource) { return try runStore() }
            let loaded = try input.load()
            let graph = loaded.graph
            if let object = ProviderObjectTarget.parse(request.resource), !graph.external.providerClasses(naming: object).isEmpty {
                return try runProviderObject(object, loaded: loaded)
            }
            let incomplete = loaded.incomplete(rbacOnly: !effective)
            let req = try request.request(quiet: input.quiet, resources: loaded.resources)
            InputWarnings.namespace(request.namespace, in: graph, quiet: input.quiet)
            // A Secret an ExternalSecret writes: also read through the stores that fill it.
            let materialized = Self.materialized(req, in: graph)
            if effective {
                try runEffective(graph, request: req, materialized: materialized)
                if incomplete { throw ExitCode(ExitCodes.loadErrors) }
                return
            }
            var rows: [(namespace: String?, subject: AllowedSubject)] = []
            if allNamespaces, case .resource(let rr) = req, !rr.namespace.isEmpty {
                let any = graph.subjectsInAnyNamespace(allowedTo: rr)
                if output.isPicture {
                    try output.write(GraphView.whoCan(inAnyNamespace: any, request: rr, in: graph, maxNodes: maxNodes), to: outputFile, quiet: input.quiet)
                    if incomplete { throw ExitCode(ExitCodes.loadErrors) }
                    return
                }
                rows = any.map { (Optional($0.namespace), $0.subject) }
            } else {
                let subjects = graph.subjects(allowedTo: req)
                if output.isPicture {
                    try output.write(GraphView.whoCan(subjects, request: req, in: graph, maxNodes: maxNodes), to: outputFile, quiet: input.quiet)
                    if incomplete { throw ExitCode(ExitCodes.loadErrors) }
                    return
                }
                rows = subjects.map { (nil, $0) }
            }
            // What only the built-in policy grants comes after the input's grants, marked.
            let isBuiltIn = { (row: (namespace: String?, subject: AllowedSubject)) in
                !row.subject.grants.isEmpty && row.subject.grants.allSatisfy(graph.isBuiltInOnly)
            }
            rows = rows.filter { !isBuiltIn($0) } + rows.filter(isBuiltIn)
            try outputOptions.redirectText()
            switch output {
            case .table, .wide:
                printTable(rows, graph: graph, request: req)
                if let m = materialized, !tableOptions.noHeaders {
                    printThroughStores(m, esc: EscalationGraph(graph), listed: Set(rows.compactMap { PathNode(subject: $0.subject.subject) }))
                }
                if let footer = loaded.notReadFooter { print(footer) }
            default:
                let subjects: [JSONValue] = rows.map { row in
                    var pairs: [(String, JSONValue)] = [("subject", row.subject.subject.json)]
                    if let ns = row.namespace { pairs.append(("scope", .string(ns.isEmpty ? "cluster" : ns))) }
                    if !row.subject.grants.isEmpty {
                        pairs.append(("grants", .array(row.subject.grants.map { graph.json($0) })))
                    } else {
                        pairs.append(("reason", .string("system:masters is allowed everything by the API server")))
                    }
                    if row.subject.subject.isKind(.group) {
                        pairs.append(("members", .array(graph.knownMembers(ofGroup: row.subject.subject.name).map { .string($0) })))
                    }
                    return .object(pairs)
                }
                var answer: [(String, JSONValue)] = [("request", JSONForms.request(req)), ("subjects", .array(subjects))]
                if let m = materialized {
                    answer += Self.throughStoresJSON(m, esc: EscalationGraph(graph), effective: false, maxSteps: maxSteps, listed: Set(rows.compactMap { PathNode(subject: $0.subject.subject) }))
                }
                answer += loaded.notReadFields
                output.emit(.object(answer))
            }
            let granting = Set(rows.compactMap(\.subject.grant).flatMap { [graph.bindings[$0.binding].displayName, graph.roles[$0.role].displayName] })
            RefusalNotes.warn(loaded.result.refusals, request: req, anyNamespace: allNamespaces, granting: granting, quiet: input.quiet)
            if incomplete { throw ExitCode(ExitCodes.loadErrors) }
        }

        private func printTable(_ rows: [(namespace: String?, subject: AllowedSubject)], graph: AccessGraph, request: Request) {
            let color = Terminal.colorStdout
            let wide = output == .wide
            var table = Table(["KIND", "SUBJECT", allNamespaces ? "SCOPE" : nil, "BINDING", "ROLE", "RULE", wide ? "SOURCE" : nil].compactMap { $0 })
            var groups: [String] = []
            for row in rows {
                let s = row.subject.subject
                var cells = [s.kind, s.qualifiedName]
                if allNamespaces { cells.append(row.namespace.map { $0.isEmpty ? "(cluster)" : $0 } ?? "") }
                if row.subject.grants.isEmpty {
                    table.add(cells + ["(API server)", "allowed everything", "*"] + (wide ? [""] : []))
                }
                // One row per grant, the subject repeated: revoking access takes every one.
                for g in row.subject.grants {
                    let builtIn = graph.isBuiltInOnly(g) ? " (built-in)" : ""
                    var row = cells + [graph.bindings[g.binding].displayName + builtIn, graph.roles[g.role].displayName,
                                       graph.roles[g.role].rules[g.ruleIndex].summary]
                    if wide {
                        // Where the binding and the role are written.
                        row.append([graph.bindings[g.binding].source, graph.roles[g.role].source]
                            .map { $0.map { "\($0.file):\($0.line)" } ?? "-" }.joined(separator: " → "))
                    }
                    table.add(row)
                }
                if s.isKind(.group), !groups.contains(s.name) { groups.append(s.name) }
            }
            let headers = !tableOptions.noHeaders
            if !headers {
                print(table.render(color: color, headers: false), terminator: "")
                return
            }
            if allNamespaces, case .resource(let rr) = request, !rr.namespace.isEmpty {
                let what = "\(rr.verb) \(rr.combinedResource)" + (rr.apiGroup.isEmpty ? "" : ".\(rr.apiGroup)") + (rr.name.isEmpty ? "" : " \(rr.name)")
                print("Subjects allowed to \(what) in any namespace:")
            } else {
                print("Subjects allowed to \(request):")
            }
            print(table.render(color: color), terminator: "")
            var memberLines: [String] = []
            for g in groups {
                let members = graph.knownMembers(ofGroup: g)
                if members.isEmpty { continue }
                let shown = members.prefix(10).joined(separator: ", ") + (members.count > 10 ? ", … (\(members.count) in all)" : "")
                memberLines.append("  \(g): \(shown)")
            }
            if !memberLines.isEmpty {
                print("\nKnown members of these groups:")
                memberLines.forEach { print($0) }
            }
        }
    }
}

extension RBACGraphCommand.WhoCan {
    func runEffective(_ graph: AccessGraph, request req: Request, materialized: MaterializedSecret? = nil) throws {
        let esc = EscalationGraph(graph)
        let answer = esc.effectiveAccess(to: req, maxSteps: maxSteps)
        let printer = PathPrinter(esc)
        if output.isPicture {
            // Every identity's best path: those allowed as they are stand alone.
            let title = "Who can \(req), directly or by a privilege path"
            let view: GraphView
            if let m = materialized {
                // With the paths through the stores that fill the Secret.
                let end = m.target
                let kubernetes = answer.reaching.map { VaultPath(kubernetes: $0, external: [], vaultPath: "", access: nil, end: end) }
                view = GraphView.vaultPaths(kubernetes + esc.materializedReaders(of: m, effective: true, maxSteps: maxSteps), in: esc, title: title, maxNodes: maxNodes)
            } else {
                view = GraphView.paths(answer.reaching, in: esc, title: title, maxNodes: maxNodes)
            }
            try output.write(view, to: outputFile, quiet: input.quiet)
            return
        }
        try outputOptions.redirectText()
        switch output {
        case .table, .wide:
            let wide = output == .wide
            if !tableOptions.noHeaders { print("Identities allowed to \(req), directly or by a privilege path:") }
            // -o wide: where the grant (or the first grant of the path) is written.
            var table = Table(["IDENTITY", "STEPS", "CERTAINTY", "GRANT OR PATH"] + (wide ? ["SOURCE"] : []))
            var painted: [PrivilegePath?] = []
            for a in answer.subjects {
                let s = a.subject
                let name = s.notation
                let via = a.grant.map {
                    "\(graph.bindings[$0.binding].displayName) → \(graph.roles[$0.role].displayName) [\(graph.roles[$0.role].rules[$0.ruleIndex].summary)]"
                        + (graph.isBuiltInOnly($0) ? "  (built-in)" : "")
                } ?? PathPrinter.apiServer
                let source = a.grant.map { PathPrinter.location(graph.bindings[$0.binding].source) ?? "-" } ?? "-"
                table.add([name, "0", "certain", via] + (wide ? [source] : []))
                painted.append(nil)
            }
            // Identities whose only way is being in a group listed: named under the table.
            var order: [String] = []
            var membersOf: [String: [String]] = [:]
            func member(_ group: String, _ who: String) {
                if membersOf[group] == nil { order.append(group) }
                membersOf[group, default: []].append(who)
            }
            for m in answer.members {
                let group = m.grant?.subject.notation ?? "?"
                member(group, m.node.description)
            }
            let collapsed = printer.collapsingMembers(answer.reaching)
            var collapsedStarts = Set<NodeID>()
            for g in collapsed.members {
                for m in g.members {
                    if answer.paths.contains(where: { $0.start == m }) {
                        member(printer.name(g.group), printer.name(m))
                        collapsedStarts.insert(m)
                    }
                }
            }
            for p in answer.paths where !collapsedStarts.contains(p.start) {
                let note = esc.isBuiltInOnly(p) ? "  (built-in)" : ""
                table.add([printer.name(p.start), String(p.steps.count), p.certaintyLabel, printer.plainChain(p) + note]
                    + (wide ? [printer.firstGrant(p).source] : []))
                painted.append(p)
            }
            print(table.render(color: printer.color, headers: !tableOptions.noHeaders) { r, c, text in
                guard let p = painted[r] else { return c == 0 ? printer.paint(text, "1") : text }
                switch c {
                case 0: return printer.paint(text, "1")
                case 2: return printer.paintCertainty(text, p)
                case 3: return printer.chain(p) + (esc.isBuiltInOnly(p) ? "  (built-in)" : "")
                default: return text
                }
            }, terminator: "")
            if tableOptions.noHeaders { return }
            if let m = materialized { printThroughStores(m, esc: esc, listed: Self.listed(answer, in: esc)) }
            if !order.isEmpty {
                print("\nAlso, by being in these groups:")
                for group in order {
                    let members = membersOf[group] ?? []
                    let shown = members.prefix(10).joined(separator: ", ") + (members.count > 10 ? ", … (\(members.count) in all)" : "")
                    print("  through \(group): \(shown)")
                }
            }
            if painted.contains(where: { $0 != nil }) {
                print()
                print("─kind→ a step; ─kind?→ a step that needs a condition; ⊃ one of the set before it.")
                print("`rbacgraph paths --from IDENTITY --to can:VERB:RESOURCE[:NS[:NAME]]` shows the grant and condition of every step.")
            }
        default:
            var items: [JSONValue] = answer.subjects.map { a in
                var pairs: [(String, JSONValue)] = [
                    ("identity", .string(PathNode(subject: a.subject)?.description ?? "\(a.subject.kind):\(a.subject.name)")),
                    ("direct", .bool(true)), ("subject", a.subject.json),
                ]
                if let g = a.grant {
                    pairs.append(("grant", graph.json(g)))
                } else {
                    pairs.append(("reason", .string("system:masters is allowed everything by the API server")))
                }
                return .object(pairs)
            }
            items += answer.members.map { m in
                var pairs: [(String, JSONValue)] = [("identity", .string(m.node.description)), ("direct", .bool(true))]
                if let g = m.grant { pairs.append(("grant", graph.json(g))) }
                return .object(pairs)
            }
            items += answer.paths.map { p in
                .object([
                    ("identity", .string(esc.nodes[p.start].description)), ("direct", .bool(false)),
                    ("certainty", .string(p.certainty.id)), ("length", .number(Double(p.steps.count))),
                    ("path", esc.json(p)),
                ])
            }
            var pairs: [(String, JSONValue)] = [
                ("request", JSONForms.request(req)), ("effective", .bool(true)), ("maxSteps", .number(Double(maxSteps))),
                ("identities", .array(items)),
            ]
            if let m = materialized { pairs += Self.throughStoresJSON(m, esc: esc, effective: true, maxSteps: maxSteps, listed: Self.listed(answer, in: esc)) }
            output.emit(.object(pairs))
        }
    }

    /// The identities an effective answer lists: those allowed as they are, and those with a path.
    static func listed(_ answer: EffectiveAccess, in esc: EscalationGraph) -> Set<PathNode> {
        Set(answer.subjects.compactMap { PathNode(subject: $0.subject) } + answer.members.map(\.node) + answer.paths.map { esc.nodes[$0.start] })
    }
}
