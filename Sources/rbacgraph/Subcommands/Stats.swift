import ArgumentParser
import RBACCore

extension RBACGraphCommand {
    /// `rbacgraph stats -f …`: what was loaded.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Show what was loaded: objects per kind, skipped kinds, load errors, time.",
            discussion: """
                -o wide adds, per kind, the objects the built-in policy added and the input \
                objects it was united with. --no-headers prints the rows of the kinds table only.
                """)

        @OptionGroup var input: InputOptions

        @OptionGroup var outputOptions: OutputOptions<WideTextFormats>
        @OptionGroup var tableOptions: TableOptions

        func validate() throws { try tableOptions.check(output) }

        var output: OutputFormat { outputOptions.format }
        var outputFile: String? { outputOptions.outputFile }


        func run() throws {
            let start = IO.nanoseconds()
            let loaded = try input.load()
            let (graph, result) = (loaded.graph, loaded.result)
            let graphSeconds = max(0, Double(IO.nanoseconds() - start) / 1e9 - result.statistics.seconds)
            let s = result.statistics
            let missing = graph.resolutions.filter { if case .error = $0 { return true } else { return false } }.count
            let aggregated = graph.roles.filter { $0.aggregationRule != nil }.count
            try outputOptions.redirectText()
            switch output {
            case .table, .wide:
                let headers = !tableOptions.noHeaders
                let wide = output == .wide
                // Per kind, what the built-in policy added and united (display names: KIND/NAME).
                func perKind(_ names: [String]) -> [String: Int] {
                    var counts: [String: Int] = [:]
                    for n in names { counts[String(n.prefix { $0 != "/" }), default: 0] += 1 }
                    return counts
                }
                let added = perKind(result.builtinPolicy?.added ?? [])
                let united = perKind(result.builtinPolicy?.reconciled ?? [])
                var t = Table(["KIND", "LOADED"] + (wide ? ["BUILT-IN ADDED", "UNITED WITH BUILT-IN"] : []))
                let kinds = Set(s.loadedKinds.keys).union(wide ? Set(added.keys) : [])
                for k in kinds.sorted() {
                    t.add([k, String(s.loadedKinds[k] ?? 0)] + (wide ? [String(added[k] ?? 0), String(united[k] ?? 0)] : []))
                }
                if !headers {
                    print(t.render(color: Terminal.colorStdout, headers: false), terminator: "")
                    break
                }
                print("Loaded \(s.files) file(s), \(s.documents) document(s), \(IO.fixed(Double(s.bytes) / 1_048_576, 1)) MiB in \(IO.fixed(s.seconds, 2)) s (graph built in \(IO.fixed(graphSeconds, 2)) s).")
                print(t.render(color: Terminal.colorStdout), terminator: "")
                if !s.skippedKinds.isEmpty {
                    var sk = Table(["SKIPPED KIND", "COUNT"])
                    for (k, n) in s.skippedKinds.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) { sk.add([k, String(n)]) }
                    print()
                    print(sk.render(color: Terminal.colorStdout), terminator: "")
                }
                print()
                print("Aggregated ClusterRoles: \(aggregated); bindings to missing roles: \(missing); duplicates replaced: \(graph.duplicates.count)")
                print("Load errors: \(s.errors); warnings: \(s.warnings)")
                print("Built-in policy: \(result.builtinPolicy?.summary ?? "none (--no-builtin-policy)")")
                if let peak = IO.peakResidentBytes() {
                    print("Peak memory: \(IO.fixed(Double(peak) / 1_048_576, 1)) MiB")
                }
                if let footer = loaded.notReadFooter { print(footer) }
            default:
                func counts(_ d: [String: Int]) -> JSONValue {
                    .object(d.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) })
                }
                output.emit(.object([
                    ("files", .number(Double(s.files))), ("documents", .number(Double(s.documents))),
                    ("bytes", .number(Double(s.bytes))), ("seconds", .number(s.seconds)),
                    ("loaded", counts(s.loadedKinds)), ("skipped", counts(s.skippedKinds)),
                    ("errors", .number(Double(s.errors))), ("warnings", .number(Double(s.warnings))),
                    ("aggregatedClusterRoles", .number(Double(aggregated))),
                    ("bindingsToMissingRoles", .number(Double(missing))),
                    ("duplicates", .array(graph.duplicates.map { .string($0) })),
                    ("builtinPolicy", result.builtinPolicy.map(Self.json) ?? .null),
                ] + (IO.peakResidentBytes().map { [("peakResidentBytes", JSONValue.number(Double($0)))] } ?? [])
                  + loaded.notReadFields))
            }
            try loaded.exitIfIncomplete()
        }

        static func json(_ m: BuiltinPolicyMerge) -> JSONValue {
            func names(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
            return .object([
                ("kubernetesVersion", .string(m.version)), ("mode", .string(m.mode.rawValue)),
                ("added", .number(Double(m.added.count))), ("reconciled", names(m.reconciled)),
                ("protected", names(m.protected)), ("replaced", names(m.replaced)), ("migrated", names(m.migrated)),
            ])
        }
    }
}
