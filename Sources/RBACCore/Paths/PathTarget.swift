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

    /// Parses `cluster-admin`, `secret:NS/NAME`, `secret:NS/*`, `sa:NS/NAME`, `user:NAME`,
    /// `group:NAME` or `can:VERB:RESOURCE[:NS[:NAME]]` (RESOURCE as kubectl names a type, or
    /// `RESOURCE/SUBRESOURCE` as a rule writes it — the name has a field of its own — or a
    /// non-resource path).
    public static func parse(_ text: String) -> PathTarget? {
        if text == "cluster-admin" { return .fullAuthority }
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
        }
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
