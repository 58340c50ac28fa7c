public import RBACCore

#if canImport(Glibc)
import Glibc
#endif

/// Loads Kubernetes manifests (YAML, multi-document YAML, `kind: List` dumps, JSON) from
/// files, directories, standard input or strings into a ``Cluster``.
///
/// ```swift
/// let result = try ManifestLoader().load(paths: ["cluster-dump.yaml"])
/// let graph = AccessGraph(result.cluster)
/// ```
/// Problems never stop a load (unless ``Options/strict``): each becomes a ``LoadDiagnostic``,
/// the object or document concerned is dropped, and loading goes on with the next document
/// (after a YAML syntax error, from the next `---` line).
public struct ManifestLoader: Sendable {
    /// Limits and defaults.
    public struct Options: Sendable {
        /// The namespace of namespaced objects that name none (as `kubectl apply` does).
        public var defaultNamespace = "default"
        /// Stop at the first error (``LoadError/strict(_:)``), and leave out the RBAC objects
        /// the API server would refuse (``APIServerValidation``) instead of evaluating them as
        /// written.
        public var strict = false
        /// The deepest nesting of mappings and sequences accepted.
        public var maxDepth = 256
        /// The most events aliases may replay in one document (alias bombs).
        public var maxAliasEvents = 1_000_000
        /// The largest single token (a scalar) in bytes.
        public var maxScalarBytes = 64 << 20
        /// Globs of files and folders a folder walk leaves out (``PathExclusion``); files
        /// named on their own are always read.
        public var exclude: [String] = []
        /// Threads that parse one load (files, documents of a stream, items of a List) when
        /// the input is large enough; 1 parses on the calling thread alone. The result is the
        /// same either way. Default: the online processors, at most 8, or the environment
        /// variable `RBACGRAPH_LOAD_THREADS`.
        public var parallelism = ManifestLoader.defaultParallelism
        /// With more than one thread, a multi-document file of at least twice this many
        /// bytes is cut at document starts into parts of about this size, parsed on their own
        /// (``parallelism``); the result is the same as parsing it in line.
        public var parallelPartBytes = 1 << 20
        /// A file of at most this many bytes (twice ``parallelPartBytes``) is one part of a
        /// parallel load, and is read whole into memory and parsed from there, on one thread
        /// or several: one `read`, no buffered stream, no second read for the binary test.
        var wholeFileBytes: Int { 2 * parallelPartBytes }
        /// The API server's built-in policy to merge into the input as the API server does at
        /// start-up (``RBACCore/Cluster/mergeBuiltinPolicy(_:)``); `nil` (the default): the
        /// input alone. The CLI passes the newest shipped version unless `--no-builtin-policy`.
        public var builtinPolicy: BuiltinPolicySource? = nil
        /// Let libyaml skip what the loader never reads in kubectl dumps: an object's
        /// `metadata.managedFields` and its `kubectl.kubernetes.io/last-applied-configuration`
        /// annotation reach libyaml as empty lines, where a byte scan is sure that this changes
        /// nothing (``UnreadValueScan``). The result is the same either way, to the line and
        /// column of every diagnostic; about half the bytes of a kubectl dump are in those
        /// values. Default: on, unless the environment variable `RBACGRAPH_PRESCAN` is `0`.
        public var prescan = ManifestLoader.defaultPrescan

        public init() {}

        /// Whether the feeders of this load scan ahead (the scan also needs the limits to be
        /// far from anything a replaced value could reach).
        var prescanFeeds: Bool { prescan && maxScalarBytes >= 1 << 20 && maxDepth >= 64 }
    }

    /// The default of ``Options/prescan``.
    public static var defaultPrescan: Bool {
        guard let v = getenv("RBACGRAPH_PRESCAN") else { return true }
        let s = String(cString: v)
        return !(s == "0" || s == "off" || s == "false")
    }

    /// Progress of a long load: called now and then from the loading thread.
    public typealias ProgressHandler = @Sendable (_ file: String, _ bytesDone: Int, _ bytesTotal: Int) -> Void

    /// What a load produced.
    public struct Result: Sendable {
        public var cluster: Cluster
        public var diagnostics: [LoadDiagnostic]
        public var statistics: LoadStatistics
        /// The RBAC objects loaded that the API server would refuse (each also a warning):
        /// answers that rest on them should say so. Empty in strict mode, which drops them.
        public var refusals: [APIServerValidation.Refusal] = []
        /// What merging ``Options/builtinPolicy`` did; `nil` when none was asked for.
        public var builtinPolicy: BuiltinPolicyMerge? = nil
        /// The `metadata.continue` of the last list read: an API server's next page, if any.
        public var listContinue: String?

        public init(
            cluster: Cluster, diagnostics: [LoadDiagnostic], statistics: LoadStatistics,
            refusals: [APIServerValidation.Refusal] = [], listContinue: String? = nil
        ) {
            self.cluster = cluster
            self.diagnostics = diagnostics
            self.statistics = statistics
            self.refusals = refusals
            self.listContinue = listContinue
        }

        /// Whether anything failed to load (any diagnostic of severity error).
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    public var options: Options
    public var progress: ProgressHandler?

    /// The default of ``Options/parallelism``.
    public static var defaultParallelism: Int {
        if let v = getenv("RBACGRAPH_LOAD_THREADS"), let n = Int(String(cString: v)), n >= 1 { return min(n, 64) }
        return max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public init(options: Options = Options(), progress: ProgressHandler? = nil) {
        self.options = options
        self.progress = progress
    }

    // MARK: Entry points

    /// Loads files and directories (recursively: `*.yaml`, `*.yml`, `*.json`, sorted by path);
    /// `-` reads standard input.
    /// - Throws: ``LoadError/strict(_:)`` in strict mode only.
    public func load(paths: [String]) throws(LoadError) -> Result {
        var session = Session(options: options, progress: progress)
        let start = FileSystem.now()
        var inputs: [(path: String, size: Int)] = []
        for path in paths {
            if path == "-" {
                inputs.append(("-", 0))
                continue
            }
            switch FileSystem.kind(of: path) {
            case .missing:
                try session.report(.error, SourceLocation(file: path), "no such file or directory")
            case .directory:
                // Sizes plan the jobs of a load on several threads and give progress its
                // total; a load on one thread without progress reads none of them (the walk
                // then does without a `stat` per file, and a size reads as 0).
                let walk = FileSystem.walk(
                    path, extensions: Self.manifestExtensions, sizes: options.parallelism > 1 || progress != nil,
                    excluded: PathExclusion(options.exclude).excludes)
                inputs += walk.found.map { ($0.path, $0.size ?? 0) }
                session.statistics.excludedFiles += walk.excluded
                for r in walk.revisits {
                    if r.loop {
                        try session.report(.warning, SourceLocation(file: r.path), "symlink loop: leads back to \(r.target): not followed")
                    } else {
                        try session.report(.note, SourceLocation(file: r.path), "the same folder as \(r.target), read already: skipped")
                    }
                }
            case .file:
                inputs.append((path, FileSystem.size(of: path)))
            }
        }
        session.bytesTotal = inputs.reduce(0) { $0 + $1.size }
        try session.load(inputs: inputs)
        session.statistics.seconds = FileSystem.now() - start
        return withBuiltinPolicy(session.result)
    }

    /// Loads YAML or JSON bytes (a file's contents, read elsewhere); `name` is used in diagnostics.
    public func load(bytes: [UInt8], name: String = "<input>") throws(LoadError) -> Result {
        var session = Session(options: options, progress: progress)
        let start = FileSystem.now()
        try session.load(memory: bytes, name: name)
        session.statistics.seconds = FileSystem.now() - start
        return session.result
    }

    /// Loads YAML or JSON text; `name` is used in diagnostics.
    public func load(yaml: String, name: String = "<input>") throws(LoadError) -> Result {
        var session = Session(options: options, progress: progress)
        let start = FileSystem.now()
        try session.load(memory: Array(yaml.utf8), name: name)
        session.statistics.seconds = FileSystem.now() - start
        return withBuiltinPolicy(session.result)
    }

    /// The built-in policy a load merges (``Options/builtinPolicy``).
    public enum BuiltinPolicySource: Sendable {
        /// This policy.
        case policy(BuiltinPolicy)
        /// The shipped policy of `version` (as ``RBACCore/BuiltinPolicy/resolveVersion(_:)``
        /// names it), parsed only when the input does not hold the bootstrap policy already:
        /// a cluster dump holds it, and parsing the shipped data costs about as much as
        /// loading 100 KB of manifests.
        case shipped(version: String)
    }

    /// The result with ``Options/builtinPolicy`` merged in, when there is one. Embedded data
    /// of a shipped version that does not load (a packaging bug the tests catch) is an error
    /// diagnostic: the input is then answered without the built-in policy, and said to be
    /// incomplete.
    private func withBuiltinPolicy(_ result: Result) -> Result {
        guard let source = options.builtinPolicy else { return result }
        var result = result
        switch source {
        case .policy(let policy):
            result.builtinPolicy = result.cluster.mergeBuiltinPolicy(policy)
        case .shipped(let version):
            do {
                result.builtinPolicy = try result.cluster.mergeBuiltinPolicy(version: version) {
                    () throws(BuiltinPolicy.ShippedPolicyError) in try BuiltinPolicy.shipped(version)
                }
            } catch {
                result.diagnostics.append(LoadDiagnostic(severity: .error, location: SourceLocation(file: "builtin:\(version)"), message: error.description))
                result.statistics.errors += 1
            }
        }
        return result
    }

    /// The extensions of manifest files a folder walk reads.
    static let manifestExtensions = ["yaml", "yml", "json"]
}

// MARK: - One load

extension ManifestLoader {
    /// The state of one call to `load`.
    struct Session {
        let options: Options
        let progress: ProgressHandler?
        var cluster = Cluster()
        var diagnostics: [LoadDiagnostic] = []
        var statistics = LoadStatistics()
        var bytesTotal = 0
        var bytesBefore = 0
        var lastProgress = 0
        /// The input being applied (for the progress handler).
        var currentFile = ""
        /// The kind of objects that name none (the items of a list an API server sent).
        var defaultKind: String?
        /// RBAC objects by kind, namespace and name: their index in the cluster's list.
        var definitions: [DefinitionKey: Int] = [:]
        /// The YAML reader's buffers, reused by every input this session parses in line.
        let readerBuffers = ReaderBuffers()

        init(options: Options, progress: ProgressHandler?) {
            self.options = options
            self.progress = progress
        }

        var refusals: [APIServerValidation.Refusal] = []
        var listContinue: String?

        var result: Result {
            Result(cluster: cluster, diagnostics: diagnostics, statistics: statistics, refusals: refusals, listContinue: listContinue)
        }

        mutating func report(_ severity: LoadDiagnostic.Severity, _ loc: SourceLocation, _ message: String) throws(LoadError) {
            try add(LoadDiagnostic(severity: severity, location: loc, message: message))
        }

        mutating func add(_ d: LoadDiagnostic) throws(LoadError) {
            if let last = diagnostics.last, last == d { return }  // the same error seen again after a resync
            diagnostics.append(d)
            switch d.severity {
            case .error: statistics.errors += 1
            case .warning: statistics.warnings += 1
            case .note: statistics.notes += 1
            }
            if d.severity == .error && options.strict { throw .strict(d) }
        }

        mutating func load(file path: String) throws(LoadError) {
            let max = options.maxScalarBytes
            let prescan = options.prescanFeeds
            var start = InputFeeder.FileStart(path: path, maxEventBytes: max, prescan: prescan, wholeUpTo: options.wholeFileBytes)
            switch start {
            case .binary:
                statistics.files += 1
                try report(.error, SourceLocation(file: path), Self.binaryMessage)
                return
            case .contents(let bytes):
                try load(memory: bytes, name: path)
                return
            case .ready, .none:
                break
            }
            try load(name: path) { offset in
                start.take(path: path, offset: offset, maxEventBytes: max, prescan: prescan)
            } lines: { offset in
                LineScanner(path: path, offset: offset)
            }
        }

        /// A binary file is one error: parsing it would report one per `---` its bytes hold.
        static let binaryMessage = "binary file, not YAML or JSON text: skipped"

        mutating func load(memory bytes: [UInt8], name: String) throws(LoadError) {
            if FileSystem.looksBinary(bytes[...]) {
                statistics.files += 1
                try report(.error, SourceLocation(file: name), Self.binaryMessage)
                return
            }
            let max = options.maxScalarBytes
            let prescan = options.prescanFeeds
            try load(name: name) { offset in
                InputFeeder(source: .memory(bytes, position: offset), maxEventBytes: max, prescan: prescan)
            } lines: { offset in
                LineScanner(bytes: bytes, offset: offset)
            }
        }

        /// Parses one input from its start and applies what it finds.
        mutating func load(
            name: String, open: (Int) -> InputFeeder?, lines: (Int) -> LineScanner?
        ) throws(LoadError) {
            statistics.files += 1
            currentFile = name
            let parser = InputParser(name: name, options: options, defaultKind: defaultKind, buffers: readerBuffers)
            let end = try parser.parse(open: open, lines: lines) {
                (item) throws(LoadError) in try apply(item)
            }
            statistics.bytes += max(end.fedTotal, 0)
            bytesBefore += max(end.fedTotal, 0)
        }

        /// Applies one thing a parse found, in stream order.
        mutating func apply(_ item: consuming ParsedItem) throws(LoadError) {
            switch consume item {
            case .diagnostic(let d): try add(d)
            case .object(let object): try commit(consume object)
            case .document: statistics.documents += 1
            case .skippedDocument: statistics.skippedDocuments += 1
            case .listContinue(let c): listContinue = c
            case .progress(let fed): reportProgress(file: currentFile, bytesFed: fed)
            }
        }

        private mutating func reportProgress(file: String, bytesFed: Int) {
            guard let progress else { return }
            let done = bytesBefore + bytesFed
            if done - lastProgress >= 4 << 20 {
                lastProgress = done
                progress(file, done, bytesTotal)
            }
        }

        static func isList(_ kind: String?) -> Bool { InputParser.isList(kind) }
    }
}

// MARK: - Objects in queries

extension ManifestLoader {
    /// Reads the objects of one query (`eval`'s `create-binding` and `create-role`) with the
    /// same decoder as files, so an object is read the same wherever it comes from.
    /// - Throws: the first problem, as ``LoadError/strict(_:)``.
    @Sendable public static func decodeObject(_ json: String) throws -> Cluster {
        var options = Options()
        options.strict = true
        return try ManifestLoader(options: options).load(yaml: json, name: "<object>").cluster
    }
}
