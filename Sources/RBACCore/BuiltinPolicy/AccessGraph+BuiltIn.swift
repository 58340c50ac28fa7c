// Provenance of answers: what rests only on the API server's built-in policy, untouched by the
// input. True, but not news: gates leave it out and answers mark it.

extension AccessGraph {
    /// Whether a grant comes only from unmodified built-in objects: a built-in binding
    /// (``ObjectOrigin/builtIn``) of a built-in role, and, for an aggregated role, a rule some
    /// built-in role brings (an input ClusterRole labelled `aggregate-to-edit` makes the rules it
    /// adds to `edit` news).
    public func isBuiltInOnly(_ grant: Grant) -> Bool {
        guard bindings[grant.binding].origin.isBuiltIn else { return false }
        let role = roles[grant.role]
        guard role.origin.isBuiltIn else { return false }
        if role.aggregationRule == nil { return true }
        return role.rules.indices.contains(grant.ruleIndex) && builtInRules.contains(role.rules[grant.ruleIndex])
    }

    /// Whether the graph holds any built-in object (the built-in policy was merged).
    public var hasBuiltInObjects: Bool {
        roles.contains { $0.origin != .input } || bindings.contains { $0.origin != .input }
    }

    static func builtInRules(of roles: [Role]) -> Set<PolicyRule> {
        var out = Set<PolicyRule>()
        // By index: copying each role would touch every string of it.
        for i in roles.indices where roles[i].kind == .clusterRole && roles[i].origin.isBuiltIn && roles[i].aggregationRule == nil {
            out.formUnion(roles[i].rules)
        }
        return out
    }
}

extension EscalationGraph {
    /// Whether a step rests only on built-in grants: it has evidence, and one of its grants is
    /// built-in only (the step exists without the input).
    public func isBuiltInOnly(_ step: PathEdge) -> Bool {
        step.evidence.contains { e in
            guard let b = e.binding, let s = e.subject else { return false }
            return access.isBuiltInOnly(Grant(subject: s, binding: b, role: e.role, ruleIndex: e.ruleIndex))
        }
    }

    /// Whether a path comes only from unmodified built-in objects: every step that rests on a
    /// grant rests on a built-in one (and at least one does). Structural steps (running as a
    /// service account, belonging to a group) follow from those.
    public func isBuiltInOnly(_ path: PrivilegePath) -> Bool {
        let granted = path.steps.filter { !$0.evidence.isEmpty }
        return !granted.isEmpty && granted.allSatisfy(isBuiltInOnly)
    }
}

extension AccessGraph {
    /// The graph of what the built-in policy alone grants: the unmodified built-in roles and
    /// bindings, with every non-RBAC object of the input (service accounts, pods, namespaces…).
    /// What an identity can do here, it can do in any cluster with these objects.
    public var builtInOnly: AccessGraph {
        var cluster = Cluster(
            roles: roles.filter { $0.origin.isBuiltIn }, bindings: bindings.filter { $0.origin.isBuiltIn },
            serviceAccounts: serviceAccounts, namespaces: namespaces, secrets: secrets, workloads: workloads)
        cluster.encryptionConfigurations = encryptionConfigurations
        cluster.auditPolicies = auditPolicies
        return AccessGraph(cluster)
    }
}

extension EscalationGraph {
    /// The identities that reach `target` by the built-in policy alone: for them, reaching it
    /// is not news, whatever path the input adds. (Nodes compare by their fields, so they
    /// answer for this graph's nodes too.)
    public func identitiesReachingByBuiltInsAlone(_ target: PathTarget, maxSteps: Int = 8) -> Set<PathNode> {
        guard access.hasBuiltInObjects else { return [] }
        let builtIn = EscalationGraph(access.builtInOnly)
        return Set(builtIn.identitiesReaching(target, maxSteps: maxSteps).map { builtIn.nodes[$0.start] })
    }
}
