// The access diff as JSON (schema rbacgraph.diff/v1, docs/diff.md) and SARIF 2.1.0.

import RBACCore

extension PermissionAtom {
    /// `{"verb", "apiGroup", "resource", "resourceName"}` or `{"verb", "nonResourceURL"}`.
    public var json: JSONValue {
        switch target {
        case .resource(let group, let resource, let name):
            var pairs: [(String, JSONValue)] = [("verb", .string(verb)), ("apiGroup", .string(group)), ("resource", .string(resource))]
            if let name { pairs.append(("resourceName", .string(name))) }
            return .object(pairs)
        case .nonResourceURL(let url):
            return .object([("verb", .string(verb)), ("nonResourceURL", .string(url))])
        }
    }
}

extension ObjectChange {
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("kind", .string(kind.rawValue)), ("object", .string(object))]
        if !detail.isEmpty { pairs.append(("detail", .string(detail))) }
        if let base { pairs.append(("base", .string(base.description))) }
        if let head { pairs.append(("head", .string(head.description))) }
        return .object(pairs)
    }
}

extension PathChange {
    /// `identity`, `target`, `namespace`, `change`, `base` and `head` (reach), `steps` (for
    /// people), `path` (as `rbacgraph paths -o json`), `causes`.
    public var json: JSONValue {
        .object([
            ("identity", .string(identity)), ("target", .string(target)), ("namespace", namespace.map { .string($0) } ?? .null),
            ("change", .string(kind.rawValue)), ("base", .string(base.id)), ("head", .string(head.id)),
            ("steps", .array(steps.map { .string($0) })), ("path", path), ("causes", .array(causes.map(\.json))),
        ])
    }
}

extension AccessDiff {
    /// The JSON form, schema `rbacgraph.diff/v1`: every change atom by atom (one verb each)
    /// with its exceptions, sensitivity and causes.
    public var json: JSONValue { .object(jsonMembers.map { ($0, $1.value) }) }

    /// The members of ``json``, the identities built one at a time as they are written
    /// (``JSONValue/writePretty(members:chunk:to:)``): the JSON of a large diff is never held whole.
    public var jsonMembers: [(String, JSONValue.Member)] {
        func change(_ c: AccessChange) -> JSONValue {
            var pairs: [(String, JSONValue)] = [("permission", c.atom.json)]
            if !c.except.isEmpty { pairs.append(("except", .array(c.except.map(\.json)))) }
            pairs.append(("sensitive", c.sensitivity.map { .string($0) } ?? .null))
            pairs.append(("causes", .array(c.causes.map(\.json))))
            return .object(pairs)
        }
        let identities = self.identities
        func identity(_ i: IdentityChange) -> JSONValue {
            var pairs: [(String, JSONValue)] = [("identity", .string(i.identity))]
            if !i.members.isEmpty { pairs.append(("members", .array(i.members.map { .string($0) }))) }
            pairs.append(("scopes", .array(i.scopes.map { s in
                var scope: [(String, JSONValue)] = [("namespace", s.namespace.map { .string($0) } ?? .null)]
                if let g = s.sameAsGroup { scope.append(("sameAsGroup", .string(g))) }
                scope.append(("gained", .array(s.gained.map(change))))
                scope.append(("lost", .array(s.lost.map(change))))
                return .object(scope)
            })))
            return .object(pairs)
        }
        let noEffect = Set(objectChangesWithoutAccessEffect.map(\.object))
        var pairs: [(String, JSONValue.Member)] = [
            ("schema", .value(.string("rbacgraph.diff/v1"))), ("summary", .value(.string(summary))),
            ("identities", .elements(count: identities.count) { identity(identities[$0]) }),
        ]
        if let f = findings {
            pairs += [
                ("pathsGained", .value(.array(f.pathsGained.map(\.json)))), ("pathsLost", .value(.array(f.pathsLost.map(\.json)))),
                ("findingsIntroduced", .value(.array(f.introduced.map(\.json)))), ("findingsResolved", .value(.array(f.resolved.map(\.json)))),
            ]
        }
        let paths = self.paths
        pairs.append(("privilegePaths", .elements(count: paths.count) { paths[$0].json }))
        pairs.append(("secretExposure", .value(.array(secretExposure.map { e in
            func reader(_ r: SecretReaderChange) -> JSONValue {
                var p: [(String, JSONValue)] = [("reader", .string(r.reader)), ("verbs", .array(r.verbs.map { .string($0) }))]
                if let path = r.path { p.append(("byPath", .object([("target", .string(path.target)), ("change", .string(path.kind.rawValue))]))) }
                p.append(("causes", .array(r.causes.map(\.json))))
                return .object(p)
            }
            return .object([
                ("namespace", e.namespace.map { .string($0) } ?? .null), ("secret", e.secret.map { .string($0) } ?? .null),
                ("gained", .array(e.gained.map(reader))), ("lost", .array(e.lost.map(reader))),
            ])
        }))))
        pairs.append(("objectChanges", .value(.array(objectChanges.map { c in
            guard case .object(var pairs) = c.json else { return c.json }
            pairs.append(("accessEffect", .bool(!noEffect.contains(c.object))))
            return .object(pairs)
        }))))
        return pairs
    }

    /// A SARIF location: the file (relative to `baseURI`), line and column.
    static func sarifLocation(_ at: SourceLocation, baseURI: String?) -> JSONValue {
        var file = at.file
        if let base = baseURI, file.hasPrefix(base) { file = String(file.dropFirst(base.count)) }
        return .object([("physicalLocation", .object([
            ("artifactLocation", .object([("uri", .string(file))])),
            ("region", .object([("startLine", .number(Double(max(1, at.line)))), ("startColumn", .number(Double(max(1, at.column))))])),
        ]))])
    }

    /// SARIF 2.1.0: one result per sensitive access gained, located at the head side's file
    /// and line of its first cause that has one, one per privilege path gained or made more
    /// certain (rule `diff-privilege-path-gained`), and one per finding introduced (as the
    /// report's SARIF has it).
    /// - Parameter baseURI: prefix stripped from file paths so they are repository-relative.
    public func sarif(version: String = "0.1.0", baseURI: String? = nil) -> JSONValue {
        let ruleID = "diff-sensitive-access-gained"
        var results: [JSONValue] = []
        for i in identities {
            for s in i.scopes where s.sameAsGroup == nil {
                for c in s.compactGained where !c.sensitivity.isEmpty {
                    let scope = s.namespace.map { "in \($0)" } ?? "cluster-wide"
                    let message = "\(i.identity) gains \(c.text) \(scope) (\(c.sensitivity.joined(separator: ", ")))"
                        + (c.causes.isEmpty ? "" : ": " + c.causes.map(\.description).joined(separator: "; "))
                    var result: [(String, JSONValue)] = [
                        ("ruleId", .string(ruleID)), ("ruleIndex", .number(0)), ("level", .string("error")),
                        ("message", .object([("text", .string(message))])),
                    ]
                    if let at = c.causes.compactMap(\.head).first { result.append(("locations", .array([Self.sarifLocation(at, baseURI: baseURI)]))) }
                    result.append(("partialFingerprints", .object([("rbacgraph/v1", .string(Report.fingerprint("\(ruleID) \(i.identity) \(scope) \(c.text)")))])))
                    results.append(.object(result))
                }
            }
        }
        let pathRuleID = "diff-privilege-path-gained"
        for p in paths where p.isGain {
            let message = "\(p.identity) \(p.kind == .gained ? "newly reaches" : "reaches more certainly") \(p.target) (\(p.head.text)): "
                + p.steps.joined(separator: "; ") + (p.causes.isEmpty ? "" : " — because " + p.causes.map(\.description).joined(separator: "; "))
            var result: [(String, JSONValue)] = [
                ("ruleId", .string(pathRuleID)), ("ruleIndex", .number(1)), ("level", .string(p.head == .certain ? "error" : "warning")),
                ("message", .object([("text", .string(message))])),
            ]
            if let at = p.causes.compactMap(\.head).first { result.append(("locations", .array([Self.sarifLocation(at, baseURI: baseURI)]))) }
            result.append(("partialFingerprints", .object([("rbacgraph/v1", .string(Report.fingerprint("\(pathRuleID) \(p.identity) \(p.target)")))])))
            results.append(.object(result))
        }
        let pathRule: JSONValue = .object([
            ("id", .string(pathRuleID)), ("name", .string("PrivilegePathGained")),
            ("shortDescription", .object([("text", .string("A change opens a privilege path"))])),
            ("fullDescription", .object([("text", .string("On the head side an identity reaches cluster-admin, the secrets of a namespace, a service account or another identity by a privilege path that the base side does not open (or opens less certainly)."))])),
            ("defaultConfiguration", .object([("level", .string("error"))])),
            ("properties", .object([("security-severity", .string("8.0")), ("tags", .array([.string("security"), .string("kubernetes"), .string("rbac")]))])),
        ])
        let rule: JSONValue = .object([
            ("id", .string(ruleID)), ("name", .string("SensitiveAccessGained")),
            ("shortDescription", .object([("text", .string("A change gives an identity sensitive access"))])),
            ("fullDescription", .object([("text", .string("The head side allows an identity a request the escalation table marks dangerous (reading secrets, running code in pods, bind, escalate, impersonate, …) that the base side does not."))])),
            ("defaultConfiguration", .object([("level", .string("error"))])),
            ("properties", .object([("security-severity", .string("8.0")), ("tags", .array([.string("security"), .string("kubernetes"), .string("rbac")]))])),
        ])
        // The findings introduced, as the report writes them, after the sensitive gains.
        var rules: [JSONValue] = [rule, pathRule]
        var ruleIndex: [String: Int] = [:]
        for f in findings?.introduced ?? [] {
            if ruleIndex[f.ruleID] == nil, let r = FindingRule.all.first(where: { $0.id == f.ruleID }) {
                ruleIndex[f.ruleID] = rules.count
                rules.append(Report.sarifRule(r))
            }
            results.append(Report.sarifResult(f, ruleIndex: ruleIndex[f.ruleID] ?? 0, baseURI: baseURI))
        }
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("rbacgraph")), ("version", .string(version)),
                    ("informationUri", .string("https://github.com/rbacgraph/rbacgraph")), ("rules", .array(rules)),
                ]))])),
                ("results", .array(results)),
            ])])),
        ])
    }
}
