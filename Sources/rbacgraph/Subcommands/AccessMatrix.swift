import ArgumentParser
import RBACCore

extension RBACGraphCommand {
    /// `rbacgraph access-matrix --as/--sa/--group … [-n NS | -A]`: rakkess's view.
    struct AccessMatrix: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access-matrix",
            abstract: "What an identity may do: resources × verbs, ✔ or ✖ per cell (as rakkess), from the same authorizer as can-i.",
            discussion: """
                One row per resource — the standard API resources, plus the custom resources the \
                input's rules name — and one column per verb (rakkess's list, create, update, \
                delete unless --verbs says otherwise; with -o wide every standard verb: get, \
                list, watch, create, update, patch, delete, deletecollection). Each cell is one \
                can-i answer. --no-headers prints the rows only.

                -n NS (default: the namespace "default"): the namespaced resources, asked in NS. \
                -A: every resource, asked cluster-wide (the request with no namespace, as \
                kubectl's can-i -A and rakkess without --namespace).

                Examples:
                  rbacgraph access-matrix --sa prod/api -n prod -f cluster.yaml
                  rbacgraph access-matrix --as alice --as-group devs -n dev -f manifests/
                  rbacgraph access-matrix --group system:authenticated -A -f cluster.yaml -o json

                Exit status: 0; 3 some input failed to load; 64 usage error.
                """)

        @OptionGroup var input: InputOptions
        @OptionGroup var outputOptions: OutputOptions<WideTextFormats>
        @OptionGroup var tableOptions: TableOptions
        var output: OutputFormat { outputOptions.format }

        @Option(name: .customLong("as"), help: ArgumentHelp(
            "Who asks: a user name as kubectl's --as takes it, or user:NAME, group:NAME, sa:NAMESPACE/NAME.", valueName: "identity"))
        var user: String?

        @Option(name: .customLong("as-group"), help: ArgumentHelp("A group of the user (repeatable).", valueName: "group"))
        var groups: [String] = []

        @Option(name: .customLong("sa"), help: ArgumentHelp("A service account, as NAMESPACE/NAME.", valueName: "ns/name"))
        var serviceAccount: String?

        @Option(name: .customLong("group"), help: ArgumentHelp("A member of this group (the same as --as group:NAME).", valueName: "group"))
        var group: String?

        @Option(name: .shortAndLong, help: "The namespace: its namespaced resources (default: \"default\").")
        var namespace: String?

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Every resource, asked cluster-wide (no namespace).")
        var allNamespaces = false

        @Option(help: ArgumentHelp("The verbs, comma-separated (default: list,create,update,delete; with -o wide every standard verb).", valueName: "verbs"))
        var verbs: String?

        var verbList: [String] {
            verbs.map { $0.split(separator: ",").map(String.init) }
                ?? (output == .wide ? RBACCore.AccessMatrix.allStandardVerbs : RBACCore.AccessMatrix.defaultVerbs)
        }

        func validate() throws {
            let given = [user, serviceAccount, group].compactMap { $0 }
            if given.count != 1 { throw ValidationError("Give exactly one of --as IDENTITY, --sa NAMESPACE/NAME or --group NAME.") }
            if allNamespaces && namespace != nil { throw ValidationError("Give -n or -A, not both.") }
            if verbList.isEmpty || verbList.contains(where: \.isEmpty) { throw ValidationError("--verbs takes verbs separated by commas.") }
            try tableOptions.check(output)
            do { _ = try identity() } catch let e as IdentityNotation.ParseError { throw ValidationError(e.message) }
        }

        func identity() throws -> Identity {
            if let serviceAccount { return try Identity.impersonating("sa:" + serviceAccount) }
            if let group { return try Identity.impersonating("group:" + group, groups: groups) }
            return try Identity.impersonating(user ?? "", groups: groups)
        }

        func run() throws {
            let loaded = try input.load()
            let graph = loaded.graph
            let id = try identity()
            if !input.quiet {
                for v in verbList where !RequestWords.resourceVerbs.contains(v) { Terminal.warn("verb '\(v)' is not a known verb") }
            }
            InputWarnings.serviceAccount(of: id, in: graph, quiet: input.quiet)
            let ns: String? = allNamespaces ? nil : (namespace ?? "default")
            InputWarnings.namespace(namespace, in: graph, quiet: input.quiet)
            let matrix = RBACCore.AccessMatrix(graph: graph, identity: id, namespace: ns, verbs: verbList)
            try outputOptions.redirectText()
            switch output {
            case .table, .wide:
                let color = Terminal.colorStdout
                var table = Table(["NAME"] + matrix.verbs.map { $0.uppercased() })
                for row in matrix.rows { table.add([row.name] + row.allowed.map { $0 ? "✔" : "✖" }) }
                if !tableOptions.noHeaders {
                    let who = serviceAccount.map { "sa:" + $0 } ?? group.map { "group:" + $0 } ?? user ?? ""
                    print("Access of \(who) \(ns.map { "in namespace \($0)" } ?? "cluster-wide"):")
                }
                print(table.render(color: color, headers: !tableOptions.noHeaders) { _, c, text in
                    guard c > 0 else { return text }
                    return Terminal.paint(text, text == "✔" ? "32" : "31", color: color)
                }, terminator: "")
                if let footer = loaded.notReadLines(heading: "not read from the cluster (a ✖ may be a ✔)") { print(footer) }
            default:
                if case .object(let pairs) = matrix.json, !loaded.notReadFields.isEmpty {
                    output.emit(.object(pairs + loaded.notReadFields))
                } else {
                    output.emit(matrix.json)
                }
            }
            try loaded.exitIfIncomplete(rbacOnly: true)
        }
    }
}
