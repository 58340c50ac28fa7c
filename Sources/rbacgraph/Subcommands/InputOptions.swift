import ArgumentParser
import RBACCluster
import RBACCore
import RBACLoading

#if canImport(Glibc)
import Glibc
#endif

/// A value retained once and never released (``InputOptions/load()``).
private final class KeptUntilExit {
    let value: InputOptions.Loaded
    init(_ value: InputOptions.Loaded) { self.value = value }
}

/// `-f` and the loading flags every subcommand shares. Without `-f`, the cluster of the
/// current kubeconfig context is read (``LiveOptions``).
struct InputOptions: ParsableArguments {
    @Option(
        name: [.customShort("f"), .customLong("filename")],
        help: ArgumentHelp("A manifest file, a directory (recursive: *.yaml, *.yml, *.json) or - for stdin. Without -f, the cluster of the current kubeconfig context is read.", valueName: "path"))
    var filenames: [String] = []

    @OptionGroup var live: LiveOptions

    @Option(help: ArgumentHelp(
        "A folder mirroring Vault's paths (repeatable): auth/MOUNT/role/NAME.json from `vault read -format=json`, sys/policy/NAME.hcl from `vault policy read` (docs/external-secrets.md).",
        valueName: "dir"))
    var vault: [String] = []

    @Option(help: ArgumentHelp(
        "Leave out of folders the files and folders this glob matches (repeatable): values.yaml, tests, 'templates/*-test.yaml'.",
        valueName: "glob"))
    var exclude: [String] = []

    @Option(help: "Namespace of namespaced objects that name none.")
    var defaultNamespace = "default"

    @Flag(help: "Stop at the first load error.")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print no warnings and no progress.")
    var quiet = false

    @Option(
        help: ArgumentHelp(
            "The Kubernetes version whose built-in RBAC policy (cluster-admin, admin, edit, view, system:*) is added to the input (default: the newest shipped, \(BuiltinPolicy.newestVersion); shipped: \(BuiltinPolicy.shippedVersions.joined(separator: ", "))).",
            valueName: "version"))
    var kubernetesVersion: String?

    @Flag(help: "Answer from the input alone: do not add the API server's built-in RBAC policy.")
    var noBuiltinPolicy = false

    func validate() throws {
        if !filenames.isEmpty && live.isSet {
            throw ValidationError("Give either -f PATH (files) or --kubeconfig/--context/--no-secrets (a cluster), not both.")
        }
        if noBuiltinPolicy && kubernetesVersion != nil {
            throw ValidationError("Give --kubernetes-version or --no-builtin-policy, not both.")
        }
        if let v = kubernetesVersion {
            do { _ = try BuiltinPolicy.resolveVersion(v) } catch { throw ValidationError("--kubernetes-version: \(error)") }
        }
    }

    /// The built-in policy to merge, `nil` with `--no-builtin-policy`: the shipped policy of
    /// `--kubernetes-version`, which the loader parses only if the input does not hold it.
    func builtinPolicy() throws -> ManifestLoader.BuiltinPolicySource? {
        if noBuiltinPolicy { return nil }
        do { return .shipped(version: try BuiltinPolicy.resolveVersion(kubernetesVersion ?? BuiltinPolicy.newestVersion)) } catch {
            throw ValidationError("--kubernetes-version: \(error)")
        }
    }

    /// Whether the cluster is read (no `-f`).
    var readsCluster: Bool { filenames.isEmpty }

    /// Loads the input (files, or the cluster without `-f`), printing diagnostics to stderr.
    /// - Returns: the graph, and whether anything failed to load. For a cluster, each kind
    ///   that could not be read is an error diagnostic: answers are given for what was read
    ///   and the command exits 3.
    func loadGraph() throws -> (graph: AccessGraph, result: ManifestLoader.Result) {
        let loaded = try load()
        return (loaded.graph, loaded.result)
    }

    /// What was loaded, and for a cluster, the read itself (its gaps and discovered resources).
    struct Loaded {
        var graph: AccessGraph
        /// The load's diagnostics, statistics and refusals. From files, its `cluster` is empty
        /// unless asked for (``InputOptions/load(keepingCluster:)``): the graph took the
        /// loaded objects (see ``InputOptions/finishLoad(_:keepingCluster:)``).
        var result: ManifestLoader.Result
        var cluster: LiveRead?

        /// Whether answers rest on incomplete input: for files, anything failed to load; for a
        /// cluster, anything could not be read — or, with `rbacOnly` (who-can, can-i, which
        /// depend on RBAC objects alone), any RBAC object.
        func incomplete(rbacOnly: Bool = false) -> Bool {
            guard let live = cluster, rbacOnly else { return result.hasErrors }
            return !live.read.rbacComplete || live.read.diagnostics.contains { $0.severity == .error }
        }

        /// What could not be read from the cluster (empty for files): answers name it, in a
        /// footer of the table form and as `notRead` in JSON and YAML.
        var notRead: [String] { cluster?.read.gaps.map(\.description) ?? [] }

        /// What answers cannot know because of what was not read (empty for files).
        var unknownFacts: [UnknownFact] { cluster?.read.unknownFacts ?? [] }

        /// The footer of a table answer when something could not be read: the gaps, then one
        /// line per fact they leave unknown (`pod facts unknown, not false: …`).
        var notReadFooter: String? { notReadLines(heading: "not read from the cluster (the answer covers the rest)") }

        /// `heading: gap; gap` and the unknown facts, indented; `nil` when the read was complete.
        func notReadLines(heading: String) -> String? {
            let facts = unknownFacts
            guard !notRead.isEmpty || !facts.isEmpty else { return nil }
            var lines: [String] = []
            if !notRead.isEmpty { lines.append(heading + ": " + notRead.joined(separator: "; ")) }
            if cluster?.read.secretsSkipped == true { lines.append("secrets not read (--no-secrets)") }
            lines += facts.map { "  " + $0.statement }
            return lines.joined(separator: "\n")
        }

        /// `notRead` (the gaps) and `unknown` (what they leave unknown) for a JSON or YAML
        /// answer; nothing when the read was complete.
        var notReadFields: [(String, JSONValue)] {
            var pairs: [(String, JSONValue)] = []
            if !notRead.isEmpty { pairs.append(("notRead", .array(notRead.map { .string($0) }))) }
            let facts = unknownFacts
            if !facts.isEmpty {
                pairs.append(("unknown", .array(facts.map { .object([("fact", .string($0.rawValue)), ("statement", .string($0.statement))]) })))
            }
            return pairs
        }

        /// Exit 3 when an answer rests on incomplete input. From files, any load error. From a
        /// cluster, a decode error, or a gap under a "no", an empty or possibly short list, or
        /// a gate (`yes` false); RBAC only adds, so a "yes" from what was read stands. With
        /// `rbacOnly` (who-can, can-i), only RBAC gaps count.
        func exitIfIncomplete(yes: Bool = false, rbacOnly: Bool = false) throws {
            guard incomplete(rbacOnly: rbacOnly) else { return }
            // A "yes" stands over what was not read, never over a file or object that failed to load.
            let loadErrors = cluster.map { $0.read.diagnostics.contains { $0.severity == .error } } ?? true
            if !yes || loadErrors { throw ExitCode(ExitCodes.loadErrors) }
        }

        /// The resources names resolve against: the cluster's (discovery) or the built-in table.
        var resources: [APIResource] { cluster?.read.resources ?? APIResource.standard }
    }

    /// Loads the input of a command that answers from one load. What is loaded lives until
    /// the process exits (``keepUntilExit(_:)``): the command uses it to its end anyway.
    /// - Parameter keepingCluster: keep the loaded objects, as loaded, in `result.cluster`
    ///   (`snapshot` writes them) besides the graph; a cluster read keeps them always.
    func load(keepingCluster: Bool = false) throws -> Loaded {
        if readsCluster {
            // A cluster serves its own bootstrap policy: the built-in one is added to files only
            // (checked here, not in validate(): diff reads files without -f).
            if kubernetesVersion != nil {
                throw ValidationError("--kubernetes-version applies to files (-f): a cluster's own built-in policy is read with the rest.")
            }
            return keepUntilExit(try loadLive(self.live))
        }
        let (graph, result) = try loadFiles(keepingCluster: keepingCluster)
        return keepUntilExit(Loaded(graph: graph, result: result, cluster: nil))
    }

    /// Keeps `loaded` alive until the process exits, and returns it. Freeing a large load
    /// object by object when the command ends (every role, rule, string and index: 3-4% of
    /// `stats`'s CPU time on a 90 MB RBAC dump, by `perf`) is work the operating system does
    /// at once when the process exits.
    private func keepUntilExit(_ loaded: Loaded) -> Loaded {
        _ = Unmanaged.passRetained(KeptUntilExit(loaded))
        return loaded
    }

    /// Reads the cluster of `context` (a `context:NAME` side of `diff`) with the other flags
    /// of the live read (`--kubeconfig`, `--no-secrets`, `--request-timeout`).
    func loadLive(context: String) throws -> Loaded {
        var options = live
        options.context = context
        return try loadLive(options)
    }

    /// Reads a cluster: its objects, what could not be read (error diagnostics, printed), and
    /// `--vault` folders.
    private func loadLive(_ options: LiveOptions) throws -> Loaded {
        let live = try LiveLoader.read(options, quiet: quiet)
        var result = ManifestLoader.Result(
            cluster: live.read.cluster, diagnostics: live.read.diagnostics + live.gapDiagnostics,
            statistics: LoadStatistics(), listContinue: nil)
        result.statistics.bytes = live.read.bytes
        for d in live.read.diagnostics where d.severity == .error || !quiet { DiagnosticPrinter.print(d) }
        try loadVault(into: &result)
        let graph = AccessGraph(result.cluster)
        if !quiet {
            for f in graph.aggregationFailures {
                Terminal.warn("ClusterRole \"\(f.clusterRole)\" not aggregated: \(f.message)")
            }
            graph.refusedGenericTargetNotes().forEach(Terminal.warn)
        }
        return Loaded(graph: graph, result: result, cluster: live)
    }

    /// Loads the `--vault` folders into `result` (their diagnostics printed and added).
    private func loadVault(into result: inout ManifestLoader.Result) throws {
        guard !vault.isEmpty else { return }
        let loaded: VaultLoader.Result
        do {
            loaded = try VaultLoader(strict: strict).load(folders: vault)
        } catch {
            if case .strict(let d) = error { DiagnosticPrinter.print(d) }
            throw ExitCode(ExitCodes.loadErrors)
        }
        for d in loaded.diagnostics where d.severity == .error || !quiet { DiagnosticPrinter.print(d) }
        result.diagnostics += loaded.diagnostics
        result.cluster.external.vault.append(contentsOf: loaded.inventory)
    }

    /// Loads files: `-f`'s, or `paths` (each side of `diff`) with the same options.
    func loadFiles(_ paths: [String]? = nil, keepingCluster: Bool = false) throws -> (graph: AccessGraph, result: ManifestLoader.Result) {
        try finishLoad(
            readFiles(paths ?? filenames, builtinPolicy: try builtinPolicy(), progress: !quiet && isatty(2) != 0),
            keepingCluster: keepingCluster)
    }

    /// Files read with the command's options, nothing printed yet.
    struct FileRead: Sendable {
        var outcome: Result<ManifestLoader.Result, LoadError>
    }

    /// Reads files with the command's options and `builtinPolicy` (``builtinPolicy()``, the
    /// same for both sides of `diff`), printing nothing but the progress line: `diff` reads
    /// its two sides at once and prints each side's messages in turn (``finishLoad(_:)``).
    func readFiles(_ paths: [String], builtinPolicy: ManifestLoader.BuiltinPolicySource?, progress showProgress: Bool) -> FileRead {
        var options = ManifestLoader.Options()
        options.defaultNamespace = defaultNamespace
        options.strict = strict
        options.exclude = exclude
        options.builtinPolicy = builtinPolicy
        var progress: ManifestLoader.ProgressHandler? = nil
        if showProgress {
            progress = { (file: String, done: Int, total: Int) in
                let of = total > 0 ? " of \(total >> 20) MiB" : ""
                Terminal.progress("loading \(file): \(done >> 20) MiB\(of)")
            }
        }
        let loader = ManifestLoader(options: options, progress: progress)
        do throws(LoadError) {
            let result = try loader.load(paths: paths)
            if showProgress { Terminal.clearProgress() }
            return FileRead(outcome: .success(result))
        } catch {
            if showProgress { Terminal.clearProgress() }
            return FileRead(outcome: .failure(error))
        }
    }

    /// Prints the diagnostics of a read (exit 3 when `--strict` stopped it), then loads
    /// `--vault` and builds the graph, warning about what the API server would change.
    ///
    /// The graph takes the loaded objects: the result's `cluster` is left empty unless
    /// `keepingCluster`. Handing them over uncopied saves copying every role and binding (on
    /// a 90 MB RBAC dump, a reference count touched per string and array of each object, and
    /// 10 MB of fresh pages).
    func finishLoad(_ read: consuming FileRead, keepingCluster: Bool = false) throws -> (graph: AccessGraph, result: ManifestLoader.Result) {
        var result: ManifestLoader.Result
        // The read is consumed: `result` holds the only reference to the loaded objects.
        switch (consume read).outcome {
        case .success(let r): result = r
        case .failure(let error):
            if case .strict(let d) = error { DiagnosticPrinter.print(d) }
            throw ExitCode(ExitCodes.loadErrors)
        }
        for d in result.diagnostics where d.severity == .error || !quiet {
            DiagnosticPrinter.print(d)
        }
        try loadVault(into: &result)
        let cluster = result.cluster
        if !keepingCluster { result.cluster = Cluster() }
        let graph = AccessGraph(consume cluster)
        if !quiet {
            for f in graph.aggregationFailures {
                Terminal.warn("ClusterRole \"\(f.clusterRole)\" not aggregated: \(f.message)")
            }
            graph.refusedGenericTargetNotes().forEach(Terminal.warn)
            // What the API server's start-up reconciliation changes in the input, said aloud.
            if let merge = result.builtinPolicy {
                for name in merge.replaced {
                    Terminal.warn("\(name): another roleRef than the built-in binding of that name; the API server replaces it with its own at start-up (annotate it rbac.authorization.kubernetes.io/autoupdate: \"false\" to keep it)")
                }
                for move in merge.migrated {
                    Terminal.warn("\(move): the API server makes the role aggregated and moves its rules at start-up")
                }
            }
        }
        return (graph, result)
    }
}
