/// A request as a kubectl user writes it: `VERB TYPE`, `VERB TYPE/NAME`, `VERB TYPE NAME`,
/// `VERB /path`, with `-n`, `--subresource` and `--api-group` — read exactly as `kubectl auth
/// can-i` and kubectl-who-can read it — or a target in rbacgraph's own notation
/// (`secret:NS/NAME`, `sa:NS/NAME`, `user:NAME`, `group:NAME`), which is read first.
///
/// kubectl's grammar: `TYPE/NAME` is an object name, never a subresource; subresources come
/// with `--subresource`. When NAME is a known subresource of TYPE (`pods/exec`), the request is
/// still read as kubectl reads it (pods named "exec") and a warning says how to ask for the
/// subresource.
public struct RequestWords: Sendable {
    public var verb: String
    /// `TYPE`, `TYPE/NAME`, `/path`, or a target in rbacgraph's notation.
    public var target: String
    /// A separate NAME argument (`VERB TYPE NAME`).
    public var name: String?
    /// `-n`: nil when not given.
    public var namespace: String?
    /// `can-i -A`: the request with no namespace (cluster-wide), as kubectl sends it.
    public var clusterWide: Bool
    public var apiGroup: String?
    public var subresource: String?
    /// The namespace when `-n` is not given.
    public var defaultNamespace: String
    /// The resources TYPE resolves against: the built-in table for files, a cluster's API
    /// discovery for a live cluster (its CRDs and their short names).
    public var resources: [APIResource] = APIResource.standard

    public init(
        verb: String, target: String, name: String? = nil, namespace: String? = nil, clusterWide: Bool = false,
        apiGroup: String? = nil, subresource: String? = nil, defaultNamespace: String = "default"
    ) {
        self.verb = verb
        self.target = target
        self.name = name
        self.namespace = namespace
        self.clusterWide = clusterWide
        self.apiGroup = apiGroup
        self.subresource = subresource
        self.defaultNamespace = defaultNamespace
    }

    /// Why the words are not a request.
    public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// The request, and what the reader should know about how it was read.
    public struct Parsed: Sendable {
        public var request: Request
        /// Warnings in kubectl's words where kubectl has them (an unknown verb, a resource not
        /// in the table, a name that is a subresource, a namespace left out).
        public var warnings: [String]
    }

    /// The verbs kubectl knows for resource requests (`kubectl auth can-i` warns on others).
    public static let resourceVerbs: Set<String> = [
        "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind", "impersonate",
        "*", "approve", "sign", "escalate", "attest",
    ]
    /// The verbs kubectl knows for non-resource URLs.
    public static let nonResourceVerbs: Set<String> = ["get", "put", "post", "head", "options", "delete", "patch", "*"]

    /// The targets in rbacgraph's notation, read before kubectl's grammar.
    public static let notationPrefixes = ["secret:", "sa:", "user:", "group:"]

    /// Checks on a cluster-scoped resource that the API server makes *in a namespace*: `bind`
    /// of a ClusterRole (the namespace of the RoleBinding being created, `""` for a
    /// ClusterRoleBinding) and `use` of a PodSecurityPolicy (the pod's namespace). Every other
    /// request for a cluster-scoped resource goes to a cluster-scoped URL, with no namespace.
    public static func isNamespacedCheck(verb: String, apiGroup: String, resource: String) -> Bool {
        switch (verb, apiGroup, resource) {
        case ("bind", "rbac.authorization.k8s.io", "clusterroles"): return true
        case ("use", "policy", "podsecuritypolicies"): return true
        default: return false
        }
    }

    public func parse() throws(ParseError) -> Parsed {
        guard !verb.isEmpty else { throw ParseError("the verb is empty") }
        guard !target.isEmpty else { throw ParseError("the resource is empty") }
        var warnings: [String] = []

        if target.hasPrefix("/") {
            if name != nil { throw ParseError("a non-resource URL takes no NAME") }
            if subresource != nil { throw ParseError("--subresource can not be used with a non-resource URL") }
            if apiGroup != nil { throw ParseError("--api-group can not be used with a non-resource URL") }
            if !Self.nonResourceVerbs.contains(verb) { warnings.append("verb '\(verb)' is not a known verb") }
            return Parsed(request: .nonResource(verb: verb, path: target), warnings: warnings)
        }
        if !Self.resourceVerbs.contains(verb) { warnings.append("verb '\(verb)' is not a known verb") }

        if let notation = try notationTarget() {
            if subresource != nil || apiGroup != nil {
                throw ParseError("\(target) names an object: give --subresource and --api-group with TYPE[/NAME]")
            }
            var rr = notation
            rr.verb = verb
            return Parsed(request: .resource(rr), warnings: warnings)
        }

        // kubectl: TYPE or TYPE/NAME.
        var typeText = Substring(target)
        var objectName = name
        if let slash = target.firstIndex(of: "/") {
            typeText = target[..<slash]
            let n = String(target[target.index(after: slash)...])
            guard !n.isEmpty, !typeText.isEmpty else { throw ParseError("\"\(target)\" is not TYPE or TYPE/NAME") }
            if name != nil { throw ParseError("give the name once: \(typeText)/NAME or \(typeText) NAME, not both") }
            objectName = n
        }
        if objectName?.isEmpty == true { throw ParseError("the name is empty") }
        let r = APIResource.resolve(String(typeText), apiGroup: apiGroup, in: resources)
        if r.known == nil {
            let table = resources == APIResource.standard ? "the built-in table" : "the cluster's API discovery"
            warnings.append(
                "resource \"\(r.resource)\" is not in \(table): using it as typed in group \"\(r.apiGroup)\" (use --api-group to choose)")
        }
        if let n = objectName, subresource == nil, APIResource.subresources(of: r.resource, group: r.apiGroup).contains(n) {
            warnings.append("read as \(r.resource) named \"\(n)\"; for the subresource use --subresource \(n)")
        }
        let ns = namespaceFor(resolved: r, warnings: &warnings)
        return Parsed(
            request: .resource(ResourceRequest(
                verb: verb, apiGroup: r.apiGroup, resource: r.resource, subresource: subresource ?? "", namespace: ns,
                name: objectName ?? "")),
            warnings: warnings)
    }

    /// The namespace of the request: none for `-A` and for cluster-scoped resources (saying so
    /// when `-n` named one), except for checks the API server makes in a namespace.
    private func namespaceFor(resolved r: ResolvedResource, warnings: inout [String]) -> String {
        if clusterWide { return "" }
        if let known = r.known, !known.namespaced, !Self.isNamespacedCheck(verb: verb, apiGroup: r.apiGroup, resource: r.resource) {
            if let namespace, !namespace.isEmpty {
                warnings.append("\(r.resource) is cluster-scoped: asked cluster-wide, -n \(namespace) left out")
            }
            return ""
        }
        return namespace ?? defaultNamespace
    }

    /// `secret:NS/NAME` (`secret:NS/*`: any secret of NS), `sa:NS/NAME`, `user:NAME`,
    /// `group:NAME` as the object they name; nil for any other target.
    private func notationTarget() throws(ParseError) -> ResourceRequest? {
        guard Self.notationPrefixes.contains(where: { target.hasExactPrefix($0) }) else { return nil }
        if name != nil { throw ParseError("\(target) already names the object: no NAME argument") }
        var rr: ResourceRequest
        if target.hasExactPrefix("secret:") {
            let rest = target.dropFirst(7)
            guard let slash = rest.firstIndex(of: "/"), slash != rest.startIndex, rest.index(after: slash) != rest.endIndex else {
                throw ParseError("\"secret:\" takes NAMESPACE/NAME, not \"\(rest)\"")
            }
            let n = String(rest[rest.index(after: slash)...])
            rr = ResourceRequest(verb: verb, resource: "secrets", namespace: String(rest[..<slash]), name: n == "*" ? "" : n)
        } else {
            let subject: Subject
            do { subject = try IdentityNotation.subject(parsing: target) } catch { throw ParseError(error.message) }
            switch subject.knownKind {
            case .serviceAccount: rr = ResourceRequest(verb: verb, resource: "serviceaccounts", namespace: subject.namespace, name: subject.name)
            case .group: rr = ResourceRequest(verb: verb, resource: "groups", namespace: "", name: subject.name)
            case .user, nil: rr = ResourceRequest(verb: verb, resource: "users", namespace: "", name: subject.name)
            }
        }
        if let namespace, !clusterWide, rr.namespace != namespace, !rr.namespace.isEmpty {
            throw ParseError("\(target) is in namespace \(rr.namespace): -n \(namespace) says otherwise")
        }
        return rr
    }
}

extension APIResource {
    /// Subresources of the standard resources, by `group/resource` (`/pods` for the core
    /// group): to tell `pods/exec` (kubectl reads a pod named "exec") from a real name.
    public static let knownSubresources: [String: Set<String>] = [
        "/pods": ["attach", "binding", "ephemeralcontainers", "eviction", "exec", "log", "portforward", "proxy", "resize", "status"],
        "/nodes": ["proxy", "status"],
        "/services": ["proxy", "status"],
        "/serviceaccounts": ["token"],
        "/namespaces": ["finalize", "status"],
        "/persistentvolumeclaims": ["status"],
        "/persistentvolumes": ["status"],
        "/replicationcontrollers": ["scale", "status"],
        "/resourcequotas": ["status"],
        "apps/deployments": ["scale", "status"],
        "apps/replicasets": ["scale", "status"],
        "apps/statefulsets": ["scale", "status"],
        "apps/daemonsets": ["status"],
        "batch/jobs": ["status"],
        "batch/cronjobs": ["status"],
        "autoscaling/horizontalpodautoscalers": ["status"],
        "certificates.k8s.io/certificatesigningrequests": ["approval", "status"],
        "apiextensions.k8s.io/customresourcedefinitions": ["status"],
        "apiregistration.k8s.io/apiservices": ["status"],
        "networking.k8s.io/ingresses": ["status"],
        "policy/poddisruptionbudgets": ["status"],
        "flowcontrol.apiserver.k8s.io/flowschemas": ["status"],
        "flowcontrol.apiserver.k8s.io/prioritylevelconfigurations": ["status"],
        "resource.k8s.io/resourceclaims": ["status"],
        "storage.k8s.io/volumeattachments": ["status"],
    ]

    /// The known subresources of a resource (empty when none or not known).
    public static func subresources(of resource: String, group: String) -> Set<String> {
        knownSubresources["\(group)/\(resource)"] ?? []
    }
}
