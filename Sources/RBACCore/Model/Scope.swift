/// Where something holds: the cluster as a whole, every namespace, or one namespace.
///
/// A ClusterRoleBinding grants its role's rules cluster-wide (``cluster``): to cluster-scoped
/// requests and to namespaced requests in every namespace. A RoleBinding grants them in its
/// namespace only (``namespace(_:)``). What holds in every namespace, but not for
/// cluster-scoped objects, is ``everyNamespace`` (a RoleBinding one may create anywhere, say).
///
/// Namespace names compare byte for byte, as Kubernetes compares them: a namespace literally
/// named `cluster` or `*` is never confused with ``cluster`` or ``everyNamespace``.
public enum Scope: Hashable, Sendable, CustomStringConvertible {
    /// Cluster-wide: cluster-scoped objects, and namespaced ones in every namespace.
    case cluster
    /// Every namespace (namespaced objects only).
    case everyNamespace
    /// One namespace.
    case namespace(String)

    /// The namespace of ``namespace(_:)``; `nil` for ``cluster`` and ``everyNamespace``.
    public var namespaceName: String? {
        if case .namespace(let ns) = self { return ns }
        return nil
    }

    /// Whether a namespaced object of namespace `ns` is in the scope.
    public func contains(namespace ns: String) -> Bool {
        switch self {
        case .cluster, .everyNamespace: return true
        case .namespace(let mine): return mine.isExactly(ns)
        }
    }

    /// Byte-exact equality of namespace names.
    public static func == (a: Scope, b: Scope) -> Bool {
        switch (a, b) {
        case (.cluster, .cluster), (.everyNamespace, .everyNamespace): return true
        case (.namespace(let x), .namespace(let y)): return x.isExactly(y)
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .cluster: h.combine(0 as UInt8)
        case .everyNamespace: h.combine(1 as UInt8)
        case .namespace(let ns):
            h.combine(2 as UInt8)
            ns.hashExactly(into: &h)
        }
    }

    /// `cluster`, `*` (every namespace) or the namespace's name, as the CLI writes scopes in
    /// node names (`holder:ClusterRole/view@cluster`, `run-pods:*`). Not unique: a namespace
    /// may be named `cluster`; compare scopes, not their descriptions.
    public var description: String {
        switch self {
        case .cluster: return "cluster"
        case .everyNamespace: return "*"
        case .namespace(let ns): return ns
        }
    }
}

extension Binding {
    /// Where the binding grants its role's rules: ``Scope/cluster`` for a ClusterRoleBinding,
    /// its namespace for a RoleBinding.
    public var scope: Scope { namespace.map(Scope.namespace) ?? .cluster }
}
