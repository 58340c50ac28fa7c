import ArgumentParser
import RBACCore
import RBACGraphviz
import RBACPresentation

#if canImport(Glibc)
import Glibc
#endif

/// Every output format of the CLI, as `-o/--output` names it. Each command writes a subset
/// (``OutputFormats``); asking for another is a usage error, never a silent fallback.
enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for people (kubectl's default printer).
    case table
    /// The table with more columns (kubectl's `-o wide`).
    case wide
    case json
    case yaml
    /// Markdown (the report).
    case md
    /// One self-contained page (the report).
    case html
    /// SARIF 2.1.0 (the report, for code scanning).
    case sarif
    case dot
    case svg
    case png
    case pdf

    /// A picture of the answer, drawn by Graphviz (DOT needs no Graphviz).
    var isPicture: Bool { self == .dot || renderFormat != nil }
    var renderFormat: RenderFormat? { RenderFormat(rawValue: rawValue) }
    /// Whether the output is a table for people (`--no-headers` applies).
    var isTable: Bool { self == .table || self == .wide }

    /// The format a file name's extension stands for (`.yml` is YAML), nil for any other.
    static func of(fileName: String) -> OutputFormat? {
        guard let dot = fileName.lastIndex(of: "."), !fileName[fileName.index(after: dot)...].contains("/") else { return nil }
        let ext = fileName[fileName.index(after: dot)...].lowercased()
        if ext == "yml" { return .yaml }
        guard let f = OutputFormat(rawValue: ext), f != .table, f != .wide else { return nil }
        return f
    }

    /// Writes a view in this (picture) format to a file or standard output.
    func write(_ view: GraphView, to path: String?, quiet: Bool) throws {
        if !quiet { view.warnings.forEach(Terminal.warn) }
        if let renderFormat {
            let rendering = try GraphvizRenderer.rendering(dot: view.dot, format: renderFormat)
            if !quiet { rendering.warnings.forEach { Terminal.warn("Graphviz: \($0)") } }
            try OutputFile.write(rendering.bytes, to: path)
        } else {
            try OutputFile.write(Array(view.dot.utf8), to: path)
        }
    }

    /// Prints a JSON value in this format (json or yaml).
    func emit(_ value: JSONValue) {
        switch self {
        case .yaml: print(value.yamlSerialized(), terminator: "")
        default: print(value.prettySerialized())
        }
    }
}

/// The formats a command writes: the first is the default.
protocol OutputFormats {
    static var formats: [OutputFormat] { get }
}

enum TextFormats: OutputFormats { static let formats: [OutputFormat] = [.table, .json, .yaml] }
enum WideTextFormats: OutputFormats { static let formats: [OutputFormat] = [.table, .wide, .json, .yaml] }
enum DrawnFormats: OutputFormats { static let formats: [OutputFormat] = [.table, .json, .yaml, .dot, .svg, .png, .pdf] }
enum WideDrawnFormats: OutputFormats { static let formats: [OutputFormat] = [.table, .wide, .json, .yaml, .dot, .svg, .png, .pdf] }
enum PictureFormats: OutputFormats { static let formats: [OutputFormat] = [.dot, .svg, .png, .pdf] }
enum ReportFormats: OutputFormats { static let formats: [OutputFormat] = [.md, .html, .json, .sarif] }
enum JSONLinesFormats: OutputFormats { static let formats: [OutputFormat] = [.json] }

/// `-o/--output FORMAT` and `--output-file FILE`, kubectl's convention, in every command.
///
/// Without `-o`, the output file's extension (.html, .svg, .png, .pdf, .dot, .json, .yaml,
/// .sarif, .md) gives the format; an extension that names another format than `-o` is an
/// error. A value of `-o` that is not a format — `--output report.html` — is a usage error
/// naming `--output-file`.
struct OutputOptions<Formats: OutputFormats>: ParsableArguments {
    @Option(
        name: [.customShort("o"), .customLong("output")],
        help: ArgumentHelp("Output format: \(Formats.formats.map(\.rawValue).joined(separator: ", ")) (default \(Formats.formats[0].rawValue)).", valueName: "format"))
    var outputText: String?

    @Option(help: ArgumentHelp("Write to this file instead of standard output (without -o, its extension gives the format).", valueName: "file"))
    var outputFile: String?

    func validate() throws { _ = try resolve() }

    /// The format: `-o`, else the output file's extension, else the command's default.
    func resolve() throws -> OutputFormat {
        let allowed = Formats.formats
        let names = allowed.map(\.rawValue).joined(separator: ",")
        var chosen: OutputFormat? = nil
        if let text = outputText {
            guard let f = OutputFormat(rawValue: text), allowed.contains(f) else {
                var message = "unable to match a printer suitable for the output format \"\(text)\", allowed formats are: \(names)"
                if text.contains(".") || text.contains("/") { message += ". To write to a file, use --output-file \(text)" }
                throw ValidationError(message)
            }
            chosen = f
        }
        if let file = outputFile {
            if file.isEmpty { throw ValidationError("--output-file needs a file name.") }
            if let byName = OutputFormat.of(fileName: file) {
                if let chosen, chosen != byName {
                    throw ValidationError("--output-file \(file) is a .\(byName.rawValue) file but -o says \(chosen.rawValue): give one, or make them agree.")
                }
                if chosen == nil {
                    guard allowed.contains(byName) else {
                        throw ValidationError("--output-file \(file): this command cannot write \(byName.rawValue) (formats: \(names)); give -o.")
                    }
                    chosen = byName
                }
            }
        }
        let format = chosen ?? allowed[0]
        if format.renderFormat?.isBinary == true, outputFile == nil, isatty(1) != 0 {
            throw ValidationError("Refusing to write \(format.rawValue.uppercased()) to a terminal: give --output-file FILE or redirect standard output.")
        }
        return format
    }

    /// The resolved format (``resolve()`` succeeded in validation).
    var format: OutputFormat { (try? resolve()) ?? Formats.formats[0] }

    /// For text formats: sends standard output to the output file from here on.
    func redirectText() throws {
        if let outputFile { try Redirect.stdout(to: outputFile) }
    }
}

/// kubectl's `--no-headers`, for commands that print tables (`-o table` and `-o wide`).
struct TableOptions: ParsableArguments {
    @Flag(help: "Print table rows only: no title, no header line, no notes (as kubectl).")
    var noHeaders = false

    /// A usage error when `--no-headers` comes with a format that is not a table.
    func check(_ output: OutputFormat) throws {
        if noHeaders && !output.isTable {
            throw ValidationError("--no-headers goes with a table (-o table or wide), not -o \(output.rawValue).")
        }
    }
}

/// JSON forms of the model, shared by the subcommands.
enum JSONForms {
    static func request(_ r: Request) -> JSONValue {
        switch r {
        case .nonResource(let verb, let path):
            return .object([("verb", .string(verb)), ("path", .string(path))])
        case .resource(let rr):
            return .object([
                ("verb", .string(rr.verb)), ("apiGroup", .string(rr.apiGroup)), ("resource", .string(rr.resource)),
                ("subresource", .string(rr.subresource)), ("namespace", .string(rr.namespace)), ("name", .string(rr.name)),
            ])
        }
    }

}
