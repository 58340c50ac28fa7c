import ArgumentParser

/// `rbacgraph`: Kubernetes RBAC access analysis on manifests and cluster dumps.
@main
struct RBACGraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbacgraph",
        abstract: "Kubernetes RBAC access analyzer: who can do what, exactly as the API server decides.",
        discussion: """
            Load Roles, ClusterRoles, bindings, service accounts and workloads from manifests or \
            `kubectl get -o yaml|json` dumps, then ask questions.

            Exit codes: 0 success (or "yes"); 1 "no" (can-i), no path (paths) or an error; 2 \
            something found (escalations --fail-if-any, report --fail-on, diff --fail-on); 3 some input failed to \
            load (answers are given for what loaded); 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [WhoCan.self, CanI.self, AccessMatrix.self, Paths.self, Escalations.self, Secrets.self, ReportCommand.self, Diff.self, Stats.self, Eval.self, Graph.self, SnapshotCommand.self]
    )

    /// Runs the command line; a first word that is no subcommand gets cobra's (kubectl's)
    /// answer — `unknown command "whocan" for "rbacgraph"` and the commands it may mean —
    /// instead of a parse error about an unexpected argument.
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        if let first = args.first, !first.hasPrefix("-"), first != "help" {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName ?? defaultName(of: $0) }
            if !names.contains(first) {
                var message = "Error: unknown command \"\(first)\" for \"rbacgraph\"\n"
                let suggestions = CommandSuggestions.closest(to: first, among: names)
                if !suggestions.isEmpty {
                    message += "\nDid you mean this?\n" + suggestions.map { "\t\($0)\n" }.joined()
                }
                message += "\nRun 'rbacgraph --help' for usage.\n"
                Terminal.writeStderr(message)
                Self.exit(withError: ExitCode(ExitCode.validationFailure.rawValue))
            }
        }
        Self.main(nil)
    }

    /// A subcommand's name as ArgumentParser derives it from its type (`Escalations` →
    /// `escalations`). Every subcommand names itself (`commandName`): deriving a name
    /// describes the type, which costs a scan of the binary's protocol conformances per type
    /// (about 2 M instructions each, at every start).
    private static func defaultName(of command: ParsableCommand.Type) -> String {
        String(describing: command).lowercased()
    }
}

/// cobra's "Did you mean this?": commands within two edits of what was typed, or that it is a
/// prefix of.
enum CommandSuggestions {
    static func closest(to typed: String, among names: [String]) -> [String] {
        names.filter { name in
            name.hasPrefix(typed) || distance(Array(typed.lowercased()), Array(name)) <= 2
                || distance(Array(typed.lowercased().filter { $0 != "-" }), Array(name.filter { $0 != "-" })) == 0
        }
    }

    /// Levenshtein distance.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// Exit codes shared by every subcommand.
enum ExitCodes {
    /// A negative answer (`can-i` says no).
    static let no: Int32 = 1
    /// A gate was hit: `escalations --fail-if-any` (an identity reaches full authority),
    /// `report --fail-on` (a finding at or above the threshold).
    static let gateHit: Int32 = 2
    /// Some input failed to load.
    static let loadErrors: Int32 = 3
    /// A usage error (EX_USAGE), as ArgumentParser exits for a bad flag.
    static let usage: Int32 = 64
}
