public import RBACCore

extension GraphView {
    /// The access graph: subjects → bindings → roles → permissions (verbs grouped by
    /// resource), namespaces as clusters, and a legend.
    ///
    /// Bindings whose roleRef does not resolve point to a dotted "missing" role; subjects that
    /// can match no one (an unknown kind, a ServiceAccount without namespace in a
    /// ClusterRoleBinding) are drawn dotted with a warning. Dangerous grants are red.
    ///
    /// Beyond `maxNodes` nodes or twice as many edges the view collapses, in this order, until
    /// it fits: the largest namespaces into one node each (all of them into a single node if
    /// even that is too many), then the bindings and subjects of the most-bound roles into
    /// one node per role, then whole roles, least dangerous first, into one node. What was
    /// collapsed is written in a note on the picture and in ``warnings``.
    ///
    /// - Complexity: O(b · s · log b) for b bindings with s subjects each.
    public static func access(_ graph: AccessGraph, filter: AccessFilter = AccessFilter(), maxNodes: Int = defaultMaxNodes)
        -> GraphView
    {
        AccessView(graph: graph, filter: filter, maxNodes: max(1, maxNodes)).build()
    }
}

/// Builds ``GraphView/access(_:filter:maxNodes:)``.
struct AccessView {
    let graph: AccessGraph
    let filter: AccessFilter
    let maxNodes: Int

    // MARK: Selection

    struct SubjectEntry {
        var id: String
        var kind: GraphNodeKind
        /// The subject as drawn (the effective one: a ServiceAccount gets its namespace).
        var subject: Subject
        /// The cluster it is drawn in.
        var namespace: String?
        /// Why it matches no one; nil when it matches someone.
        var nobody: String?
    }

    enum Target {
        case role(Int)
        case missing(String)
    }

    struct Row {
        var binding: Int
        var subjects: [SubjectEntry]
        var target: Target
    }

    func bindingID(_ b: Int) -> String { "binding:" + graph.bindings[b].displayName }
    func roleID(_ r: Int) -> String { "role:" + graph.roles[r].displayName }
    func permissionsID(_ r: Int) -> String { "permissions:" + graph.roles[r].displayName }
    /// The node of a roleRef that does not resolve: one per missing role, shared by the
    /// bindings that name it (`missing:Role/prod/auditor`, `missing:ClusterRole/gone`).
    func missingID(_ b: Int) -> String {
        let binding = graph.bindings[b]
        if binding.roleRef.kind.isExactlyEqual(to: "ClusterRole") { return "missing:ClusterRole/" + binding.roleRef.name }
        return "missing:\(binding.roleRef.kind)/\(binding.namespace ?? "")/\(binding.roleRef.name)"
    }

    /// Where the missing role's node goes: a ClusterRole outside the namespaces, anything else
    /// in the binding's namespace.
    func missingNamespace(_ b: Int) -> String? {
        let binding = graph.bindings[b]
        return binding.roleRef.kind.isExactlyEqual(to: "ClusterRole") ? nil : binding.namespace
    }

    func targetID(_ row: Row) -> String {
        switch row.target {
        case .role(let r): return roleID(r)
        case .missing: return missingID(row.binding)
        }
    }

    /// The key rows are collapsed by: the role, or the roleRef of a missing one.
    func roleKey(_ row: Row) -> String { targetID(row) }

    /// The namespace box the role (or missing role) of a row is drawn in.
    func targetNamespace(_ row: Row) -> String? {
        switch row.target {
        case .role(let r): return graph.roles[r].namespace
        case .missing: return missingNamespace(row.binding)
        }
    }

    static func subjectID(_ s: Subject) -> String {
        switch s.kind {
        case "User": return "user:" + s.name
        case "Group": return "group:" + s.name
        default: return "sa:" + s.namespace + "/" + s.name
        }
    }

    static func subjectKind(_ kind: String) -> GraphNodeKind {
        switch kind {
        case "Group": return .group
        case "ServiceAccount": return .serviceAccount
        default: return .user
        }
    }

    /// Whether a binding subject is the filtered identity (or one of its groups).
    func matchesFilter(_ s: Subject, bindingNamespace: String) -> Bool {
        guard let node = filter.subject else { return true }
        switch node {
        case .group(let g): return s.kind == "Group" && s.name.isExactlyEqual(to: g)
        default:
            guard let identity = node.identity else { return false }
            return s.applies(to: identity, bindingNamespace: bindingNamespace)
        }
    }

    func rows() -> [Row] {
        var rows: [Row] = []
        for (i, b) in graph.bindings.enumerated() {
            if let ns = filter.namespace, b.kind == .roleBinding, !(b.namespace ?? "").isExactlyEqual(to: ns) { continue }
            let target: Target
            switch graph.resolutions[i] {
            case .role(let r):
                if let sel = filter.role, !sel.matches(graph.roles[r]) { continue }
                target = .role(r.index)
            case .error(let message):
                if let sel = filter.role, !sel.matches(roleRef: b.roleRef, bindingNamespace: b.namespace) { continue }
                target = .missing(message)
            }
            let ns = b.namespace ?? ""
            var subjects: [SubjectEntry] = []
            for (j, s) in b.subjects.enumerated() where matchesFilter(s, bindingNamespace: ns) {
                if let e = s.effective(bindingNamespace: ns) {
                    subjects.append(SubjectEntry(
                        id: Self.subjectID(e.canonical), kind: Self.subjectKind(e.kind), subject: e,
                        namespace: e.kind == "ServiceAccount" ? e.namespace : nil, nobody: nil))
                } else {
                    let reason = s.kind == "ServiceAccount"
                        ? "a ServiceAccount without namespace in a ClusterRoleBinding matches nobody"
                        : "kind \"\(s.kind)\" matches nobody (User, Group or ServiceAccount)"
                    subjects.append(SubjectEntry(
                        id: "nobody:\(b.displayName)#\(j)", kind: Self.subjectKind(s.kind), subject: s, namespace: b.namespace,
                        nobody: reason))
                }
            }
            if filter.subject != nil && subjects.isEmpty { continue }
            rows.append(Row(binding: i, subjects: subjects, target: target))
        }
        return rows
    }

    /// Roles the role filter selects that no binding grants (drawn alone).
    func unboundSelectedRoles(rows: [Row]) -> [Int] {
        guard let sel = filter.role, filter.subject == nil else { return [] }
        var bound = Set<Int>()
        for row in rows { if case .role(let r) = row.target { bound.insert(r) } }
        return graph.roles.indices.filter { sel.matches(graph.roles[$0]) && !bound.contains($0) }
    }

    // MARK: Collapsing

    struct Plan {
        var collapsedNamespaces: Set<String> = []
        /// All collapsed namespaces drawn as one node.
        var mergeNamespaces = false
        /// Roles whose bindings and subjects are drawn as one node.
        var summarizedRoles: Set<String> = []
        /// Roles left out with their permissions, bindings and the subjects only they reach,
        /// all counted in one node.
        var hiddenRoles: Set<String> = []

        var collapsesAnything: Bool { !collapsedNamespaces.isEmpty || !summarizedRoles.isEmpty || !hiddenRoles.isEmpty }
    }

    /// The nodes and edges a plan draws.
    func measure(_ rows: [Row], _ plan: Plan, extraRoles: [Int]) -> (nodes: Int, edges: Int) {
        var ids = Set<String>()
        var edges = Set<String>()
        var namespaces = Set<String>()
        var summaries = Set<String>()
        var hidden = false
        for row in rows {
            if let ns = graph.bindings[row.binding].namespace, plan.collapsedNamespaces.contains(ns) {
                namespaces.insert(ns)
                continue
            }
            let key = roleKey(row)
            if plan.hiddenRoles.contains(key) {
                hidden = true
                continue
            }
            let target = targetID(row)
            if plan.summarizedRoles.contains(key) {
                if summaries.insert(key).inserted { edges.insert(key) }
            } else {
                let b = bindingID(row.binding)
                ids.insert(b)
                edges.insert(b + "\u{0}" + target)
                for s in row.subjects {
                    ids.insert(s.id)
                    edges.insert(s.id + "\u{0}" + b)
                }
            }
            ids.insert(target)
            if case .role(let r) = row.target, ids.insert(permissionsID(r)).inserted { edges.insert(target + "\u{0}p") }
        }
        var nodes = ids.count + summaries.count + extraRoles.count * 2 + (hidden ? 1 : 0)
        nodes += plan.mergeNamespaces ? min(1, namespaces.count) : namespaces.count
        return (nodes, edges.count + extraRoles.count)
    }

    /// Whether a plan fits the budget: at most ``maxNodes`` nodes and ``maxEdges`` edges.
    func fits(_ rows: [Row], _ plan: Plan, extraRoles: [Int]) -> Bool {
        let m = measure(rows, plan, extraRoles: extraRoles)
        return m.nodes <= maxNodes && m.edges <= maxEdges
    }

    /// Edges allowed: twice the nodes. Beyond that a picture is a hairball even with few
    /// nodes (many subjects in many bindings).
    var maxEdges: Int { maxNodes > Int.max / 2 ? Int.max : 2 * maxNodes }  // no overflow for a huge --max-nodes

    /// The smallest `k` in `1...n` for which `fits(k)`, or nil (`fits` is monotone).
    static func smallest(_ n: Int, _ fits: (Int) -> Bool) -> Int? {
        guard n > 0, fits(n) else { return nil }
        var lo = 1, hi = n
        while lo < hi {
            let mid = (lo + hi) / 2
            if fits(mid) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// How dangerous a role is, for the order roles are collapsed in (least first): 0
    /// nothing dangerous, 1 a missing role (worth seeing) or some dangerous permission, 2
    /// full authority.
    func dangerLevel(_ row: Row) -> Int {
        switch row.target {
        case .missing: return 1
        case .role(let r):
            let role = graph.roles[r]
            if Permissions.isFullAuthority(role) { return 2 }
            return Permissions.lines(of: role.rules).contains { $0.danger != nil } ? 1 : 0
        }
    }

    /// What to collapse so that the view fits in ``maxNodes``, in this order:
    /// 1. namespaces, largest first, one node each (all in one node if that is still too
    ///    many); never the namespace asked for with `-n`;
    /// 2. the bindings and subjects of the most-bound roles, one node per role;
    /// 3. whole roles, least dangerous first, into one node.
    func plan(_ rows: [Row], extraRoles: [Int]) -> Plan {
        func fits(_ p: Plan) -> Bool { self.fits(rows, p, extraRoles: extraRoles) }
        var plan = Plan()
        if fits(plan) { return plan }

        // 1. Namespaces.
        let namespaces = namespacesBySize(rows)
        func withNamespaces(_ k: Int, merged: Bool) -> Plan {
            var p = Plan()
            p.collapsedNamespaces = Set(namespaces.prefix(k))
            p.mergeNamespaces = merged
            return p
        }
        if let k = Self.smallest(namespaces.count, { fits(withNamespaces($0, merged: false)) }) {
            return withNamespaces(k, merged: false)
        }
        if let k = Self.smallest(namespaces.count, { fits(withNamespaces($0, merged: true)) }) {
            return withNamespaces(k, merged: true)
        }
        plan = withNamespaces(namespaces.count, merged: !namespaces.isEmpty)

        // 2. Bindings and subjects per role, most-bound first (roles with at least two
        //    bindings and subjects: one would save nothing).
        var size: [String: Int] = [:]
        var level: [String: Int] = [:]
        for row in rows {
            if let ns = graph.bindings[row.binding].namespace, plan.collapsedNamespaces.contains(ns) { continue }
            let key = roleKey(row)
            size[key, default: 0] += 1 + row.subjects.count
            if level[key] == nil { level[key] = dangerLevel(row) }
        }
        let bySize = size.keys.filter { size[$0]! > 2 }.sorted { (size[$0]!, $1) > (size[$1]!, $0) }
        func summarizing(_ k: Int, _ base: Plan) -> Plan {
            var p = base
            p.summarizedRoles = Set(bySize.prefix(k))
            return p
        }
        if let k = Self.smallest(bySize.count, { fits(summarizing($0, plan)) }) { return summarizing(k, plan) }

        // 3. Whole roles, least dangerous first, then largest first; then as few summaries as
        //    still fit.
        let byDanger = size.keys.sorted { (level[$0]!, -size[$0]!, $0) < (level[$1]!, -size[$1]!, $1) }
        let summarizedAll = summarizing(bySize.count, plan)
        func hiding(_ k: Int, _ base: Plan) -> Plan {
            var p = base
            p.hiddenRoles = Set(byDanger.prefix(k))
            return p
        }
        let k = Self.smallest(byDanger.count) { fits(hiding($0, summarizedAll)) } ?? byDanger.count
        let hidden = hiding(k, plan)
        if fits(hidden) { return hidden }
        let s = Self.smallest(bySize.count) { fits(summarizing($0, hidden)) } ?? bySize.count
        return summarizing(s, hidden)
    }

    // MARK: Drawing

    func build() -> GraphView {
        let rows = rows()
        let extraRoles = unboundSelectedRoles(rows: rows)
        let plan = plan(rows, extraRoles: extraRoles)
        var warnings: [String] = []

        var doc = GraphStyle.document(name: "access")
        var legend = Legend()
        var topLevel: [DOTNode] = []
        var inNamespace: [String: [DOTNode]] = [:]
        var drawn = Set<String>()
        var edges: [DOTEdge] = []
        var edgeKeys = Set<String>()

        func place(_ node: DOTNode, namespace: String?) {
            guard drawn.insert(node.id).inserted else { return }
            if let namespace { inNamespace[namespace, default: []].append(node) } else { topLevel.append(node) }
        }
        func connect(_ from: String, _ to: String, _ attributes: DOTAttributes = [:]) {
            guard edgeKeys.insert(from + "\u{0}" + to).inserted else { return }
            edges.append(DOTEdge(from: from, to: to, attributes))
        }

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
            if !drawn.contains(target) { drawTarget(row, place: place) }
            if case .role(let r) = row.target {
                legend.kinds.insert(graph.roles[r].kind == .clusterRole ? .clusterRole : .role)
                if !drawn.contains(permissionsID(r)) { drawPermissions(r, place: place, connect: connect, legend: &legend) }
            } else {
                legend.lines.insert(.warning)
            }

            if plan.summarizedRoles.contains(key) {
                if roleGroups[key] == nil {
                    roleGroupOrder.append(key)
                    roleGroups[key] = ([], [], target, targetNamespace(row))
                }
                roleGroups[key]!.bindings.append(row.binding)
                for e in row.subjects where !roleGroups[key]!.subjects.contains(e.id) { roleGroups[key]!.subjects.append(e.id) }
                continue
            }

            // The binding.
            let bid = bindingID(row.binding)
            var a = GraphStyle.attributes(.binding)
            a["label"] = GraphStyle.label(
                kind: b.kind.rawValue, name: b.name,
                extra: row.subjects.isEmpty && filter.subject == nil ? [GraphStyle.warningLine("no subjects")] : [])
            a["tooltip"] = Label.tooltip(b.displayName + (b.source.map { "\n\($0)" } ?? ""))
            place(DOTNode(bid, a), namespace: b.namespace)
            legend.kinds.insert(.binding)
            legend.lines.insert(.grant)
            var toTarget: DOTAttributes = [:]
            if case .role(let r) = row.target, Permissions.isFullAuthority(graph.roles[r]) {
                toTarget = ["color": .text(GraphStyle.red), "penwidth": "1.4"]
            } else if case .missing = row.target {
                toTarget = ["color": .text(GraphStyle.warningColor), "style": "dotted", "penwidth": "1.4"]
            }
            connect(bid, target, toTarget)

            // Its subjects.
            for e in row.subjects {
                if !drawn.contains(e.id) { drawSubject(e, place: place) }
                legend.kinds.insert(e.kind)
                if e.nobody != nil {
                    legend.lines.insert(.warning)
                    connect(e.id, bid, ["color": .text(GraphStyle.warningColor), "style": "dotted", "penwidth": "1.4"])
                } else {
                    connect(e.id, bid)
                }
            }
        }

        // Roles the filter names that nothing binds.
        for r in extraRoles {
            let row = Row(binding: -1, subjects: [], target: .role(r))
            drawTarget(row, place: place, unbound: true)
            legend.kinds.insert(graph.roles[r].kind == .clusterRole ? .clusterRole : .role)
            drawPermissions(r, place: place, connect: connect, legend: &legend)
            warnings.append("\(graph.roles[r].displayName) is bound by no binding: it grants nothing")
        }

        // Role groups: their bindings and subjects as one node.
        for key in roleGroupOrder {
            let g = roleGroups[key]!
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
            place(DOTNode(id, a), namespace: g.namespace)
            legend.kinds.insert(.collapsed)
            connect(id, g.target)
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
            place(DOTNode("collapsed-roles", a), namespace: nil)
            legend.kinds.insert(.collapsed)
        }

        // Collapsed namespaces.
        let collapsedNamespaces = nsSummaries.keys.sorted()
        if !collapsedNamespaces.isEmpty {
            legend.kinds.insert(.collapsed)
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
                place(DOTNode("collapsed-namespaces", a), namespace: nil)
            } else {
                for ns in collapsedNamespaces {
                    let s = nsSummaries[ns]!
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
                    place(DOTNode("collapsed-namespace:" + ns, a), namespace: ns)
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
            warnings.insert(message, at: 0)
            legend.notes.append(message)
        }
        if rows.isEmpty && extraRoles.isEmpty {
            let message = "nothing to draw: no binding matches" + (filter.isEmpty ? "" : " the filter (\(filterDescription()))")
            warnings.append(message)
            legend.notes.append(message)
        }

        // Assemble: namespaces in name order, then the rest.
        for (i, ns) in inNamespace.keys.sorted().enumerated() {
            var cluster = GraphStyle.namespaceCluster(ns, index: i)
            cluster.nodes = inNamespace[ns]!
            doc.subgraphs.append(cluster)
        }
        doc.nodes = topLevel
        doc.edges = edges
        legend.apply(to: &doc, title: title())
        return GraphView(graph: doc, warnings: warnings)
    }

    /// The namespaces that may collapse (those with RoleBindings drawn, except the one asked
    /// for), largest first: by bindings and subjects, then by name.
    func namespacesBySize(_ rows: [Row]) -> [String] {
        var size: [String: Int] = [:]
        for row in rows {
            guard let ns = graph.bindings[row.binding].namespace else { continue }
            if let only = filter.namespace, ns.isExactlyEqual(to: only) { continue }
            size[ns, default: 0] += 2 + row.subjects.count
        }
        return size.keys.sorted { (size[$0]!, $1) > (size[$1]!, $0) }
    }

    /// The collapsed namespaces, in the order they were collapsed.
    private func collapseOrder(_ rows: [Row], _ plan: Plan) -> [String] {
        namespacesBySize(rows).filter { plan.collapsedNamespaces.contains($0) }
    }

    func drawTarget(_ row: Row, place: (DOTNode, String?) -> Void, unbound: Bool = false) {
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
            place(DOTNode(roleID(r), a), role.namespace)
        case .missing(let message):
            let b = graph.bindings[row.binding]
            let kind: GraphNodeKind = b.roleRef.kind == "ClusterRole" ? .clusterRole : .role
            var a = GraphStyle.attributes(kind, warning: true)
            a["label"] = GraphStyle.label(
                kind: b.roleRef.kind + " (missing)", name: b.roleRef.name, extra: [GraphStyle.warningLine("not found: grants nothing")],
                kindColor: GraphStyle.warningColor)
            a["tooltip"] = Label.tooltip(message)
            place(DOTNode(missingID(row.binding), a), missingNamespace(row.binding))
        }
    }

    /// A role's permissions note, and the edge to it (red when a line is dangerous).
    func drawPermissions(
        _ r: Int, place: (DOTNode, String?) -> Void, connect: (String, String, DOTAttributes) -> Void, legend: inout Legend
    ) {
        let lines = Permissions.lines(of: graph.roles[r].rules)
        let dangerous = lines.contains { $0.danger != nil }
        var a = GraphStyle.attributes(.permissions)
        a["label"] = .html(Permissions.label(lines))
        a["tooltip"] = Label.tooltip(graph.roles[r].displayName + "\n" + Permissions.tooltip(lines))
        place(DOTNode(permissionsID(r), a), graph.roles[r].namespace)
        legend.kinds.insert(.permissions)
        if dangerous { legend.lines.insert(.dangerous) }
        connect(roleID(r), permissionsID(r), dangerous ? ["color": .text(GraphStyle.red), "penwidth": "1.4"] : [:])
    }

    func drawSubject(_ e: SubjectEntry, place: (DOTNode, String?) -> Void) {
        var a = GraphStyle.attributes(e.kind, warning: e.nobody != nil)
        if let nobody = e.nobody {
            a["label"] = GraphStyle.label(
                kind: "kind \"\(e.subject.kind)\"", name: e.subject.name, extra: [GraphStyle.warningLine("matches nobody")],
                kindColor: GraphStyle.warningColor)
            a["tooltip"] = Label.tooltip(nobody)
        } else {
            a["label"] = GraphStyle.label(kind: e.subject.kind, name: e.subject.name)
            a["tooltip"] = Label.tooltip(Label.subject(e.subject))
        }
        place(DOTNode(e.id, a), e.namespace)
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
