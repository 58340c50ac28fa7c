/// One rule of a Role or ClusterRole, as in `rbac.authorization.k8s.io/v1` `PolicyRule`.
///
/// A missing list and an empty list mean the same thing, as they do to the Kubernetes
/// authorizer, so the model stores both as an empty array.
public struct PolicyRule: Hashable, Sendable, Codable {
    /// The verbs the rule allows (`get`, `list`, `*`, …).
    public var verbs: [String]
    /// The API groups of the resources (`""` is the core group, `*` is every group).
    public var apiGroups: [String]
    /// Resources, with subresources as `pods/exec`; `*` and `*/SUB` are the only wildcards.
    public var resources: [String]
    /// Object names the rule is limited to; empty means every name.
    public var resourceNames: [String]
    /// Non-resource paths (`/healthz`, `/api/*`); only meaningful in ClusterRoles.
    public var nonResourceURLs: [String]

    public init(
        verbs: [String] = [], apiGroups: [String] = [], resources: [String] = [],
        resourceNames: [String] = [], nonResourceURLs: [String] = []
    ) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// Byte-exact equality, as Go's `reflect.DeepEqual` (two rules that differ only in the
    /// Unicode normalization of a string are different rules).
    public static func == (a: PolicyRule, b: PolicyRule) -> Bool {
        exactlyEqual(a.verbs, b.verbs) && exactlyEqual(a.apiGroups, b.apiGroups)
            && exactlyEqual(a.resources, b.resources) && exactlyEqual(a.resourceNames, b.resourceNames)
            && exactlyEqual(a.nonResourceURLs, b.nonResourceURLs)
    }

    public func hash(into hasher: inout Hasher) {
        hashExactly(verbs, into: &hasher)
        hashExactly(apiGroups, into: &hasher)
        hashExactly(resources, into: &hasher)
        hashExactly(resourceNames, into: &hasher)
        hashExactly(nonResourceURLs, into: &hasher)
    }

    /// Whether the rule grants anything for resource requests (it lists resources).
    public var isResourceRule: Bool { !resources.isEmpty }

    /// The rule in one line for people: `get,list secrets`, `* *.*`, `get /metrics`,
    /// `get pods [web]` (resources as `resource.group`, resourceNames in brackets).
    public var summary: String {
        var what: [String] = []
        for res in resources {
            if apiGroups.isEmpty || apiGroups == [""] { what.append(res) } else {
                what.append(contentsOf: apiGroups.map { $0.isEmpty ? res : "\(res).\($0)" })
            }
        }
        what += nonResourceURLs
        var s = verbs.joined(separator: ",") + " " + what.joined(separator: ",")
        if !resourceNames.isEmpty { s += " [" + resourceNames.joined(separator: ",") + "]" }
        return s
    }

    /// The rule in the compact form Kubernetes prints in messages, e.g.
    /// `{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}`.
    public var compactDescription: String {
        var parts: [String] = []
        func list(_ name: String, _ values: [String]) {
            if !values.isEmpty {
                parts.append("\(name):[" + values.map { "\"\($0)\"" }.joined(separator: " ") + "]")
            }
        }
        list("APIGroups", apiGroups)
        list("Resources", resources)
        list("ResourceNames", resourceNames)
        list("NonResourceURLs", nonResourceURLs)
        list("Verbs", verbs)
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
