import Foundation
import Testing
import TestSupport

/// The documentation cannot drift from the tool: every command of every `console` block of
/// README.md and docs/*.md is run — `rbacgraph` and the shell commands around it (`cat`,
/// here-documents, pipes), in order, in a scratch folder that sees `samples/` — and its standard
/// output must be the text shown under it. Every other `rbacgraph` command line shown in the
/// documentation (usage lines aside) must at least be one the tool accepts: no usage error.
@Suite("README and docs examples")
struct ReadmeTests {
    /// A `$ command` of a console block and the output shown under it.
    struct Step: Sendable {
        var command: String
        var expected: String
    }

    /// A console block: its steps run in order, in one scratch folder.
    struct Block: CustomTestStringConvertible, Sendable {
        var file: String
        var line: Int
        var steps: [Step]
        var testDescription: String { "\(file):\(line): " + (steps.first?.command.prefix(80) ?? "") }
    }

    static let documents: [String] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }()

    /// The fenced blocks of a document: (language, first line number, lines).
    static func fencedBlocks(_ file: String) throws -> [(language: String, line: Int, lines: [String])] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent(file), encoding: .utf8)
        var out: [(String, Int, [String])] = []
        var current: (String, Int, [String])? = nil
        for (i, line) in text.components(separatedBy: "\n").enumerated() {
            if line.hasPrefix("```") {
                if let c = current {
                    out.append(c)
                    current = nil
                } else {
                    current = (String(line.dropFirst(3)), i + 2, [])
                }
            } else if current != nil {
                current!.2.append(line)
            }
        }
        return out
    }

    /// Splits a console block into steps: `$ ` starts a command, a trailing `\\` continues it,
    /// a here-document (`<<'EOF'`) takes the lines up to its end marker; the lines up to the
    /// next `$ ` are its output.
    static func steps(_ lines: [String]) -> [Step] {
        var steps: [Step] = []
        var i = 0
        while i < lines.count {
            guard lines[i].hasPrefix("$ ") else {
                if !steps.isEmpty { steps[steps.count - 1].expected += lines[i] + "\n" }
                i += 1
                continue
            }
            var command = String(lines[i].dropFirst(2))
            while command.hasSuffix("\\"), i + 1 < lines.count {
                i += 1
                command += "\n" + lines[i]
            }
            if let range = command.range(of: #"<<-?'?([A-Za-z_]+)'?\s*$"#, options: .regularExpression) {
                let marker = command[range].filter { $0.isLetter || $0 == "_" }
                while i + 1 < lines.count {
                    i += 1
                    command += "\n" + lines[i]
                    if lines[i] == marker { break }
                }
            }
            steps.append(Step(command: command, expected: ""))
            i += 1
        }
        return steps
    }

    static func consoleBlocks() throws -> [Block] {
        try documents.flatMap { file in
            try fencedBlocks(file).filter { $0.language == "console" }.map { Block(file: file, line: $0.line, steps: steps($0.lines)) }
        }
    }

    /// `rbacgraph …` (or `$B …`, the binary in a variable) lines of the other blocks, the
    /// command only (up to a pipe, a redirection or a comment), usage synopses left out.
    static func otherCommandLines() throws -> [String] {
        var out: [String] = []
        for file in documents {
            for block in try fencedBlocks(file) where block.language != "console" {
                for raw in block.lines {
                    var line = raw.trimmingCharacters(in: .whitespaces)
                    if line.hasPrefix("$ ") { line = String(line.dropFirst(2)) }
                    guard line.hasPrefix("rbacgraph ") || line.hasPrefix("$B ") else { continue }
                    // Synopses: MANIFESTS…, [--flag], alternatives a|b.
                    if line.contains("…") || line.contains("...") || line.contains("[-") || line.contains("|-") { continue }
                    for stop in [" | ", " > ", " #", " && ", " \\"] {
                        if let r = line.range(of: stop) { line = String(line[..<r.lowerBound]) }
                    }
                    out.append(line)
                }
            }
        }
        return out
    }

    /// A scratch folder where `samples` and `examples` are the repository's, docs/images exists, and
    /// so does a baseline.
    static func scratchFolder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-docs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("docs/images"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("samples"), withDestinationURL: CLI.packageRoot.appendingPathComponent("samples"))
        // Two sides of a change for `rbacgraph diff` (not in samples/, which examples load whole).
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("examples"), withDestinationURL: CLI.packageRoot.appendingPathComponent("examples"))
        // The baseline the examples name (`report --ignore .rbacgraph-baseline`): one the
        // reader has written.
        try "# accepted findings\n".write(to: dir.appendingPathComponent(".rbacgraph-baseline"), atomically: true, encoding: .utf8)
        return dir
    }

    /// Runs a shell command with the tested `rbacgraph` first on PATH (and in `$B`).
    static func shell(_ command: String, in dir: URL) throws -> CLI.Output {
        let binary = try CLI.binary.get()
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["PATH"] = binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["B"] = binary.path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = dir
        p.environment = env
        let out = dir.appendingPathComponent(".out-\(UUID().uuidString)"), err = dir.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let o = try FileHandle(forWritingTo: out), e = try FileHandle(forWritingTo: err)
        p.standardOutput = o
        p.standardError = e
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try o.close()
        try e.close()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return CLI.Output(
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self), status: p.terminationStatus)
    }

    @Test("the documentation shows commands, shell commands among them")
    func hasExamples() throws {
        let blocks = try Self.consoleBlocks()
        #expect(blocks.flatMap(\.steps).count >= 15)
        #expect(blocks.contains { $0.steps.contains { !$0.command.hasPrefix("rbacgraph ") } })
    }

    /// Blanks what changes from run to run: timings and peak memory.
    static func normalized(_ s: String) -> String {
        s.replacingOccurrences(
            of: #"in [0-9.]+ s \(graph built in [0-9.]+ s\)"#, with: "in 0.00 s (graph built in 0.00 s)",
            options: .regularExpression
        ).replacingOccurrences(of: #"Peak memory: [0-9.]+ MiB"#, with: "Peak memory: N MiB", options: .regularExpression)
    }

    @Test("console blocks: each command's output is the text shown", arguments: try consoleBlocks())
    func consoleBlock(_ block: Block) throws {
        let dir = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for step in block.steps {
            let r = try Self.shell(step.command, in: dir)
            #expect(r.status != 64, "\(step.command): usage error: \(r.stderr)")
            #expect(Self.normalized(r.stdout) == Self.normalized(step.expected), "\(block.file):\(block.line): \(step.command)")
        }
    }

    @Test("every other rbacgraph command shown is one the tool accepts", arguments: try otherCommandLines())
    func commandLine(_ command: String) throws {
        let dir = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Self.shell(command + " > /dev/null", in: dir)
        #expect(r.status != 64, "usage error: \(r.stderr)")
    }

    /// The README's library example is `Tools/readme-example/main.swift`, which `swift build`
    /// compiles: a renamed module or a changed API cannot leave the README behind.
    @Test("the library example is compiled code")
    func libraryExample() throws {
        let readme = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let section = readme.range(of: "## As a library\n"),
            let start = readme.range(of: "```swift\n", range: section.upperBound..<readme.endIndex),
            let end = readme.range(of: "```\n", range: start.upperBound..<readme.endIndex)
        else {
            Issue.record("the README has no Swift block under \"As a library\"")
            return
        }
        let source = try String(
            contentsOf: CLI.packageRoot.appendingPathComponent("Tools/readme-example/main.swift"), encoding: .utf8)
        guard let marker = source.range(of: "// --- README ---\n") else {
            Issue.record("Tools/readme-example/main.swift has no README marker")
            return
        }
        #expect(String(readme[start.upperBound..<end.lowerBound]) == String(source[marker.upperBound...]))
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
