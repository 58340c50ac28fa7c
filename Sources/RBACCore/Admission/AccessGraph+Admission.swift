extension AccessGraph {
    /// Would the API server admit `identity` writing `object`?
    ///
    /// Authorization of the write (`create` on the collection: no name, so `resourceNames`
    /// cannot grant it; `update`/`patch` on the named object) and the RBAC storage's escalation
    /// check, exactly as Kubernetes runs them (see ``Admission``). The escalation check is
    /// evaluated even when the write itself is denied, so the answer names everything that
    /// would have to change.
    ///
    /// - Parameters:
    ///   - object: the binding or role, as it would be sent. A RoleBinding or Role takes its
    ///     namespace from the object (the loader defaults a missing one to `default`).
    ///   - verb: `create` for a new object; `update`/`patch` for an existing one.
    ///   - existing: for an update, the stored object of that name, if known: changing a
    ///     binding's `roleRef` is refused, and an aggregationRule on the stored ClusterRole
    ///     counts as on the new one.
    /// - Complexity: authorization of three requests plus `Covers` of the object's rules
    ///   against the identity's rules in its scope: O(b·r + a·o) for b applicable bindings of r
    ///   rules, a atoms of the object's rules and o owner rules.
    public func admission(
        of object: Admission.Object, by identity: Identity, verb: Admission.WriteVerb = .create,
        existing: Admission.Object? = nil
    ) -> Admission.Verdict {
        let namespace = object.namespace ?? ""
        let resource: String
        switch object {
        case .binding(let b): resource = b.kind == .clusterRoleBinding ? "clusterrolebindings" : "rolebindings"
        case .role(let r): resource = r.kind == .clusterRole ? "clusterroles" : "roles"
        }
        let writeRequest = ResourceRequest(
            verb: verb.rawValue, apiGroup: Admission.rbacGroup, resource: resource, namespace: namespace,
            name: verb == .create ? "" : object.name)
        let write = authorize(identity, .resource(writeRequest))

        var change: Admission.RoleRefChange?
        if case .binding(let new) = object, case .binding(let old)? = existing, verb != .create,
            !(old.roleRef.apiGroup.isExactly(new.roleRef.apiGroup) && old.roleRef.kind.isExactly(new.roleRef.kind)
                && old.roleRef.name.isExactly(new.roleRef.name))
        {
            change = Admission.RoleRefChange(old: old.roleRef, new: new.roleRef)
        }

        let escalation: Admission.EscalationCheck
        switch object {
        case .binding(let b): escalation = bindingEscalationCheck(b, namespace: namespace, identity: identity)
        case .role(let r):
            var aggregates = r.aggregationRule.map { !$0.clusterRoleSelectors.isEmpty } ?? false
            if verb != .create, case .role(let old)? = existing, let rule = old.aggregationRule, !rule.clusterRoleSelectors.isEmpty {
                aggregates = true
            }
            escalation = roleEscalationCheck(
                r, resource: resource, namespace: namespace, name: writeRequest.name, aggregates: aggregates,
                identity: identity)
        }
        return Admission.Verdict(
            object: object, verb: verb, writeRequest: writeRequest, write: write, escalation: escalation,
            roleRefChange: change)
    }

    /// `BindingAuthorized`, then `GetRoleReferenceRules` and `ConfirmNoEscalation`.
    private func bindingEscalationCheck(_ b: Binding, namespace: String, identity: Identity) -> Admission.EscalationCheck {
        if identity.isMaster { return .systemMasters }
        let roleResource: String
        switch b.roleRef.kind {
        case "ClusterRole": roleResource = "clusterroles"
        case "Role": roleResource = "roles"
        default: return .unsupportedRoleRefKind(b.roleRef.kind)
        }
        // `bind` is asked in the binding's namespace (none for a ClusterRoleBinding), with the
        // roleRef's API group and the role's name.
        let bindRequest = ResourceRequest(
            verb: "bind", apiGroup: b.roleRef.apiGroup, resource: roleResource, namespace: namespace,
            name: b.roleRef.name)
        let bind = authorize(identity, .resource(bindRequest))
        if bind.allowed { return .bindAllowed(request: bindRequest, decision: bind) }
        let role: Role?
        if b.roleRef.kind == "ClusterRole" {
            role = clusterRole(named: b.roleRef.name)
        } else {
            role = self.role(named: b.roleRef.name, in: namespace)
        }
        guard let role else { return .roleNotFound(b.roleRef, bindRequest: bindRequest) }
        return confirmNoEscalation(role.rules, namespace: namespace, identity: identity, asked: bindRequest)
    }

    /// `EscalationAllowed || RoleEscalationAuthorized`, else `ConfirmNoEscalation` (and full
    /// authority for an aggregating ClusterRole).
    private func roleEscalationCheck(
        _ r: Role, resource: String, namespace: String, name: String, aggregates: Bool, identity: Identity
    ) -> Admission.EscalationCheck {
        if identity.isMaster { return .systemMasters }
        let escalateRequest = ResourceRequest(
            verb: "escalate", apiGroup: Admission.rbacGroup, resource: resource, namespace: namespace, name: name)
        let escalate = authorize(identity, .resource(escalateRequest))
        if escalate.allowed { return .escalateAllowed(request: escalateRequest, decision: escalate) }
        let check = confirmNoEscalation(r.rules, namespace: namespace, identity: identity, asked: escalateRequest)
        guard check.passed, aggregates else { return check }
        let full = covers(rules(for: identity, in: namespace).rules.map(\.rule), Admission.fullAuthority)
        return full.covered ? check : .aggregationNeedsFullAuthority(missing: full.uncovered)
    }

    /// `ConfirmNoEscalation`: the identity's own rules in `namespace` (ClusterRoleBindings, and
    /// the RoleBindings of `namespace` when it is not empty) must cover `rules`.
    private func confirmNoEscalation(
        _ rules: [PolicyRule], namespace: String, identity: Identity, asked: ResourceRequest
    ) -> Admission.EscalationCheck {
        let own = self.rules(for: identity, in: namespace)
        let result = covers(own.rules.map(\.rule), rules)
        if result.covered { return .rulesHeld(ruleCount: rules.count) }
        return .rulesNotHeld(missing: result.uncovered, bindOrEscalateRequest: asked, resolutionErrors: own.errors)
    }
}
