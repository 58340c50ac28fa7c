import ArgumentParser
import RBACCore

/// `-o table|json|yaml`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
    case yaml

    /// Prints a JSON value in this format (json or yaml).
    func emit(_ value: JSONValue) {
        switch self {
        case .json: print(value.prettySerialized())
        case .yaml: print(value.yamlSerialized(), terminator: "")
        case .table: print(value.prettySerialized())
        }
    }
}

/// JSON forms of the model, shared by the subcommands.
enum JSONForms {
    static func subject(_ s: Subject) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("kind", .string(s.kind)), ("name", .string(s.name))]
        if s.kind == "ServiceAccount" { pairs.append(("namespace", .string(s.namespace))) }
        return .object(pairs)
    }

    static func grant(_ g: Grant, in graph: AccessGraph) -> JSONValue {
        let b = graph.bindings[g.binding]
        let r = graph.roles[g.role]
        var binding: [(String, JSONValue)] = [("kind", .string(b.kind.rawValue)), ("name", .string(b.name))]
        if let ns = b.namespace { binding.append(("namespace", .string(ns))) }
        if let src = b.source { binding.append(("source", .string(src.description))) }
        var role: [(String, JSONValue)] = [("kind", .string(r.kind.rawValue)), ("name", .string(r.name))]
        if let ns = r.namespace { role.append(("namespace", .string(ns))) }
        if let src = r.source { role.append(("source", .string(src.description))) }
        return .object([
            ("subject", subject(g.subject)), ("binding", .object(binding)), ("role", .object(role)),
            ("ruleIndex", .number(Double(g.ruleIndex))), ("rule", QueryEvaluator.ruleJSON(r.rules[g.ruleIndex])),
        ])
    }

    static func request(_ r: Request) -> JSONValue {
        switch r {
        case .nonResource(let verb, let path):
            return .object([("verb", .string(verb)), ("path", .string(path))])
        case .resource(let rr):
            return .object([
                ("verb", .string(rr.verb)), ("apiGroup", .string(rr.apiGroup)), ("resource", .string(rr.resource)),
                ("subresource", .string(rr.subresource)), ("namespace", .string(rr.namespace)), ("name", .string(rr.name)),
            ])
        }
    }

    /// A short human form of a rule: `get,list secrets` / `get /healthz`.
    static func ruleSummary(_ rule: PolicyRule) -> String {
        var what: [String] = []
        for res in rule.resources {
            if rule.apiGroups.isEmpty || rule.apiGroups == [""] { what.append(res) } else {
                what.append(contentsOf: rule.apiGroups.map { $0.isEmpty ? res : "\(res).\($0)" })
            }
        }
        what += rule.nonResourceURLs
        var s = rule.verbs.joined(separator: ",") + " " + what.joined(separator: ",")
        if !rule.resourceNames.isEmpty { s += " [" + rule.resourceNames.joined(separator: ",") + "]" }
        return s
    }
}
