extension EscalationGraph {
    /// A reader of a Vault path as JSON: the shape of `who-can CAPABILITY vault:PATH -o json`
    /// and of the eval op `who-can` on a `vault:` resource.
    public func json(_ r: VaultReader) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("identity", .string(r.identity.description)), ("certainty", .string(r.certainty == .yes ? "certain" : "unknown"))]
        func vaultJSON(_ a: VaultAccess) -> JSONValue {
            var v: [(String, JSONValue)] = [
                ("serviceAccount", .string(a.login.serviceAccount.notation)), ("role", .string(a.login.role.path)),
                ("policies", .array(a.login.policies.map { .string($0) })),
            ]
            if let e = a.decision.entry {
                v.append(("pattern", .string(e.pattern)))
                v.append(("capabilities", .array(e.capabilities.names.map { .string($0) })))
                v.append(("grantedBy", .array(e.grants.map { g in
                    .object([("policy", .string(g.policy)), ("source", g.rule.source.map { .string($0.description) } ?? .null)])
                })))
            }
            if !a.unresolved.isEmpty {
                v.append(("unresolved", .array(a.unresolved.map { .object([("policy", .string($0.policy)), ("path", .string($0.rule.path)), ("reason", .string($0.reason))]) })))
            }
            if !a.missingPolicies.isEmpty { v.append(("missingPolicies", .array(a.missingPolicies.map { .string($0) }))) }
            return .object(v)
        }
        switch r.route {
        case .login(let a):
            pairs.append(("route", .string("login")))
            pairs.append(("vault", vaultJSON(a)))
        case .store(let store, let ns, let kind, let a):
            pairs.append(("route", .string("store")))
            pairs.append(("store", .string(store.targetName)))
            pairs.append(("create", .object([("kind", .string(kind.rawValue)), ("namespace", .string(ns))])))
            if let g = r.grant { pairs.append(("grant", access.json(g))) }
            pairs.append(("vault", vaultJSON(a)))
        case .storeOfUnknownReach(let store, let ns, let kind, let reason):
            pairs.append(("route", .string("store")))
            pairs.append(("store", .string(store.targetName)))
            pairs.append(("create", .object([("kind", .string(kind.rawValue)), ("namespace", .string(ns))])))
            if let g = r.grant { pairs.append(("grant", access.json(g))) }
            pairs.append(("reach", .string("unknown")))
            pairs.append(("reason", .string(reason)))
        case .credentialSecret(let store, let ns, let name, let reason):
            pairs.append(("route", .string("credentials")))
            pairs.append(("store", .string(store.targetName)))
            pairs.append(("secret", .string("\(ns)/\(name)")))
            if let g = r.grant { pairs.append(("grant", access.json(g))) }
            pairs.append(("reach", .string("unknown")))
            pairs.append(("reason", .string(reason)))
        case .steps(let steps, let a):
            pairs.append(("route", .string("steps")))
            pairs.append(("steps", .array(steps.map { s in
                var step: [(String, JSONValue)] = [("kind", .string(s.kind.rawValue)), ("to", .string(s.to)), ("description", .string(s.why))]
                if let ns = s.namespace { step.append(("namespace", .string(ns))) }
                // Taken as another identity: the start's path to it, as `paths -o json` gives one.
                if let b = s.branch { step.append(("branch", json(b))) }
                if let c = s.condition {
                    step.append(("condition", .object([("text", .string(c.text)), ("observed", c.observed.map { .bool($0) } ?? .null)])))
                }
                return .object(step)
            })))
            if let g = r.grant { pairs.append(("grant", access.json(g))) }
            if let a { pairs.append(("vault", vaultJSON(a))) } else { pairs.append(("reach", .string("unknown"))) }
        }
        if let p = r.path { pairs.append(("path", json(p))) }
        return .object(pairs)
    }
}
