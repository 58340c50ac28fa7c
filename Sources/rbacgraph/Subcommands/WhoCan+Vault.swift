import ArgumentParser
import RBACCore
import RBACGraphviz

/// `who-can CAPABILITY vault:PATH`: who may use a Vault capability on a path, through Vault
/// logins of service accounts and External Secrets stores (docs/external-secrets.md).
extension RBACGraphCommand.WhoCan {
    /// The Vault path of a `vault:` target, `nil` for any other resource.
    static func vaultPath(_ resource: String) -> String? {
        guard resource.hasPrefix("vault:") else { return nil }
        var p = Substring(resource.dropFirst(6))
        while p.first == "/" { p = p.dropFirst() }
        return String(p)
    }

    func runVault(path: String) throws {
        guard let capability = VaultCapabilities(name: request.verb), capability != .deny else {
            throw ValidationError("For vault: targets the verb is a Vault capability: read, list, create, update, patch, delete or sudo (not \"\(request.verb)\").")
        }
        if path.isEmpty { throw ValidationError("vault: needs a path: vault:MOUNT/PATH, e.g. vault:secret/data/prod/db.") }
        if output == .wide { throw ValidationError("vault: targets have no wide table: give -o table, json, yaml, dot, svg, png or pdf.") }
        let loaded = try input.load()
        let graph = loaded.graph
        InputWarnings.vault(path, capability: capability, in: graph, quiet: input.quiet)
        let esc = EscalationGraph(graph)
        let readers = esc.vaultReaders(of: path, capability: capability, effective: effective, maxSteps: maxSteps)
        if output.isPicture {
            try output.write(GraphView.vaultReaders(readers, target: path, capability: request.verb), to: outputFile, quiet: input.quiet)
            try loaded.exitIfIncomplete()
            return
        }
        let printer = PathPrinter(esc)
        try outputOptions.redirectText()
        switch output {
        case .table:
            if !tableOptions.noHeaders {
                print("Identities allowed to \(request.verb) vault:\(path)\(effective ? ", directly or by a privilege path" : ""):")
            }
            var table = Table(["IDENTITY", "CERTAINTY", "HOW"])
            for r in readers {
                table.add([r.identity.description, r.certainty == .yes ? "certain" : "unknown", Self.how(r, printer: printer)])
            }
            print(table.render(color: printer.color, headers: !tableOptions.noHeaders), terminator: "")
            if readers.isEmpty && !tableOptions.noHeaders { print("(none)") }
            if let footer = loaded.notReadFooter { print(footer) }
        default:
            output.emit(.object([
                ("target", .string("vault:\(path)")), ("capability", .string(request.verb)), ("effective", .bool(effective)),
                ("identities", .array(readers.map { Self.json($0, esc: esc) })),
            ] + loaded.notReadFields))
        }
        try loaded.exitIfIncomplete()
    }

    /// The Vault side of a reader: role, policies, deciding pattern, and what is unknown.
    static func vaultChain(_ a: VaultAccess) -> String {
        let l = a.login
        var s = "Vault \(l.role.path) [\(l.policies.joined(separator: ","))]"
        if let e = a.decision.entry {
            let at = e.grants.first?.rule.source.map { " at \($0)" } ?? ""
            s += " → path \"\(e.pattern)\" {\(e.capabilities)}\(at)"
            if e.isConditional { s += " (with parameter or wrapping limits)" }
        }
        if l.admitted == .unknown { s += "; the role admits the namespace only by its selector, and the input has no labels for it" }
        for u in a.unresolved { s += "; may match \"\(u.rule.path)\" of policy \(u.policy): \(u.reason)" }
        if !a.missingPolicies.isEmpty { s += "; policies not in --vault: \(a.missingPolicies.joined(separator: ","))" }
        return s
    }

    static func how(_ r: VaultReader, printer: PathPrinter) -> String {
        var parts: [String] = []
        if let p = r.path { parts.append(printer.plainChain(p)) }
        switch r.route {
        case .login(let a):
            parts.append("\(a.login.serviceAccount.notation) logs in: " + vaultChain(a))
        case .store(let store, let ns, let kind, let a):
            let what = kind == .clusterExternalSecret ? "create ClusterExternalSecret selecting \(ns)" : "create \(kind.rawValue) in \(ns)"
            var s = "\(what) → \(store.kind.rawValue) \(store.namespace.map { "\($0)/" } ?? "")\(store.name)"
            if let g = r.grant {
                let graph = printer.esc.access
                s = "\(graph.bindings[g.binding].displayName) → \(graph.roles[g.role].displayName): " + s
            } else if r.viaMasters {
                s = "\(PathPrinter.apiServer): " + s
            }
            s += " logs in as \(a.login.serviceAccount.notation): " + vaultChain(a)
            parts.append(s)
        case .storeOfUnknownReach(let store, let ns, let kind, let reason):
            var s = "create \(kind.rawValue) in \(ns) → \(store.kind.rawValue) \(store.namespace.map { "\($0)/" } ?? "")\(store.name)"
            if let g = r.grant {
                let graph = printer.esc.access
                s = "\(graph.bindings[g.binding].displayName) → \(graph.roles[g.role].displayName): " + s
            } else if r.viaMasters {
                s = "\(PathPrinter.apiServer): " + s
            }
            parts.append(s + ": reach unknown: " + reason)
        case .credentialSecret(let store, let ns, let name, let reason):
            var s = "read Secret \(ns)/\(name), the credentials of \(store.kind.rawValue) \(store.namespace.map { "\($0)/" } ?? "")\(store.name)"
            if let g = r.grant {
                let graph = printer.esc.access
                s = "\(graph.bindings[g.binding].displayName) → \(graph.roles[g.role].displayName): " + s
            } else if r.viaMasters {
                s = "\(PathPrinter.apiServer): " + s
            }
            parts.append(s + ": reach unknown: " + reason)
        case .steps(let steps, let a):
            var s = steps.filter { $0.kind != .vaultPolicy && $0.kind != .storeLogin }.map(printer.stepText).joined(separator: " → ")
            if let g = r.grant {
                let graph = printer.esc.access
                s = "\(graph.bindings[g.binding].displayName) → \(graph.roles[g.role].displayName): " + s
            } else if r.viaMasters {
                s = "\(PathPrinter.apiServer): " + s
            }
            if let a { s += ": " + vaultChain(a) }
            parts.append(s)
        }
        return parts.joined(separator: " ⇒ ")
    }

    static func json(_ r: VaultReader, esc: EscalationGraph) -> JSONValue { esc.json(r) }
}
