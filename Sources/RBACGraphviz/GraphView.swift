public import RBACCore

/// A picture of RBAC data: the DOT document, and the warnings the caller should show (what
/// the node budget collapsed, what the input could not resolve).
///
/// ```swift
/// let view = GraphView.access(graph, filter: AccessFilter(namespace: "prod"))
/// let dot = view.dot                            // no Graphviz needed
/// let svg = try view.rendered(as: .svg)         // libgvc, in-process
/// view.warnings.forEach { print("warning:", $0) }
/// ```
/// The views: ``access(_:filter:maxNodes:)`` (subjects → bindings → roles → permissions),
/// ``whoCan(_:request:in:maxNodes:)`` (a who-can answer and the grants behind it) and
/// ``paths(_:in:maxNodes:)`` (privilege paths step by step).
public struct GraphView: Sendable {
    public var graph: DOTGraph
    /// What the caller should tell the user: collapsed parts, dropped paths.
    public var warnings: [String]

    public init(graph: DOTGraph, warnings: [String] = []) {
        self.graph = graph
        self.warnings = warnings
    }

    /// The default node budget: beyond it a view collapses parts of the graph (and says so).
    public static let defaultMaxNodes = 300

    /// The DOT text (needs no Graphviz).
    public var dot: String { DOTEncoder().encode(graph) }

    /// The picture, laid out and rendered by libgvc.
    public func rendered(as format: RenderFormat) throws(RenderError) -> [UInt8] {
        try GraphvizRenderer.render(dot: dot, format: format)
    }

    /// The number of nodes drawn.
    public var nodeCount: Int { graph.nodeCount }
}

/// What an access graph shows: a namespace, a subject, a role, or all of them.
public struct AccessFilter: Hashable, Sendable {
    /// Only the RoleBindings of this namespace (and the ClusterRoleBindings, which hold in
    /// every namespace); nil: every namespace.
    public var namespace: String?
    /// Only what this identity gets: the bindings whose subjects match it (its groups
    /// included), and only those subjects. `user:NAME`, `group:NAME` or `sa:NS/NAME`.
    public var subject: PathNode?
    /// Only the bindings to this role.
    public var role: RoleSelector?

    public init(namespace: String? = nil, subject: PathNode? = nil, role: RoleSelector? = nil) {
        self.namespace = namespace
        self.subject = subject
        self.role = role
    }

    /// Whether nothing is filtered.
    public var isEmpty: Bool { namespace == nil && subject == nil && role == nil }
}

/// A role named on the command line: `ClusterRole/NAME`, `Role/NAMESPACE/NAME`, or
/// `Role/NAME` with a default namespace.
public struct RoleSelector: Hashable, Sendable, CustomStringConvertible {
    public var kind: Role.Kind
    /// The namespace of a Role; nil for a ClusterRole.
    public var namespace: String?
    public var name: String

    public init(kind: Role.Kind, namespace: String? = nil, name: String) {
        self.kind = kind
        self.namespace = kind == .clusterRole ? nil : namespace
        self.name = name
    }

    /// Parses `ClusterRole/NAME`, `Role/NS/NAME` or (with `defaultNamespace`) `Role/NAME`;
    /// kinds are case-insensitive (`clusterrole/view`).
    public static func parse(_ text: String, defaultNamespace: String? = nil) -> RoleSelector? {
        let parts = text.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        switch parts[0].lowercased() {
        case "clusterrole":
            guard parts.count == 2 else { return nil }
            return RoleSelector(kind: .clusterRole, name: parts[1])
        case "role":
            if parts.count == 3 { return RoleSelector(kind: .role, namespace: parts[1], name: parts[2]) }
            guard let ns = defaultNamespace else { return nil }
            return RoleSelector(kind: .role, namespace: ns, name: parts[1])
        default:
            return nil
        }
    }

    /// Whether a role is the one selected.
    public func matches(_ role: Role) -> Bool {
        role.kind == kind && role.name.isExactlyEqual(to: name) && (role.namespace ?? "").isExactlyEqual(to: namespace ?? "")
    }

    /// Whether a binding's roleRef names the selected role (resolving or not).
    public func matches(roleRef: RoleRef, bindingNamespace: String?) -> Bool {
        roleRef.kind.isExactlyEqual(to: kind.rawValue) && roleRef.name.isExactlyEqual(to: name)
            && (kind == .clusterRole || (bindingNamespace ?? "").isExactlyEqual(to: namespace ?? ""))
    }

    /// `ClusterRole/view`, `Role/prod/deployer`.
    public var description: String {
        namespace.map { "\(kind.rawValue)/\($0)/\(name)" } ?? "\(kind.rawValue)/\(name)"
    }
}

extension String {
    /// Byte-exact equality (Kubernetes names compare as bytes, not as Unicode-equivalent
    /// strings).
    func isExactlyEqual(to other: String) -> Bool { utf8.elementsEqual(other.utf8) }
}
