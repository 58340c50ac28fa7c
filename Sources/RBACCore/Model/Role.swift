/// A Role (namespaced) or ClusterRole (namespace `nil`).
public struct Role: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case role = "Role"
        case clusterRole = "ClusterRole"
    }

    public var kind: Kind
    public var name: String
    /// The namespace of a Role; `nil` for a ClusterRole.
    public var namespace: String?
    public var labels: [String: String]
    /// The rules as written in the manifest. For an aggregated ClusterRole the
    /// ``AccessGraph`` replaces them with the aggregated rules.
    public var rules: [PolicyRule]
    public var aggregationRule: AggregationRule?
    public var source: SourceLocation?
    /// `metadata.annotations` (kept for `rbac.authorization.kubernetes.io/autoupdate`).
    public var annotations: [String: String]
    /// Whether the role was written in the input, added from the built-in policy, or is an
    /// input role the built-in one was united into (see ``Cluster/mergeBuiltinPolicy(_:)``).
    public var origin: ObjectOrigin

    public init(
        kind: Kind, name: String, namespace: String? = nil, labels: [String: String] = [:],
        rules: [PolicyRule] = [], aggregationRule: AggregationRule? = nil, source: SourceLocation? = nil,
        annotations: [String: String] = [:], origin: ObjectOrigin = .input
    ) {
        self.kind = kind
        self.name = name
        self.namespace = kind == .clusterRole ? nil : namespace
        self.labels = labels
        self.rules = rules
        self.aggregationRule = aggregationRule
        self.source = source
        self.annotations = annotations
        self.origin = origin
    }

    /// `ClusterRole/name` or `Role/ns/name`.
    public var displayName: String {
        if let namespace { return "\(kind.rawValue)/\(namespace)/\(name)" }
        return "\(kind.rawValue)/\(name)"
    }
}
