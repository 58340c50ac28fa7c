/// A DOT document: graph attributes, defaults, clusters, nodes and edges, in the order they
/// are added. ``DOTEncoder`` writes it as DOT text; the order is kept, so a document built in
/// a deterministic order encodes to the same bytes every time.
///
/// ```swift
/// var g = DOTGraph(name: "access")
/// g.attributes["rankdir"] = "LR"
/// g.nodes.append(DOTNode("user:alice", ["label": "alice", "shape": "ellipse"]))
/// g.edges.append(DOTEdge(from: "user:alice", to: "binding:RoleBinding/prod/read"))
/// let dot = DOTEncoder().encode(g)
/// ```
public struct DOTGraph: Hashable, Sendable {
    public var name: String
    /// `digraph` (the default) or `graph`.
    public var directed: Bool
    public var attributes: DOTAttributes
    /// `node [...]` defaults.
    public var nodeDefaults: DOTAttributes
    /// `edge [...]` defaults.
    public var edgeDefaults: DOTAttributes
    /// Nodes outside any subgraph.
    public var nodes: [DOTNode]
    /// Subgraphs (clusters when their name starts with `cluster`), written first (Graphviz
    /// creates nodes in the order it reads them, which decides the order of components).
    public var subgraphs: [DOTSubgraph]
    public var edges: [DOTEdge]

    public init(
        name: String, directed: Bool = true, attributes: DOTAttributes = [:], nodeDefaults: DOTAttributes = [:],
        edgeDefaults: DOTAttributes = [:], nodes: [DOTNode] = [], subgraphs: [DOTSubgraph] = [], edges: [DOTEdge] = []
    ) {
        self.name = name
        self.directed = directed
        self.attributes = attributes
        self.nodeDefaults = nodeDefaults
        self.edgeDefaults = edgeDefaults
        self.nodes = nodes
        self.subgraphs = subgraphs
        self.edges = edges
    }

    /// The number of nodes, in subgraphs included.
    public var nodeCount: Int { nodes.count + subgraphs.reduce(0) { $0 + $1.nodeCount } }

    /// Every node, depth first (top-level nodes, then each subgraph's).
    public var allNodes: [DOTNode] {
        var out = nodes
        for s in subgraphs { out += s.allNodes }
        return out
    }
}

/// A `subgraph`; a name starting with `cluster` makes Graphviz draw a box around it.
public struct DOTSubgraph: Hashable, Sendable {
    public var name: String
    public var attributes: DOTAttributes
    public var nodes: [DOTNode]
    public var subgraphs: [DOTSubgraph]

    public init(name: String, attributes: DOTAttributes = [:], nodes: [DOTNode] = [], subgraphs: [DOTSubgraph] = []) {
        self.name = name
        self.attributes = attributes
        self.nodes = nodes
        self.subgraphs = subgraphs
    }

    public var nodeCount: Int { nodes.count + subgraphs.reduce(0) { $0 + $1.nodeCount } }

    public var allNodes: [DOTNode] {
        var out = nodes
        for s in subgraphs { out += s.allNodes }
        return out
    }
}

/// A node. Its ID is kept exact: ``DOTEncoder`` writes it so that Graphviz reads back the
/// same string (see ``DOTEncoder/quotedID(_:)``).
public struct DOTNode: Hashable, Sendable {
    public var id: String
    public var attributes: DOTAttributes

    public init(_ id: String, _ attributes: DOTAttributes = [:]) {
        self.id = id
        self.attributes = attributes
    }
}

/// An edge between two node IDs.
public struct DOTEdge: Hashable, Sendable {
    public var from: String
    public var to: String
    public var attributes: DOTAttributes

    public init(from: String, to: String, _ attributes: DOTAttributes = [:]) {
        self.from = from
        self.to = to
        self.attributes = attributes
    }
}

/// Attributes in the order they were first set; setting a key again replaces its value in
/// place.
public struct DOTAttributes: Hashable, Sendable, ExpressibleByDictionaryLiteral, Sequence {
    public private(set) var pairs: [(key: String, value: DOTValue)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, DOTValue)...) {
        for (k, v) in elements { self[k] = v }
    }

    public subscript(key: String) -> DOTValue? {
        get { pairs.first { $0.key == key }?.value }
        set {
            if let i = pairs.firstIndex(where: { $0.key == key }) {
                if let newValue { pairs[i].value = newValue } else { pairs.remove(at: i) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
        }
    }

    /// These attributes, then `other`'s (which win on a shared key).
    public func merging(_ other: DOTAttributes) -> DOTAttributes {
        var out = self
        for (k, v) in other.pairs { out[k] = v }
        return out
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public func makeIterator() -> IndexingIterator<[(key: String, value: DOTValue)]> { pairs.makeIterator() }

    public static func == (a: Self, b: Self) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (k, v) in pairs {
            hasher.combine(k)
            hasher.combine(v)
        }
    }
}

/// An attribute value: text (written as a quoted DOT string, escaped) or an HTML-like label.
public enum DOTValue: Hashable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral
{
    /// Any text: quotes and backslashes are escaped, a newline becomes a centred line break
    /// and other control characters are shown visibly (`\u{1B}` as `\x1b`).
    case text(String)
    /// An HTML-like label (`<…>` in DOT), whose text parts ``DOTHTML`` has escaped.
    case html(DOTHTML)

    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .text(String(value)) }
    public init(floatLiteral value: Double) { self = .text(String(value)) }
}

/// Markup for an HTML-like label. Text enters only through ``text(_:)`` (escaped); tags are
/// added with the helpers, so the result is always well-formed for Graphviz.
///
/// ```swift
/// let label: DOTHTML = .bold(.text("ClusterRole")) + .lineBreak + .text(name)
/// ```
public struct DOTHTML: Hashable, Sendable {
    /// The markup, without the enclosing `<` `>` of DOT.
    public private(set) var markup: String

    private init(markup: String) { self.markup = markup }

    /// Text, with `&`, `<`, `>`, `"` and `'` escaped as entities, `\` doubled (Graphviz
    /// expands `\N`, `\G`, … in HTML labels as in others) and control characters shown visibly
    /// (Graphviz's XML parser rejects them).
    public static func text(_ s: String) -> DOTHTML {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Graphviz expands \N, \G, … in HTML labels too; `\\` is a backslash.
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\\" + DOTEncoder.visible(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return DOTHTML(markup: out)
    }

    public static let empty = DOTHTML(markup: "")
    /// `<BR/>`, optionally aligned (`LEFT`, `RIGHT`).
    public static var lineBreak: DOTHTML { DOTHTML(markup: "<BR/>") }
    public static func lineBreak(align: String) -> DOTHTML { DOTHTML(markup: "<BR ALIGN=\"\(align)\"/>") }

    public static func bold(_ inner: DOTHTML) -> DOTHTML { DOTHTML(markup: "<B>" + inner.markup + "</B>") }
    public static func italic(_ inner: DOTHTML) -> DOTHTML { DOTHTML(markup: "<I>" + inner.markup + "</I>") }

    /// `<FONT …>`: any of color (`#RRGGBB` or a color name), point size and face.
    public static func font(color: String? = nil, size: Double? = nil, face: String? = nil, _ inner: DOTHTML) -> DOTHTML {
        var attrs = ""
        if let color { attrs += " COLOR=\"\(attributeSafe(color))\"" }
        if let size { attrs += " POINT-SIZE=\"\(formatNumber(size))\"" }
        if let face { attrs += " FACE=\"\(attributeSafe(face))\"" }
        if attrs.isEmpty { return inner }
        return DOTHTML(markup: "<FONT\(attrs)>" + inner.markup + "</FONT>")
    }

    /// A borderless table of rows, each one cell aligned as given (`LEFT`, `CENTER`, `RIGHT`).
    public static func table(rows: [(DOTHTML, align: String)], cellPadding: Int = 1) -> DOTHTML {
        grid(rows.map { [Cell($0.0, align: $0.align)] }, cellPadding: cellPadding)
    }

    /// A cell of ``grid(_:cellSpacing:cellPadding:)``.
    public struct Cell: Hashable, Sendable {
        public var content: DOTHTML
        public var align: String
        /// Fill color.
        public var background: String?
        /// Border color (with `border` > 0).
        public var color: String?
        public var border: Int
        /// `rounded`, …
        public var style: String?
        public var columnSpan: Int

        public init(
            _ content: DOTHTML, align: String = "LEFT", background: String? = nil, color: String? = nil, border: Int = 0,
            style: String? = nil, columnSpan: Int = 1
        ) {
            self.content = content
            self.align = align
            self.background = background
            self.color = color
            self.border = border
            self.style = style
            self.columnSpan = columnSpan
        }
    }

    /// A borderless table of rows of cells.
    public static func grid(_ rows: [[Cell]], cellSpacing: Int = 0, cellPadding: Int = 1) -> DOTHTML {
        var m = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"\(cellSpacing)\" CELLPADDING=\"\(cellPadding)\">"
        for row in rows {
            m += "<TR>"
            for c in row {
                m += "<TD ALIGN=\"\(attributeSafe(c.align))\" BALIGN=\"\(attributeSafe(c.align))\""
                if let b = c.background { m += " BGCOLOR=\"\(attributeSafe(b))\"" }
                if let col = c.color { m += " COLOR=\"\(attributeSafe(col))\"" }
                if c.border > 0 { m += " BORDER=\"\(c.border)\"" }
                if let st = c.style { m += " STYLE=\"\(attributeSafe(st))\"" }
                if c.columnSpan > 1 { m += " COLSPAN=\"\(c.columnSpan)\"" }
                m += ">" + c.content.markup + "</TD>"
            }
            m += "</TR>"
        }
        m += "</TABLE>"
        return DOTHTML(markup: m)
    }

    public static func + (a: DOTHTML, b: DOTHTML) -> DOTHTML { DOTHTML(markup: a.markup + b.markup) }

    /// Pieces joined with a separator.
    public static func joined(_ parts: [DOTHTML], separator: DOTHTML) -> DOTHTML {
        var m = ""
        for (i, p) in parts.enumerated() {
            if i > 0 { m += separator.markup }
            m += p.markup
        }
        return DOTHTML(markup: m)
    }

    private static func attributeSafe(_ s: String) -> String { text(s).markup }

    static func formatNumber(_ d: Double) -> String {
        d == d.rounded() ? String(Int(d)) : String(d)
    }
}
