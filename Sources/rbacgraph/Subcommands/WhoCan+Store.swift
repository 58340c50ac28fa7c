import ArgumentParser
import RBACCore
import RBACGraphviz

/// `who-can use|read|write store:NS/NAME|clusterstore:NAME` (whoever may make an External
/// Secrets store work for them, or holds its credentials), and the store routes to a Secret
/// an ExternalSecret writes (docs/external-secrets.md).
extension RBACGraphCommand.WhoCan {
    func runStore() throws {
        guard let target = StoreTarget.parse(request.resource) else {
            throw ValidationError("A store target is \(StoreTarget.syntax), not \"\(request.resource)\".")
        }
        guard let use = StoreUse(rawValue: request.verb) else {
            throw ValidationError("For store: and clusterstore: targets the verb is \(StoreUse.names) (not \"\(request.verb)\").")
        }
        if request.namespace != nil || allNamespaces { throw ValidationError("A store target names its namespace itself: give no -n or -A.") }
        if request.name != nil { throw ValidationError("A store target takes no NAME argument.") }
        if output == .wide { throw ValidationError("store targets have no wide table: give -o table, json, yaml, dot, svg, png or pdf.") }
        let loaded = try input.load()
        let graph = loaded.graph
        let esc = EscalationGraph(graph)
        let note = RBACGraphCommand.Paths.missingStore(target, in: esc)
        if let note, !input.quiet { Terminal.warn(note) }
        let readers = esc.storeReaders(of: target, use: use, effective: effective, maxSteps: maxSteps)
        let title = "Identities allowed to \(use) \(target)\(effective ? ", directly or by a privilege path" : "")"
        try printExternalReaders(readers, esc: esc, title: title, target: target.description, verb: use.rawValue, loaded: loaded, jsonNote: note)
    }

    /// `who-can read PROVIDER:OBJECT`: who may mount an object a SecretProviderClass of the
    /// input names (another provider than Vault), each on the condition, not shown, that the
    /// pod's cloud identity may read it.
    func runProviderObject(_ target: ProviderObjectTarget, loaded: InputOptions.Loaded) throws {
        guard request.verb == "read" else {
            throw ValidationError("For an object of a SecretProviderClass (\(target)) the verb is read (not \"\(request.verb)\").")
        }
        if request.namespace != nil || allNamespaces { throw ValidationError("An object of a SecretProviderClass is read where its class is: give no -n or -A.") }
        if request.name != nil { throw ValidationError("An object of a SecretProviderClass takes no NAME argument.") }
        if output == .wide { throw ValidationError("SecretProviderClass objects have no wide table: give -o table, json, yaml, dot, svg, png or pdf.") }
        let esc = EscalationGraph(loaded.graph)
        let readers = esc.providerObjectReaders(of: target, effective: effective, maxSteps: maxSteps)
        let title = "Identities allowed to read \(target)\(effective ? ", directly or by a privilege path" : "")"
        try printExternalReaders(readers, esc: esc, title: title, target: target.description, verb: "read", loaded: loaded)
    }

    /// Readers whose paths end beyond the API server, one row each: table, JSON or a picture.
    func printExternalReaders(
        _ readers: [VaultPath], esc: EscalationGraph, title: String, target: String, verb: String, loaded: InputOptions.Loaded,
        note: String? = nil, jsonNote: String? = nil
    ) throws {
        if output.isPicture {
            try output.write(GraphView.vaultPaths(readers, in: esc, title: title, maxNodes: maxNodes), to: outputFile, quiet: input.quiet)
            try loaded.exitIfIncomplete()
            return
        }
        let printer = PathPrinter(esc)
        try outputOptions.redirectText()
        switch output {
        case .table:
            if !tableOptions.noHeaders {
                if let note { print(note) }
                print(title + ":")
            }
            var table = Table(["IDENTITY", "STEPS", "CERTAINTY", "HOW"])
            for r in readers {
                table.add([printer.name(r.kubernetes.start), String(r.stepCount), r.certaintyLabel, printer.externalChain(r)])
            }
            print(table.render(color: printer.color, headers: !tableOptions.noHeaders), terminator: "")
            if readers.isEmpty && !tableOptions.noHeaders { print("(none)") }
            if let footer = loaded.notReadFooter { print(footer) }
        default:
            var pairs: [(String, JSONValue)] = [("target", .string(target)), ("verb", .string(verb)), ("effective", .bool(effective))]
            if let note = note ?? jsonNote { pairs.append(("note", .string(note))) }
            pairs.append(("identities", .array(readers.map { esc.readerJSON($0) })))
            output.emit(.object(pairs + loaded.notReadFields))
        }
        try loaded.exitIfIncomplete()
    }
}

extension PathPrinter {
    /// What allows a request `system:masters` makes, as the who-can tables say it.
    static let apiServer = "(API server) allowed everything"

    /// A path beyond the API server on one line: its Kubernetes chain, then each external step
    /// (`externalsecret-write in prod → SecretStore prod/vault-backend`), the grant of a write
    /// held directly first.
    func externalChain(_ p: VaultPath) -> String {
        var parts: [String] = []
        if !p.kubernetes.steps.isEmpty { parts.append(PathPrinter(esc, color: false).chain(p.kubernetes)) }
        for (k, s) in p.external.enumerated() {
            var text = stepText(s)
            if k == 0, let g = s.grant {
                text = "\(esc.access.bindings[g.binding].displayName) → \(esc.access.roles[g.role].displayName): " + text
            } else if k == 0, s.viaMasters {
                text = "\(Self.apiServer): " + text
            }
            parts.append(text)
        }
        return parts.joined(separator: " ⇒ ")
    }

    /// One external step on one line (`externalsecret-write in prod → store:prod/vault-backend`);
    /// a step taken as another identity after the start's chain to it
    /// (`(user:kim ─impersonate→ sa:prod/reader) written-secret-read in prod → …`).
    func stepText(_ s: ExternalStep) -> String {
        let text = "\(s.kind.rawValue)\(s.condition == nil ? "" : "?")\(s.namespace.map { " in \($0)" } ?? "") → \(s.to)"
        guard let b = s.branch else { return text }
        return "(\(name(b.start)) \(PathPrinter(esc, color: false).chain(b))) " + text
    }
}

extension RBACGraphCommand.WhoCan {
    /// The Secret an ExternalSecret writes that `get` of one Secret by name asks about, or the
    /// object of another kind it writes (`spec.target.manifest`) that a `get` by name asks
    /// about, if any.
    static func materialized(_ req: Request, in graph: AccessGraph) -> MaterializedSecret? {
        guard case .resource(let r) = req else { return nil }
        return graph.materialized(getting: r)
    }

    /// Under the table: what writes the Secret (or object), and who gets its data through its
    /// stores (for an object other than a Secret, also by listing or watching it, or a pod
    /// mounting it).
    /// - Parameter listed: the identities the table above lists already, left out for an
    ///   object other than a Secret (whose list and watch routes would repeat them).
    func printThroughStores(_ m: MaterializedSecret, esc: EscalationGraph, listed: Set<PathNode> = []) {
        let readers = Self.readers(m, esc: esc, effective: effective, maxSteps: maxSteps, listed: listed)
        print("\n\(m.title): \(m.description)\(m.inInput ? "" : " (not in the input)").")
        if let note = m.conditionNote { print("It holds the values only on conditions the input does not show: \(note).") }
        let otherwise = m.manifest.map { $0.podMountable ? "by listing or watching \($0.typedResource), by a pod mounting it, or " : "by listing or watching \($0.typedResource), or " } ?? ""
        print("Identities that get its data \(otherwise)through the stores that fill it\(effective ? ", directly or by a privilege path" : ""):")
        let printer = PathPrinter(esc)
        var table = Table(["IDENTITY", "STEPS", "CERTAINTY", "HOW"])
        for r in readers { table.add([printer.name(r.kubernetes.start), String(r.stepCount), r.certaintyLabel, printer.externalChain(r)]) }
        print(table.render(color: printer.color), terminator: "")
        if readers.isEmpty { print("(none)") }
    }

    /// Who gets the data of what an ExternalSecret writes otherwise than the table above:
    /// through its stores, and for an object other than a Secret by listing, watching or
    /// mounting it — those the table lists left out.
    static func readers(_ m: MaterializedSecret, esc: EscalationGraph, effective: Bool, maxSteps: Int, listed: Set<PathNode>) -> [VaultPath] {
        let all = esc.materializedReaders(of: m, effective: effective, maxSteps: maxSteps)
        return m.manifest == nil ? all : all.filter { !listed.contains(esc.nodes[$0.kubernetes.start]) }
    }

    /// The same in JSON: `materializedBy`, `inInput`, `throughStores`.
    static func throughStoresJSON(_ m: MaterializedSecret, esc: EscalationGraph, effective: Bool, maxSteps: Int, listed: Set<PathNode> = []) -> [(String, JSONValue)] {
        [
            ("materializedBy", .string(m.description)), ("inInput", .bool(m.inInput)),
        ] + (m.conditionNote.map { [("condition", JSONValue.string($0))] } ?? []) + [
            ("throughStores", .array(readers(m, esc: esc, effective: effective, maxSteps: maxSteps, listed: listed).map { esc.readerJSON($0) })),
        ]
    }
}
