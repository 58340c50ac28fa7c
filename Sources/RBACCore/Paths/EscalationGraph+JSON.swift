extension EscalationGraph {
    /// A path as JSON: the shape of `rbacgraph paths -o json` and of the eval op `paths`.
    public func json(_ path: PrivilegePath) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("from", .string(notation(path.start))),
            ("to", .string(notation(path.end))),
            ("certain", .bool(path.isCertain)),
        ]
        // Only from unmodified built-in objects (see isBuiltInOnly(_:)): true, but not news.
        if isBuiltInOnly(path) { pairs.append(("builtIn", .bool(true))) }
        pairs.append(("steps", .array(path.steps.map(json))))
        return .object(pairs)
    }

    /// A step as JSON.
    public func json(_ e: PathEdge) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("kind", .string(e.kind.rawValue)),
            ("from", .string(notation(e.from))),
            ("to", .string(notation(e.to))),
            ("description", .string(describe(e.to))),
        ]
        if let ns = e.namespace { pairs.append(("namespace", .string(ns))) }
        if !e.evidence.isEmpty {
            pairs.append(("evidence", .array(e.evidence.map { ev in
                var p: [(String, JSONValue)] = [("purpose", .string(ev.purpose))]
                if let b = ev.binding {
                    p.append(("binding", .string(access.bindings[b].displayName)))
                    if let src = access.bindings[b].source { p.append(("bindingSource", .string(src.description))) }
                }
                if let s = ev.subject {
                    p.append(("subject", .string(s.displayName)))
                }
                p.append(("role", .string(access.roles[ev.role].displayName)))
                if let src = access.roles[ev.role].source { p.append(("roleSource", .string(src.description))) }
                p.append(("ruleIndex", .number(Double(ev.ruleIndex))))
                p.append(("rule", access.roles[ev.role].rules[ev.ruleIndex].json))
                if let b = ev.binding, let s = ev.subject,
                    access.isBuiltInOnly(Grant(subject: s, binding: b, role: ev.role, ruleIndex: ev.ruleIndex))
                {
                    p.append(("builtIn", .bool(true)))
                }
                return .object(p)
            })))
        }
        if let c = e.condition {
            pairs.append(("condition", .object([
                ("text", .string(c.text)), ("observed", c.observed.map { .bool($0) } ?? .null),
            ])))
        }
        return .object(pairs)
    }
}
