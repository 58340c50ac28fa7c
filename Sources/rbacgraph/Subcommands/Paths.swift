import ArgumentParser
import RBACCore

extension RBACGraphCommand {
    /// `rbacgraph paths --from SUBJECT [--to TARGET]`.
    struct Paths: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find privilege paths from an identity to a target (exit 0 when one exists, 1 when none).")

        @OptionGroup var input: InputOptions

        @Option(help: ArgumentHelp("The identity: user:NAME, group:NAME or sa:NAMESPACE/NAME.", valueName: "subject"))
        var from: String

        @Option(help: ArgumentHelp("cluster-admin (default), secret:NS/NAME, secret:NS/*, sa:NS/NAME, user:NAME, group:NAME, or can:VERB:RESOURCE[:NS[:NAME]].", valueName: "target"))
        var to = "cluster-admin"

        @Option(help: "The most steps a path may have.")
        var maxSteps = 8

        @Flag(help: "Every path (up to --max-steps), not only the shortest.")
        var all = false

        func run() throws {
            guard let start = PathNode.identity(parsing: from) else { throw ValidationError("--from takes user:NAME, group:NAME or sa:NAMESPACE/NAME.") }
            guard let target = PathTarget.parse(to) else { throw ValidationError("Cannot read the target \"\(to)\".") }
            let (graph, result) = try input.loadGraph()
            let esc = EscalationGraph(graph, including: [start])
            let found = esc.paths(from: start, to: target, maxSteps: maxSteps, all: all)
            for (n, p) in found.enumerated() {
                print("path \(n + 1) (\(p.steps.count) steps, \(p.isCertain ? "certain" : "conditional")):")
                print("  \(esc.describe(p.start))")
                for s in p.steps {
                    print("  └─[\(s.kind.rawValue)\(s.namespace.map { " in \($0)" } ?? "")]→ \(esc.describe(s.to))")
                    for e in s.evidence { print("       because \(esc.describe(e))") }
                    if let c = s.condition { print("       if \(c.text) (\(c.observed.map { $0 ? "shown true" : "shown false" } ?? "not shown"))") }
                }
            }
            if found.isEmpty { print("no path from \(from) to \(target) in \(maxSteps) steps") }
            if result.hasErrors { throw ExitCode(ExitCodes.loadErrors) }
            if found.isEmpty { throw ExitCode(ExitCodes.no) }
        }
    }

    struct Escalations: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every identity that can reach full authority, most dangerous first.")
        @OptionGroup var input: InputOptions

        func run() throws {
            let (graph, _) = try input.loadGraph()
            let esc = EscalationGraph(graph)
            for p in esc.identitiesReaching(.fullAuthority) {
                print("\(esc.describe(p.start)): \(p.steps.count) steps, \(p.isCertain ? "certain" : "conditional"): " + p.steps.map { "\($0.kind.rawValue)→\(esc.describe($0.to))" }.joined(separator: " "))
            }
        }
    }
}
