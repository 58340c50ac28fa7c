// The report in its output formats: Markdown for people, JSON for scripts (schema in
// docs/findings.md), SARIF 2.1.0 for code scanning, and one self-contained HTML page.

extension Report {
    static let severityOrder: [Severity] = [.critical, .high, .medium, .low, .info]

    /// Counts per severity.
    public var summary: [(Severity, Int)] {
        Self.severityOrder.map { s in (s, findings.filter { $0.severity == s }.count) }
    }

    static func location(_ o: ObjectRef) -> String { o.source.map { "\($0)" } ?? "" }

    // MARK: Markdown

    /// Markdown, for people and pull-request comments.
    public func markdown() -> String {
        var md = "# rbacgraph report\n\n"
        if !inputSummary.isEmpty { md += inputSummary + "\n\n" }
        md += "| severity | findings |\n|---|---:|\n"
        for (s, n) in summary { md += "| \(s) | \(n) |\n" }
        if !ignored.isEmpty { md += "\n\(ignored.count) finding(s) left out by the baseline.\n" }
        md += "\n## Findings\n"
        if findings.isEmpty { md += "\nNo findings.\n" }
        for s in Self.severityOrder {
            let group = findings.filter { $0.severity == s }
            guard !group.isEmpty else { continue }
            let heading = s.description.prefix(1).uppercased() + s.description.dropFirst()
            md += "\n### \(heading) (\(group.count))\n\n"
            for f in group {
                md += "- **\(f.ruleID)** — \(Self.escapeMarkdown(f.message))"
                let loc = Self.location(f.object)
                md += loc.isEmpty ? "  \n  `\(f.object)`\n" : "  \n  `\(f.object)` at `\(loc)`\n"
                for e in f.evidence.prefix(8) { md += "  - \(Self.escapeMarkdown(e))\n" }
            }
        }
        md += "\n## Principals\n"
        for p in principals {
            md += "\n### \(Self.escapeMarkdown(p.name))"
            if let w = p.worst { md += " — worst finding: \(w) (\(p.findingCount))" }
            md += "\n\n"
            if p.permissions.isEmpty {
                md += "Holds no permissions.\n"
            } else {
                md += "| scope | resource | verbs | names |\n|---|---|---|---|\n"
                for l in p.permissions {
                    md += "| \(l.scope) | \(Self.escapeMarkdown(l.resource)) | \(l.verbs.joined(separator: " ")) | \(l.resourceNames.joined(separator: " ")) |\n"
                }
                md += "\nThrough: " + p.grants.map { "\($0.binding) → \($0.role)" }.joined(separator: "; ") + "\n"
            }
            if let u = p.usage {
                md += "\n**Audit log:** \(u.observed.count) distinct request(s) observed"
                md += u.unusedRules.isEmpty ? "; every held rule was used.\n" : "; \(u.unusedRules.count) held rule(s) never used:\n\n"
                for rg in u.unusedRules { md += "- `\(rg.rule.compactDescription)`\n" }
                if !u.notAllowedNow.isEmpty {
                    md += "\n\(u.notAllowedNow.count) observed request(s) are not allowed by these manifests (the log comes from another policy).\n"
                }
                md += "\nMinimal policy (\(u.suggestion.verified ? "verified: it allows every observed request" : "NOT verified")):\n\n```yaml\n\(u.suggestion.yaml)```\n"
            }
        }
        md += "\n## Rules\n\n| id | severity | category | title |\n|---|---|---|---|\n"
        for r in rules { md += "| \(r.id) | \(r.severity) | \(r.category.rawValue) | \(r.title) |\n" }
        return md
    }

    static func escapeMarkdown(_ s: String) -> String {
        var out = ""
        for c in s {
            if "|*_`<>[]\\".contains(c) { out.append("\\") }
            out.append(c == "\n" ? " " : c)
        }
        return out
    }

    // MARK: JSON

    /// The report as JSON (schema `rbacgraph.report/v1`, documented in docs/findings.md).
    public func json() -> JSONValue {
        func object(_ o: ObjectRef) -> JSONValue {
            var p: [(String, JSONValue)] = [("kind", .string(o.kind)), ("name", .string(o.name))]
            if let ns = o.namespace { p.append(("namespace", .string(ns))) }
            if let s = o.source {
                p.append(("location", .object([
                    ("file", .string(s.file)), ("line", .number(Double(s.line))), ("column", .number(Double(s.column))),
                ])))
            }
            return .object(p)
        }
        let findingsJSON: [JSONValue] = findings.map { f in
            var p: [(String, JSONValue)] = [
                ("ruleId", .string(f.ruleID)), ("severity", .string(f.severity.description)), ("message", .string(f.message)),
            ]
            if let pr = f.principal { p.append(("principal", .string(pr))) }
            p.append(("object", object(f.object)))
            if !f.related.isEmpty { p.append(("related", .array(f.related.map(object)))) }
            if !f.evidence.isEmpty { p.append(("evidence", .array(f.evidence.map { .string($0) }))) }
            if let path = f.path { p.append(("path", path)) }
            p.append(("baselineKey", .string(f.baselineKey)))
            return .object(p)
        }
        let principalsJSON: [JSONValue] = principals.map { pr in
            var p: [(String, JSONValue)] = [("name", .string(pr.name))]
            if let w = pr.worst { p.append(("worst", .string(w.description))) }
            p.append(("findings", .number(Double(pr.findingCount))))
            p.append(("permissions", .array(pr.permissions.map { l in
                .object([
                    ("scope", .string(l.scope)), ("resource", .string(l.resource)), ("verbs", .array(l.verbs.map { .string($0) })),
                    ("resourceNames", .array(l.resourceNames.map { .string($0) })),
                ])
            })))
            p.append(("grants", .array(pr.grants.map { .object([("binding", .string($0.binding)), ("role", .string($0.role))]) })))
            if let u = pr.usage {
                p.append(("usage", .object([
                    ("observed", .array(u.observed.map { .object([("request", .string($0.request.description)), ("count", .number(Double($0.count)))]) })),
                    ("unusedRules", .array(u.unusedRules.map { QueryEvaluator.ruleJSON($0.rule) })),
                    ("notAllowedNow", .array(u.notAllowedNow.map { .string($0.description) })),
                    ("minimalPolicy", .object([("verified", .bool(u.suggestion.verified)), ("yaml", .string(u.suggestion.yaml))])),
                ])))
            }
            return .object(p)
        }
        return .object([
            ("schema", .string("rbacgraph.report/v1")),
            ("input", .string(inputSummary)),
            ("summary", .object(summary.map { ($0.0.description, .number(Double($0.1))) })),
            ("findings", .array(findingsJSON)),
            ("ignored", .number(Double(ignored.count))),
            ("principals", .array(principalsJSON)),
            ("rules", .array(rules.map { r in
                .object([
                    ("id", .string(r.id)), ("severity", .string(r.severity.description)), ("category", .string(r.category.rawValue)),
                    ("title", .string(r.title)),
                ])
            })),
        ])
    }

    // MARK: SARIF

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
        let rulesJSON: [JSONValue] = rules.map { r in
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
        let results: [JSONValue] = findings.map { f in
            var p: [(String, JSONValue)] = [
                ("ruleId", .string(f.ruleID)), ("ruleIndex", .number(Double(ruleIndex[f.ruleID] ?? 0))),
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
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("rbacgraph")), ("version", .string(version)),
                    ("informationUri", .string("https://github.com/rbacgraph/rbacgraph")), ("rules", .array(rulesJSON)),
                ]))])),
                ("results", .array(results)),
            ])])),
        ])
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

    // MARK: HTML

    /// One self-contained HTML page: summary, findings with severity colours, principals.
    /// - Parameter graphic: inline SVG for a finding (the access graph of its path or grant),
    ///   or nil; called for high and critical findings.
    public func html(graphic: ((Finding) -> String?)? = nil) -> String {
        func esc(_ s: String) -> String {
            var out = ""
            for c in s {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\"": out += "&quot;"
                default: out.append(c)
                }
            }
            return out
        }
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>rbacgraph report</title>
            <style>
            body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
            header{background:#24292f;color:#fff;padding:18px 32px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#d0d7de}
            main{padding:16px 32px;max-width:1200px}
            .cards{display:flex;gap:12px;margin:12px 0 20px}.card{flex:1;background:#fff;border-radius:8px;padding:12px 16px;border-top:4px solid}
            .card b{font-size:26px;display:block}
            .critical{border-color:#8b0000}.high{border-color:#cf222e}.medium{border-color:#bf8700}.low{border-color:#0969da}.info{border-color:#8c959f}
            .sev{display:inline-block;min-width:64px;text-align:center;border-radius:12px;padding:1px 8px;color:#fff;font-size:12px;font-weight:600}
            .sev.critical{background:#8b0000}.sev.high{background:#cf222e}.sev.medium{background:#bf8700}.sev.low{background:#0969da}.sev.info{background:#8c959f}
            table{border-collapse:collapse;width:100%;background:#fff;border-radius:8px;overflow:hidden;margin:8px 0 16px}
            th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #d8dee4;vertical-align:top}th{background:#eaeef2;font-weight:600}
            code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eff1f3;padding:1px 4px;border-radius:4px}
            details{background:#fff;border-radius:8px;padding:8px 12px;margin:8px 0}summary{cursor:pointer;font-weight:600}
            .evidence{color:#57606a;font-size:13px;margin:4px 0 0 0;padding-left:18px}.graphic{overflow:auto;margin-top:8px}.graphic svg{max-width:100%;height:auto}
            pre{background:#24292f;color:#f6f8fa;padding:10px;border-radius:6px;overflow:auto}
            </style></head><body>
            <header><h1>rbacgraph report</h1><p>\(esc(inputSummary))</p></header><main>
            <div class="cards">
            """
        for (s, n) in summary { h += "<div class=\"card \(s)\"><b>\(n)</b>\(s)</div>" }
        h += "</div>\n"
        if !ignored.isEmpty { h += "<p>\(ignored.count) finding(s) left out by the baseline.</p>\n" }
        h += "<h2>Findings</h2>\n"
        if findings.isEmpty { h += "<p>No findings.</p>\n" }
        for f in findings {
            h += "<details\(f.severity >= .high ? " open" : "")><summary><span class=\"sev \(f.severity)\">\(f.severity)</span> <code>\(esc(f.ruleID))</code> \(esc(f.message))</summary>\n"
            h += "<div>Object: <code>\(esc(f.object.description))</code>"
            if let s = f.object.source { h += " at <code>\(esc(s.description))</code>" }
            h += "</div>\n"
            if !f.evidence.isEmpty {
                h += "<ul class=\"evidence\">" + f.evidence.prefix(10).map { "<li>\(esc($0))</li>" }.joined() + "</ul>\n"
            }
            if f.severity >= .high, let svg = graphic?(f) { h += "<div class=\"graphic\">\(svg)</div>\n" }
            h += "</details>\n"
        }
        h += "<h2>Principals</h2>\n"
        for p in principals {
            h += "<details><summary>\(esc(p.name))"
            if let w = p.worst { h += " <span class=\"sev \(w)\">\(w)</span> \(p.findingCount) finding(s)" }
            h += "</summary>\n"
            if p.permissions.isEmpty {
                h += "<p>Holds no permissions.</p>"
            } else {
                h += "<table><tr><th>scope</th><th>resource</th><th>verbs</th><th>names</th></tr>"
                for l in p.permissions {
                    h += "<tr><td>\(esc(l.scope))</td><td><code>\(esc(l.resource))</code></td><td>\(esc(l.verbs.joined(separator: " ")))</td><td>\(esc(l.resourceNames.joined(separator: " ")))</td></tr>"
                }
                h += "</table><p>Through: " + p.grants.map { "<code>\(esc($0.binding))</code> → <code>\(esc($0.role))</code>" }.joined(separator: "; ") + "</p>"
            }
            if let u = p.usage {
                h += "<p><b>Audit log:</b> \(u.observed.count) distinct request(s); \(u.unusedRules.count) held rule(s) never used.</p>"
                h += "<p>Minimal policy (\(u.suggestion.verified ? "verified" : "not verified")):</p><pre>\(esc(u.suggestion.yaml))</pre>"
            }
            h += "</details>\n"
        }
        h += "<h2>Rules</h2>\n<table><tr><th>id</th><th>severity</th><th>category</th><th>title</th></tr>"
        for r in rules {
            h += "<tr><td><code>\(esc(r.id))</code></td><td><span class=\"sev \(r.severity)\">\(r.severity)</span></td><td>\(esc(r.category.rawValue))</td><td>\(esc(r.title))</td></tr>"
        }
        h += "</table>\n</main></body></html>\n"
        return h
    }
}
