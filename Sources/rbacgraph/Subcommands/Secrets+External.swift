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
        var entries = esc.externalSecretPaths()
        if let namespace {
            entries = entries.filter { e in e.namedBy.contains { $0.contains(" \(namespace)/") } }
        }
        let readers: [[VaultReader]] = entries.map { e in
            if let store = e.store { return esc.storeReaders(store, effective: true, maxSteps: maxSteps) }
            if e.target.hasPrefix("vault:") {
                return esc.vaultReaders(of: String(e.target.dropFirst(6)), capability: .read, effective: true, maxSteps: maxSteps)
            }
            // A store the input does not hold (or `store:*/NAME`), an object of a CSI class.
            if let t = StoreTarget.parse(e.target) {
                return esc.storeReaders(of: t, use: .read, effective: true, maxSteps: maxSteps).map { esc.reader($0) }
            }
            if let t = ProviderObjectTarget.parse(e.target) {
                return esc.providerObjectReaders(of: t, effective: true, maxSteps: maxSteps).map { esc.reader($0) }
            }
            return []
        }
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
                print(table.render(color: printer.color).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n"), terminator: "")
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
