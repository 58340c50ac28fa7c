// The report as SARIF 2.1.0, for code scanning.

import RBACCore

extension Report {

    static func sarifLevel(_ s: Severity) -> String {
        switch s {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    static func securitySeverity(_ s: Severity) -> String {
        switch s {
        case .critical: return "9.5"
        case .high: return "8.0"
        case .medium: return "5.5"
        case .low: return "3.0"
        case .info: return "1.0"
        }
    }

    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers: one result per
    /// finding, located at the offending object's manifest file and line.
    /// - Parameter baseURI: prefix stripped from file paths so they are repository-relative.
    public func sarif(version: String = "0.1.0", baseURI: String? = nil) -> JSONValue {
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let rulesJSON: [JSONValue] = rules.map(Self.sarifRule)
        let results: [JSONValue] = findings.map { Self.sarifResult($0, ruleIndex: ruleIndex[$0.ruleID] ?? 0, baseURI: baseURI) }
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("rbacgraph")), ("version", .string(version)),
                    ("informationUri", .string("https://github.com/rbacgraph/rbacgraph")), ("rules", .array(rulesJSON)),
                ]))])),
                ("results", .array(results)),
                // Findings resting only on the built-in policy are not results: every cluster has them.
                ("properties", .object([
                    ("builtinPolicy", builtinPolicy.map { .string($0) } ?? .null),
                    ("builtInFindings", .number(Double(builtIn.count))),
                ] + (notChecked.isEmpty ? [] : [("notChecked", Self.notCheckedJSON(notChecked))]))),
            ])])),
        ])
    }

    /// A finding rule as a SARIF `reportingDescriptor`.
    static func sarifRule(_ r: FindingRule) -> JSONValue {
        .object([
            ("id", .string(r.id)),
            ("name", .string(r.title.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined())),
            ("shortDescription", .object([("text", .string(r.title))])),
            ("fullDescription", .object([("text", .string(r.rationale))])),
            ("help", .object([("text", .string(r.remediation)), ("markdown", .string("**Why:** \(r.rationale)\n\n**Fix:** \(r.remediation)"))])),
            ("defaultConfiguration", .object([("level", .string(Self.sarifLevel(r.severity)))])),
            ("properties", .object([
                ("security-severity", .string(Self.securitySeverity(r.severity))),
                ("tags", .array([.string("security"), .string("kubernetes"), .string("rbac"), .string(r.category.rawValue)])),
            ])),
        ])
    }

    /// A finding as a SARIF result, located at its object's manifest file and line.
    static func sarifResult(_ f: Finding, ruleIndex: Int, baseURI: String?) -> JSONValue {
        var p: [(String, JSONValue)] = [
            ("ruleId", .string(f.ruleID)), ("ruleIndex", .number(Double(ruleIndex))),
            ("level", .string(Self.sarifLevel(f.severity))), ("message", .object([("text", .string(f.message))])),
        ]
        var location: [(String, JSONValue)] = []
        if let s = f.object.source {
            var file = s.file
            if let base = baseURI, file.hasPrefix(base) { file = String(file.dropFirst(base.count)) }
            location.append(("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(file))])),
                ("region", .object([("startLine", .number(Double(max(1, s.line)))), ("startColumn", .number(Double(max(1, s.column))))])),
            ])))
        }
        location.append(("logicalLocations", .array([.object([
            ("name", .string(f.object.name)), ("fullyQualifiedName", .string(f.object.description)), ("kind", .string("resource")),
        ])])))
        p.append(("locations", .array([.object(location)])))
        p.append(("partialFingerprints", .object([("rbacgraph/v1", .string(Self.fingerprint(f.baselineKey)))])))
        p.append(("properties", .object([("severity", .string(f.severity.description))] + (f.principal.map { [("principal", JSONValue.string($0))] } ?? []))))
        return .object(p)
    }

    /// A stable hex digest (FNV-1a 64) of a finding's baseline key.
    static func fingerprint(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
