import Foundation
import Testing

/// Compares text with the golden file `name` in `directory`; `RBACGRAPH_RECORD=1` (re)writes
/// the file instead. A difference is reported at its first differing line.
public func expectGolden(
    _ actual: String, _ name: String, in directory: URL, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let url = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RBACGRAPH_RECORD"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden file \(name): run with RBACGRAPH_RECORD=1", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        Issue.record(
            """
            \(name) differs at line \(line + 1) (re-record with RBACGRAPH_RECORD=1 after checking the change):
              expected: \(line < e.count ? String(e[line]) : "<end>")
              actual:   \(line < a.count ? String(a[line]) : "<end>")
            """, sourceLocation: sourceLocation)
    }
}
