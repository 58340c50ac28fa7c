internal import CGraphviz
import RBACCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lays out and renders DOT text in-process with libgvc (`dot` layout), to SVG, PNG or PDF.
///
/// ```swift
/// let svg = try GraphvizRenderer.render(dot: DOTEncoder().encode(graph), format: .svg)
/// ```
/// Graphviz is not thread-safe: every call runs under one process-wide lock, with one
/// `gvContext` created on first use and kept for the life of the process (freeing a context
/// and creating another corrupts the pango plugin's font cache). Each render frees what it
/// allocated, in Graphviz's order: render data, layout, graph. DOT is read with objects
/// numbered in the order of the text (``GraphvizReading``), so a picture does not depend on
/// what the process drew before.
///
/// Graphviz 2.43's `dot` layout leaks the auxiliary edges it makes for clusters (about 300 KB
/// per render of a 300-node view with namespace boxes; see `docs/rendering.md`): fine for a
/// command, worth a child process for a service rendering thousands of pictures.
///
/// Graphviz's messages never reach stderr: errors become a thrown ``RenderError`` carrying
/// them, warnings are returned in ``Rendering/warnings``. Only the first graph of the DOT text
/// is drawn.
public enum GraphvizRenderer {
    /// Rendered bytes, and the warnings Graphviz gave on the way.
    public struct Rendering: Sendable {
        public var bytes: [UInt8]
        public var warnings: [String]
    }

    /// Renders DOT text.
    /// - Throws: ``RenderError`` with Graphviz's message when the text does not parse, the
    ///   layout fails or the format cannot be produced.
    public static func render(dot: String, format: RenderFormat) throws(RenderError) -> [UInt8] {
        try rendering(dot: dot, format: format).bytes
    }

    /// Renders a DOT document (encoded with ``DOTEncoder``).
    public static func render(_ graph: DOTGraph, format: RenderFormat) throws(RenderError) -> [UInt8] {
        try rendering(dot: DOTEncoder().encode(graph), format: format).bytes
    }

    /// Renders DOT text, with Graphviz's warnings.
    public static func rendering(dot: String, format: RenderFormat) throws(RenderError) -> Rendering {
        try GraphvizSession.shared.render(dot: dot, format: format.rawValue)
    }

    /// The Graphviz version the process runs with, e.g. `2.42.2`.
    public static var graphvizVersion: String {
        GraphvizSession.shared.version
    }
}

/// The process's one Graphviz context, and the lock around every use of Graphviz.
final class GraphvizSession: @unchecked Sendable {
    static let shared = GraphvizSession()

    private let lock = Lock()
    /// `GVC_t *`, created on first use under the lock; never freed.
    private var context: OpaquePointer?

    private init() {}

    private func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try lock.withLock(body)
    }

    /// The context; call under the lock.
    private func gvc() throws(RenderError) -> OpaquePointer {
        if let context { return context }
        guard let c = gvContext() else { throw .unavailable }
        context = c
        return c
    }

    var version: String {
        locked { () -> String in
            guard let gvc = try? gvc(), let v = gvcVersion(gvc) else { return "unknown" }
            return String(cString: v)
        }
    }

    func render(dot: String, format: String) throws(RenderError) -> GraphvizRenderer.Rendering {
        try locked { () throws(RenderError) -> GraphvizRenderer.Rendering in
            let gvc = try gvc()
            GraphvizMessages.begin()
            defer { GraphvizMessages.end() }

            // cgraph's lexer keeps what it read past the end of the previous graph (at least
            // its last newline; a second graph in the same text, whole) and would parse it
            // first: drain it, and restart the line count, which it also keeps.
            var leftovers = 0
            while leftovers < 1000, let stale = agmemread("") {
                agclose(stale)
                leftovers += 1
            }
            GraphvizMessages.clear()
            agreadline(1)
            // Objects numbered in the order of the text, not by the addresses of their names:
            // else the clusters' order, and so the layout, depends on earlier renders.
            guard let graph = GraphvizReading.read(dot) else {
                throw .invalidDOT(GraphvizMessages.errorText(fallback: "no graph in the input"))
            }
            defer { agclose(graph) }
            if GraphvizMessages.hasErrors {
                // cgraph recovers from some errors and still returns a graph: refuse it.
                throw .invalidDOT(GraphvizMessages.errorText(fallback: "invalid input"))
            }

            guard gvLayout(gvc, graph, "dot") == 0 else {
                throw .layoutFailed(GraphvizMessages.errorText(fallback: "layout failed"))
            }
            defer { gvFreeLayout(gvc, graph) }

            var data: UnsafeMutablePointer<CChar>? = nil
            var length: UInt32 = 0
            let rc = gvRenderData(gvc, graph, format, &data, &length)
            defer { if let data { gvFreeRenderData(data) } }
            guard rc == 0, let data else {
                throw .renderFailed(format: format, message: GraphvizMessages.errorText(fallback: "no output"))
            }
            let bytes = data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                Array(UnsafeBufferPointer(start: $0, count: Int(length)))
            }
            return GraphvizRenderer.Rendering(bytes: bytes, warnings: GraphvizMessages.warnings)
        }
    }
}

/// Graphviz's messages during one render, captured through `agseterrf` (only touched under
/// the session's lock).
enum GraphvizMessages {
    nonisolated(unsafe) private static var lines: [(isError: Bool, text: String)] = []

    static func begin() {
        lines = []
        _ = agreseterrors()
        _ = agseterr(AGWARN)
        _ = agseterrf { message in
            guard let message else { return 0 }
            GraphvizMessages.record(String(cString: message))
            return 0
        }
    }

    static func clear() {
        lines = []
        _ = agreseterrors()
    }

    static func end() {
        _ = agseterrf(nil)
        lines = []
    }

    /// One call of the error function. Graphviz sends a message in pieces: `Error` or
    /// `Warning`, then `: `, then the text (continuations of a message come without the
    /// first two).
    static func record(_ raw: String) {
        if raw == "Error" || raw == "Warning" {
            lines.append((raw == "Error", ""))
        } else if raw.hasPrefix("Error: ") {
            lines.append((true, String(raw.dropFirst(7))))
        } else if raw.hasPrefix("Warning: ") {
            lines.append((false, String(raw.dropFirst(9))))
        } else if let last = lines.last {
            if last.text.isEmpty && raw == ": " { return }
            lines[lines.count - 1].text += raw
        } else {
            lines.append((true, raw))
        }
    }

    static var hasErrors: Bool { lines.contains { $0.isError } }

    static var warnings: [String] { lines.filter { !$0.isError }.map { trimmed($0.text) } }

    /// The errors, one per line; the warnings when there are none; else `fallback`.
    static func errorText(fallback: String) -> String {
        let errors = lines.filter(\.isError).map { trimmed($0.text) }
        if !errors.isEmpty { return errors.joined(separator: "\n") }
        if let last = aglasterr() {
            defer { free(last) }
            let text = trimmed(String(cString: last))
            if !text.isEmpty { return text }
        }
        let warnings = self.warnings
        return warnings.isEmpty ? fallback : warnings.joined(separator: "\n")
    }

    private static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while let c = s.last, c == "\n" || c == " " || c == "\r" { s = s.dropLast() }
        while let c = s.first, c == "\n" || c == " " { s = s.dropFirst() }
        return String(s)
    }
}
