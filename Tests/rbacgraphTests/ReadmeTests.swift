import Foundation
import Testing
import TestSupport

/// Every `$ rbacgraph …` command shown in a console block of README.md is run, and its output
/// must be the text shown under it: the README cannot drift from the tool.
@Suite("README examples")
struct ReadmeTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var args: [String]
        var expected: String
        var testDescription: String { "rbacgraph " + args.joined(separator: " ") }
    }

    static func examples() throws -> [Example] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var out: [Example] = []
        let blocks = text.components(separatedBy: "```console\n").dropFirst()
        for block in blocks {
            let body = block.components(separatedBy: "```")[0]
            let lines = body.components(separatedBy: "\n")
            // Blocks with other commands (cat …) set up files the README does not ship.
            let commands = lines.filter { $0.hasPrefix("$ ") }
            guard commands.allSatisfy({ $0.hasPrefix("$ rbacgraph ") }) else { continue }
            var current: Example? = nil
            for (i, line) in lines.enumerated() {
                if line.hasPrefix("$ rbacgraph ") {
                    if let c = current { out.append(c) }
                    let args = line.dropFirst("$ rbacgraph ".count).split(separator: " ").map(String.init)
                    current = Example(args: args, expected: "")
                } else if current != nil, i < lines.count - 1 {  // the last element is what follows the final newline
                    current!.expected += line + "\n"
                }
            }
            if let c = current { out.append(c) }
        }
        return out
    }

    @Test("the README shows commands")
    func hasExamples() throws {
        #expect(try Self.examples().count >= 8)
    }

    /// Blanks what changes from run to run: timings and peak memory.
    static func normalized(_ s: String) -> String {
        s.replacingOccurrences(
            of: #"in [0-9.]+ s \(graph built in [0-9.]+ s\)"#, with: "in 0.00 s (graph built in 0.00 s)",
            options: .regularExpression
        ).replacingOccurrences(of: #"Peak memory: [0-9.]+ MiB"#, with: "Peak memory: N MiB", options: .regularExpression)
    }

    @Test("README output is the tool's output", arguments: try examples())
    func example(_ e: Example) throws {
        let actual = try CLI.run(e.args).stdout
        #expect(Self.normalized(actual) == Self.normalized(e.expected))
    }

    /// The README's report excerpt: every line of it is in the golden report, in order.
    @Test("the report excerpt is the tool's report")
    func reportExcerpt() throws {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "<!-- excerpt: report.md -->\n~~~markdown\n"),
            let end = readme.range(of: "~~~\n<!-- end excerpt -->", range: start.upperBound..<readme.endIndex)
        else {
            Issue.record("the README has no report excerpt")
            return
        }
        let excerpt = readme[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: true)
        let report = try String(contentsOf: CLI.golden.appendingPathComponent("report.md"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
        var at = 0
        for line in excerpt {
            guard let i = report[at...].firstIndex(of: line) else {
                Issue.record("not in report.md (after line \(at)): \(line)")
                return
            }
            at = i + 1
        }
        #expect(excerpt.count > 20)
    }
}
