/// The API server's built-in RBAC policy of one Kubernetes version: the ClusterRoles and
/// ClusterRoleBindings it creates at start-up (`cluster-admin`, `admin`, `edit`, `view`, the
/// `system:*` roles, the controllers' roles), and its Roles and RoleBindings in `kube-system` and
/// `kube-public`.
///
/// A manifest repository binds these roles but never contains them; a cluster always has them.
/// ``Cluster/mergeBuiltinPolicy(_:)`` adds them to an input the way the API server reconciles
/// them at start-up. The shipped versions are data files, loaded by `RBACLoading`
/// (`BuiltinPolicy.shipped(_:)`).
public struct BuiltinPolicy: Sendable {
    /// The Kubernetes version, as `v1.24.0-alpha.1`.
    public var version: String
    /// ClusterRoles, and the Roles of `kube-system` and `kube-public`.
    public var roles: [Role]
    /// ClusterRoleBindings, and the RoleBindings of `kube-system` and `kube-public`.
    public var bindings: [Binding]

    /// A policy from its objects; every object is marked ``ObjectOrigin/builtIn``.
    public init(version: String, roles: [Role], bindings: [Binding]) {
        self.version = version
        self.roles = roles.map { var r = $0; r.origin = .builtIn; return r }
        self.bindings = bindings.map { var b = $0; b.origin = .builtIn; return b }
    }

    /// The label the API server puts on every object of its bootstrap policy.
    public static let bootstrappingLabel = (key: "kubernetes.io/bootstrapping", value: "rbac-defaults")
    /// The annotation that stops the start-up reconciliation of an object when `"false"`.
    public static let autoupdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate"
    /// The ClusterRoles whose hand-written rules the API server moves to an aggregated role
    /// before making them aggregated (`primeAggregatedClusterRoles` in `storage_rbac.go`).
    public static let aggregatedRenames: [(old: String, new: String)] = [
        ("admin", "system:aggregate-to-admin"), ("edit", "system:aggregate-to-edit"), ("view", "system:aggregate-to-view"),
    ]
}

/// What ``Cluster/mergeBuiltinPolicy(_:)`` did: stats, JSON and the report name it.
public struct BuiltinPolicyMerge: Hashable, Sendable {
    /// How the built-in policy entered the graph.
    public enum Mode: String, Hashable, Sendable {
        /// Its objects were added, and those of the input with a built-in name were united
        /// with them.
        case merged
        /// The input already holds it (a cluster dump: objects labelled
        /// `kubernetes.io/bootstrapping: rbac-defaults`): nothing was added.
        case alreadyInInput = "already-in-input"
    }

    /// The Kubernetes version of the policy.
    public var version: String
    public var mode: Mode
    /// Objects added (the input had none of that name), as `ClusterRole/edit`.
    public var added: [String] = []
    /// Input objects the built-in one was united into (something was missing), as display names.
    public var reconciled: [String] = []
    /// Input objects the API server leaves alone: annotated
    /// `rbac.authorization.kubernetes.io/autoupdate: "false"`.
    public var protected: [String] = []
    /// Input bindings of a built-in name whose roleRef differs: the API server replaces them
    /// with the built-in binding.
    public var replaced: [String] = []
    /// Input ClusterRoles `admin`/`edit`/`view` without an aggregationRule whose rules were
    /// copied to `system:aggregate-to-*`, as the API server does before aggregating them.
    public var migrated: [String] = []

    public init(version: String, mode: Mode) {
        self.version = version
        self.mode = mode
    }

    /// One line for people: `Kubernetes v1.24.0-alpha.1 (128 objects added, 1 united with the input)`.
    public var summary: String {
        switch mode {
        case .alreadyInInput:
            return "Kubernetes \(version): already in the input (objects labelled kubernetes.io/bootstrapping=rbac-defaults), nothing added"
        case .merged:
            var parts = ["\(added.count) object\(added.count == 1 ? "" : "s") added"]
            if !reconciled.isEmpty { parts.append("\(reconciled.count) united with the input") }
            if !protected.isEmpty { parts.append("\(protected.count) kept as written (autoupdate: \"false\")") }
            if !replaced.isEmpty { parts.append("\(replaced.count) replaced (another roleRef)") }
            if !migrated.isEmpty { parts.append("\(migrated.count) migrated to system:aggregate-to-*") }
            return "Kubernetes \(version) (\(parts.joined(separator: ", ")))"
        }
    }
}
