import ArgumentParser
import RBACCore
import RBACGraphviz

/// `paths --to store:…|clusterstore:…` and `paths --to secret:NS/NAME` for a Secret an
/// ExternalSecret writes: privilege paths that end at an External Secrets store, or reach a
/// Secret's data through the store that fills it (docs/external-secrets.md).
extension RBACGraphCommand.Paths {
    /// The use of a store target (`--capability`, `use` by default).
    var storeUse: StoreUse { capability.flatMap { StoreUse(rawValue: $0) } ?? .use }

    func runStore(start: PathNode, target: StoreTarget) throws {
        let loaded = try input.load()
        let graph = loaded.graph
        InputWarnings.identity(start, in: graph, quiet: input.quiet)
        let esc = PathFinder(graph).graph(including: [start])
        let note = Self.missingStore(target, in: esc)
        if let note, !input.quiet { Terminal.warn(note) }
        let found = esc.storePaths(from: start, to: target, use: storeUse, maxSteps: maxSteps, all: all)
        let title = "\(target)" + (storeUse == .use ? "" : " (\(storeUse))")
        var extra: [(String, JSONValue)] = [("use", .string(storeUse.rawValue))]
        if let note { extra.append(("note", .string(note))) }
        try printExternal(found.map { .external($0) }, esc: esc, start: start, title: title, loaded: loaded, extra: extra)
    }

    /// `paths --to PROVIDER:OBJECT`: an object a SecretProviderClass of the input names; any
    /// other word is the usage error of an unreadable target.
    func runProviderObject(start: PathNode, target: ProviderObjectTarget, loaded: InputOptions.Loaded) throws {
        let esc = PathFinder(loaded.graph).graph(including: [start])
        guard !loaded.graph.external.providerClasses(naming: target).isEmpty else {
            Terminal.error(Self.unreadableTarget(to))
            throw ExitCode(ExitCodes.usage)
        }
        let found = esc.providerObjectPaths(from: start, to: target, maxSteps: maxSteps, all: all)
        try printExternal(found.map { .external($0) }, esc: esc, start: start, title: target.description, loaded: loaded, extra: [])
    }

    /// For a store target the input does not hold (for `store:*/NAME`: no SecretStore of that
    /// name), what the answer means, naming the stores it does hold; `nil` when it holds it.
    static func missingStore(_ target: StoreTarget, in esc: EscalationGraph) -> String? {
        guard esc.stores(named: target).isEmpty else { return nil }
        let known = esc.access.external.stores.map { StoreTarget($0).description }
        return "\(target.storeName) is not in the input" + (known.isEmpty
            ? " (it holds no SecretStore or ClusterSecretStore)"
            : " (its stores: \(known.prefix(10).joined(separator: ", "))\(known.count > 10 ? ", …" : ""))")
            + ": the answer is for such a store if it exists, each route on that condition"
    }

    /// `paths --to secret:NS/NAME` for a Secret an ExternalSecret writes: the Kubernetes paths
    /// to it and the paths through its stores, cheapest first.
    func runMaterialized(start: PathNode, target: PathTarget, secret: MaterializedSecret, loaded: InputOptions.Loaded) throws {
        let esc = PathFinder(loaded.graph).graph(including: [start])
        let found = esc.paths(from: start, to: target, writtenBy: secret, maxSteps: maxSteps, all: all)
        var note = "\(secret.title): \(secret.description)\(secret.inInput ? "" : " (not in the input)")"
        if let condition = secret.conditionNote { note += "\nIt holds the values only on conditions the input does not show: \(condition)" }
        try printExternal(
            found, esc: esc, start: start, title: "\(target)", loaded: loaded,
            extra: [("materializedBy", .string(secret.description)), ("inInput", .bool(secret.inInput))]
                + (secret.conditionNote.map { [("condition", JSONValue.string($0))] } ?? []), note: note)
    }

    /// Prints paths that may end beyond the API server: text, JSON or a picture, the exit
    /// status as `paths` has it.
    func printExternal(_ found: [AnyPrivilegePath], esc: EscalationGraph, start: PathNode, title target: String, loaded: InputOptions.Loaded, extra: [(String, JSONValue)], note: String? = nil) throws {
        if output.isPicture {
            let view = GraphView.vaultPaths(found.map { $0.external(end: to) }, in: esc, title: "Paths from \(start) to \(target)")
            try output.write(view, to: outputFile, quiet: input.quiet)
        } else {
            try outputOptions.redirectText()
            switch output {
            case .table:
                let printer = PathPrinter(esc)
                if let note { print(note) }
                if found.isEmpty {
                    print("No path from \(start) to \(target) in at most \(maxSteps) Kubernetes step\(maxSteps == 1 ? "" : "s").")
                }
                for (k, p) in found.enumerated() {
                    if k > 0 { print() }
                    let title = found.count == 1 && !all
                        ? "Shortest path from \(start) to \(target)"
                        : "Path \(k + 1) of \(found.count) from \(start) to \(target)"
                    switch p {
                    case .kubernetes(let path):
                        print(printer.block(path, title: title), terminator: "")
                    case .external(let path):
                        print(printer.vaultBlock(path, title: title), terminator: "")
                    }
                }
                if let footer = loaded.notReadLines(heading: found.isEmpty ? "not read from the cluster (a path may exist)" : "not read from the cluster (a shorter path may exist)") {
                    print(footer)
                }
            default:
                var pairs: [(String, JSONValue)] = [("from", .string(start.description)), ("to", .string(to))] + extra
                pairs.append(("maxSteps", .number(Double(maxSteps))))
                if all { pairs.append(("all", .bool(true))) }
                pairs.append(("paths", .array(found.map { esc.json($0) })))
                output.emit(.object(pairs + loaded.notReadFields))
            }
        }
        try loaded.exitIfIncomplete(yes: !found.isEmpty && !all)
        if found.isEmpty { throw ExitCode(ExitCodes.no) }
    }
}
