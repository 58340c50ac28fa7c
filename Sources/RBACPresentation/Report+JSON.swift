// The report as JSON, for scripts (schema `rbacgraph.report/v1`, documented in docs/findings.md).

import RBACCore

extension ObjectRef {
    /// `{"kind", "name", "namespace"?, "location"?: {"file", "line", "column"}}`.
    public var json: JSONValue {
        var p: [(String, JSONValue)] = [("kind", .string(kind)), ("name", .string(name))]
        if let ns = namespace { p.append(("namespace", .string(ns))) }
        if let s = source {
            p.append(("location", .object([
                ("file", .string(s.file)), ("line", .number(Double(s.line))), ("column", .number(Double(s.column))),
            ])))
        }
        return .object(p)
    }
}

extension Finding {
    /// A finding as the JSON report holds it (with its baselineKey).
    public var json: JSONValue {
        var p: [(String, JSONValue)] = [
            ("ruleId", .string(ruleID)), ("severity", .string(severity.description)), ("message", .string(message)),
        ]
        if let pr = principal { p.append(("principal", .string(pr))) }
        p.append(("object", object.json))
        if !related.isEmpty { p.append(("related", .array(related.map(\.json)))) }
        if !evidence.isEmpty { p.append(("evidence", .array(evidence.map { .string($0) }))) }
        if let path { p.append(("path", path)) }
        p.append(("baselineKey", .string(baselineKey)))
        return .object(p)
    }
}

extension Report {

    /// The report as JSON (schema `rbacgraph.report/v1`, documented in docs/findings.md).
    public func json() -> JSONValue { .object(jsonMembers.map { ($0, $1.value) }) }

    /// The members of ``json()``, the findings and the principals built one at a time as they
    /// are written (``JSONValue/writePretty(members:chunk:to:)``): neither the JSON of a large
    /// report nor what all its principals hold is ever held whole.
    public var jsonMembers: [(String, JSONValue.Member)] {
        let inputJSON: JSONValue = input.map { i in
            var fields: [(String, JSONValue)] = [
                ("files", .array(i.files.map { .string($0) })), ("objects", .number(Double(i.objects))),
                ("auditLogs", .array(i.auditLogs.map { .string($0) })),
                ("auditRequests", i.auditRequests.map { .number(Double($0)) } ?? .null),
            ]
            if let c = i.cluster { fields.append(("cluster", .string(c))) }
            if !i.notRead.isEmpty { fields.append(("notRead", .array(i.notRead.map { .string($0) }))) }
            if !i.unknown.isEmpty { fields.append(("unknown", .array(i.unknown.map { .string($0) }))) }
            if let v = i.vault {
                fields.append(("vault", .object([
                    ("folders", .array(v.folders.map { .string($0) })), ("roles", .number(Double(v.roles))),
                    ("policies", .number(Double(v.policies))),
                ])))
            }
            return .object(fields)
        } ?? .object([("summary", .string(inputSummary))])
        var members: [(String, JSONValue.Member)] = [
            ("schema", .value(.string("rbacgraph.report/v1"))), ("input", .value(inputJSON)),
            ("summary", .value(.object(summary.map { ($0.0.description, .number(Double($0.1))) }))),
        ]
        if !notChecked.isEmpty { members.append(("notChecked", .value(Self.notCheckedJSON(notChecked)))) }
        let findings = self.findings, principals = self.principals
        return members + [
            ("findings", .elements(count: findings.count) { findings[$0].json }),
            ("ignored", .value(.number(Double(ignored.count)))),
            ("builtinPolicy", .value(builtinPolicy.map { .string($0) } ?? .null)),
            ("builtIn", .value(.array(builtIn.map(\.json)))),
            ("builtInPrincipals", .value(.array(builtInPrincipals.map { .string($0) }))),
            ("principals", .elements(count: principals.count) { Self.json(principals[$0]) }),
            ("rules", .value(.array(rules.map { r in
                .object([
                    ("id", .string(r.id)), ("severity", .string(r.severity.description)), ("category", .string(r.category.rawValue)),
                    ("title", .string(r.title)),
                ])
            }))),
        ]
    }

    /// One principal: `name`, `worst`, `findings` (a count), `permissions`, `grants`, `usage`.
    static func json(_ pr: Principal) -> JSONValue {
        var p: [(String, JSONValue)] = [("name", .string(pr.name))]
        if let w = pr.worst { p.append(("worst", .string(w.description))) }
        p.append(("findings", .number(Double(pr.findingCount))))
        p.append(("permissions", .array(pr.permissions.map { l in
            .object([
                ("scope", .string(l.scope)), (l.isNonResourceURL ? "nonResourceURL" : "resource", .string(l.resource)),
                ("verbs", .array(l.verbs.map { .string($0) })), ("resourceNames", .array(l.resourceNames.map { .string($0) })),
            ])
        })))
        p.append(("grants", .array(pr.grants.map { .object([("binding", .string($0.binding)), ("role", .string($0.role))]) })))
        if let u = pr.usage {
            p.append(("usage", .object([
                ("observed", .array(u.observed.map { .object([("request", .string($0.request.description)), ("count", .number(Double($0.count)))]) })),
                ("unusedRules", .array(u.unusedRules.map { $0.rule.json })),
                ("notAllowedNow", .array(u.notAllowedNow.map { .string($0.description) })),
                ("minimalPolicy", .object([
                    ("verified", .bool(u.suggestion.verified)), ("yaml", .string(u.suggestion.yaml)),
                    ("notHeldToday", .array(u.suggestion.notHeldToday.map { .string($0.description) })),
                ])),
            ])))
        }
        return .object(p)
    }

    /// `[{"rules": [IDS], "reason": "…"}]`.
    static func notCheckedJSON(_ list: [NotChecked]) -> JSONValue {
        .array(list.map { n in
            .object([("rules", .array(n.ruleIDs.map { .string($0) })), ("reason", .string(n.reason))])
        })
    }
}
