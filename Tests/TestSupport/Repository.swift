import Foundation

/// Where things are, for every test target. Found from this file's path (no resource
/// bundles): the checkout, its `samples/`, each test target's `Fixtures/`, and the shared
/// conformance suites and real-manifest corpus in `../shared` next to the checkout, when
/// present (tests that need them are skipped otherwise).
public enum Repository {
    /// The package root (`Tests/TestSupport/../..`).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `samples/`, the cluster of the README's tour.
    public static let samples = root.appendingPathComponent("samples")

    /// `Tests/TARGET/Fixtures`.
    public static func fixtures(_ target: String) -> URL {
        root.appendingPathComponent("Tests").appendingPathComponent(target).appendingPathComponent("Fixtures")
    }

    /// `../shared` next to the package root, when present.
    public static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
    /// `../shared/corpus`: real manifests, one folder per project.
    public static let corpus = shared.appendingPathComponent("corpus")
    /// `../shared/conformance`: suites answered by the Kubernetes RBAC authorizer itself.
    public static let conformance = shared.appendingPathComponent("conformance")

    /// Whether `url` is a directory (false when absent).
    public static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    /// A path relative to the package root (`samples/teams.yaml`), for output that must not
    /// depend on where the checkout is; other paths unchanged.
    public static func relative(_ path: String) -> String {
        let prefix = root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
