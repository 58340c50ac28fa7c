extension AccessGraph {
    /// The bindings that apply to `identity` for a request in `namespace`, in the order the
    /// authorizer visits them: every matching ClusterRoleBinding in list order, then the
    /// matching RoleBindings of `namespace` in list order.
    /// - Complexity: O(k log k) for k candidate bindings of the identity's name and groups.
    public func applicableBindings(for identity: Identity, in namespace: String) -> [BindingID] {
        let ix = indexes
        var crbs: [Int] = ix.crbByUser[NamespacedName(namespace: "", name: identity.name)] ?? []
        for g in identity.groups { if let l = ix.crbByGroup[NamespacedName(namespace: "", name: g)] { crbs += l } }
        return Self.sortedUnique(crbs).map(BindingID.init) + applicableRoleBindings(for: identity, in: namespace)
    }

    /// The namespaces in which some RoleBinding names `identity` (by name or group), sorted.
    /// - Complexity: O(g + n log n) for g groups and n namespaces found.
    public func roleBindingNamespaces(for identity: Identity) -> [String] {
        let ix = indexes
        var set = Set<NamespacedName>()
        for ns in ix.rbNamespacesByUser[NamespacedName(namespace: "", name: identity.name)] ?? [] {
            set.insert(NamespacedName(namespace: ns, name: ""))
        }
        for g in identity.groups {
            for ns in ix.rbNamespacesByGroup[NamespacedName(namespace: "", name: g)] ?? [] {
                set.insert(NamespacedName(namespace: ns, name: ""))
            }
        }
        return set.map(\.namespace).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    static func sortedUnique(_ list: [Int]) -> [Int] {
        if list.count < 2 { return list }
        var l = list
        l.sort()
        var out: [Int] = []
        out.reserveCapacity(l.count)
        for x in l where out.last != x { out.append(x) }
        return out
    }

    /// The first subject of binding `index` that names `identity` (the one a reason names).
    func firstMatchingSubject(ofBinding id: BindingID, for identity: Identity) -> Subject? {
        let b = bindings[id]
        let ns = b.namespace ?? ""
        for s in b.subjects where s.applies(to: identity, bindingNamespace: ns) {
            return s.effective(bindingNamespace: ns) ?? s
        }
        return nil
    }

    /// Would the API server allow `identity` to make `request`?
    ///
    /// `system:masters` is allowed everything (the API server's privileged-group authorizer
    /// runs before RBAC). Otherwise RBAC: the first rule of an applicable binding that allows
    /// the request decides; RBAC never denies, so "no" means no rule allows it.
    /// - Complexity: O(b · r) for the b bindings that apply to the identity and r rules each;
    ///   independent of the size of the cluster.
    public func authorize(_ identity: Identity, _ request: Request) -> Decision {
        if identity.isMaster {
            return Decision(
                allowed: true, viaMasters: true, grant: nil, errors: [],
                reason: "allowed: member of group \"system:masters\" (the API server allows this group everything)")
        }
        var errors: [String] = []
        var allowedBy: Grant?
        visitRules(for: identity, .request(namespace: request.namespace)) { visit in
            switch visit {
            case .error(let message):
                if !errors.contains(message) { errors.append(message) }
                return true
            case .rule(let rg):
                guard rg.rule.allows(request) else { return true }
                allowedBy = rg.grant
                return false
            }
        }
        if let grant = allowedBy {
            return Decision(allowed: true, viaMasters: false, grant: grant, errors: [], reason: reason(for: grant))
        }
        let reason: String
        switch errors.count {
        case 0: reason = ""
        case 1: reason = "RBAC: " + errors[0]
        default: reason = "RBAC: [" + errors.joined(separator: ", ") + "]"
        }
        return Decision(allowed: false, viaMasters: false, grant: nil, errors: errors, reason: reason)
    }

    /// The authorizer's reason for a grant: `RBAC: allowed by ClusterRoleBinding "b" of
    /// ClusterRole "r" to User "u"`.
    public func reason(for grant: Grant) -> String {
        let b = bindings[grant.binding]
        let role = roles[grant.role]
        let bindingName = b.namespace.map { "\(b.name)/\($0)" } ?? b.name
        return "RBAC: allowed by \(b.kind.rawValue) \"\(bindingName)\" of \(role.kind.rawValue) \"\(role.name)\" to \(grant.subject)"
    }

    /// Every rule that applies to `identity` in `namespace` (`""`: ClusterRoleBindings only),
    /// in visit order, duplicates included: what `kubectl auth can-i --list` receives.
    /// - Returns: the rules with their evidence, and the resolution errors met.
    public func rules(for identity: Identity, in namespace: String) -> (rules: [RuleGrant], errors: [String]) {
        var out: [RuleGrant] = []
        var errors: [String] = []
        visitRules(for: identity, .request(namespace: namespace)) { visit in
            switch visit {
            case .error(let message): if !errors.contains(message) { errors.append(message) }
            case .rule(let rg): out.append(rg)
            }
            return true
        }
        return (out, errors)
    }
}
