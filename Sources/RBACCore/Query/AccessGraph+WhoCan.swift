extension AccessGraph {
    /// Who may make `request`: every subject of every binding whose role allows it, with the
    /// grant behind it, as `AllowedSubjects` of the Kubernetes subject locator computes it,
    /// `Group system:masters` first.
    ///
    /// Subjects that can match no one (unknown kinds, a ServiceAccount without namespace in a
    /// ClusterRoleBinding) are left out; a ServiceAccount without namespace in a RoleBinding is
    /// reported in the binding's namespace. Each distinct subject appears once, with every
    /// grant (binding, role, rule) that allows it in ``AllowedSubject/grants`` —
    /// ClusterRoleBindings before RoleBindings, then binding and rule order: revoking access
    /// takes all of them.
    ///
    /// - Parameter request: the request; its namespace picks the RoleBindings that count.
    /// - Complexity: O(m + g) where m is the number of rules indexed under the request's
    ///   resource (or the non-resource rules) and g the bindings of the matching roles, not a
    ///   scan of the cluster.
    public func subjects(allowedTo request: Request) -> [AllowedSubject] {
        let namespace = request.namespace
        let ix = indexes
        // 1. Roles with rules allowing the request (every such rule per role).
        var clusterRoleRule: [RoleID: [Int]] = [:]
        var roleRule: [RoleID: [Int]] = [:]
        func consider(_ refs: [RuleRef]?, into map: inout [RoleID: [Int]]) {
            guard let refs else { return }
            for ref in refs {
                let r = RoleID(Int(ref.role)), j = Int(ref.rule)
                if map[r]?.contains(j) == true { continue }
                if roles[r].rules[j].allows(request) { map[r, default: []].append(j) }
            }
        }
        switch request {
        case .resource(let rr):
            let keys = rr.subresource.isEmpty
                ? [rr.combinedResource, "*"] : [rr.combinedResource, "*", "*/" + rr.subresource]
            for k in keys {
                consider(ix.resourceRules[NamespacedName(namespace: "", name: k)], into: &clusterRoleRule)
                if !namespace.isEmpty {
                    consider(ix.resourceRules[NamespacedName(namespace: namespace, name: k)], into: &roleRule)
                }
            }
        case .nonResource:
            consider(ix.nonResourceRules[NamespacedName(namespace: "", name: "")], into: &clusterRoleRule)
            if !namespace.isEmpty { consider(ix.nonResourceRules[NamespacedName(namespace: namespace, name: "")], into: &roleRule) }
        }

        // 2. Bindings that resolve to those roles.
        var crbHits: [(binding: BindingID, role: RoleID, rule: Int)] = []
        var rbHits: [(binding: BindingID, role: RoleID, rule: Int)] = []
        for (r, rules) in clusterRoleRule {
            for j in rules {
                for b in ix.crbsByRole[r] ?? [] { crbHits.append((BindingID(b), r, j)) }
                if !namespace.isEmpty {
                    for b in ix.rbsByRole[RoleInNamespace(namespace: namespace, role: r)] ?? [] {
                        rbHits.append((BindingID(b), r, j))
                    }
                }
            }
        }
        for (r, rules) in roleRule {
            for j in rules {
                for b in ix.rbsByRole[RoleInNamespace(namespace: namespace, role: r)] ?? [] {
                    rbHits.append((BindingID(b), r, j))
                }
            }
        }
        crbHits.sort { ($0.binding, $0.rule) < ($1.binding, $1.rule) }
        rbHits.sort { ($0.binding, $0.rule) < ($1.binding, $1.rule) }

        // 3. Their subjects, masters first, each once with all its grants.
        var out: [AllowedSubject] = []
        var index: [Subject: Int] = [:]
        let masters = Subject.group(Identity.mastersGroup)
        index[masters] = 0
        out.append(AllowedSubject(subject: masters, grants: []))
        for hit in crbHits + rbHits {
            let ns = bindings[hit.binding].namespace ?? ""
            for s in bindings[hit.binding].subjects {
                guard let e = s.effective(bindingNamespace: ns) else { continue }
                let key = e.canonical
                let grant = Grant(subject: e, binding: hit.binding, role: hit.role, ruleIndex: hit.rule)
                if let k = index[key] {
                    // masters is allowed ahead of RBAC: its answer carries no grant.
                    if k > 0, !out[k].grants.contains(where: { $0.binding == hit.binding && $0.role == hit.role && $0.ruleIndex == hit.rule }) {
                        out[k].grants.append(grant)
                    }
                } else {
                    index[key] = out.count
                    out.append(AllowedSubject(subject: e, grants: [grant]))
                }
            }
        }
        return out
    }
}

/// One answer of ``AccessGraph/subjects(allowedTo:)``.
public struct AllowedSubject: Hashable, Sendable {
    public var subject: Subject
    /// Every binding, role and rule that allows it, ClusterRoleBindings first; empty for
    /// `Group system:masters`, which the API server allows everything ahead of RBAC.
    public var grants: [Grant]
    /// The first of ``grants``; `nil` for `Group system:masters`.
    public var grant: Grant? { grants.first }
}

extension Subject {
    /// The subject with the API group defaulting applies (`rbac.authorization.k8s.io` for
    /// users and groups, `""` for service accounts) and no namespace on users and groups: two
    /// subjects that name the same principal are equal in this form.
    public var canonical: Subject {
        var s = self
        if isKind(.serviceAccount) { s.apiGroup = "" } else { s.apiGroup = "rbac.authorization.k8s.io"; s.namespace = "" }
        return s
    }
}
