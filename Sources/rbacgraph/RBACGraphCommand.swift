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
            something found (escalations --fail-if-any, report --fail-on); 3 some input failed to \
            load (answers are given for what loaded); 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [WhoCan.self, CanI.self, Paths.self, Escalations.self, Secrets.self, ReportCommand.self, Stats.self, Eval.self, Graph.self, SnapshotCommand.self]
    )
}

/// Exit codes shared by every subcommand.
enum ExitCodes {
    /// A negative answer (`can-i` says no).
    static let no: Int32 = 1
    /// `escalations --fail-if-any`: an identity reaches full authority.
    static let found: Int32 = 2
    /// `report --fail-on`: a finding at or above the threshold.
    static let findings: Int32 = 2
    /// Some input failed to load.
    static let loadErrors: Int32 = 3
    /// A usage error (EX_USAGE), as ArgumentParser exits for a bad flag.
    static let usage: Int32 = 64
}
