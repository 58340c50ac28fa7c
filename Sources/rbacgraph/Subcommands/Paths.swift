import ArgumentParser
import RBACGraphviz
import RBACCore

extension RBACGraphCommand {
    /// `rbacgraph paths --from SUBJECT [--to TARGET] [--max-steps N] [--all]`.
    struct Paths: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "paths",
            abstract: "Find the shortest privilege path from an identity to a target (exit 0 when one exists, 1 when none).",
            discussion: """
                A path is a chain of steps, each a permission turned into more power (create pods: \
                run as any service account of the namespace; impersonate; bind; read a token…) or \
                a structural fact (a service account is in its groups). The shortest path is the \
                one with fewest steps, certain paths (RBAC alone) before conditional ones (a \
                runtime fact is needed: shown true by the input, not shown, or shown false). \
                Each step shows the binding, role and rule behind it, with file:line. See \
                docs/paths.md.

                SUBJECT: user:NAME, group:NAME or sa:NAMESPACE/NAME.
                TARGET: cluster-admin (full authority; the default), secret:NS/NAME, secret:NS/*, \
                sa:NS/NAME, user:NAME, group:NAME, or can:VERB:RESOURCE[:NS[:NAME]] (a request, \
                RESOURCE as kubectl names a type, RESOURCE/SUBRESOURCE as a rule writes it \
                (can:create:pods/exec:dev), or a non-resource path), or vault:MOUNT/PATH (a Vault \
                path, or a pattern as a policy writes it: vault:secret/data/prod/*; the capability \
                is --capability, read by default; give --vault DIR, see docs/external-secrets.md), or \
                store:NS/NAME, store:*/NAME (the SecretStore NAME of any namespace) or \
                clusterstore:NAME (an External Secrets store: whatever its credentials reach; \
                --capability use (default), read or write), or PROVIDER:OBJECT (an object a \
                SecretProviderClass of another provider than Vault names, as secrets --external \
                prints it: aws:NAME). For a Secret an ExternalSecret writes, secret:NS/NAME also \
                follows the stores that fill it; for an object of another kind it writes \
                (target.manifest: a ConfigMap, a custom resource), its get \
                (can:get:configmaps:NS:NAME) follows every way to its data. Every node a path \
                prints is a target too: sa:NS/* (any service account of NS), run-pods:NS, \
                running-pods:NS, workloads:KIND:NS, namespace-admin:NS (NS * for every \
                namespace), nodes, holder:ClusterRole/NAME@SCOPE, holder:Role/NS/NAME@SCOPE \
                (SCOPE a namespace, * or cluster).

                Examples:
                  rbacgraph paths --from sa:ci/runner -f cluster.yaml
                  rbacgraph paths --from user:frank --to secret:prod/db-password -f manifests/
                  rbacgraph paths --from group:devs --to can:create:pods/exec:prod --all -f cluster.yaml
                  rbacgraph paths --from group:devs --to run-pods:dev -f cluster.yaml
                  rbacgraph paths --from user:alice --to 'vault:secret/data/prod/*' -f cluster.yaml --vault vault/

                The text output lists each path step by step, not a table: there is no -o wide \
                or --no-headers (escalations and secrets have them).

                Exit status: 0 a path exists, 1 none within --max-steps, 3 some input failed to \
                load (the answer covers what loaded), 64 usage error.
                """)

        @OptionGroup var input: InputOptions

        @OptionGroup var outputOptions: OutputOptions<DrawnFormats>

        var output: OutputFormat { outputOptions.format }
        var outputFile: String? { outputOptions.outputFile }

        @Option(help: ArgumentHelp("The identity the path starts from: user:NAME, group:NAME or sa:NAMESPACE/NAME.", valueName: "subject"))
        var from: String

        @Option(name: .customLong("to"), help: ArgumentHelp(
            "cluster-admin (default), secret:NS/NAME, secret:NS/*, sa:NS/NAME, user:NAME, group:NAME, can:VERB:RESOURCE[:NS[:NAME]], vault:MOUNT/PATH, store:NS/NAME or clusterstore:NAME.",
            valueName: "target"))
        var toOption: String?

        /// The target: `--to`, `cluster-admin` without it.
        var to: String { toOption ?? "cluster-admin" }

        @Option(help: ArgumentHelp(
            "For a vault: target, the Vault capability: read (default), list, create, update, patch, delete or sudo; for a store: or clusterstore: target, use (default), read or write.", valueName: "capability"))
        var capability: String?

        @Option(help: "The most steps a path may have.")
        var maxSteps = 8

        @Flag(help: "Every path without a repeated node (up to --max-steps, at most 100), best first; not only the shortest.")
        var all = false



        func validate() throws {
            if PathTarget.start(parsing: from) == nil {
                let node = PathTarget.parse(from).map { _ in " (\(from) is no identity: --to takes it)" } ?? ""
                throw ValidationError("--from takes user:NAME, group:NAME or sa:NAMESPACE/NAME, not \"\(from)\"\(node).")
            }
            if to.hasPrefix("vault:") {
                if vaultTarget == nil {
                    throw ValidationError("--to vault: takes a Vault path: vault:MOUNT/PATH, e.g. vault:secret/data/prod/db or vault:secret/data/prod/*.")
                }
            } else if StoreTarget.isStoreTarget(to) {
                if StoreTarget.parse(to) == nil {
                    throw ValidationError("--to takes a store as \(StoreTarget.syntax), not \"\(to)\".")
                }
                if let capability, StoreUse(rawValue: capability) == nil {
                    throw ValidationError("--capability for a store target takes \(StoreUse.names), not \"\(capability)\".")
                }
                if maxSteps < 0 { throw ValidationError("--max-steps must be 0 or more.") }
                return
            } else if PathTarget.parse(to) == nil {
                // PROVIDER:OBJECT, a CSI object: checked against the input once it is loaded.
                if ProviderObjectTarget.parse(to) == nil { throw ValidationError(Self.unreadableTarget(to)) }
                if let capability, capability != "read" {
                    throw ValidationError("--capability for an object of a SecretProviderClass is read, not \"\(capability)\".")
                }
                if maxSteps < 0 { throw ValidationError("--max-steps must be 0 or more.") }
                return
            } else if capability != nil {
                throw ValidationError("--capability is for vault:, store: and clusterstore: targets only.")
            }
            if let capability, VaultCapabilities(name: capability) == nil || capability == "deny" {
                throw ValidationError("--capability takes a Vault capability: read, list, create, update, patch, delete or sudo, not \"\(capability)\".")
            }
            if maxSteps < 0 { throw ValidationError("--max-steps must be 0 or more.") }
        }

        /// The error for a `--to` that names no target.
        static func unreadableTarget(_ to: String) -> String {
            "--to takes \(PathTarget.everySyntax), not \"\(to)\"."
        }

        /// The Vault target of `--to vault:…`.
        var vaultTarget: VaultTarget? {
            VaultTarget.parse(to, capability: capability.flatMap { VaultCapabilities(name: $0) } ?? .read)
        }

        func run() throws {
            let start = PathTarget.start(parsing: from)!
            if let vault = vaultTarget { return try runVault(start: start, target: vault) }
            if let store = StoreTarget.parse(to) { return try runStore(start: start, target: store) }
            let loaded = try input.load()
            let graph = loaded.graph
            InputWarnings.identity(start, in: graph, quiet: input.quiet)
            guard let target = PathTarget.parse(to) else {
                // validate() let through only PROVIDER:OBJECT.
                return try runProviderObject(start: start, target: ProviderObjectTarget.parse(to)!, loaded: loaded)
            }
            InputWarnings.target(target, in: graph, quiet: input.quiet)
            // A Secret an ExternalSecret writes: its readers in Kubernetes, and through its stores.
            if case .secret(let ns, let name?) = target, let secret = graph.materializedSecret(namespace: ns, name: name) {
                return try runMaterialized(start: start, target: target, secret: secret, loaded: loaded)
            }
            // An object of another kind an ExternalSecret writes (`target.manifest`): its get,
            // and every other way to its data.
            if case .permission(.resource(let r)) = target, let object = graph.materialized(getting: r), object.manifest != nil {
                return try runMaterialized(start: start, target: target, secret: object, loaded: loaded)
            }
            let answer = PathFinder(graph).answer(PathQuery(from: start, to: target, maxSteps: maxSteps, all: all))
            let esc = answer.graph, found = answer.paths
            // Without --to: beyond cluster-admin, every Vault path and store the input names.
            let beyond = toOption == nil && !graph.external.isEmpty ? esc.pathsBeyond(from: start, maxSteps: maxSteps) : []
            if output.isPicture {
                let title = "Paths from \(start) to \(target)"
                if beyond.isEmpty {
                    try output.write(GraphView.paths(found, in: esc, title: title), to: outputFile, quiet: input.quiet)
                } else {
                    let all = found.map { VaultPath(kubernetes: $0, external: [], vaultPath: "", access: nil, end: "cluster-admin") } + beyond.map(\.path)
                    try output.write(GraphView.vaultPaths(all, in: esc, title: "Paths from \(start) to cluster-admin and beyond the cluster"), to: outputFile, quiet: input.quiet)
                }
                try loaded.exitIfIncomplete(yes: !(found.isEmpty && beyond.isEmpty) && !all)
                if found.isEmpty && beyond.isEmpty { throw ExitCode(ExitCodes.no) }
                return
            }
            try outputOptions.redirectText()
            switch output {
            case .table:
                printTable(esc, start: start, target: target, found: found)
                if toOption == nil && !graph.external.isEmpty { printBeyond(esc, start: start, beyond: beyond) }
                if let footer = loaded.notReadLines(heading: found.isEmpty ? "not read from the cluster (a path may exist)" : "not read from the cluster (a shorter path may exist)") {
                    print(footer)
                }
            default:
                var pairs: [(String, JSONValue)] = [
                    ("from", .string(start.description)), ("to", .string(to)),
                    ("maxSteps", .number(Double(maxSteps))),
                ]
                if all { pairs.append(("all", .bool(true))) }
                pairs.append(("paths", answer.pathsJSON))
                if toOption == nil && !graph.external.isEmpty { pairs.append(("beyond", .array(beyond.map { b in
                        .object([("target", .string(b.end.target)), ("capability", .string(b.end.capability)), ("path", esc.json(b.path))])
                    }))) }
                output.emit(.object(pairs + loaded.notReadFields))
            }
            // A path found in what was read stands; "no path", or every path (--all), on a
            // partial read does not.
            try loaded.exitIfIncomplete(yes: !(found.isEmpty && beyond.isEmpty) && !all)
            if found.isEmpty && beyond.isEmpty { throw ExitCode(ExitCodes.no) }
        }

        /// Without --to: what the identity reaches beyond the cluster, one line per target.
        private func printBeyond(_ esc: EscalationGraph, start: PathNode, beyond: [(end: ExternalEnd, path: VaultPath)]) {
            print()
            if beyond.isEmpty {
                print("Beyond the cluster: no path from \(start) to the Vault paths, stores and CSI objects the input names.")
                return
            }
            print("Beyond the cluster, \(start) reaches \(beyond.count) of the Vault paths, stores and CSI objects the input names:")
            let printer = PathPrinter(esc)
            var table = Table(["TARGET", "CAPABILITY", "STEPS", "CERTAINTY", "PATH"])
            for (end, p) in beyond {
                table.add([end.target, end.capability, String(p.stepCount), p.certaintyLabel, printer.externalChain(p)])
            }
            print(table.render(color: printer.color), terminator: "")
            print("`rbacgraph paths --from \(start) --to TARGET [--capability CAPABILITY]` shows a path in full.")
        }

        private func printTable(_ esc: EscalationGraph, start: PathNode, target: PathTarget, found: [PrivilegePath]) {
            let printer = PathPrinter(esc)
            if found.isEmpty {
                print("No path from \(start) to \(target) in at most \(maxSteps) step\(maxSteps == 1 ? "" : "s").")
                // What the identity can do, so that "no" can be checked.
                guard let s = esc.index(of: start) else { return }
                let own = esc.edges(from: s)
                if own.isEmpty {
                    print("\(start) has no step of its own.")
                    return
                }
                print("The first steps \(start) has:")
                var table = Table(["STEP", "SCOPE", "REACHES"])
                for e in own.prefix(20) {
                    // What it reaches as --to reads it, so that each can be asked about.
                    table.add([e.kind.rawValue + (e.isCertain ? "" : "?"), e.namespace ?? "", printer.name(e.to)])
                }
                print(table.render(color: printer.color).split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n"), terminator: "")
                if own.count > 20 { print("  … \(own.count - 20) more") }
                return
            }
            for (k, p) in found.enumerated() {
                if k > 0 { print() }
                let title = found.count == 1 && !all
                    ? "Shortest path from \(start) to \(target)"
                    : "Path \(k + 1) of \(found.count) from \(start) to \(target)"
                print(printer.block(p, title: title), terminator: "")
                if p.steps.isEmpty { printDirect(esc, start: start, target: target) }
            }
        }

        /// Why a start needs no step: the grant that allows the request.
        private func printDirect(_ esc: EscalationGraph, start: PathNode, target: PathTarget) {
            guard case .permission(let request) = target, let identity = start.identity else { return }
            let d = esc.access.authorize(identity, request)
            if let g = d.grant {
                let rule = esc.access.roles[g.role].rules[g.ruleIndex].summary
                print("   allowed by \(esc.access.bindings[g.binding].displayName) → \(esc.access.roles[g.role].displayName) rule \(g.ruleIndex) [\(rule)]")
                let sources = [esc.access.bindings[g.binding].source, esc.access.roles[g.role].source].compactMap(PathPrinter.location)
                if !sources.isEmpty { print("   " + PathPrinter(esc).paint(sources.joined(separator: " → "), "2")) }
            } else if d.allowed {
                print("   \(d.reason)")
            }
        }
    }
}
