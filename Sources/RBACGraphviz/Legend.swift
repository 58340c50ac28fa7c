/// The header of a view: its title, a legend of the node kinds and line styles it draws, and
/// the notes on what it left out. All three form the graph's label, which Graphviz always
/// puts at the top left (a legend made of nodes would land wherever the layout puts it).
struct Legend {
    enum Line: CaseIterable {
        case grant
        case dangerous
        case conditional
        case warning
        case step

        var text: String {
            switch self {
            case .grant: return "grant"
            case .dangerous: return "dangerous: secrets, wildcard, escalation"
            case .conditional: return "conditional (needs a runtime fact)"
            case .warning: return "⚠ missing role / matches nobody"
            case .step: return "structural step"
            }
        }

        /// The line drawn with box-drawing characters.
        var glyph: String {
            switch self {
            case .grant, .step: return "───▶"
            case .dangerous: return "━━━▶"
            case .conditional: return "╍╍╍▶"
            case .warning: return "┈┈┈▶"
            }
        }

        var color: String {
            switch self {
            case .grant: return GraphStyle.gray
            case .dangerous, .conditional: return GraphStyle.red
            case .warning: return GraphStyle.warningColor
            case .step: return GraphStyle.lightGray
            }
        }
    }

    var kinds: Set<GraphNodeKind> = []
    var lines: Set<Line> = []
    /// Notes about the picture (what was collapsed or left out).
    var notes: [String] = []

    /// Sets the graph's label: title, legend, notes.
    func apply(to graph: inout DOTGraph, title: String) {
        var rows: [[DOTHTML.Cell]] = [[DOTHTML.Cell(.font(size: 12, .bold(.text(title))))]]
        let used = GraphNodeKind.allCases.filter { kinds.contains($0) }
        if !used.isEmpty || !lines.isEmpty {
            var cells: [DOTHTML.Cell] = []
            for kind in used {
                let look = GraphStyle.look(kind)
                cells.append(DOTHTML.Cell(
                    .font(color: look.fontColor, size: 8, .text(kind.title)), align: "CENTER", background: look.fill,
                    color: look.border, border: 1, style: "rounded"))
            }
            for line in Line.allCases where lines.contains(line) {
                cells.append(DOTHTML.Cell(.font(size: 8, .font(color: line.color, .bold(.text(line.glyph))) + .text(" " + line.text))))
            }
            // One row: a nested table is stretched to its cell's width, so rows of different
            // lengths would not stay compact.
            rows.append([DOTHTML.Cell(.grid([cells], cellSpacing: 3, cellPadding: 2))])
        }
        for note in notes {
            let text = GraphStyle.wrap(note, width: 110).map { DOTHTML.text($0) }
            rows.append([DOTHTML.Cell(
                .grid([[DOTHTML.Cell(
                    .font(size: 9, .bold(.text("⚠ ")) + .joined(text, separator: .lineBreak(align: "LEFT")) + .lineBreak(align: "LEFT")),
                    background: "#FEF9C3", color: "#A16207", border: 1, style: "rounded")]], cellPadding: 4))])
        }
        graph.attributes["label"] = .html(.grid(rows, cellSpacing: 2, cellPadding: 1))
    }
}
