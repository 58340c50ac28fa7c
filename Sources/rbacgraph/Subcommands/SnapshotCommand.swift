import ArgumentParser
import RBACCluster
import RBACCore

/// `rbacgraph snapshot`: what was read, as one `kind: List` that `-f` loads again.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Write what was read from the cluster as one kind: List that -f loads again with the same answers.",
        discussion: """
            For audits, offline work, diffs and bug reports: `rbacgraph snapshot --output-file cluster.yaml` \
            then `rbacgraph who-can get secrets -n prod -f cluster.yaml`. Only what rbacgraph uses is \
            written (no secret values: none were read). Exits 3 when something could not be read; \
            the YAML form lists it in a comment at the top. External Secrets Operator objects and \
            SecretProviderClasses are written with the fields rbacgraph reads (store references, \
            credential references, remote keys, targets; never templates or inline auth fields). \
            Vault roles and policies (--vault DIR) are not cluster objects: give --vault again with -f.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yaml, json
    }

    @OptionGroup var input: InputOptions

    @Option(name: .shortAndLong, help: "yaml or json.")
    var output: Format = .yaml

    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var outputFile: String?

    func run() throws {
        let loaded = try input.load(keepingCluster: true)
        let list = Snapshot.list(loaded.result.cluster)
        // Never a silent loss: the Vault folder is not part of the List.
        let notWritten = loaded.result.cluster.external.vault.isEmpty
            ? "" : "Vault roles and policies (--vault) are not in the snapshot: give --vault DIR again with -f"

        var text: String
        switch output {
        case .json:
            text = list.prettySerialized() + "\n"
        case .yaml:
            text = ""
            if let live = loaded.cluster?.read {
                text += "# rbacgraph snapshot of \(live.origin) at \(live.server)\n"
                if live.secretsSkipped { text += "# secrets were not read (--no-secrets)\n" }
                for g in live.gaps { text += "# could not read \(g)\n" }
            }
            for line in notWritten.split(separator: "\n") { text += "# \(line)\n" }
            text += list.yamlSerialized()
        }
        try OutputFile.write(Array(text.utf8), to: outputFile)
        for line in notWritten.split(separator: "\n") { Terminal.warn(String(line)) }
        if loaded.incomplete() { throw ExitCode(ExitCodes.loadErrors) }
    }
}
