/// Why Graphviz could not lay out or render a graph; the description carries Graphviz's own
/// message.
public enum RenderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The DOT text did not parse (`agmemread`): Graphviz's message, e.g.
    /// `syntax error in line 1 near '}'`.
    case invalidDOT(String)
    /// The layout failed (`gvLayout`).
    case layoutFailed(String)
    /// The output could not be produced (`gvRenderData`), e.g. a format with no plugin.
    case renderFailed(format: String, message: String)
    /// Graphviz could not create its context (`gvContext`).
    case unavailable

    /// Graphviz's message alone.
    public var message: String {
        switch self {
        case .invalidDOT(let m), .layoutFailed(let m): return m
        case .renderFailed(_, let m): return m
        case .unavailable: return "no context"
        }
    }

    public var description: String {
        switch self {
        case .invalidDOT(let m): return "Graphviz could not read the graph: \(m)"
        case .layoutFailed(let m): return "Graphviz could not lay out the graph: \(m)"
        case .renderFailed(let f, let m): return "Graphviz could not render \(f): \(m)"
        case .unavailable: return "Graphviz could not start (gvContext failed)"
        }
    }
}
