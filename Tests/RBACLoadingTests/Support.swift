// Helpers for the loader tests: load text, look at errors, make temporary directories.

import Foundation
import RBACCore
import RBACLoading
import Testing

/// Loads YAML or JSON text, never strict (so it cannot throw).
func load(_ text: String, name: String = "test.yaml", options: ManifestLoader.Options = .init()) -> ManifestLoader.Result {
    do {
        return try ManifestLoader(options: options).load(yaml: text, name: name)
    } catch {
        Issue.record("a non-strict load threw: \(error)")
        return try! ManifestLoader().load(yaml: "", name: name)
    }
}

extension ManifestLoader.Result {
    /// The error diagnostics, printed (`file:line:col: error: message`).
    var errors: [String] { diagnostics.filter { $0.severity == .error }.map(\.description) }
    var warnings: [String] { diagnostics.filter { $0.severity == .warning }.map(\.description) }
    /// The service accounts as `namespace/name`, in load order.
    var serviceAccountNames: [String] { cluster.serviceAccounts.map { "\($0.namespace)/\($0.name)" } }
    var roleNames: [String] { cluster.roles.map(\.displayName) }
    var bindingNames: [String] { cluster.bindings.map(\.displayName) }
}

/// A YAML document holding one ServiceAccount.
func serviceAccountYAML(_ name: String, namespace: String? = nil) -> String {
    """
    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: \(name)\(namespace.map { "\n  namespace: \($0)" } ?? "")

    """
}

/// A fresh temporary directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("rbacgraph-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    return try body(dir)
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

/// Wall-clock time of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try body()
    return (value, clock.now - start)
}
