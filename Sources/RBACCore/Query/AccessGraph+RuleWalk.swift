// The one walk over an identity's bindings and their rules, as Kubernetes' `VisitRulesFor`
// (`pkg/registry/rbac/validation/rule.go`): ClusterRoleBindings first, then the RoleBindings of
// the namespace, each resolved to its role, the visitor called per rule until it says stop.
// authorize, rules(for:in:), the privilege-path principals, least-privilege usage, the report's
// principals and the redundant-rule finding all walk bindings through it.

/// Which of an identity's bindings a walk visits.
public enum BindingSelection: Hashable, Sendable {
    /// What the authorizer visits for a request in `namespace`: the ClusterRoleBindings naming
    /// the identity, then its RoleBindings in `namespace` (`""`: ClusterRoleBindings only),
    /// each in list order.
    case request(namespace: String)
    /// The RoleBindings naming the identity in one namespace only, in list order.
    case roleBindings(namespace: String)
    /// Every binding naming the identity, each once: its ClusterRoleBindings, then its
    /// RoleBindings namespace by namespace (namespaces in byte order), in list order.
    case everywhere
}

/// One binding met by ``AccessGraph/visitBindings(for:_:_:)``.
public enum BindingVisit: Sendable {
    /// A binding naming the identity, its role, and the first of its subjects that names the
    /// identity (the subject an authorizer reason names).
    case bound(binding: BindingID, role: RoleID, subject: Subject)
    /// A binding whose roleRef does not resolve, with the error Kubernetes reports.
    case unresolved(binding: BindingID, error: String)
}

/// One rule met by ``AccessGraph/visitRules(for:_:_:)``: a rule with its evidence, or the
/// error of a binding whose role does not resolve (Kubernetes' visitor receives both).
public enum RuleVisit: Sendable {
    case rule(RuleGrant)
    case error(String)
}

extension AccessGraph {
    /// Visits the bindings of `identity` that `selection` names, in visit order, until
    /// `visitor` returns `false`.
    ///
    /// Bindings come from the subject indexes (by user name and group), never from a scan.
    /// A binding whose role resolves is visited with the first of its subjects that names the
    /// identity (and skipped if none does); one whose role is missing, with the error.
    /// - Returns: `false` when the visitor stopped the walk.
    /// - Complexity: O(k log k) for the k bindings naming the identity's name and groups, plus
    ///   the visitor's work.
    @discardableResult
    public func visitBindings(for identity: Identity, _ selection: BindingSelection, _ visitor: (BindingVisit) -> Bool) -> Bool {
        func visit(_ bindings: [BindingID]) -> Bool {
            for b in bindings {
                switch resolutions[b] {
                case .error(let message):
                    if !visitor(.unresolved(binding: b, error: message)) { return false }
                case .role(let r):
                    guard let subject = firstMatchingSubject(ofBinding: b, for: identity) else { continue }
                    if !visitor(.bound(binding: b, role: r, subject: subject)) { return false }
                }
            }
            return true
        }
        switch selection {
        case .request(let namespace):
            return visit(applicableBindings(for: identity, in: namespace))
        case .roleBindings(let namespace):
            return visit(applicableRoleBindings(for: identity, in: namespace))
        case .everywhere:
            guard visit(applicableBindings(for: identity, in: "")) else { return false }
            for namespace in roleBindingNamespaces(for: identity) {
                guard visit(applicableRoleBindings(for: identity, in: namespace)) else { return false }
            }
            return true
        }
    }

    /// Visits every rule of the bindings of `identity` that `selection` names, in visit order
    /// (a binding's role's rules in order), and the errors of bindings whose role is missing,
    /// until `visitor` returns `false`: Kubernetes' `VisitRulesFor`.
    /// - Returns: `false` when the visitor stopped the walk.
    /// - Complexity: O(k log k + r) for the k bindings naming the identity's name and groups and
    ///   the r rules visited, plus the visitor's work.
    @discardableResult
    public func visitRules(for identity: Identity, _ selection: BindingSelection, _ visitor: (RuleVisit) -> Bool) -> Bool {
        visitBindings(for: identity, selection) { visit in
            switch visit {
            case .unresolved(_, let error):
                return visitor(.error(error))
            case .bound(let b, let r, let subject):
                for (j, rule) in roles[r].rules.enumerated() {
                    if !visitor(.rule(RuleGrant(rule: rule, grant: Grant(subject: subject, binding: b, role: r, ruleIndex: j)))) {
                        return false
                    }
                }
                return true
            }
        }
    }

    /// The RoleBindings naming `identity` in `namespace`, in list order.
    func applicableRoleBindings(for identity: Identity, in namespace: String) -> [BindingID] {
        guard !namespace.isEmpty else { return [] }
        let ix = indexes
        var rbs: [Int] = ix.rbByUser[NamespacedName(namespace: namespace, name: identity.name)] ?? []
        for g in identity.groups {
            if let l = ix.rbByGroup[NamespacedName(namespace: namespace, name: g)] { rbs += l }
        }
        return Self.sortedUnique(rbs).map(BindingID.init)
    }
}
