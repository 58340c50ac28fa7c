import Foundation
import Testing

/// Inputs as people point rbacgraph at them: audit logs, chart folders, broken files.
@Suite("inputs people point it at")
struct InputCLITests {
    /// A scratch directory removed when the test ends.
    final class Scratch {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-inputs-\(UUID().uuidString)")
        init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(at: url) }

        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let file = url.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: file, atomically: true, encoding: .utf8)
            return file.path
        }
    }

    @Test("audit-log problems exit 3, as manifest load errors do; the report is still written", arguments: [
        ("missing", nil),
        ("garbled", "{\"kind\": \"Event\", \"verb\": \n"),
    ] as [(String, String?)])
    func auditLogProblems(_ c: (name: String, text: String?)) throws {
        let scratch = try Scratch()
        let log = c.text.map { try? scratch.write("\(c.name).jsonl", $0) } ?? nil
        let path = log ?? scratch.url.appendingPathComponent("no-such-audit.log").path
        let r = try CLI.run(["report", "-f", "samples/", "--audit-log", path, "-o", "json", "-q"])
        #expect(r.status == 3, "stderr: \(r.stderr)")
        #expect(r.stderr.contains("error:"))
        #expect(r.stdout.contains("\"findings\""))
    }
}
