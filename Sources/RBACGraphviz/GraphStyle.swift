import RBACCore

/// The kinds of node the views draw. Each has one shape and one color, the same in every
/// view (see `docs/rendering.md`).
public enum GraphNodeKind: String, CaseIterable, Hashable, Sendable {
    case user
    case group
    case serviceAccount
    case binding
    case role
    case clusterRole
    /// A role's permissions: verbs grouped by resource.
    case permissions
    /// One rule of a role (who-can answers).
    case rule
    case secret
    /// Full authority: `*` on everything (cluster-admin, `system:masters`).
    case fullAuthority
    /// Something a privilege path passes through: running pods, any service account of a
    /// namespace, nodes, a namespace's full authority…
    case capability
    /// The request of a who-can answer.
    case request
    /// What the node budget collapsed.
    case collapsed

    /// The name shown in legends.
    public var title: String {
        switch self {
        case .user: return SubjectKind.user.rawValue
        case .group: return SubjectKind.group.rawValue
        case .serviceAccount: return SubjectKind.serviceAccount.rawValue
        case .binding: return "RoleBinding / ClusterRoleBinding"
        case .role: return "Role"
        case .clusterRole: return "ClusterRole"
        case .permissions: return "permissions (verbs by resource)"
        case .rule: return "rule"
        case .secret: return "Secret"
        case .fullAuthority: return "full authority"
        case .capability: return "capability on the way"
        case .request: return "request"
        case .collapsed: return "collapsed (node budget)"
        }
    }
}

/// Colors, shapes and fonts, in one place.
enum GraphStyle {
    static let font = "Helvetica,Arial,sans-serif"
    static let red = "#DC2626"
    static let redFill = "#FEE2E2"
    static let redText = "#B91C1C"
    static let gray = "#6B7280"
    static let lightGray = "#9CA3AF"
    static let ink = "#1F2937"

    struct Look {
        var shape: String
        var fill: String
        var border: String
        var style: String = "filled"
        var peripheries: Int? = nil
        var fontColor: String? = nil
        /// Room around the label (inches, horizontal,vertical) where the shape needs more than
        /// the default: Graphviz centers the label on the whole shape, so the point of a `cds`,
        /// the depth of a `box3d`, the fold of a `note` and rounded corners would cross it in a
        /// browser (`make check-pictures` checks this in Chromium).
        var margin: String? = nil
    }

    static func look(_ kind: GraphNodeKind) -> Look {
        switch kind {
        case .user: return Look(shape: "ellipse", fill: "#DBEAFE", border: "#1D4ED8")
        case .group: return Look(shape: "ellipse", fill: "#EDE9FE", border: "#6D28D9", peripheries: 2)
        case .serviceAccount: return Look(shape: "cds", fill: "#DCFCE7", border: "#15803D", margin: "0.30,0.05")
        case .binding: return Look(shape: "box", fill: "#F3F4F6", border: "#4B5563", style: "rounded,filled", margin: "0.16,0.05")
        case .role: return Look(shape: "box", fill: "#FEF3C7", border: "#B45309")
        case .clusterRole: return Look(shape: "box3d", fill: "#FFEDD5", border: "#C2410C", margin: "0.16,0.09")
        case .permissions: return Look(shape: "note", fill: "#FFFFFF", border: "#9CA3AF", margin: "0.18,0.05")
        case .rule: return Look(shape: "note", fill: "#FFFFFF", border: "#9CA3AF", margin: "0.18,0.05")
        case .secret: return Look(shape: "cylinder", fill: redFill, border: red)
        case .fullAuthority: return Look(shape: "doubleoctagon", fill: red, border: "#7F1D1D", fontColor: "#FFFFFF")
        case .capability: return Look(shape: "hexagon", fill: "#F5F5F4", border: "#57534E")
        case .request: return Look(shape: "parallelogram", fill: "#E0F2FE", border: "#0369A1")
        case .collapsed: return Look(shape: "folder", fill: "#FEF9C3", border: "#A16207", style: "filled,dashed")
        }
    }

    /// The attributes of a node of a kind; `dangerous` draws it red, `warning` dotted.
    static func attributes(_ kind: GraphNodeKind, dangerous: Bool = false, warning: Bool = false) -> DOTAttributes {
        let l = look(kind)
        var a: DOTAttributes = ["shape": .text(l.shape)]
        var style = l.style
        if warning { style = style.replacingDashed(with: "dotted") }
        a["style"] = .text(style)
        a["fillcolor"] = .text(warning ? "#FFFBEB" : (dangerous && kind != .fullAuthority ? redFill : l.fill))
        a["color"] = .text(warning ? warningColor : (dangerous ? red : l.border))
        if dangerous || warning { a["penwidth"] = "1.6" }
        if let p = l.peripheries { a["peripheries"] = .text(String(p)) }
        if let f = l.fontColor { a["fontcolor"] = .text(f) }
        if let m = l.margin { a["margin"] = .text(m) }
        return a
    }

    static let warningColor = "#D97706"

    /// The document every view starts from.
    static func document(name: String) -> DOTGraph {
        DOTGraph(
            name: name,
            attributes: [
                "rankdir": "LR", "fontname": .text(font), "fontsize": "11", "fontcolor": .text(ink),
                "labelloc": "t", "labeljust": "l",
                "nodesep": "0.18", "ranksep": "0.55", "pad": "0.25", "bgcolor": "white",
            ],
            nodeDefaults: ["fontname": .text(font), "fontsize": "10", "fontcolor": .text(ink), "margin": "0.11,0.04"],
            edgeDefaults: ["fontname": .text(font), "fontsize": "8", "color": .text(gray), "arrowsize": "0.6", "fontcolor": .text(gray)]
        )
    }

    /// A namespace's cluster.
    static func namespaceCluster(_ namespace: String, index: Int) -> DOTSubgraph {
        DOTSubgraph(
            name: "cluster_ns_\(index)",
            attributes: [
                "label": .html(.table(rows: [
                    (.font(color: gray, size: 8, .text("namespace")), align: "LEFT"),
                    (.bold(.text(Label.short(namespace, max: 48))), align: "LEFT"),
                ], cellPadding: 0)),
                "style": "rounded,filled", "fillcolor": "#F9FAFB", "color": "#D1D5DB", "fontsize": "10",
                "labeljust": "l",
            ])
    }

    /// A two-line HTML label: a small gray kind line, then the name in bold.
    static func label(kind: String, name: String, extra: [DOTHTML] = [], kindColor: String = gray) -> DOTValue {
        var parts: [DOTHTML] = []
        if !kind.isEmpty { parts.append(.font(color: kindColor, size: 8, .text(kind))) }
        parts.append(.bold(.text(Label.short(name))))
        parts += extra
        return .html(.joined(parts, separator: .lineBreak))
    }

    /// Words of `text` in lines of at most about `width` characters.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// A warning line for a label: `⚠ text`.
    static func warningLine(_ text: String) -> DOTHTML {
        .font(color: warningColor, size: 8, .text("⚠ " + text))
    }
}

extension String {
    fileprivate func replacingDashed(with s: String) -> String {
        let parts = split(separator: ",").map(String.init).filter { $0 != "dashed" && $0 != "dotted" }
        return (parts + [s]).joined(separator: ",")
    }
}
