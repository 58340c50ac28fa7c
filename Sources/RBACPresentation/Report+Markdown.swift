// The report as Markdown, for people and pull-request comments.

import RBACCore

extension Report {
    static func location(_ o: ObjectRef) -> String { o.source.map { "\($0)" } ?? "" }

    /// Markdown, for people and pull-request comments.
    public func markdown() -> String {
        var md = "# rbacgraph report\n\n"
        if !inputSummary.isEmpty { md += inputSummary + "\n\n" }
        md += "Built-in policy: \(builtinPolicy ?? "none (the input alone)")\n\n"
        for n in notChecked {
            md += "Not checked: " + n.ruleIDs.map { "`\($0)`" }.joined(separator: ", ") + " — \(TextEscaping.markdown(n.reason))\n\n"
        }
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
                md += "- **\(f.ruleID)** — \(TextEscaping.markdown(f.message))"
                let loc = Self.location(f.object)
                md += loc.isEmpty ? "  \n  `\(f.object)`\n" : "  \n  `\(f.object)` at `\(loc)`\n"
                for e in f.evidence.prefix(8) { md += "  - \(TextEscaping.markdown(e))\n" }
            }
        }
        if !builtIn.isEmpty {
            md += "\n## Built-in policy findings (\(builtIn.count))\n\n"
            md += "These rest only on the API server's built-in policy, which every cluster has: true, but not news, and not counted by `--fail-on`.\n\n"
            for f in builtIn {
                md += "- \(f.severity) **\(f.ruleID)** — \(TextEscaping.markdown(f.message))  \n  `\(f.object)`\n"
            }
        }
        md += "\n## Principals\n"
        if !builtInPrincipals.isEmpty {
            md += "\nPermissions only from the built-in policy (not detailed): " + builtInPrincipals.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        for p in principals {
            md += "\n### \(TextEscaping.markdown(p.name))"
            if let w = p.worst { md += " — worst finding: \(w) (\(p.findingCount))" }
            md += "\n\n"
            if p.permissions.isEmpty {
                md += "Holds no permissions.\n"
            } else {
                md += "| scope | resource | verbs | names |\n|---|---|---|---|\n"
                for l in p.permissions {
                    md += "| \(l.scope) | \(TextEscaping.markdown(l.resource)) | \(l.verbs.joined(separator: " ")) | \(l.resourceNames.joined(separator: " ")) |\n"
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
                if !u.suggestion.notHeldToday.isEmpty {
                    md += "\n**Warning:** \(u.suggestion.widening(of: p.name)):\n\n"
                    for r in u.suggestion.notHeldToday { md += "- `\(r)`\n" }
                }
            }
        }
        md += "\n## Rules\n\n| id | severity | category | title |\n|---|---|---|---|\n"
        for r in rules { md += "| \(r.id) | \(r.severity) | \(r.category.rawValue) | \(r.title) |\n" }
        return md
    }
}
