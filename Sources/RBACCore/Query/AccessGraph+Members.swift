extension AccessGraph {
    /// Namespaces that hold RoleBindings, sorted.
    public var namespacesWithRoleBindings: [String] { indexes.roleBindingsByNamespace.keys.map(\.namespace).sorted() }

    /// Who may make `request` in any namespace: the ClusterRoleBinding grants (namespace
    /// `""`, valid everywhere) and, for every namespace with RoleBindings, the RoleBinding
    /// grants there. `Group system:masters` comes first, once.
    /// - Complexity: O(n · q) for n namespaces with RoleBindings and q the cost of one
    ///   ``subjects(allowedTo:)``.
    public func subjectsInAnyNamespace(allowedTo request: ResourceRequest) -> [(namespace: String, subject: AllowedSubject)] {
        var clusterWide = request
        clusterWide.namespace = ""
        var out = subjects(allowedTo: .resource(clusterWide)).map { (namespace: "", subject: $0) }
        for ns in namespacesWithRoleBindings {
            var r = request
            r.namespace = ns
            // The RoleBindings of the namespace (ClusterRoleBindings are counted above).
            for var s in subjects(allowedTo: .resource(r)) {
                s.grants = s.grants.filter { bindings[$0.binding].kind == .roleBinding }
                if !s.grants.isEmpty { out.append((ns, s)) }
            }
        }
        return out
    }

    /// Every service account the input mentions: ServiceAccount objects, ServiceAccount
    /// subjects of bindings, and the service accounts pods and workloads run as, sorted by
    /// `namespace/name`.
    public var knownServiceAccounts: [ServiceAccountName] {
        var set = Set<ServiceAccountName>()
        for sa in serviceAccounts { set.insert(sa.serviceAccountName) }
        for b in bindings {
            for s in b.subjects {
                if let e = s.effective(bindingNamespace: b.namespace ?? ""), e.isKind(.serviceAccount) {
                    set.insert(ServiceAccountName(namespace: e.namespace, name: e.name))
                }
            }
        }
        for w in workloads { set.insert(ServiceAccountName(namespace: w.namespace, name: w.template.serviceAccountName)) }
        return set.sorted()
    }

    /// Every user named by a `User` subject, sorted.
    public var knownUsers: [String] {
        var seen = Set<ExactKey>()
        return bindings.flatMap { $0.subjects.filter { $0.isKind(.user) && seen.insert(ExactKey($0.name)).inserted }.map(\.name) }
            .sorted()
    }

    /// The known principals that belong to a group by the authenticators' rules:
    /// `system:serviceaccounts` (every service account), `system:serviceaccounts:NS` (those
    /// of NS), `system:authenticated` (every user and service account), and
    /// `system:unauthenticated` (`system:anonymous`). Other groups' members are not
    /// visible in RBAC objects: the answer is empty.
    public func knownMembers(ofGroup group: String) -> [String] {
        let sas = knownServiceAccounts
        switch group {
        case ServiceAccountName.allServiceAccountsGroup: return sas.map(\.notation)
        case Identity.authenticatedGroup:
            return knownUsers.filter { $0 != Identity.anonymousUser }.map { IdentityNotation.format(.user, name: $0) } + sas.map(\.notation)
        case Identity.unauthenticatedGroup: return [IdentityNotation.format(.user, name: Identity.anonymousUser)]
        default:
            if group.hasPrefix("system:serviceaccounts:") {
                let ns = String(group.dropFirst("system:serviceaccounts:".count))
                return sas.filter { $0.namespace.isExactly(ns) }.map(\.notation)
            }
            return []
        }
    }
}
