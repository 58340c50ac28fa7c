// The access view's node budget: what collapses, in which order, until the picture fits.

import RBACCore

extension AccessView {
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
        // An edge by its two ends; a summarized role's one edge by the role alone.
        struct Edge: Hashable { var from: String; var to: String }
        var edges = Set<Edge>()
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
                if summaries.insert(key).inserted { edges.insert(Edge(from: key, to: "")) }
            } else {
                let b = bindingID(row.binding)
                ids.insert(b)
                edges.insert(Edge(from: b, to: target))
                for s in row.subjects {
                    ids.insert(s.id)
                    edges.insert(Edge(from: s.id, to: b))
                }
            }
            ids.insert(target)
            if case .role(let r) = row.target, ids.insert(permissionsID(r)).inserted { edges.insert(Edge(from: target, to: permissionsID(r))) }
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
        var roles: [String: (size: Int, level: Int)] = [:]
        for row in rows {
            if let ns = graph.bindings[row.binding].namespace, plan.collapsedNamespaces.contains(ns) { continue }
            let key = roleKey(row)
            roles[key, default: (0, dangerLevel(row))].size += 1 + row.subjects.count
        }
        let bySize = roles.filter { $0.value.size > 2 }.sorted { ($0.value.size, $1.key) > ($1.value.size, $0.key) }.map(\.key)
        func summarizing(_ k: Int, _ base: Plan) -> Plan {
            var p = base
            p.summarizedRoles = Set(bySize.prefix(k))
            return p
        }
        if let k = Self.smallest(bySize.count, { fits(summarizing($0, plan)) }) { return summarizing(k, plan) }

        // 3. Whole roles, least dangerous first, then largest first; then as few summaries as
        //    still fit.
        let byDanger = roles.sorted { ($0.value.level, -$0.value.size, $0.key) < ($1.value.level, -$1.value.size, $1.key) }.map(\.key)
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

    /// The namespaces that may collapse (those with RoleBindings drawn, except the one asked
    /// for), largest first: by bindings and subjects, then by name.
    func namespacesBySize(_ rows: [Row]) -> [String] {
        var size: [String: Int] = [:]
        for row in rows {
            guard let ns = graph.bindings[row.binding].namespace else { continue }
            if let only = filter.namespace, ns.isExactlyEqual(to: only) { continue }
            size[ns, default: 0] += 2 + row.subjects.count
        }
        return size.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
    }

    /// The collapsed namespaces, in the order they were collapsed.
    func collapseOrder(_ rows: [Row], _ plan: Plan) -> [String] {
        namespacesBySize(rows).filter { plan.collapsedNamespaces.contains($0) }
    }
}
