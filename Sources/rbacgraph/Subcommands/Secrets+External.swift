import ArgumentParser
import RBACCore

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
            guard e.target.hasPrefix("vault:") else { return [] }
            return esc.vaultReaders(of: String(e.target.dropFirst(6)), capability: .read, effective: true, maxSteps: maxSteps)
        }
        try outputOptions.redirectText()
        switch output {
        case .table:
            if entries.isEmpty { print("No external secret is named by the input (ExternalSecret, SecretProviderClass, Vault Agent annotations).") }
            for (k, e) in entries.enumerated() {
                if k > 0 { print() }
                print(printer.paint(e.target, "1") + " (named by \(e.namedBy.joined(separator: "; ")))")
                guard e.target.hasPrefix("vault:") else {
                    print("  readers: not computed (only Vault paths are followed to their readers)")
                    continue
                }
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
        default:
            output.emit(.object([("external", .array(entries.enumerated().map { k, e in
                .object([
                    ("target", .string(e.target)), ("namedBy", .array(e.namedBy.map { .string($0) })),
                    ("readers", .array(readers[k].map { RBACGraphCommand.WhoCan.json($0, esc: esc) })),
                ])
            }))]))
        }
        try loaded.exitIfIncomplete()
    }
}
