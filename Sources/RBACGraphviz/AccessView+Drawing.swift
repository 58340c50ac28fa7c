// The access view drawn: its nodes, edges, collapsed parts and notes, through the shared ViewBuilder.

import RBACCore

extension AccessView {
    func build() -> GraphView {
        let rows = rows()
        let extraRoles = unboundSelectedRoles(rows: rows)
        let plan = plan(rows, extraRoles: extraRoles)

        var view = ViewBuilder(name: "access")

        // Collapsed parts, gathered while drawing.
        struct NamespaceSummary {
            var bindings = 0
            var roles = Set<String>()
            var subjects = Set<String>()
            var clusterRoles: [String] = []
        }
        var nsSummaries: [String: NamespaceSummary] = [:]
        var roleGroups: [String: (bindings: [Int], subjects: [String], target: String, namespace: String?)] = [:]
        var roleGroupOrder: [String] = []

        struct HiddenRoles {
            var roles: [String] = []
            var bindings = 0
            var subjects = Set<String>()
            var dangerous = 0
        }
        var hidden = HiddenRoles()
        var hiddenSeen = Set<String>()

        for row in rows {
            let b = graph.bindings[row.binding]
            if let ns = b.namespace, plan.collapsedNamespaces.contains(ns) {
                var s = nsSummaries[ns] ?? NamespaceSummary()
                s.bindings += 1
                for e in row.subjects { s.subjects.insert(e.id) }
                switch row.target {
                case .role(let r):
                    let role = graph.roles[r]
                    if role.kind == .role { s.roles.insert(role.name) } else if !s.clusterRoles.contains(role.name) {
                        s.clusterRoles.append(role.name)
                    }
                case .missing: break
                }
                nsSummaries[ns] = s
                continue
            }
            let key = roleKey(row)
            if plan.hiddenRoles.contains(key) {
                if hiddenSeen.insert(key).inserted {
                    hidden.roles.append(Self.displayName(fromKey: key))
                    if dangerLevel(row) > 0 { hidden.dangerous += 1 }
                }
                hidden.bindings += 1
                for e in row.subjects { hidden.subjects.insert(e.id) }
                continue
            }
            let target = targetID(row)
            if !view.isDrawn(target) { drawTarget(row, into: &view) }
            if case .role(let r) = row.target {
                view.legend.kinds.insert(graph.roles[r].kind == .clusterRole ? .clusterRole : .role)
                if !view.isDrawn(permissionsID(r)) { drawPermissions(r, into: &view) }
            } else {
                view.legend.lines.insert(.warning)
            }

            if plan.summarizedRoles.contains(key) {
                if roleGroups[key] == nil { roleGroupOrder.append(key) }
                var group = roleGroups[key] ?? ([], [], target, targetNamespace(row))
                group.bindings.append(row.binding)
                for e in row.subjects where !group.subjects.contains(e.id) { group.subjects.append(e.id) }
                roleGroups[key] = group
                continue
            }

            // The binding.
            let bid = bindingID(row.binding)
            var a = GraphStyle.attributes(.binding)
            a["label"] = GraphStyle.label(
                kind: b.kind.rawValue, name: b.name,
                extra: row.subjects.isEmpty && filter.subject == nil ? [GraphStyle.warningLine("no subjects")] : [])
            a["tooltip"] = Label.tooltip(b.displayName + (b.source.map { "\n\($0)" } ?? ""))
            view.place(DOTNode(bid, a), namespace: b.namespace)
            view.legend.kinds.insert(.binding)
            view.legend.lines.insert(.grant)
            var toTarget: DOTAttributes = [:]
            if case .role(let r) = row.target, Permissions.isFullAuthority(graph.roles[r]) {
                toTarget = ["color": .text(GraphStyle.red), "penwidth": "1.4"]
            } else if case .missing = row.target {
                toTarget = ["color": .text(GraphStyle.warningColor), "style": "dotted", "penwidth": "1.4"]
            }
            view.connect(bid, target, toTarget)

            // Its subjects.
            for e in row.subjects {
                if !view.isDrawn(e.id) { drawSubject(e, into: &view) }
                view.legend.kinds.insert(e.kind)
                if e.nobody != nil {
                    view.legend.lines.insert(.warning)
                    view.connect(e.id, bid, ["color": .text(GraphStyle.warningColor), "style": "dotted", "penwidth": "1.4"])
                } else {
                    view.connect(e.id, bid)
                }
            }
        }

        // Roles the filter names that nothing binds.
        for r in extraRoles {
            let row = Row(binding: -1, subjects: [], target: .role(r))
            drawTarget(row, into: &view, unbound: true)
            view.legend.kinds.insert(graph.roles[r].kind == .clusterRole ? .clusterRole : .role)
            drawPermissions(r, into: &view)
            view.warnings.append("\(graph.roles[r].displayName) is bound by no binding: it grants nothing")
        }

        // Role groups: their bindings and subjects as one node.
        for key in roleGroupOrder {
            guard let g = roleGroups[key] else { continue }
            let id = "collapsed-bindings:" + key
            var a = GraphStyle.attributes(.collapsed)
            let names = g.subjects  // subject IDs read as names: user:alice, sa:prod/api
            a["label"] = .html(.joined([
                .font(color: GraphStyle.gray, size: 8, .text("collapsed")),
                .bold(.text(Label.count(g.bindings.count, "binding") + " · " + Label.count(g.subjects.count, "subject"))),
                .font(size: 8, .text(Label.short(Label.list(names, limit: 3), max: 60))),
            ], separator: .lineBreak))
            a["tooltip"] = Label.tooltip(
                g.bindings.map { graph.bindings[$0].displayName }.joined(separator: "\n") + "\n\nsubjects:\n" + names.joined(separator: "\n"))
            view.place(DOTNode(id, a), namespace: g.namespace)
            view.legend.kinds.insert(.collapsed)
            view.connect(id, g.target)
        }

        // Roles left out.
        if !hidden.roles.isEmpty {
            var a = GraphStyle.attributes(.collapsed)
            var lines: [DOTHTML] = [
                .font(color: GraphStyle.gray, size: 8, .text("collapsed")),
                .bold(.text(Label.count(hidden.roles.count, "role"))),
                .font(size: 8, .text(Label.count(hidden.bindings, "binding") + " · " + Label.count(hidden.subjects.count, "subject"))),
            ]
            lines.append(.font(
                color: hidden.dangerous > 0 ? GraphStyle.redText : GraphStyle.gray, size: 8,
                .text(hidden.dangerous > 0 ? "\(hidden.dangerous) of them dangerous" : "none dangerous")))
            a["label"] = .html(.joined(lines, separator: .lineBreak))
            a["tooltip"] = Label.tooltip(hidden.roles.joined(separator: "\n"))
            view.place(DOTNode("collapsed-roles", a), namespace: nil)
            view.legend.kinds.insert(.collapsed)
        }

        // Collapsed namespaces.
        let collapsedNamespaces = nsSummaries.keys.sorted()
        if !collapsedNamespaces.isEmpty {
            view.legend.kinds.insert(.collapsed)
            if plan.mergeNamespaces {
                let totalBindings = nsSummaries.values.reduce(0) { $0 + $1.bindings }
                let subjects = nsSummaries.values.reduce(into: Set<String>()) { $0.formUnion($1.subjects) }
                var a = GraphStyle.attributes(.collapsed)
                a["label"] = .html(.joined([
                    .font(color: GraphStyle.gray, size: 8, .text("collapsed")),
                    .bold(.text(Label.count(collapsedNamespaces.count, "namespace"))),
                    .font(size: 8, .text(Label.count(totalBindings, "RoleBinding") + " · " + Label.count(subjects.count, "subject"))),
                    .font(size: 8, .text(Label.short(Label.list(collapsedNamespaces, limit: 4), max: 60))),
                ], separator: .lineBreak))
                a["tooltip"] = Label.tooltip(collapsedNamespaces.joined(separator: "\n"))
                view.place(DOTNode("collapsed-namespaces", a), namespace: nil)
            } else {
                for ns in collapsedNamespaces {
                    guard let s = nsSummaries[ns] else { continue }
                    var lines: [DOTHTML] = [
                        .font(color: GraphStyle.gray, size: 8, .text("collapsed")),
                        .bold(.text(Label.count(s.bindings, "RoleBinding"))),
                        .font(size: 8, .text(Label.count(s.subjects.count, "subject") + " · " + Label.count(s.roles.count, "Role"))),
                    ]
                    if !s.clusterRoles.isEmpty {
                        lines.append(.font(size: 8, .text(Label.short("ClusterRoles: " + Label.list(s.clusterRoles, limit: 3), max: 60))))
                    }
                    var a = GraphStyle.attributes(.collapsed)
                    a["label"] = .html(.joined(lines, separator: .lineBreak))
                    a["tooltip"] = Label.tooltip("namespace \(ns): \(s.bindings) RoleBindings collapsed")
                    view.place(DOTNode("collapsed-namespace:" + ns, a), namespace: ns)
                }
            }
        }

        // What was collapsed, said on the picture and to the caller.
        var said: [String] = []
        if !collapsedNamespaces.isEmpty {
            said.append(
                "\(Label.count(collapsedNamespaces.count, "namespace")) collapsed, largest first"
                    + (plan.mergeNamespaces ? " (into one node)" : "") + ": " + Label.list(collapseOrder(rows, plan), limit: 6))
        }
        if !roleGroupOrder.isEmpty {
            said.append(
                "the bindings and subjects of \(Label.count(roleGroupOrder.count, "role")) collapsed into one node per role, most bound first: "
                    + Label.list(roleGroupOrder.map { Self.displayName(fromKey: $0) }, limit: 4))
        }
        if !hidden.roles.isEmpty {
            said.append(
                "\(Label.count(hidden.roles.count, "role")) (\(Label.count(hidden.bindings, "binding"))) collapsed into one node, least dangerous first"
                    + (hidden.dangerous > 0 ? " (\(hidden.dangerous) of them dangerous)" : " (none dangerous)") + ": "
                    + Label.list(hidden.roles, limit: 4))
        }
        if !said.isEmpty {
            let message = "the graph is larger than the budget of \(maxNodes) nodes and \(maxEdges) edges: " + said.joined(separator: "; ")
                + ". Narrow it with -n NAMESPACE, --subject or --role, or raise --max-nodes."
            view.warnings.insert(message, at: 0)
            view.legend.notes.append(message)
        }
        if rows.isEmpty && extraRoles.isEmpty {
            let message = "nothing to draw: no binding matches" + (filter.isEmpty ? "" : " the filter (\(filterDescription()))")
            view.warn(message)
        }
        return view.finish(title: title())
    }

    func drawTarget(_ row: Row, into view: inout ViewBuilder, unbound: Bool = false) {
        switch row.target {
        case .role(let r):
            let role = graph.roles[r]
            let full = Permissions.isFullAuthority(role)
            var a = GraphStyle.attributes(role.kind == .clusterRole ? .clusterRole : .role, dangerous: full)
            var extra: [DOTHTML] = []
            if full { extra.append(.font(color: GraphStyle.redText, size: 8, .bold(.text("full authority")))) }
            if unbound { extra.append(GraphStyle.warningLine("bound by no binding")) }
            a["label"] = GraphStyle.label(
                kind: role.kind.rawValue + (role.aggregationRule != nil ? " (aggregated)" : ""), name: role.name, extra: extra)
            a["tooltip"] = Label.tooltip(role.displayName + (role.source.map { "\n\($0)" } ?? ""))
            view.place(DOTNode(roleID(r), a), namespace: role.namespace)
        case .missing(let message):
            let b = graph.bindings[row.binding]
            let kind: GraphNodeKind = b.roleRef.kind == "ClusterRole" ? .clusterRole : .role
            var a = GraphStyle.attributes(kind, warning: true)
            a["label"] = GraphStyle.label(
                kind: b.roleRef.kind + " (missing)", name: b.roleRef.name, extra: [GraphStyle.warningLine("not found: grants nothing")],
                kindColor: GraphStyle.warningColor)
            a["tooltip"] = Label.tooltip(message)
            view.place(DOTNode(missingID(row.binding), a), namespace: missingNamespace(row.binding))
        }
    }

    /// A role's permissions note, and the edge to it (red when a line is dangerous).
    func drawPermissions(_ r: Int, into view: inout ViewBuilder) {
        let lines = Permissions.lines(of: graph.roles[r].rules)
        let dangerous = lines.contains { $0.danger != nil }
        var a = GraphStyle.attributes(.permissions)
        a["label"] = .html(Permissions.label(lines))
        a["tooltip"] = Label.tooltip(graph.roles[r].displayName + "\n" + Permissions.tooltip(lines))
        view.place(DOTNode(permissionsID(r), a), namespace: graph.roles[r].namespace)
        view.legend.kinds.insert(.permissions)
        if dangerous { view.legend.lines.insert(.dangerous) }
        view.connect(roleID(r), permissionsID(r), dangerous ? ["color": .text(GraphStyle.red), "penwidth": "1.4"] : [:])
    }

    func drawSubject(_ e: SubjectEntry, into view: inout ViewBuilder) {
        var a = GraphStyle.attributes(e.kind, warning: e.nobody != nil)
        if let nobody = e.nobody {
            a["label"] = GraphStyle.label(
                kind: "kind \"\(e.subject.kind)\"", name: e.subject.name, extra: [GraphStyle.warningLine("matches nobody")],
                kindColor: GraphStyle.warningColor)
            a["tooltip"] = Label.tooltip(nobody)
        } else {
            a["label"] = GraphStyle.label(kind: e.subject.kind, name: e.subject.name)
            a["tooltip"] = Label.tooltip(e.subject.displayName)
        }
        view.place(DOTNode(e.id, a), namespace: e.namespace)
    }

    /// `ClusterRole/view` for `role:ClusterRole/view`; `missing:Role/prod/x` stays.
    static func displayName(fromKey key: String) -> String {
        if key.hasPrefix("role:") { return String(key.dropFirst(5)) }
        return key
    }

    func title() -> String {
        var t = "Access graph"
        if !filter.isEmpty { t += " — " + filterDescription() }
        return t
    }

    func filterDescription() -> String {
        var parts: [String] = []
        if let ns = filter.namespace { parts.append("namespace \(ns)") }
        if let s = filter.subject { parts.append("subject \(s)") }
        if let r = filter.role { parts.append("role \(r)") }
        return parts.joined(separator: ", ")
    }
}
