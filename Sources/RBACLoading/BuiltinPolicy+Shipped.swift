public import RBACCore
import Synchronization

/// The built-in policies shipped with rbacgraph: the data files of `BuiltinPolicy/` in the
/// repository, embedded in the binary by `make builtin-policy` (see `BuiltinPolicy+Data.swift`).
extension BuiltinPolicy {
    /// Why a version cannot be had.
    public struct UnknownVersion: Error, Hashable, Sendable, CustomStringConvertible {
        public var requested: String
        public var description: String {
            "no built-in policy for Kubernetes \(requested); shipped: \(BuiltinPolicy.shippedVersions.joined(separator: ", "))"
        }
    }

    /// Why a shipped policy cannot be had: no such version, or its embedded data does not
    /// load (a packaging bug the tests catch: the data is checked file by file).
    public enum ShippedPolicyError: Error, Hashable, Sendable, CustomStringConvertible {
        case unknownVersion(UnknownVersion)
        /// `VERSION/FILE` and what loading it said.
        case damaged(file: String, problem: String)

        public var description: String {
            switch self {
            case .unknownVersion(let e): return e.description
            case .damaged(let file, let problem): return "the embedded built-in policy \(file) does not load: \(problem)"
            }
        }
    }

    /// The Kubernetes versions shipped, oldest first (`v1.24.0-alpha.1`, …).
    public static var shippedVersions: [String] {
        var seen: [String] = []
        for f in embeddedFiles where !seen.contains(f.version) { seen.append(f.version) }
        return seen.sorted { versionPrecedes($0, $1) }
    }

    /// The embedded data files, as `VERSION/FILE`, in the order they are embedded.
    public static var embeddedFileNames: [String] { embeddedFiles.map { "\($0.version)/\($0.file)" } }

    /// The text of one embedded data file, byte for byte as in `BuiltinPolicy/VERSION/FILE`.
    public static func embeddedText(version: String, file: String) -> String? {
        embeddedFiles.first { $0.version == version && $0.file == file }?.text
    }

    /// The newest version shipped: the default (`""`, which resolves to no version, if none is).
    public static var newestVersion: String { shippedVersions.last ?? "" }

    /// The shipped version `requested` names: exactly (`v1.24.0-alpha.1`, the `v` optional), or
    /// by a prefix of whole components (`1.24`) that names one version only.
    public static func resolveVersion(_ requested: String) throws(UnknownVersion) -> String {
        let want = requested.hasPrefix("v") ? String(requested.dropFirst()) : requested
        let versions = shippedVersions
        if let exact = versions.first(where: { $0.dropFirst() == want }) { return exact }
        let byPrefix = versions.filter { v in
            let body = v.dropFirst()
            return body.hasPrefix(want + ".") || body.hasPrefix(want + "-")
        }
        if byPrefix.count == 1, !want.isEmpty { return byPrefix[0] }
        throw UnknownVersion(requested: requested)
    }

    /// The shipped policy of a version (see ``resolveVersion(_:)``), parsed from its data files
    /// once per process. Its objects' sources read `builtin:VERSION/FILE:LINE`.
    ///
    /// - Throws: ``ShippedPolicyError/unknownVersion(_:)`` for a version not shipped;
    ///   ``ShippedPolicyError/damaged(file:problem:)`` if its data does not load.
    public static func shipped(_ requested: String) throws(ShippedPolicyError) -> BuiltinPolicy {
        let version: String
        do { version = try resolveVersion(requested) } catch { throw .unknownVersion(error) }
        // Parsed under the lock: the two sides of `diff`, loaded at once, share one parse.
        return try parsed.withLock { (parsed) throws(ShippedPolicyError) -> BuiltinPolicy in
            if let policy = parsed[version] { return policy }
            let policy = try parse(version: version)
            parsed[version] = policy
            return policy
        }
    }

    /// The shipped policies parsed so far, by version.
    private static let parsed = Mutex<[String: BuiltinPolicy]>([:])

    /// Parses the embedded data files of `version` (a shipped version).
    private static func parse(version: String) throws(ShippedPolicyError) -> BuiltinPolicy {
        var cluster = Cluster()
        for f in embeddedFiles where f.version == version {
            let name = "\(version)/\(f.file)"
            let loaded: ManifestLoader.Result
            do { loaded = try ManifestLoader().load(yaml: f.text, name: "builtin:" + name) } catch {
                throw .damaged(file: name, problem: error.description)
            }
            if let first = loaded.diagnostics.first(where: { $0.severity == .error }) {
                throw .damaged(file: name, problem: first.description)
            }
            cluster.append(contentsOf: loaded.cluster)
        }
        return BuiltinPolicy(version: version, roles: cluster.roles, bindings: cluster.bindings)
    }

    /// Whether version `a` comes before `b`: numeric components compared as numbers, a
    /// pre-release (`-alpha.1`) before its release.
    static func versionPrecedes(_ a: String, _ b: String) -> Bool {
        func parts(_ v: String) -> (numbers: [Int], pre: String?) {
            let body = v.hasPrefix("v") ? v.dropFirst() : Substring(v)
            let split = body.split(separator: "-", maxSplits: 1)
            let numbers = split.first.map { $0.split(separator: ".").map { Int($0) ?? 0 } } ?? []
            return (numbers, split.count > 1 ? String(split[1]) : nil)
        }
        let (na, pa) = parts(a), (nb, pb) = parts(b)
        if na != nb { return na.lexicographicallyPrecedes(nb) }
        switch (pa, pb) {
        case (nil, nil): return false
        case (.some, nil): return true
        case (nil, .some): return false
        case (.some(let x), .some(let y)): return x < y
        }
    }
}
