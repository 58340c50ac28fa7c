public import RBACCore

extension GraphView {
    /// Privilege paths, step by step: identities, what each step reaches, and every step
    /// labelled with its kind, its certainty and the grant behind it (the full evidence is in
    /// the SVG tooltips). Steps that come from a permission are red, structural ones gray;
    /// conditional steps are dashed. Paths sharing nodes are drawn once. Left to right, but
    /// top to bottom when a path is long (4 steps or more) and there are fewer paths than
    /// its steps, so that the picture stays readable shrunk to a page.
    ///
    /// ```swift
    /// let esc = EscalationGraph(graph)
    /// let view = GraphView.paths(esc.identitiesReaching(.fullAuthority), in: esc)
    /// ```
    /// Paths are drawn in the order given while they fit in `maxNodes` nodes; ``warnings``
    /// says how many were left out.
    public static func paths(
        _ paths: [PrivilegePath], in esc: EscalationGraph, title: String? = nil, maxNodes: Int = defaultMaxNodes
    ) -> GraphView {
        PathsView(esc: esc, paths: paths, title: title, maxNodes: max(1, maxNodes)).build()
    }

    /// Privilege paths to Vault (``RBACCore/VaultPath``): the Kubernetes steps as
    /// ``paths(_:in:title:maxNodes:)`` draws them, then the steps beyond the API server (the
    /// store, the Vault login, the policy path) to the Vault path reached.
    public static func vaultPaths(
        _ paths: [VaultPath], in esc: EscalationGraph, title: String? = nil, maxNodes: Int = defaultMaxNodes
    ) -> GraphView {
        PathsView(esc: esc, paths: paths.map(\.kubernetes), title: title, maxNodes: max(1, maxNodes), tails: paths.map(\.external)).build()
    }
}

/// Builds ``GraphView/paths(_:in:title:maxNodes:)``.
struct PathsView {
    let esc: EscalationGraph
    let paths: [PrivilegePath]
    let title: String?
    let maxNodes: Int
    /// For paths that go on beyond the Kubernetes API (to Vault), their external steps, by
    /// path; empty for Kubernetes paths.
    var tails: [[ExternalStep]] = []

    func nodeID(_ i: NodeID) -> String {
        switch esc.nodes[i] {
        case .holder(let r, let scope): return "hold:\(esc.access.roles[r].displayName)@\(scope)"
        default: return esc.nodes[i].description
        }
    }

    func kind(_ i: NodeID) -> (kind: GraphNodeKind, dangerous: Bool, kindText: String) {
        switch esc.nodes[i] {
        case .user: return (.user, false, SubjectKind.user.rawValue)
        case .group: return (.group, false, SubjectKind.group.rawValue)
        case .serviceAccount: return (.serviceAccount, false, SubjectKind.serviceAccount.rawValue)
        case .fullAuthority: return (.fullAuthority, false, "")
        case .namespaceAuthority: return (.capability, true, "namespace authority")
        case .secrets: return (.secret, false, "Secrets")
        case .secret: return (.secret, false, "Secret")
        case .holder(let r, _):
            let role = esc.access.roles[r]
            return (role.kind == .clusterRole ? .clusterRole : .role, Permissions.isFullAuthority(role), "held " + role.kind.rawValue)
        case .anyServiceAccount: return (.serviceAccount, false, "any ServiceAccount")
        default: return (.capability, false, "capability")
        }
    }

    func name(_ i: NodeID) -> String {
        switch esc.nodes[i] {
        case .user(let n), .group(let n): return n
        case .serviceAccount(let ns, let n): return "\(ns)/\(n)"
        case .fullAuthority: return "cluster-admin"
        case .secret(let ns, let n): return "\(ns)/\(n)"
        default: return esc.describe(i)
        }
    }

    /// `certain`, `if … (shown true)`, `if … (not shown)`, `ruled out: … (shown false)`.
    static func certainty(_ c: PathCondition?) -> String {
        guard let c else { return "certain" }
        switch c.observed {
        case true: return "if \(c.text) (shown true)"
        case false: return "ruled out: \(c.text) (shown false)"
        case nil: return "if \(c.text) (not shown)"
        }
    }

    func build() -> GraphView {
        var view = ViewBuilder(name: "paths")
        view.doc.attributes["nodesep"] = "0.35"  // room for the step labels between parallel paths
        var shown = 0

        for (index, path) in paths.enumerated() {
            let ids = [path.start] + path.steps.map(\.to)
            let tail = index < tails.count ? tails[index] : []
            let branchIDs = tail.compactMap(\.branch).flatMap { [$0.start] + $0.steps.map(\.to) }
            let new = Set((ids.map(nodeID) + branchIDs.map(nodeID) + tail.map { "ext:" + $0.to }).filter { !view.isDrawn($0) })
            if view.nodeCount + new.count > maxNodes - 1 { break }  // one node left for the note
            shown += 1
            draw(path, into: &view)
            drawTail(tail, after: nodeID(path.end), into: &view)
        }
        if Self.drawsTopToBottom(paths.prefix(shown)) { view.doc.attributes["rankdir"] = "TB" }
        if shown < paths.count {
            let message = "only \(shown) of \(paths.count) paths drawn: they fill the node budget of \(maxNodes)."
            view.warn(message)
            view.legend.kinds.insert(.collapsed)
        }
        if paths.isEmpty {
            let message = "no privilege path to draw."
            view.warn(message)
        }
        return view.finish(title: title ?? defaultTitle())
    }

    /// A Kubernetes path: its nodes (those not drawn yet) and its steps.
    func draw(_ path: PrivilegePath, into view: inout ViewBuilder) {
        for i in [path.start] + path.steps.map(\.to) where !view.isDrawn(nodeID(i)) {
            let k = kind(i)
            var a = GraphStyle.attributes(k.kind, dangerous: k.dangerous)
            a["label"] = k.kind == .fullAuthority
                ? .html(.bold(.text(Label.short(name(i)))) + .lineBreak + .font(size: 8, .text("full authority")))
                : GraphStyle.label(kind: k.kindText, name: name(i))
            a["tooltip"] = Label.tooltip(esc.describe(i))
            view.place(DOTNode(nodeID(i), a), namespace: nil)
            view.legend.kinds.insert(k.kind)
        }
        for step in path.steps {
            view.connect(nodeID(step.from), nodeID(step.to), attributes(step), variant: step.kind.rawValue)
            if step.condition != nil { view.legend.lines.insert(.conditional) }
            view.legend.lines.insert(isRed(step) ? .dangerous : .step)
        }
    }

    /// The external steps of a path beyond the API server: a node for what each reaches (the
    /// Vault path, store or Secret last, drawn as a secret), an edge labelled with the step's kind, dashed when it rests
    /// on what the input does not show.
    func drawTail(_ tail: [ExternalStep], after start: String, into view: inout ViewBuilder) {
        var previous = start
        for (k, step) in tail.enumerated() {
            let id = "ext:" + step.to
            if !view.isDrawn(id) {
                let last = k == tail.count - 1
                var a = GraphStyle.attributes(last ? .secret : .capability, dangerous: false)
                var kindText = "External Secrets"
                var name = step.to
                if last, step.to.hasPrefix("vault:") {
                    kindText = "Vault path"
                    name = String(step.to.dropFirst("vault:".count))
                } else if step.to.hasPrefix("store:") || step.to.hasPrefix("clusterstore:") {
                    kindText = "External Secrets store"
                } else if last, step.to.hasPrefix("secret:") {
                    kindText = "Secret (written by an ExternalSecret)"
                    name = String(step.to.dropFirst("secret:".count))
                } else if last, step.to.hasPrefix("can:get:") {
                    kindText = "get (an object an ExternalSecret writes)"
                }
                // `Vault ROLE as SA`: the role is the name, the service account in the kind line.
                if !last, name.hasPrefix("Vault "), let r = name.firstRange(of: " as ") {
                    kindText = "Vault login as " + name[r.upperBound...]
                    name = String(name[name.index(name.startIndex, offsetBy: 6)..<r.lowerBound])
                }
                a["label"] = GraphStyle.label(kind: kindText, name: name)
                a["tooltip"] = Label.tooltip(([step.to, step.why] + step.evidence).joined(separator: "\n"))
                view.place(DOTNode(id, a), namespace: nil)
                view.legend.kinds.insert(last ? .secret : .capability)
            }
            var lines: [DOTHTML] = [.bold(.text(step.kind.rawValue + (step.condition == nil ? "" : "?") + (step.namespace.map { " in \($0)" } ?? "")))]
            lines += GraphStyle.wrap(Self.certainty(step.condition), width: 34).prefix(3).map { DOTHTML.text(Label.short($0, max: 40)) }
            if let g = step.grant { lines.append(.italic(.text("via " + Label.short(esc.access.bindings[g.binding].displayName, max: 40)))) }
            var a: DOTAttributes = [
                "label": .html(.font(color: GraphStyle.redText, size: 8, .joined(lines, separator: .lineBreak))),
                "color": .text(GraphStyle.red), "penwidth": "1.4",
            ]
            if step.condition != nil {
                a["style"] = "dashed"
                view.legend.lines.insert(.conditional)
            }
            view.legend.lines.insert(.dangerous)
            a["tooltip"] = Label.tooltip(([step.kind.rawValue + ": " + step.why] + step.evidence + [Self.certainty(step.condition)]).joined(separator: "\n"))
            a["labeltooltip"] = a["tooltip"]
            if let b = step.branch {
                // Taken as another identity: the start's path to it, the step from there, and
                // the chain so far joined to what the step reaches by a gray edge (no step).
                draw(b, into: &view)
                view.connect(nodeID(b.end), id, a, variant: step.kind.rawValue)
                var join: DOTAttributes = [
                    "label": .html(.font(color: GraphStyle.gray, size: 8, .text("then"))), "color": .text(GraphStyle.lightGray), "style": "dotted",
                ]
                join["tooltip"] = Label.tooltip("the path goes on from here after \(step.kind.rawValue), taken as \(esc.nodes[b.end])")
                view.connect(previous, id, join, variant: "then")
                view.legend.lines.insert(.step)
            } else {
                view.connect(previous, id, a, variant: step.kind.rawValue)
            }
            previous = id
        }
    }

    /// A path of this many steps or more is drawn top to bottom (`rankdir=TB`): left to right,
    /// its nodes and step labels make a picture too wide to read where it is shrunk to the page
    /// (the HTML report, a README).
    static let topToBottomSteps = 4

    /// Top to bottom when the longest path drawn is long and longer than the number of paths
    /// drawn (many short paths side by side stay left to right: each is a row).
    static func drawsTopToBottom(_ drawn: ArraySlice<PrivilegePath>) -> Bool {
        let longest = drawn.map(\.steps.count).max() ?? 0
        return longest >= topToBottomSteps && longest > drawn.count
    }

    /// Steps granted by a permission, and every step into full authority, are red.
    func isRed(_ step: PathEdge) -> Bool {
        step.kind.isGranted || esc.nodes[step.to] == .fullAuthority
    }

    func attributes(_ step: PathEdge) -> DOTAttributes {
        let red = isRed(step)
        var lines: [DOTHTML] = [
            .bold(.text(step.kind.rawValue + (step.condition == nil ? "" : "?") + (step.namespace.map { " in \($0)" } ?? "")))
        ]
        lines += GraphStyle.wrap(Self.certainty(step.condition), width: 34).prefix(3).map { DOTHTML.text(Label.short($0, max: 40)) }
        if let e = step.evidence.first {
            let role = esc.access.roles[e.role].displayName
            let more = step.evidence.count > 1 ? " (+\(step.evidence.count - 1))" : ""
            if let b = e.binding { lines.append(.italic(.text("via " + Label.short(esc.access.bindings[b].displayName, max: 40)))) }
            lines.append(.italic(.text((e.binding == nil ? "via " : "→ ") + Label.short(role, max: 40) + more)))
        }
        var a: DOTAttributes = [
            "label": .html(.font(color: red ? GraphStyle.redText : GraphStyle.gray, size: 8, .joined(lines, separator: .lineBreak))),
            "color": .text(red ? GraphStyle.red : GraphStyle.lightGray),
        ]
        if red { a["penwidth"] = "1.4" }
        if step.condition != nil { a["style"] = "dashed" }
        var tip = ["\(step.kind.rawValue): \(esc.describe(step.from)) → \(esc.describe(step.to))"]
        tip += step.evidence.map { "because " + esc.describe($0) }
        if let c = step.condition { tip.append(Self.certainty(c)) }
        a["tooltip"] = Label.tooltip(tip.joined(separator: "\n"))
        a["labeltooltip"] = a["tooltip"]
        return a
    }

    func defaultTitle() -> String {
        let starts = Set(paths.map(\.start))
        let ends = Set(paths.map(\.end))
        var t = paths.count == 1 ? "Privilege path" : "Privilege paths"
        if starts.count == 1, let s = starts.first { t += " from \(esc.nodes[s])" }
        if ends.count == 1, let e = ends.first { t += " to \(esc.describe(e))" }
        return t
    }
}
