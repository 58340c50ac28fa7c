// Typed handles for the objects of an AccessGraph and the nodes of an EscalationGraph: a
// position in one array, which cannot be mistaken for a position in another (or for a count).

/// A binding of an ``AccessGraph``: its position in ``AccessGraph/bindings``.
public struct BindingID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The position in ``AccessGraph/bindings``.
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: Self, b: Self) -> Bool { a.index < b.index }
    public var description: String { "binding#\(index)" }
}

/// A role (Role or ClusterRole) of an ``AccessGraph``: its position in ``AccessGraph/roles``.
public struct RoleID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The position in ``AccessGraph/roles``.
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: Self, b: Self) -> Bool { a.index < b.index }
    public var description: String { "role#\(index)" }
}

/// A node of an ``EscalationGraph``: its position in ``EscalationGraph/nodes``.
public struct NodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The position in ``EscalationGraph/nodes``.
    public let index: Int
    public init(_ index: Int) { self.index = index }
    public static func < (a: Self, b: Self) -> Bool { a.index < b.index }
    public var description: String { "node#\(index)" }
}

extension Array where Element == Binding {
    /// The binding a handle names.
    public subscript(_ id: BindingID) -> Binding { self[id.index] }
    /// Every handle, in order.
    public var ids: [BindingID] { indices.map(BindingID.init) }
}

extension Array where Element == Role {
    /// The role a handle names.
    public subscript(_ id: RoleID) -> Role { self[id.index] }
    /// Every handle, in order.
    public var ids: [RoleID] { indices.map(RoleID.init) }
}

extension Array where Element == AccessGraph.RoleResolution {
    /// How a binding's roleRef resolves (``AccessGraph/resolutions``).
    public subscript(_ id: BindingID) -> AccessGraph.RoleResolution { self[id.index] }
}

extension Array where Element == PathNode {
    /// The node a handle names.
    public subscript(_ id: NodeID) -> PathNode { self[id.index] }
    /// Every handle, in order.
    public var ids: [NodeID] { indices.map(NodeID.init) }
}
