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
        /// The API server's built-in policy to merge into the input as the API server does at
        /// start-up (``RBACCore/Cluster/mergeBuiltinPolicy(_:)``); `nil` (the default): the
        /// input alone. The CLI passes the newest shipped policy unless `--no-builtin-policy`.
        public var builtinPolicy: BuiltinPolicy? = nil

        public init() {}
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
                let walk = FileSystem.walk(
                    path, extensions: Self.manifestExtensions, excluded: PathExclusion(options.exclude).excludes)
                for file in walk.files { inputs.append((file, FileSystem.size(of: file))) }
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

    /// The result with ``Options/builtinPolicy`` merged in, when there is one.
    private func withBuiltinPolicy(_ result: Result) -> Result {
        guard let policy = options.builtinPolicy else { return result }
        var result = result
        result.builtinPolicy = result.cluster.mergeBuiltinPolicy(policy)
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
            if FileSystem.looksBinary(path: path) == true {
                statistics.files += 1
                try report(.error, SourceLocation(file: path), Self.binaryMessage)
                return
            }
            let max = options.maxScalarBytes
            try load(name: path) { offset in
                InputFeeder.open(path: path, offset: offset, maxEventBytes: max)
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
            try load(name: name) { offset in
                InputFeeder(source: .memory(bytes, position: offset), maxEventBytes: max)
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
            let end = try InputParser(name: name, options: options).parse(open: open, lines: lines) {
                (item) throws(LoadError) in try apply(item)
            }
            statistics.bytes += max(end.fedTotal, 0)
            bytesBefore += max(end.fedTotal, 0)
        }

        /// Applies one thing a parse found, in stream order.
        mutating func apply(_ item: ParsedItem) throws(LoadError) {
            switch item {
            case .diagnostic(let d): try add(d)
            case .object(let draft): try add(object: draft)
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

        // MARK: Drafts to objects

        /// Validates a draft and adds the object it describes.
        mutating func add(object d: ObjectDraft) throws(LoadError) {
            guard let kind = d.kind ?? defaultKind, !kind.isEmpty else {
                try report(.error, d.location, "missing kind: not a Kubernetes object")
                return
            }
            if Self.isList(kind) {
                return  // a List without items, or a nested one
            }
            guard ManifestDecoder.keptKinds.contains(kind) else {
                statistics.skippedKinds[kind, default: 0] += 1
                return
            }
            let what = d.name.map { "\(kind) \"\($0)\"" } ?? kind
            if d.invalid {
                try report(.error, d.location, "\(what) not loaded: it has invalid fields (reported above)")
                return
            }
            // API server configuration files: no metadata.name needed.
            switch kind {
            case "EncryptionConfiguration", "EncryptionConfig":
                cluster.encryptionConfigurations.append(EncryptionConfiguration(resources: d.encryption ?? [], source: d.location))
                statistics.loadedKinds[kind, default: 0] += 1
                return
            case "Policy":
                guard let v = d.apiVersion, v.hasPrefix("audit.k8s.io/") else {
                    statistics.skippedKinds[kind, default: 0] += 1  // another API group's Policy (Kyverno, …)
                    return
                }
                var rules: [AuditPolicy.Rule] = []
                for r in d.rules ?? [] {
                    guard let level = r.level else {
                        try report(.error, r.location, "audit Policy rule has no level")
                        return
                    }
                    if !r.rule.resources.isEmpty {
                        try report(.error, r.location, "audit Policy rule: resources[] must be {group, resources} mappings")
                        return
                    }
                    rules.append(AuditPolicy.Rule(
                        level: level, users: r.users, userGroups: r.userGroups, verbs: r.rule.verbs, resources: r.groupResources,
                        namespaces: r.namespaces, nonResourceURLs: r.rule.nonResourceURLs, omitStages: r.omitStages))
                }
                cluster.auditPolicies.append(AuditPolicy(rules: rules, omitStages: d.omitStages, source: d.location))
                statistics.loadedKinds[kind, default: 0] += 1
                return
            default:
                break
            }
            guard let name = d.name, !name.isEmpty else {
                try report(.error, d.location, "\(kind) has no metadata.name")
                return
            }
            if let group = ManifestDecoder.externalKinds[kind] {
                try addExternal(d, kind: kind, group: group, name: name)
                return
            }
            if ManifestDecoder.rbacKinds.contains(kind) {
                if let v = d.apiVersion, !v.hasPrefix("rbac.authorization.k8s.io/") {
                    try report(.warning, d.location, "\(what) has apiVersion \(v), not rbac.authorization.k8s.io: skipped")
                    statistics.skippedKinds[kind, default: 0] += 1
                    return
                }
            }
            let ns = d.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? options.defaultNamespace
            switch kind {
            case "Role", "ClusterRole":
                var rules: [PolicyRule] = []
                for r in d.rules ?? [] {
                    if r.resourcesWereMappings {
                        try report(.error, r.location, "rules[].resources[] must be strings")
                        try report(.error, d.location, "\(what) not loaded: it has invalid fields (reported above)")
                        return
                    }
                    rules.append(r.rule)
                }
                let role = Role(
                    kind: kind == "Role" ? .role : .clusterRole, name: name, namespace: ns, labels: d.labels,
                    rules: rules, aggregationRule: kind == "ClusterRole" ? d.aggregationRule : nil,
                    source: d.location, annotations: d.annotations)
                let problems = APIServerValidation.problems(in: role)
                if !problems.isEmpty {
                    let refusal = APIServerValidation.Refusal(
                        object: role.displayName, namespace: role.namespace, source: d.location, problems: problems)
                    guard try admit(refusal, rules: d.rules ?? []) else { return }
                }
                try noteReplacement(kind: kind, namespace: role.namespace, name: name, at: d.location, in: \.roles, by: role)
                cluster.roles.append(role)
            case "RoleBinding", "ClusterRoleBinding":
                guard let ref = d.roleRef else {
                    try report(.error, d.location, "\(what) has no roleRef")
                    return
                }
                guard let refKind = ref.kind, !refKind.isEmpty, let refName = ref.name, !refName.isEmpty else {
                    try report(.error, d.location, "\(what): roleRef needs kind and name")
                    return
                }
                let apiGroup = ref.apiGroup.flatMap { $0.isEmpty ? nil : $0 } ?? "rbac.authorization.k8s.io"
                let binding = Binding(
                    kind: kind == "RoleBinding" ? .roleBinding : .clusterRoleBinding, name: name, namespace: ns,
                    roleRef: RoleRef(apiGroup: apiGroup, kind: refKind, name: refName),
                    subjects: d.subjects ?? [], source: d.location, labels: d.labels, annotations: d.annotations)
                let problems = APIServerValidation.problems(in: binding)
                if !problems.isEmpty {
                    let refusal = APIServerValidation.Refusal(
                        object: binding.displayName, namespace: binding.namespace, source: d.location, problems: problems)
                    guard try admit(refusal, rules: []) else { return }
                }
                try noteReplacement(kind: kind, namespace: binding.namespace, name: name, at: d.location, in: \.bindings, by: binding)
                cluster.bindings.append(binding)
            case "ServiceAccount":
                cluster.serviceAccounts.append(ServiceAccount(
                    namespace: ns, name: name, automountServiceAccountToken: d.automountServiceAccountToken,
                    secrets: d.serviceAccountSecrets, source: d.location))
            case "Namespace":
                cluster.namespaces.append(Namespace(name: name, labels: d.labels, source: d.location))
            case "Secret":
                cluster.secrets.append(SecretMetadata(
                    namespace: ns, name: name, type: d.type ?? "Opaque", annotations: d.annotations,
                    source: d.location))
            default:
                var template = d.pod.template
                template.serviceAccountName = d.pod.serviceAccountName ?? d.pod.serviceAccount ?? "default"
                if kind == "Pod" {
                    template.vaultAnnotations = d.annotations.filter { $0.key.hasPrefix(ManifestDecoder.vaultAnnotationPrefix) }
                }
                cluster.workloads.append(Workload(kind: kind, namespace: ns, name: name, template: template, source: d.location))
            }
            statistics.loadedKinds[kind, default: 0] += 1
        }
    }
}


// MARK: - External Secrets Operator and Secrets Store CSI

extension ManifestLoader.Session {
    /// Adds a SecretStore, ClusterSecretStore, ExternalSecret, ClusterExternalSecret,
    /// PushSecret or SecretProviderClass (another API group's kind of the same name is skipped).
    mutating func addExternal(_ d: ObjectDraft, kind: String, group: String, name: String) throws(LoadError) {
        if let v = d.apiVersion, !v.hasPrefix(group) {
            statistics.skippedKinds[kind, default: 0] += 1
            return
        }
        guard let spec = d.externalSpec else {
            let why = d.specBeforeKind ? "its spec comes before its kind, which rbacgraph needs first" : "it has no spec"
            try report(.error, d.location, "\(kind) \"\(name)\" not loaded: \(why)")
            return
        }
        let ns = d.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? options.defaultNamespace
        var loadedStore: SecretStore? = nil
        do {
            switch kind {
            case "SecretStore", "ClusterSecretStore":
                let k = SecretStore.Kind(rawValue: kind) ?? .secretStore
                let store = try ExternalObjects.store(kind: k, namespace: k == .secretStore ? ns : nil, name: name, spec: spec, at: d.location)
                cluster.external.stores.append(store)
                loadedStore = store
            case "SecretProviderClass":
                cluster.external.providerClasses.append(try ExternalObjects.providerClass(namespace: ns, name: name, spec: spec, at: d.location))
            default:
                let k = ExternalSecret.Kind(rawValue: kind) ?? .externalSecret
                cluster.external.externalSecrets.append(try ExternalObjects.externalSecret(
                    kind: k, namespace: k == .clusterExternalSecret ? nil : ns, name: name, spec: spec, at: d.location))
            }
        } catch {
            try report(.error, d.location, "\(kind) \"\(name)\" not loaded: \(error.message)")
            return
        }
        // Conditions are Go regular expressions: one Go rejects, or that cannot be read as Go
        // reads it, leaves the namespaces it might admit unknown.
        for (ci, c) in (loadedStore?.conditions ?? []).enumerated() {
            for (ri, r) in c.namespaceRegexes.enumerated() {
                guard let why = GoRegex.problem(r) else { continue }
                try report(.warning, d.location, "\(kind) \"\(name)\": spec.conditions[\(ci)].namespaceRegexes[\(ri)] \"\(r)\": \(why); whether it admits a namespace is unknown")
            }
        }
        statistics.loadedKinds[kind, default: 0] += 1
    }
}

// MARK: - What the API server would refuse

extension ManifestLoader.Session {
    /// Reports each problem the API server's validation finds in an RBAC object, located at
    /// its rule when it has one; in strict mode the object is left out.
    /// - Returns: whether to load the object.
    mutating func admit(_ refusal: APIServerValidation.Refusal, rules: [RuleDraft]) throws(LoadError) -> Bool {
        guard !refusal.problems.isEmpty else { return true }
        let what = refusal.object.split(separator: "/", maxSplits: 1).map(String.init)
        let name = what.count == 2 ? "\(what[0]) \"\(what[1])\"" : refusal.object
        let outcome = options.strict ? "left out by --strict" : "evaluated as written"
        for p in refusal.problems {
            let at = p.ruleIndex.flatMap { $0 < rules.count ? rules[$0].location : nil } ?? refusal.source
            try report(.warning, at ?? SourceLocation(file: "-"), "\(name): the API server would refuse it: \(p) (\(outcome))")
        }
        if options.strict { return false }
        refusals.append(refusal)
        return true
    }
}

// MARK: - Replaced definitions

/// An RBAC object's kind, namespace and name, as bytes (Kubernetes names compare as bytes),
/// hashed in one call rather than byte by byte.
struct DefinitionKey: Hashable {
    var bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}

/// An RBAC object the session loaded: a Role, ClusterRole or binding, with its source.
protocol SourcedObject {
    var source: SourceLocation? { get set }
}

extension Role: SourcedObject {}
extension Binding: SourcedObject {}

extension ManifestLoader.Session {
    /// Warns when an RBAC object replaces an earlier one of the same kind, namespace and name
    /// that says something else (the later one wins, as with `kubectl apply`; the same
    /// object twice, say a base and a copy of it, is no news).
    mutating func noteReplacement<T: SourcedObject & Equatable>(
        kind: String, namespace: String?, name: String, at location: SourceLocation,
        in list: KeyPath<Cluster, [T]>, by object: T
    ) throws(LoadError) {
        // Byte-exact key: Kubernetes names compare as bytes.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(kind.utf8.count + (namespace?.utf8.count ?? 0) + name.utf8.count + 2)
        bytes.append(contentsOf: kind.utf8)
        bytes.append(0)
        if let namespace { bytes.append(contentsOf: namespace.utf8) }
        bytes.append(0)
        bytes.append(contentsOf: name.utf8)
        let key = DefinitionKey(bytes: bytes)
        let index = cluster[keyPath: list].count
        guard let earlier = definitions.updateValue(index, forKey: key) else { return }
        var before = cluster[keyPath: list][earlier], after = object
        let earlierSource = before.source
        before.source = nil
        after.source = nil
        guard before != after else { return }
        let what = namespace.map { "\(kind) \"\($0)/\(name)\"" } ?? "\(kind) \"\(name)\""
        let there = earlierSource.map { " at \($0)" } ?? ""
        try report(.warning, location, "\(what) replaces a different definition\(there)")
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
