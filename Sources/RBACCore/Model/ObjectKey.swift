/// An object by kind, namespace and name: the key under which Kubernetes stores it (a later
/// object of the same key replaces an earlier one). Compares and hashes byte for byte, as
/// Kubernetes names compare; a cluster-scoped object has the namespace `""`.
public struct ObjectKey: Hashable, Sendable, CustomStringConvertible {
    public var kind: String
    public var namespace: String
    public var name: String

    public init(kind: String, namespace: String = "", name: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    public init(_ r: Role) { self.init(kind: r.kind.rawValue, namespace: r.namespace ?? "", name: r.name) }
    public init(_ b: Binding) { self.init(kind: b.kind.rawValue, namespace: b.namespace ?? "", name: b.name) }

    public static func == (a: Self, b: Self) -> Bool {
        a.kind.isExactly(b.kind) && a.namespace.isExactly(b.namespace) && a.name.isExactly(b.name)
    }

    public func hash(into hasher: inout Hasher) {
        kind.hashExactly(into: &hasher)
        namespace.hashExactly(into: &hasher)
        name.hashExactly(into: &hasher)
    }

    /// `Kind/name` or `Kind/namespace/name`.
    public var description: String { namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)" }
}
