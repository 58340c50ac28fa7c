public import RBACCore

extension GraphView {
    /// A who-can answer: each allowed subject and the exact grant behind it, subject →
    /// binding → role → rule → the request. `Group system:masters` points at the request
    /// directly: the API server allows it everything ahead of RBAC.
    ///
    /// ```swift
    /// let view = GraphView.whoCan(graph.subjects(allowedTo: request), request: request, in: graph)
    /// ```
    /// Beyond `maxNodes` nodes, the subjects of the bindings with most subjects are collapsed
    /// into one node per binding, then only the first answers are drawn; ``warnings`` says so.
    public static func whoCan(
        _ subjects: [AllowedSubject], request: Request, in graph: AccessGraph, maxNodes: Int = defaultMaxNodes
    ) -> GraphView {
        WhoCanView(graph: graph, request: request, rows: subjects.map { (nil, $0) }, maxNodes: max(1, maxNodes)).build()
    }

    /// A who-can answer over every namespace (`who-can -A`): the rows of
    /// ``AccessGraph/subjectsInAnyNamespace(allowedTo:)``, each with the namespace its grant
    /// holds in (`""` for cluster-wide).
    public static func whoCan(
        inAnyNamespace rows: [(namespace: String, subject: AllowedSubject)], request: ResourceRequest, in graph: AccessGraph,
        maxNodes: Int = defaultMaxNodes
    ) -> GraphView {
        WhoCanView(
            graph: graph, request: .resource(request), rows: rows.map { (Optional($0.namespace), $0.subject) },
            maxNodes: max(1, maxNodes), anyNamespace: true
        ).build()
    }
}

/// Builds the who-can views.
struct WhoCanView {
    let graph: AccessGraph
    let request: Request
    let rows: [(scope: String?, subject: AllowedSubject)]
    let maxNodes: Int
    var anyNamespace = false

    static let requestID = "request"

    func ruleID(_ g: Grant) -> String { "rule:\(graph.roles[g.role].displayName)#\(g.ruleIndex)" }

    /// Nodes drawn when the subjects of the given bindings are collapsed and only `limit` rows
    /// are drawn.
    func count(collapsed: Set<BindingID>, limit: Int) -> Int {
        var ids: Set<String> = [Self.requestID]
        var groups = Set<BindingID>()
        for (scope: _, subject: s) in rows.prefix(limit) {
            guard let g = s.grant else {
                ids.insert(s.subject.canonical.notation)
                continue
            }
            if collapsed.contains(g.binding) { groups.insert(g.binding) } else { ids.insert(s.subject.canonical.notation) }
            ids.insert("binding:" + graph.bindings[g.binding].displayName)
            ids.insert("role:" + graph.roles[g.role].displayName)
            ids.insert(ruleID(g))
        }
        return ids.count + groups.count + (collapsed.isEmpty && limit >= rows.count ? 0 : 1)
    }

    func plan() -> (collapsed: Set<BindingID>, limit: Int) {
        if count(collapsed: [], limit: rows.count) <= maxNodes { return ([], rows.count) }
        var perBinding: [BindingID: Int] = [:]
        for row in rows { if let g = row.subject.grant { perBinding[g.binding, default: 0] += 1 } }
        let order = perBinding.filter { $0.value > 1 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        if let k = AccessView.smallest(order.count, { count(collapsed: Set(order.prefix($0)), limit: rows.count) <= maxNodes }) {
            return (Set(order.prefix(k)), rows.count)
        }
        let all = Set(order)
        let tooMany = AccessView.smallest(rows.count) { count(collapsed: all, limit: $0) > maxNodes } ?? (rows.count + 1)
        return (all, max(0, tooMany - 1))
    }

    func build() -> GraphView {
        let (collapsed, limit) = plan()
        var view = ViewBuilder(name: "who_can")

        let dangerousRequest = isDangerous(request)
        var requestAttributes = GraphStyle.attributes(.request, dangerous: dangerousRequest)
        requestAttributes["label"] = GraphStyle.label(kind: "request", name: verbAndResource(), extra: [.font(size: 8, .text(scopeText()))])
        requestAttributes["tooltip"] = Label.tooltip(request.description)
        view.legend.kinds.insert(.request)
        view.legend.lines.insert(.grant)
        if dangerousRequest { view.legend.lines.insert(.dangerous) }
        let toRequest: DOTAttributes = dangerousRequest ? ["color": .text(GraphStyle.red), "penwidth": "1.4"] : [:]

        var groupsOf: [BindingID: [String]] = [:]
        var groupOrder: [BindingID] = []
        for (scope: _, subject: allowed) in rows.prefix(limit) {
            let s = allowed.subject
            let sid = s.canonical.notation
            let kind = AccessView.subjectKind(s)
            guard let g = allowed.grant else {
                // system:masters, ahead of RBAC.
                var a = GraphStyle.attributes(kind, dangerous: true)
                a["label"] = GraphStyle.label(kind: s.kind, name: s.name, extra: membersLine(s))
                a["tooltip"] = Label.tooltip("\(s.displayName): allowed everything by the API server, ahead of RBAC")
                view.place(DOTNode(sid, a), namespace: nil)
                view.legend.kinds.insert(kind)
                view.legend.lines.insert(.dangerous)
                view.connect(sid, Self.requestID, [
                    "color": .text(GraphStyle.red), "penwidth": "1.4",
                    "label": .html(.font(color: GraphStyle.redText, size: 8, .text("API server: allowed everything"))),
                ])
                continue
            }
            let b = graph.bindings[g.binding]
            let role = graph.roles[g.role]
            let bid = "binding:" + b.displayName
            let rid = "role:" + role.displayName
            let ruleID = ruleID(g)

            var ba = GraphStyle.attributes(.binding)
            ba["label"] = GraphStyle.label(kind: b.kind.rawValue, name: b.name)
            ba["tooltip"] = Label.tooltip(b.displayName + (b.source.map { "\n\($0)" } ?? ""))
            view.place(DOTNode(bid, ba), namespace: b.namespace)

            let full = Permissions.isFullAuthority(role)
            var ra = GraphStyle.attributes(role.kind == .clusterRole ? .clusterRole : .role, dangerous: full)
            ra["label"] = GraphStyle.label(
                kind: role.kind.rawValue + (role.aggregationRule != nil ? " (aggregated)" : ""), name: role.name,
                extra: full ? [.font(color: GraphStyle.redText, size: 8, .bold(.text("full authority")))] : [])
            ra["tooltip"] = Label.tooltip(role.displayName + (role.source.map { "\n\($0)" } ?? ""))
            view.place(DOTNode(rid, ra), namespace: role.namespace)

            let rule = role.rules[g.ruleIndex]
            let ruleDangerous = Permissions.lines(of: [rule]).contains { $0.danger != nil }
            var rua = GraphStyle.attributes(.rule)
            let summary = DOTHTML.text(Label.short(Self.summary(rule), max: 60))
            rua["label"] = .html(
                .font(color: GraphStyle.gray, size: 8, .text("rule \(g.ruleIndex)")) + .lineBreak
                    + (ruleDangerous ? .font(color: GraphStyle.redText, summary) : summary))
            rua["tooltip"] = Label.tooltip("\(role.displayName) rule \(g.ruleIndex): \(rule.compactDescription)")
            view.place(DOTNode(ruleID, rua), namespace: role.namespace)

            view.legend.kinds.formUnion([.binding, role.kind == .clusterRole ? .clusterRole : .role, .rule, kind])
            if ruleDangerous || full { view.legend.lines.insert(.dangerous) }
            view.connect(bid, rid, full ? ["color": .text(GraphStyle.red), "penwidth": "1.4"] : [:])
            view.connect(rid, ruleID)
            view.connect(ruleID, Self.requestID, toRequest)

            if collapsed.contains(g.binding) {
                if groupsOf[g.binding] == nil { groupOrder.append(g.binding) }
                groupsOf[g.binding, default: []].append(s.displayName)
            } else {
                var a = GraphStyle.attributes(kind)
                a["label"] = GraphStyle.label(kind: s.kind, name: s.name, extra: membersLine(s))
                a["tooltip"] = Label.tooltip(tooltip(for: s))
                view.place(DOTNode(sid, a), namespace: s.isKind(.serviceAccount) ? s.namespace : nil)
                view.connect(sid, bid)
            }
        }
        for b in groupOrder {
            let names = groupsOf[b] ?? []
            let id = "collapsed-subjects:" + graph.bindings[b].displayName
            var a = GraphStyle.attributes(.collapsed)
            a["label"] = .html(.joined([
                .font(color: GraphStyle.gray, size: 8, .text("collapsed")), .bold(.text(Label.count(names.count, "subject"))),
                .font(size: 8, .text(Label.short(Label.list(names, limit: 3), max: 60))),
            ], separator: .lineBreak))
            a["tooltip"] = Label.tooltip(names.joined(separator: "\n"))
            view.place(DOTNode(id, a), namespace: graph.bindings[b].namespace)
            view.legend.kinds.insert(.collapsed)
            view.connect(id, "binding:" + graph.bindings[b].displayName)
        }
        view.place(DOTNode(Self.requestID, requestAttributes), namespace: nil)

        var said: [String] = []
        if !groupOrder.isEmpty {
            said.append("the subjects of \(Label.count(groupOrder.count, "binding")) collapsed into one node each")
        }
        if limit < rows.count { said.append("only the first \(limit) of \(rows.count) answers drawn") }
        if !said.isEmpty {
            let message = "the answer has more than \(maxNodes) nodes: " + said.joined(separator: "; ") + "."
            view.warn(message)
            view.legend.kinds.insert(.collapsed)
        }

        return view.finish(title: "Who can " + requestText())
    }

    /// `N known members` for a group whose members the input shows.
    func membersLine(_ s: Subject) -> [DOTHTML] {
        guard s.isKind(.group) else { return [] }
        let n = graph.knownMembers(ofGroup: s.name).count
        return n == 0 ? [] : [.font(color: GraphStyle.gray, size: 8, .text(Label.count(n, "known member")))]
    }

    func tooltip(for s: Subject) -> String {
        guard s.isKind(.group) else { return s.displayName }
        let members = graph.knownMembers(ofGroup: s.name)
        return members.isEmpty ? s.displayName : s.displayName + "\nknown members:\n" + members.joined(separator: "\n")
    }

    /// `get secrets`, `create pods/exec`, `get /metrics`.
    func verbAndResource() -> String {
        switch request {
        case .nonResource(let verb, let path): return "\(verb) \(path)"
        case .resource(let r):
            return "\(r.verb) \(r.combinedResource)" + (r.apiGroup.isEmpty ? "" : ".\(r.apiGroup)") + (r.name.isEmpty ? "" : " \(r.name)")
        }
    }

    func scopeText() -> String {
        if anyNamespace { return "in any namespace" }
        switch request {
        case .nonResource: return "non-resource URL"
        case .resource(let r): return r.namespace.isEmpty ? "cluster-wide" : "in namespace \(r.namespace)"
        }
    }

    /// `get secrets in namespace prod?`, `list nodes cluster-wide?`, `get /metrics?`.
    func requestText() -> String {
        if case .nonResource = request { return verbAndResource() + "?" }
        return verbAndResource() + " " + scopeText() + "?"
    }

    func isDangerous(_ request: Request) -> Bool {
        switch request {
        case .nonResource(let verb, let path): return verb == "*" || path == "*"
        case .resource(let r):
            return EscalationPermission.danger(verbs: [r.verb], apiGroup: r.apiGroup, resource: r.combinedResource, resourceNames: r.name.isEmpty ? [] : [r.name]) != nil
        }
    }

    /// A rule in a line: `get,list secrets`, `* *.*`, `get /metrics` (the form of the who-can
    /// table).
    static func summary(_ rule: PolicyRule) -> String { rule.summary }
}
