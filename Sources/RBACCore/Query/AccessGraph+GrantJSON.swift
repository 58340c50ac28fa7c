// The JSON form of a grant, one for every answer that names grants: who-can and can-i in the
// CLI, the eval op who-can.

extension AccessGraph {
    /// A grant as JSON: `subject`, `binding` and `role` (kind, name, namespace?, source?,
    /// origin? when not from the input), `ruleIndex`, `rule`, and `builtIn: true` when it rests
    /// only on unmodified built-in objects (true, but not news).
    public func json(_ g: Grant) -> JSONValue {
        let b = bindings[g.binding]
        let r = roles[g.role]
        var binding: [(String, JSONValue)] = [("kind", .string(b.kind.rawValue)), ("name", .string(b.name))]
        if let ns = b.namespace { binding.append(("namespace", .string(ns))) }
        if let src = b.source { binding.append(("source", .string(src.description))) }
        var role: [(String, JSONValue)] = [("kind", .string(r.kind.rawValue)), ("name", .string(r.name))]
        if let ns = r.namespace { role.append(("namespace", .string(ns))) }
        if let src = r.source { role.append(("source", .string(src.description))) }
        if b.origin != .input { binding.append(("origin", .string(b.origin.rawValue))) }
        if r.origin != .input { role.append(("origin", .string(r.origin.rawValue))) }
        var pairs: [(String, JSONValue)] = [
            ("subject", g.subject.json), ("binding", .object(binding)), ("role", .object(role)),
            ("ruleIndex", .number(Double(g.ruleIndex))), ("rule", r.rules[g.ruleIndex].json),
        ]
        if isBuiltInOnly(g) { pairs.append(("builtIn", .bool(true))) }
        return .object(pairs)
    }
}
