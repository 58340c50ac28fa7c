import ArgumentParser
import RBACCore
import RBACGraphviz

/// `secrets --external`: every external secret path the input names, who reaches it, how.
extension RBACGraphCommand.Secrets {
    func runExternal() throws {
        let loaded = try input.load()
        let graph = loaded.graph
        let esc = EscalationGraph(graph)
        let printer = PathPrinter(esc)
        let listed = esc.externalSecretReaders(namedIn: namespace, effective: true, maxSteps: maxSteps)
        let entries = listed.map(\.path), readers = listed.map(\.readers)
        if output.isPicture {
            let targets = entries.enumerated().map { k, e in
                GraphView.ExternalTarget(target: e.target, namedBy: e.namedBy, readers: readers[k], unknownReach: e.unknownReach)
            }
            let title = "External secrets" + (namespace.map { " named in \($0)" } ?? "") + " and who reads them"
            try output.write(GraphView.externalSecrets(targets, capability: "read", title: title), to: outputFile, quiet: input.quiet)
            try loaded.exitIfIncomplete()
            return
        }
        try outputOptions.redirectText()
        switch output {
        case .table, .wide:
            if entries.isEmpty { print("No external secret is named by the input (ExternalSecret, SecretProviderClass, Vault Agent annotations).") }
            for (k, e) in entries.enumerated() {
                if k > 0 { print() }
                print(printer.paint(e.target, "1") + " (named by \(e.namedBy.joined(separator: "; ")))")
                if let why = e.unknownReach { print("  reach unknown: \(why)") }
                if readers[k].isEmpty {
                    print("  no reader known from the input" + (graph.external.vault.isEmpty ? " (no --vault folder given)" : ""))
                    continue
                }
                var table = Table(["READER", "CERTAINTY", "HOW"])
                for r in readers[k] {
                    table.add([r.identity.description, r.certainty == .yes ? "certain" : "unknown", RBACGraphCommand.WhoCan.how(r, printer: printer)])
                }
                print(Table.indent(table.render(color: printer.color), "  "), terminator: "")
            }
            if let footer = loaded.notReadFooter { print(footer) }
        default:
            output.emit(.object([("external", .array(entries.enumerated().map { k, e in
                .object([
                    ("target", .string(e.target)), ("namedBy", .array(e.namedBy.map { .string($0) })),
                ] + (e.unknownReach.map { [("reach", JSONValue.string("unknown")), ("reason", .string($0))] } ?? []) + [
                    ("readers", .array(readers[k].map { RBACGraphCommand.WhoCan.json($0, esc: esc) })),
                ])
            }))] + loaded.notReadFields))
        }
        try loaded.exitIfIncomplete()
    }
}
