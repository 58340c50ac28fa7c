/// An output format of ``GraphvizRenderer``.
public enum RenderFormat: String, CaseIterable, Hashable, Sendable {
    case svg
    case png
    case pdf

    /// Whether the output is binary (not for a terminal).
    public var isBinary: Bool { self != .svg }
}
