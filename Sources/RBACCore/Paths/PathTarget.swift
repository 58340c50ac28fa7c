/// What a privilege path leads to.
public enum PathTarget: Hashable, Sendable, CustomStringConvertible {
    /// Full authority (`cluster-admin`).
    case fullAuthority
    /// The data of a Secret, or (`name` nil) of every Secret of a namespace.
    case secret(namespace: String, name: String?)
    /// Becoming an identity: a service account, a user or a group.
    case identity(PathNode)
    /// Being allowed a request.
    case permission(Request)
    /// Reaching a node of a privilege path that is no identity, as its chain prints it:
    /// `namespace-admin:NS`, `run-pods:NS`, `sa:NS/*`, `running-pods:NS`,
    /// `workloads:KIND:NS` (`*` for every namespace), `nodes`.
    case node(PathNode)
    /// Holding a role's permissions in a scope, as a chain prints it:
    /// `holder:ClusterRole/view@dev`, `holder:Role/prod/deployer@prod`, `@*` in every
    /// namespace, `@cluster` cluster-wide. The role by its display name (``Role/displayName``).
    case holder(role: String, scope: Scope)

    /// Every notation ``parse(_:)`` reads, for messages.
    public static let syntax = "cluster-admin, secret:NS/NAME, secret:NS/*, sa:NS/NAME, user:NAME, group:NAME, can:VERB:RESOURCE[:NS[:NAME]], or a node of a printed path: sa:NS/* (any service account of NS), run-pods:NS, running-pods:NS, workloads:KIND:NS, namespace-admin:NS, nodes, holder:ClusterRole/NAME@SCOPE, holder:Role/NS/NAME@SCOPE (NS * for every namespace; SCOPE a namespace, * or cluster)"

    /// Every target `paths --to` and the eval op `paths` take, those beyond the cluster too
    /// (``VaultTarget``, ``StoreTarget``, ``ProviderObjectTarget``), for messages.
    public static let everySyntax = syntax
        + ", vault:MOUNT/PATH, store:NS/NAME, store:*/NAME, clusterstore:NAME or PROVIDER:OBJECT (an object of a SecretProviderClass of the input)"

    /// Parses `cluster-admin`, `secret:NS/NAME`, `secret:NS/*`, `sa:NS/NAME`, `user:NAME`,
    /// `group:NAME` or `can:VERB:RESOURCE[:NS[:NAME]]` (RESOURCE as kubectl names a type, or
    /// `RESOURCE/SUBRESOURCE` as a rule writes it — the name has a field of its own — or a
    /// non-resource path), and every other node a privilege path's chain prints
    /// (``node(_:)``, ``holder(role:scope:)``) with the meaning it has there.
    public static func parse(_ text: String) -> PathTarget? {
        if text == "cluster-admin" { return .fullAuthority }
        if let node = chainNode(text) { return node }
        if text.hasExactPrefix("secret:") {
            let rest = text.dropFirst(7)
            guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex else { return nil }
            let name = String(rest[rest.index(after: slash)...])
            if name.isEmpty { return nil }
            return .secret(namespace: String(rest[..<slash]), name: name == "*" ? nil : name)
        }
        if text.hasExactPrefix("can:") {
            let parts = text.dropFirst(4).split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2, parts.count <= 4, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            if parts[1].hasPrefix("/") { return .permission(.nonResource(verb: parts[0], path: parts[1])) }
            let r = APIResource.resolve(parts[1])
            var ns = parts.count > 2 ? parts[2] : ""
            if let known = r.known, !known.namespaced,
                !RequestWords.isNamespacedCheck(verb: parts[0], apiGroup: r.apiGroup, resource: r.resource)
            {
                ns = ""
            }
            return .permission(.resource(ResourceRequest(
                verb: parts[0], apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, namespace: ns,
                name: parts.count > 3 ? parts[3] : "")))
        }
        if let id = PathNode.identity(parsing: text) { return .identity(id) }
        return nil
    }

    public var description: String {
        switch self {
        case .fullAuthority: return "cluster-admin"
        case .secret(let ns, let name): return "secret:\(ns)/\(name ?? "*")"
        case .identity(let n): return n.description
        case .permission(let r): return "can \(r)"
        case .node(let n): return n.description
        case .holder(let role, let scope): return "holder:\(role)@\(scope)"
        }
    }

    /// Whether the target is a node of a chain that is no identity (``node(_:)``,
    /// ``holder(role:scope:)``): `sa:prod/*` is one, not a service account named `*`.
    public var isChainNode: Bool {
        switch self {
        case .node, .holder: return true
        default: return false
        }
    }

    /// The identity a path may start from that `text` names: `user:NAME`, `group:NAME`,
    /// `sa:NS/NAME`; `nil` for anything else, a node of a chain such as `sa:NS/*` too.
    public static func start(parsing text: String) -> PathNode? {
        if parse(text)?.isChainNode == true { return nil }
        return PathNode.identity(parsing: text)
    }

    /// The nodes of chains that are no identity, `cluster-admin` and Secrets aside (their
    /// notations are targets of their own): `nil` for any other text.
    static func chainNode(_ text: String) -> PathTarget? {
        /// A namespace or `*` (every namespace); a namespace name is never `*`.
        func scope(_ s: Substring) -> Scope? {
            if s.isEmpty || s.contains("/") { return nil }
            return s == "*" ? .everyNamespace : .namespace(String(s))
        }
        if text == "nodes" { return .node(.nodes) }
        if text.hasExactPrefix("run-pods:") { return scope(text.dropFirst(9)).map { .node(.runPods(in: $0)) } }
        if text.hasExactPrefix("running-pods:") { return scope(text.dropFirst(13)).map { .node(.runningPods(in: $0)) } }
        if text.hasExactPrefix("namespace-admin:") {
            let ns = text.dropFirst(16)
            guard case .namespace(let name)? = scope(ns) else { return nil }
            return .node(.namespaceAuthority(name))
        }
        if text.hasExactPrefix("workloads:") {
            let rest = text.dropFirst(10)
            guard let colon = rest.lastIndex(of: ":"), colon != rest.startIndex, let s = scope(rest[rest.index(after: colon)...]) else { return nil }
            return .node(.workloads(kind: String(rest[..<colon]), in: s))
        }
        // `sa:NS/*`: any service account of NS (a service account is never named `*`).
        if text.hasExactPrefix("sa:"), text.hasSuffix("/*") {
            let ns = text.dropFirst(3).dropLast(2)
            return scope(ns).map { .node(.anyServiceAccount(in: $0)) }
        }
        if text.hasExactPrefix("holder:") {
            let rest = text.dropFirst(7)
            guard let at = rest.lastIndex(of: "@") else { return nil }
            let role = rest[..<at], where_ = rest[rest.index(after: at)...]
            let parts = role.split(separator: "/", omittingEmptySubsequences: false)
            let wellFormed = (parts.count == 2 && parts[0] == "ClusterRole") || (parts.count == 3 && parts[0] == "Role")
            guard wellFormed, !parts.dropFirst().contains(where: \.isEmpty) else { return nil }
            let held: Scope? = where_ == "cluster" ? .cluster : scope(where_)
            return held.map { .holder(role: String(role), scope: $0) }
        }
        return nil
    }
}

extension EscalationGraph {
    /// Whether reaching node `i` achieves `target`.
    public func satisfies(_ id: NodeID, _ target: PathTarget) -> Bool {
        let n = nodes[id]
        if case .fullAuthority = n { return true }
        switch target {
        case .fullAuthority:
            return false
        case .secret(let ns, let name):
            switch n {
            case .secrets(let scope): return scope.contains(namespace: ns)
            case .secret(let sns, let sname): return name.map { sns.isExactly(ns) && sname.isExactly($0) } ?? false
            default: return false
            }
        case .identity(let id):
            return n == id
        case .permission(let request):
            return node(id, allows: request)
        case .node(let target):
            return n == target
        case .holder(let role, let scope):
            guard case .holder(let r, let s) = n else { return false }
            return s == scope && access.roles[r].displayName.isExactly(role)
        }
    }

    /// Whether node `i` may itself make `request`.
    func node(_ n: NodeID, allows request: Request) -> Bool {
        switch nodes[n] {
        case .fullAuthority: return true
        case .user, .group, .serviceAccount:
            guard let id = nodes[n].identity else { return false }
            return access.authorize(id, request).allowed
        case .namespaceAuthority(let ns):
            if case .resource(let r) = request { return r.namespace.isExactly(ns) }
            return false
        case .holder(let role, let scope):
            let rules = access.roles[role].rules
            switch scope {
            case .cluster: return rules.contains { $0.allows(request) }
            case .everyNamespace:
                if case .resource(let r) = request, !r.namespace.isEmpty { return rules.contains { $0.allows(request) } }
                return false
            case .namespace(let ns):
                if case .resource(let r) = request, r.namespace.isExactly(ns) { return rules.contains { $0.allows(request) } }
                return false
            }
        case .secrets(let scope):
            guard case .resource(let r) = request, Self.isSecretRead(r) else { return false }
            return scope.contains(namespace: r.namespace)
        case .secret(let sns, let name):
            guard case .resource(let r) = request, Self.isSecretRead(r), r.verb == "get" else { return false }
            return r.namespace.isExactly(sns) && r.name.isExactly(name)
        default:
            return false
        }
    }

    static func isSecretRead(_ r: ResourceRequest) -> Bool {
        r.apiGroup.isEmpty && r.resource == "secrets" && r.subresource.isEmpty && ["get", "list", "watch"].contains(r.verb)
    }
}
