import ArgumentParser
import RBACCore
import RBACLoading

extension RBACGraphCommand {
    /// `rbacgraph eval`: JSON lines in, JSON lines out.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Answer JSON-lines queries (authorize, who-can, rules, role-rules, paths, create-binding, create-role): the machine interface.",
            discussion: "Each input line is a query object with \"id\" and \"op\"; each output line the answer with the same \"id\". See docs/eval.md.")

        @OptionGroup var input: InputOptions
        @OptionGroup var outputOptions: OutputOptions<JSONLinesFormats>

        @Option(help: ArgumentHelp("The queries: a file of JSON lines, or - for stdin.", valueName: "file"))
        var queries: String

        @Flag(help: "Print per-op latency (median, p99) to stderr at the end.")
        var timing = false

        func validate() throws {
            if queries == "-" && input.filenames.contains("-") {
                throw ValidationError("Standard input can hold the manifests or the queries, not both.")
            }
        }

        func run() throws {
            let (graph, result) = try input.loadGraph()
            let evaluator = QueryEvaluator(graph: graph, decodeObject: ManifestLoader.decodeObject)
            let text: String
            if queries == "-" {
                text = String(decoding: IO.readAll(0), as: UTF8.self)
            } else {
                text = String(decoding: try IO.readFile(queries, what: "the queries file"), as: UTF8.self)
            }
            try outputOptions.redirectText()
            var out = ""
            out.reserveCapacity(text.utf8.count)
            var latencies: [String: [UInt64]] = [:]
            // Lines split by bytes: "\r\n" is one Swift Character, so a split by Character "\n"
            // would read a file with CRLF line ends as a single query.
            for bytes in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
                if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) { continue }
                let line = String(decoding: bytes, as: UTF8.self)
                if timing {
                    let start = IO.nanoseconds()
                    let answer = evaluator.answer(line: line)
                    let ns = IO.nanoseconds() - start
                    let op = (try? JSONValue.parse(line))?["op"]?.stringValue ?? "?"
                    latencies[op, default: []].append(ns)
                    out += answer
                } else {
                    out += evaluator.answer(line: line)
                }
                out += "\n"
                if out.utf8.count > 1 << 20 {
                    IO.writeStdout(out)
                    out = ""
                }
            }
            IO.writeStdout(out)
            if timing {
                for (op, l) in latencies.sorted(by: { $0.key < $1.key }) {
                    let s = l.sorted()
                    let median = Double(s[s.count / 2]) / 1000
                    let p99 = Double(s[min(s.count - 1, s.count * 99 / 100)]) / 1000
                    Terminal.writeStderr("\(op): \(s.count) queries, median \(IO.fixed(median, 1)) µs, p99 \(IO.fixed(p99, 1)) µs\n")
                }
            }
            if result.hasErrors { throw ExitCode(ExitCodes.loadErrors) }
        }
    }
}
