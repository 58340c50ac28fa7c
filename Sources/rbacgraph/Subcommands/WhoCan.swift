import ArgumentParser
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

                Examples:
                  rbacgraph who-can get secrets -n prod -f cluster.yaml
                  rbacgraph who-can create pods/exec -A -f manifests/
                  rbacgraph who-can get /metrics -f cluster.yaml -o json
                """)

        @OptionGroup var input: InputOptions
        @OptionGroup var request: RequestArguments

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "Count RoleBindings in every namespace.")
        var allNamespaces = false

        @Option(name: .shortAndLong, help: "Output format: table, json or yaml.")
        var output: OutputFormat = .table

        func validate() throws {
            if allNamespaces && request.namespace != nil { throw ValidationError("Give -n or -A, not both.") }
        }

        func run() throws {
            let (graph, result) = try input.loadGraph()
            let (req, warning) = request.request()
            if let warning, !input.quiet { Terminal.warn(warning) }
            var rows: [(namespace: String?, subject: AllowedSubject)] = []
            if allNamespaces, case .resource(let rr) = req, !rr.namespace.isEmpty {
                rows = graph.subjectsInAnyNamespace(allowedTo: rr).map { (Optional($0.namespace), $0.subject) }
            } else {
                rows = graph.subjects(allowedTo: req).map { (nil, $0) }
            }
            switch output {
            case .table: printTable(rows, graph: graph, request: req)
            default:
                let subjects: [JSONValue] = rows.map { row in
                    var pairs: [(String, JSONValue)] = [("subject", JSONForms.subject(row.subject.subject))]
                    if let ns = row.namespace { pairs.append(("scope", .string(ns.isEmpty ? "cluster" : ns))) }
                    if let g = row.subject.grant {
                        pairs.append(("grant", JSONForms.grant(g, in: graph)))
                    } else {
                        pairs.append(("reason", .string("system:masters is allowed everything by the API server")))
                    }
                    if row.subject.subject.kind == "Group" {
                        pairs.append(("members", .array(graph.knownMembers(ofGroup: row.subject.subject.name).map { .string($0) })))
                    }
                    return .object(pairs)
                }
                output.emit(.object([("request", JSONForms.request(req)), ("subjects", .array(subjects))]))
            }
            if result.hasErrors { throw ExitCode(ExitCodes.loadErrors) }
        }

        private func printTable(_ rows: [(namespace: String?, subject: AllowedSubject)], graph: AccessGraph, request: Request) {
            let color = Terminal.colorStdout
            var table = Table(["KIND", "SUBJECT", allNamespaces ? "SCOPE" : nil, "BINDING", "ROLE", "RULE"].compactMap { $0 })
            var groups: [String] = []
            for row in rows {
                let s = row.subject.subject
                let name = s.kind == "ServiceAccount" ? "\(s.namespace)/\(s.name)" : s.name
                var cells = [s.kind, name]
                if allNamespaces { cells.append(row.namespace.map { $0.isEmpty ? "(cluster)" : $0 } ?? "") }
                if let g = row.subject.grant {
                    cells += [graph.bindings[g.binding].displayName, graph.roles[g.role].displayName,
                              JSONForms.ruleSummary(graph.roles[g.role].rules[g.ruleIndex])]
                } else {
                    cells += ["(API server)", "allowed everything", "*"]
                }
                table.add(cells)
                if s.kind == "Group", !groups.contains(s.name) { groups.append(s.name) }
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
