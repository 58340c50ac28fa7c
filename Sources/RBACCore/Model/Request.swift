/// What is being asked for: a resource request or a non-resource request, as the API server's
/// authorizer attributes describe it.
public enum Request: Hashable, Sendable, CustomStringConvertible {
    case resource(ResourceRequest)
    case nonResource(verb: String, path: String)

    public var verb: String {
        switch self {
        case .resource(let r): return r.verb
        case .nonResource(let verb, _): return verb
        }
    }

    /// The namespace whose RoleBindings take part; `""` is cluster-wide.
    public var namespace: String {
        switch self {
        case .resource(let r): return r.namespace
        case .nonResource: return ""
        }
    }

    public var description: String {
        switch self {
        case .resource(let r): return r.description
        case .nonResource(let verb, let path): return "\(verb) \(path)"
        }
    }
}

/// A resource request: verb, API group, resource, subresource, namespace and name.
public struct ResourceRequest: Hashable, Sendable, CustomStringConvertible {
    public var verb: String
    /// `""` is the core group.
    public var apiGroup: String
    public var resource: String
    public var subresource: String
    /// `""` means cluster-wide (a cluster-scoped resource, or all namespaces).
    public var namespace: String
    /// `""` for collection requests (list, watch, create, deletecollection).
    public var name: String

    public init(
        verb: String, apiGroup: String = "", resource: String, subresource: String = "",
        namespace: String = "", name: String = ""
    ) {
        self.verb = verb
        self.apiGroup = apiGroup
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    /// `resource` or `resource/subresource`, the string rules are compared with.
    public var combinedResource: String {
        subresource.isEmpty ? resource : resource + "/" + subresource
    }

    public var description: String {
        var s = "\(verb) \(combinedResource)"
        if !apiGroup.isEmpty { s += ".\(apiGroup)" }
        if !name.isEmpty { s += " \(name)" }
        s += namespace.isEmpty ? " (cluster-wide)" : " in \(namespace)"
        return s
    }
}
