import ArgumentParser
import RBACCore
import RBACGraphviz
import RBACPresentation

#if canImport(Glibc)
import Glibc
#endif

/// `-o table|json|yaml`, and for commands that draw their answer `dot|svg|png|pdf`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case yaml
    case dot
    case svg
    case png
    case pdf

    /// A picture of the answer, drawn by Graphviz (DOT needs no Graphviz).
    var isPicture: Bool { self == .dot || renderFormat != nil }
    var renderFormat: RenderFormat? { RenderFormat(rawValue: rawValue) }

    /// Refuses to write PNG or PDF to a terminal.
    func validate(outputFile: String?) throws {
        if renderFormat?.isBinary == true, outputFile == nil, isatty(1) != 0 {
            throw ValidationError("Refusing to write \(rawValue.uppercased()) to a terminal: give --output FILE or redirect standard output.")
        }
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
        case .json: print(value.prettySerialized())
        case .yaml: print(value.yamlSerialized(), terminator: "")
        default: print(value.prettySerialized())
        }
    }
}

/// JSON forms of the model, shared by the subcommands.
enum JSONForms {
    static func subject(_ s: Subject) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("kind", .string(s.kind)), ("name", .string(s.name))]
        if s.kind == "ServiceAccount" { pairs.append(("namespace", .string(s.namespace))) }
        return .object(pairs)
    }

    static func grant(_ g: Grant, in graph: AccessGraph) -> JSONValue {
        let b = graph.bindings[g.binding]
        let r = graph.roles[g.role]
        var binding: [(String, JSONValue)] = [("kind", .string(b.kind.rawValue)), ("name", .string(b.name))]
        if let ns = b.namespace { binding.append(("namespace", .string(ns))) }
        if let src = b.source { binding.append(("source", .string(src.description))) }
        var role: [(String, JSONValue)] = [("kind", .string(r.kind.rawValue)), ("name", .string(r.name))]
        if let ns = r.namespace { role.append(("namespace", .string(ns))) }
        if let src = r.source { role.append(("source", .string(src.description))) }
        if b.origin != .input { binding.append(("origin", .string(b.origin.rawValue))) }
        if r.origin != .input { role.append(("origin", .string(r.origin.rawValue))) }
        var pairs: [(String, JSONValue)] = [
            ("subject", subject(g.subject)), ("binding", .object(binding)), ("role", .object(role)),
            ("ruleIndex", .number(Double(g.ruleIndex))), ("rule", r.rules[g.ruleIndex].json),
        ]
        // Only from unmodified built-in objects: true, but not news.
        if graph.isBuiltInOnly(g) { pairs.append(("builtIn", .bool(true))) }
        return .object(pairs)
    }

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
