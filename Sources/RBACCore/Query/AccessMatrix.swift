/// What one identity may do, resource by resource and verb by verb — rakkess's access matrix —
/// answered by the same authorizer as `can-i` (one ``AccessGraph/authorize(_:_:)`` per cell).
///
/// Resources: the standard API resources (the virtual ones RBAC rules name for impersonation
/// and signing left out), plus every resource the input's own rules (not the built-in
/// policy's) name in a group the table does not know (custom resources). In a namespace, only namespaced resources; cluster-wide, every
/// resource, asked with no namespace.
public struct AccessMatrix: Sendable {
    /// One row: a resource and whether each verb is allowed.
    public struct Row: Sendable {
        public var apiGroup: String
        public var resource: String
        public var namespaced: Bool
        /// In the order of ``AccessMatrix/verbs``.
        public var allowed: [Bool]
        /// `resource.group` (`deployments.apps`), or the resource for the core group.
        public var name: String { apiGroup.isEmpty ? resource : "\(resource).\(apiGroup)" }
    }

    /// rakkess's default verbs.
    public static let defaultVerbs = ["list", "create", "update", "delete"]
    /// Every verb of the standard resource API (rakkess's `--verbs` with all of them): the
    /// columns of `access-matrix -o wide`.
    public static let allStandardVerbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]
    /// Resources that only exist for checks (impersonation, signing): not objects one lists.
    static let virtual: Set<GroupResource> = [
        GroupResource("", "users"), GroupResource("", "groups"), GroupResource("authentication.k8s.io", "userextras"),
        GroupResource("authentication.k8s.io", "uids"), GroupResource("certificates.k8s.io", "signers"),
    ]

    /// A resource by API group and name.
    struct GroupResource: Hashable {
        var group: String
        var resource: String
        init(_ group: String, _ resource: String) {
            self.group = group
            self.resource = resource
        }
    }

    public var identity: Identity
    /// `nil`: cluster-wide.
    public var namespace: String?
    public var verbs: [String]
    public var rows: [Row]

    public init(graph: AccessGraph, identity: Identity, namespace: String?, verbs: [String] = defaultVerbs) {
        self.identity = identity
        self.namespace = namespace
        self.verbs = verbs
        var resources: [(group: String, name: String, namespaced: Bool)] = APIResource.standard
            .filter { !Self.virtual.contains(GroupResource($0.group, $0.name)) }
            .map { ($0.group, $0.name, $0.namespaced) }
        var known = Set(resources.map { GroupResource($0.group, $0.name) })
        let knownGroups = Set(APIResource.standard.map(\.group))
        // Custom resources the input's rules name (scope unknown: listed as namespaced).
        for role in graph.roles {
            // The built-in policy's own rules name retired groups (extensions): not the input's.
            for rule in role.rules where !graph.builtInRules.contains(rule) {
                for group in rule.apiGroups where group != "*" && !knownGroups.contains(group) {
                    for r in rule.resources where r != "*" && !r.contains("/") && known.insert(GroupResource(group, r)).inserted {
                        resources.append((group, r, true))
                    }
                }
            }
        }
        resources.sort { ($0.name, $0.group) < ($1.name, $1.group) }
        rows = resources.compactMap { r in
            if namespace != nil && !r.namespaced { return nil }
            let allowed = verbs.map { verb in
                graph.authorize(identity, .resource(ResourceRequest(
                    verb: verb, apiGroup: r.group, resource: r.name, namespace: namespace ?? ""))).allowed
            }
            return Row(apiGroup: r.group, resource: r.name, namespaced: r.namespaced, allowed: allowed)
        }
    }

    /// The matrix as JSON: `{identity, namespace, verbs, resources: [{resource, apiGroup, namespaced, access: {verb: bool}}]}`.
    public var json: JSONValue {
        .object([
            ("identity", .object([("user", .string(identity.name)), ("groups", .array(identity.groups.map { .string($0) }))])),
            ("namespace", namespace.map { .string($0) } ?? .null),
            ("verbs", .array(verbs.map { .string($0) })),
            ("resources", .array(rows.map { row in
                .object([
                    ("resource", .string(row.resource)), ("apiGroup", .string(row.apiGroup)), ("namespaced", .bool(row.namespaced)),
                    ("access", .object(zip(verbs, row.allowed).map { ($0, .bool($1)) })),
                ])
            })),
        ])
    }
}
