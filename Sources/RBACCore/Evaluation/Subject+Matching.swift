// `appliesTo` of `pkg/registry/rbac/validation/rule.go`. See docs/semantics.md §3.

extension Subject {
    /// Whether this subject of a binding in `bindingNamespace` (`""` for a ClusterRoleBinding)
    /// names `identity`.
    ///
    /// - `User`: equal name. `Group`: the identity has that group.
    /// - `ServiceAccount`: the user name is `system:serviceaccount:NS:NAME`, NS being the
    ///   subject's namespace or, when empty, the binding's; never matches with both empty.
    /// - Any other kind (even `user`): never.
    public func applies(to identity: Identity, bindingNamespace: String) -> Bool {
        switch knownKind {
        case .user: return identity.name.isExactly(name)
        case .group: return identity.groups.containsExactly(name)
        case .serviceAccount:
            guard let user = serviceAccountUserName(bindingNamespace: bindingNamespace) else { return false }
            return identity.name.isExactly(user)
        case nil: return false
        }
    }

    /// The user name a ServiceAccount subject stands for, or `nil` if it can match no one.
    public func serviceAccountUserName(bindingNamespace: String) -> String? {
        guard isKind(.serviceAccount) else { return nil }
        let ns = namespace.isEmpty ? bindingNamespace : namespace
        if ns.isEmpty { return nil }
        return ServiceAccountName(namespace: ns, name: name).userName
    }

    /// The subject as an ``AccessGraph`` reports it: a ServiceAccount without namespace gets
    /// the binding's; `nil` when the subject can match no one (unknown kind, or a
    /// ServiceAccount without namespace in a ClusterRoleBinding).
    public func effective(bindingNamespace: String) -> Subject? {
        switch knownKind {
        case .user, .group: return self
        case .serviceAccount:
            if !namespace.isEmpty { return self }
            if bindingNamespace.isEmpty { return nil }
            var s = self
            s.namespace = bindingNamespace
            return s
        case nil: return nil
        }
    }
}
