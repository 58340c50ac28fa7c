/// A node of the ``EscalationGraph``: an identity, or something an identity can reach.
///
/// Nodes compare and hash by their fields, names byte for byte (as ``Subject`` does): never by
/// their printed form, which is not unique (a namespace may be named `cluster`).
/// The namespaced capabilities (``runPods(in:)``, ``secrets(in:)``, …) hold in
/// ``Scope/everyNamespace`` or in one ``Scope/namespace(_:)``; only a ``holder(role:in:)`` is
/// ever ``Scope/cluster``.
public enum PathNode: Hashable, Sendable, CustomStringConvertible {
    /// A user (by name).
    case user(String)
    /// Any member of a group.
    case group(String)
    /// A service account.
    case serviceAccount(namespace: String, name: String)
    /// Full authority: `*` on everything, cluster-wide (what `system:masters` and
    /// `cluster-admin` have).
    case fullAuthority
    /// Everything within one namespace (a `*`/`*`/`*` rule bound there, or an escalated role).
    case namespaceAuthority(String)
    /// Running pods of one's choosing in a namespace, or in every namespace.
    case runPods(in: Scope)
    /// Acting as any service account of a namespace, or of every namespace.
    case anyServiceAccount(in: Scope)
    /// Running code in the pods already running in a namespace, or in every namespace.
    case runningPods(in: Scope)
    /// Changing the pod template of the workloads of a kind (`Deployment`, …) in a namespace,
    /// or in every namespace.
    case workloads(kind: String, in: Scope)
    /// The data of every Secret of a namespace, or of every namespace.
    case secrets(in: Scope)
    /// The data of one Secret.
    case secret(namespace: String, name: String)
    /// Control of nodes (kubelet API, or a privileged pod): the pods running there.
    case nodes
    /// Holding a role's permissions in a scope (cluster-wide, every namespace, or one
    /// namespace), as a binding one can create would grant them. `role` indexes
    /// ``AccessGraph/roles``.
    case holder(role: RoleID, in: Scope)

    /// Byte-exact equality of the fields.
    public static func == (a: PathNode, b: PathNode) -> Bool {
        switch (a, b) {
        case (.user(let x), .user(let y)), (.group(let x), .group(let y)), (.namespaceAuthority(let x), .namespaceAuthority(let y)):
            return x.isExactly(y)
        case (.serviceAccount(let ns1, let n1), .serviceAccount(let ns2, let n2)), (.secret(let ns1, let n1), .secret(let ns2, let n2)):
            return ns1.isExactly(ns2) && n1.isExactly(n2)
        case (.fullAuthority, .fullAuthority), (.nodes, .nodes): return true
        case (.runPods(let x), .runPods(let y)), (.anyServiceAccount(let x), .anyServiceAccount(let y)),
            (.runningPods(let x), .runningPods(let y)), (.secrets(let x), .secrets(let y)):
            return x == y
        case (.workloads(let k1, let s1), .workloads(let k2, let s2)): return k1.isExactly(k2) && s1 == s2
        case (.holder(let r1, let s1), .holder(let r2, let s2)): return r1 == r2 && s1 == s2
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .user(let n): h.combine(0 as UInt8); n.hashExactly(into: &h)
        case .group(let n): h.combine(1 as UInt8); n.hashExactly(into: &h)
        case .serviceAccount(let ns, let n): h.combine(2 as UInt8); ns.hashExactly(into: &h); n.hashExactly(into: &h)
        case .fullAuthority: h.combine(3 as UInt8)
        case .namespaceAuthority(let ns): h.combine(4 as UInt8); ns.hashExactly(into: &h)
        case .runPods(let s): h.combine(5 as UInt8); h.combine(s)
        case .anyServiceAccount(let s): h.combine(6 as UInt8); h.combine(s)
        case .runningPods(let s): h.combine(7 as UInt8); h.combine(s)
        case .workloads(let k, let s): h.combine(8 as UInt8); k.hashExactly(into: &h); h.combine(s)
        case .secrets(let s): h.combine(9 as UInt8); h.combine(s)
        case .secret(let ns, let n): h.combine(10 as UInt8); ns.hashExactly(into: &h); n.hashExactly(into: &h)
        case .nodes: h.combine(11 as UInt8)
        case .holder(let r, let s): h.combine(12 as UInt8); h.combine(r); h.combine(s)
        }
    }

    /// Whether the node is an identity that can start a path.
    public var isIdentity: Bool {
        switch self {
        case .user, .group, .serviceAccount: return true
        default: return false
        }
    }

    /// `user:alice`, `group:devs`, `sa:prod/api`, `cluster-admin`, `secret:prod/*`, …
    /// Not unique (a namespace may be named `cluster` or `*`): compare nodes, not descriptions.
    public var description: String {
        switch self {
        case .user(let n): return IdentityNotation.format(.user, name: n)
        case .group(let n): return IdentityNotation.format(.group, name: n)
        case .serviceAccount(let ns, let n): return IdentityNotation.format(.serviceAccount, namespace: ns, name: n)
        case .fullAuthority: return "cluster-admin"
        case .namespaceAuthority(let ns): return "namespace-admin:\(ns)"
        case .runPods(let s): return "run-pods:\(s)"
        case .anyServiceAccount(let s): return "sa:\(s)/*"
        case .runningPods(let s): return "running-pods:\(s)"
        case .workloads(let kind, let s): return "workloads:\(kind):\(s)"
        case .secrets(let s): return "secret:\(s)/*"
        case .secret(let ns, let n): return "secret:\(ns)/\(n)"
        case .nodes: return "nodes"
        case .holder(let r, let s): return "holder:role#\(r.index)@\(s)"
        }
    }

    /// The node of a binding subject already made effective (``Subject/effective(bindingNamespace:)``):
    /// `User`, `Group` or `ServiceAccount`; nil for any other kind.
    public init?(subject s: Subject) {
        switch s.knownKind {
        case .user: self = .user(s.name)
        case .group: self = .group(s.name)
        case .serviceAccount: self = .serviceAccount(namespace: s.namespace, name: s.name)
        case nil: return nil
        }
    }

    /// Parses `user:NAME`, `group:NAME` or `sa:NS/NAME` (a user named
    /// `system:serviceaccount:NS:NAME` is that service account) with ``IdentityNotation``.
    public static func identity(parsing text: String) -> PathNode? {
        (try? IdentityNotation.subject(parsing: text)).flatMap(PathNode.init(subject:))
    }

    /// The identity the API server would see for this node: a service account's token, an
    /// authenticated user, the anonymous user, or a member of a group (the group alone; its
    /// membership of `system:authenticated` is an edge of its own).
    public var identity: Identity? {
        switch self {
        case .user(let n):
            return n.isExactly(Identity.anonymousUser) ? .anonymous : .authenticatedUser(n)
        case .group(let g): return Identity(name: "", groups: [g])
        case .serviceAccount(let ns, let n): return .serviceAccount(namespace: ns, name: n)
        default: return nil
        }
    }
}
