/// One grant of a permission: the binding, the role and rule that allow it, and where it holds.
public struct PermissionGrant: Hashable, Sendable {
    public var binding: BindingID
    public var role: RoleID
    public var ruleIndex: Int
    /// A RoleBinding's namespace; `nil` for a ClusterRoleBinding (cluster-wide).
    public var namespace: String?
    /// The request of those asked that the rule allows (the first one).
    public var request: ResourceRequest
}

extension ReportContext {
    /// Every binding rule that allows one of `requests`, in the scope its binding gives: a
    /// RoleBinding grants namespaced resources in its namespace only (never cluster-scoped ones,
    /// such as nodes/proxy or certificatesigningrequests: Kubernetes ignores them there), a
    /// ClusterRoleBinding grants both, everywhere. Rules are matched as the authorizer matches
    /// them (`pods/*` is a literal, not every subresource). One grant per binding and rule.
    /// Rules of `*` verbs on `*` resources in `*` groups are left out: that is full authority
    /// (or a namespace's), which `full-authority` and `namespace-administrator` name once
    /// instead of once per risky permission it includes.
    /// - Parameters:
    ///   - requests: the requests, with their namespace left empty (the scope is the binding's).
    ///   - clusterScoped: whether the resources are cluster-scoped.
    /// - Complexity: O(R · q + b + g) for R rules of the roles bound, q requests, b bindings
    ///   and g grants: each role's rules are matched once, however many bindings name it.
    public func grants(allowingAny requests: [ResourceRequest], clusterScoped: Bool = false) -> [PermissionGrant] {
        var out: [PermissionGrant] = []
        // Per role: its rules that allow one of the requests, with the first request allowed.
        var matched: [RoleID: [(ruleIndex: Int, request: ResourceRequest)]] = [:]
        func matches(_ r: RoleID) -> [(ruleIndex: Int, request: ResourceRequest)] {
            if let known = matched[r] { return known }
            var found: [(ruleIndex: Int, request: ResourceRequest)] = []
            for (j, rule) in graph.roles[r].rules.enumerated() {
                if rule.verbs.containsExactly("*") && rule.resources.containsExactly("*") && rule.apiGroups.containsExactly("*") { continue }
                guard let request = requests.first(where: { rule.allows($0) }) else { continue }
                found.append((j, request))
            }
            matched[r] = found
            return found
        }
        for (id, b) in zip(graph.bindings.ids, graph.bindings) {
            if clusterScoped && b.kind == .roleBinding { continue }
            guard case .role(let r) = graph.resolutions[id] else { continue }
            let rules = matches(r)
            // A binding whose subjects match nobody grants nothing (another rule names it).
            if rules.isEmpty || principals(of: b).isEmpty { continue }
            for (j, request) in rules {
                out.append(PermissionGrant(
                    binding: id, role: r, ruleIndex: j, namespace: b.kind == .roleBinding ? b.namespace : nil, request: request))
            }
        }
        return out
    }

    /// The subjects of a binding, as `user:NAME`, `group:NAME` or `sa:NS/NAME` (subjects that
    /// match nobody left out).
    public func principals(of binding: Binding) -> [String] {
        binding.subjects.compactMap { principal($0, in: binding) }
    }

    /// A finding about a grant: located at the binding, its role related, the rule as evidence.
    func finding(
        _ rule: FindingRule, _ grant: PermissionGrant, severity: Severity, _ what: (_ who: String, _ scope: String) -> String
    ) -> Finding {
        let b = graph.bindings[grant.binding]
        let role = graph.roles[grant.role]
        let who = principals(of: b).joined(separator: ", ")  // never empty: grants() skips those
        let scope = grant.namespace.map { "in \($0)" } ?? "cluster-wide"
        return rule.finding(
            severity: severity,
            message: "\(b.displayName): \(what(who, scope)) (\(role.displayName) rule \(grant.ruleIndex))",
            object: ObjectRef(b), related: [ObjectRef(role)],
            evidence: ["\(role.displayName) rule \(grant.ruleIndex): \(role.rules[grant.ruleIndex].compactDescription)"])
    }
}
