/// A binding's `roleRef`.
public struct RoleRef: Hashable, Sendable, Codable {
    public var apiGroup: String
    /// `Role` or `ClusterRole`; anything else fails to resolve, as in Kubernetes.
    public var kind: String
    public var name: String

    public init(apiGroup: String = "rbac.authorization.k8s.io", kind: String, name: String) {
        self.apiGroup = apiGroup
        self.kind = kind
        self.name = name
    }
}

/// One entry of a binding's `subjects`, verbatim.
public struct Subject: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `User`, `Group` or `ServiceAccount`. Other spellings (even `user`) match no one.
    public var kind: String
    public var apiGroup: String
    public var name: String
    /// Only meaningful for `ServiceAccount`; empty when not written.
    public var namespace: String

    public init(kind: String, name: String, namespace: String = "", apiGroup: String = "") {
        self.kind = kind
        self.apiGroup = apiGroup
        self.name = name
        self.namespace = namespace
    }

    /// Byte-exact equality of all four fields.
    public static func == (a: Subject, b: Subject) -> Bool {
        a.kind.isExactly(b.kind) && a.apiGroup.isExactly(b.apiGroup) && a.name.isExactly(b.name)
            && a.namespace.isExactly(b.namespace)
    }

    public func hash(into hasher: inout Hasher) {
        kind.hashExactly(into: &hasher)
        apiGroup.hashExactly(into: &hasher)
        name.hashExactly(into: &hasher)
        namespace.hashExactly(into: &hasher)
    }

    public static func user(_ name: String) -> Subject { Subject(.user, name: name) }
    public static func group(_ name: String) -> Subject { Subject(.group, name: name) }
    public static func serviceAccount(_ namespace: String, _ name: String) -> Subject {
        Subject(.serviceAccount, name: name, namespace: namespace)
    }

    /// The form Kubernetes uses in authorizer reasons: `User "alice"`, `Group "g"`,
    /// `ServiceAccount "name/ns"`.
    public var description: String {
        isKind(.serviceAccount) ? "ServiceAccount \"\(name)/\(namespace)\"" : "\(kind) \"\(name)\""
    }
}

/// A RoleBinding (namespaced) or ClusterRoleBinding (namespace `nil`).
public struct Binding: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, Codable {
        case roleBinding = "RoleBinding"
        case clusterRoleBinding = "ClusterRoleBinding"
    }

    public var kind: Kind
    public var name: String
    /// The namespace of a RoleBinding; `nil` for a ClusterRoleBinding.
    public var namespace: String?
    public var roleRef: RoleRef
    public var subjects: [Subject]
    public var source: SourceLocation?
    /// `metadata.labels`.
    public var labels: [String: String]
    /// `metadata.annotations` (kept for `rbac.authorization.kubernetes.io/autoupdate`).
    public var annotations: [String: String]
    /// Whether the binding was written in the input, added from the built-in policy, or is an
    /// input binding the built-in one was united into (see ``Cluster/mergeBuiltinPolicy(_:)``).
    public var origin: ObjectOrigin

    public init(
        kind: Kind, name: String, namespace: String? = nil, roleRef: RoleRef,
        subjects: [Subject] = [], source: SourceLocation? = nil, labels: [String: String] = [:],
        annotations: [String: String] = [:], origin: ObjectOrigin = .input
    ) {
        self.kind = kind
        self.name = name
        self.namespace = kind == .clusterRoleBinding ? nil : namespace
        self.roleRef = roleRef
        self.subjects = subjects
        self.source = source
        self.labels = labels
        self.annotations = annotations
        self.origin = origin
    }

    /// `ClusterRoleBinding/name` or `RoleBinding/ns/name`.
    public var displayName: String {
        if let namespace { return "\(kind.rawValue)/\(namespace)/\(name)" }
        return "\(kind.rawValue)/\(name)"
    }
}
