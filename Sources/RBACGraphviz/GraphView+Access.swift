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

    /// The node kind a subject is drawn as: one of an unknown kind (which matches nobody) as a user.
    static func subjectKind(_ s: Subject) -> GraphNodeKind {
        switch s.knownKind {
        case .group: return .group
        case .serviceAccount: return .serviceAccount
        case .user, nil: return .user
        }
    }

    /// Whether a binding subject is the filtered identity (or one of its groups).
    func matchesFilter(_ s: Subject, bindingNamespace: String) -> Bool {
        guard let node = filter.subject else { return true }
        switch node {
        case .group(let g): return s.isKind(.group) && s.name.isExactlyEqual(to: g)
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
                        id: e.canonical.notation, kind: Self.subjectKind(e), subject: e,
                        namespace: e.isKind(.serviceAccount) ? e.namespace : nil, nobody: nil))
                } else {
                    let reason = s.isKind(.serviceAccount)
                        ? "a ServiceAccount without namespace in a ClusterRoleBinding matches nobody"
                        : "kind \"\(s.kind)\" matches nobody (User, Group or ServiceAccount)"
                    subjects.append(SubjectEntry(
                        id: "nobody:\(b.displayName)#\(j)", kind: Self.subjectKind(s), subject: s, namespace: b.namespace,
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
}
