// The access diff for people: a terminal listing and Markdown for pull-request comments.

import RBACCore

extension AccessDiff {
    /// One line per fact, indented, most dangerous identities first. Shared by the terminal
    /// listing and the Markdown form.
    struct Line {
        enum Kind { case identity, scope, gained, lost, cause, note }
        var kind: Kind
        var text: String
        var sensitive = false
        /// For a change: what it is without its sign, and why it is sensitive.
        var body = ""
        var mark = ""
    }

    /// `3 identities gain access (1 sensitive), 1 loses access; 4 object changes, 1 without
    /// access effect.`
    public var summary: String {
        // Objects only in a file of another name (both sides' files named differently) are
        // counted apart: they are not changes. Each other change has an access effect, effects
        // only outside the namespace of -n, or none.
        let moved = objectChanges.filter { $0.kind == .moved }.count
        let changed = objectChanges.count - moved
        let elsewhere = objectChanges.filter { $0.kind != .moved && objectsWithEffectsElsewhere.contains($0.object) }.count
        let noEffect = objectChangesWithoutAccessEffect.filter { $0.kind != .moved }.count
        if identities.isEmpty {
            var kinds: [String] = []
            if changed - noEffect - elsewhere > 0 { kinds.append("\(changed - noEffect - elsewhere) with an access effect") }
            if elsewhere > 0 { kinds.append("\(elsewhere) with access effects only outside namespace \(namespace ?? "")") }
            if noEffect > 0 { kinds.append(noEffect == changed ? "none with an access effect" : "\(noEffect) without access effect") }
            return "No access changes" + (namespace.map { " in namespace \($0) or cluster-wide" } ?? "") + "."
                + (changed == 0 ? "" : " \(count(changed, "object change")), \(kinds.joined(separator: ", ")).")
                + (moved == 0 ? "" : " \(count(moved, "object")) only in a file of another name.") + findingsSummary
        }
        let gaining = identities.filter(\.gains)
        let sensitive = identities.filter(\.gainsSensitive)
        let losing = identities.filter { $0.scopes.contains { !$0.lost.isEmpty } }
        var parts: [String] = []
        if !gaining.isEmpty {
            parts.append("\(count(gaining.count, "identity", "identities")) \(gaining.count == 1 ? "gains" : "gain") access" + (sensitive.isEmpty ? "" : " (\(sensitive.count) sensitive)"))
        }
        if !losing.isEmpty { parts.append("\(count(losing.count, "identity", "identities")) \(losing.count == 1 ? "loses" : "lose") access") }
        var s = parts.joined(separator: ", ")
        s += "; \(count(changed, "object change"))" + (noEffect > 0 ? ", \(noEffect) without access effect" : "")
            + (elsewhere > 0 ? ", \(elsewhere) with effects only outside namespace \(namespace ?? "")" : "")
        s += (moved > 0 ? " (\(count(moved, "object")) only in a file of another name)." : ".")
        return s + findingsSummary
    }

    /// ` privilege paths: 1 gained; secrets: 1 gains readers; 2 findings introduced, 1 resolved.`, or empty.
    private var findingsSummary: String {
        var parts: [String] = []
        let reach = reachSummary
        if !reach.isEmpty { parts.append(reach) }
        if let f = findings, !f.isEmpty { parts.append("\(count(f.introduced.count, "finding")) introduced, \(f.resolved.count) resolved") }
        return parts.isEmpty ? "" : " " + parts.joined(separator: "; ") + "."
    }

    /// The sections after the secret exposure and the privilege paths: findings introduced and
    /// resolved, each a title and lines (the paths to cluster-admin among them are listed
    /// with the privilege paths).
    func findingSections() -> [(title: String, lines: [String])] {
        guard let f = findings else { return [] }
        func line(_ x: Finding) -> String {
            "\(x.severity) \(x.ruleID): \(x.message) (\(x.object)" + (x.object.source.map { " at \($0)" } ?? "") + ")"
        }
        let sections: [(String, [Finding])] = [
            ("Findings introduced", f.introduced), ("Findings resolved", f.resolved),
        ]
        return sections.filter { !$0.1.isEmpty }.map { ($0.0, $0.1.map(line)) }
    }

    private func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    /// The facts as lines: per identity, per scope, the compacted changes and their causes.
    func lines(causes: Bool = true) -> [Line] {
        var out: [Line] = []
        for change in identities {
            var title = change.identity
            if !change.members.isEmpty {
                let shown = change.members.prefix(5).joined(separator: ", ")
                title += " (members the input knows: \(shown)\(change.members.count > 5 ? ", \(change.members.count - 5) more" : ""))"
            }
            out.append(Line(kind: .identity, text: title, sensitive: change.gainsSensitive))
            let clusterWide = change.scopes.first { $0.namespace == nil }
            for scope in change.scopes {
                var shown = scope
                var label: String
                if let ns = scope.namespace {
                    label = "in \(ns)"
                    if let clusterWide, scope.includes(clusterWide) {
                        shown = scope.subtracting(clusterWide)
                        if shown.gained.isEmpty && shown.lost.isEmpty { continue }
                        label += ", besides the cluster-wide changes"
                    } else if clusterWide != nil {
                        label += " (the cluster-wide changes do not all apply here)"
                    }
                } else {
                    label = "cluster-wide (and in every namespace not listed)"
                }
                if let group = scope.sameAsGroup {
                    out.append(Line(kind: .scope, text: "\(label): as \(group) (listed there)"))
                    continue
                }
                out.append(Line(kind: .scope, text: label + ":"))
                if shown.gained.isEmpty && shown.lost.isEmpty {
                    out.append(Line(kind: .note, text: "no change: what changed cluster-wide is held here either way"))
                }
                for (sign, list) in [("+", shown.compactGained), ("-", shown.compactLost)] {
                    for c in list {
                        let mark = sign == "+" && !c.sensitivity.isEmpty ? "sensitive: \(c.sensitivity.joined(separator: ", "))" : ""
                        out.append(Line(
                            kind: sign == "+" ? .gained : .lost, text: "\(sign) \(c.text)" + (mark.isEmpty ? "" : "  [\(mark)]"),
                            sensitive: !mark.isEmpty, body: c.text, mark: mark))
                        guard causes else { continue }
                        if c.causes.isEmpty {
                            out.append(Line(kind: .cause, text: "cause: no single object change (see the object changes)"))
                        }
                        for cause in c.causes { out.append(Line(kind: .cause, text: "because " + cause.description)) }
                    }
                }
            }
        }
        return out
    }

    /// The one line that summarizes object changes without access effect, or `nil`.
    /// Objects that only moved to a file of another name are counted, not listed.
    public var noEffectLine: String? {
        let all = objectChangesWithoutAccessEffect
        let moved = all.filter { $0.kind == .moved }.count
        let list = all.filter { $0.kind != .moved }
        guard !all.isEmpty else { return nil }
        var shown = list.prefix(8).map { c in "\(c.object) \(c.kind.rawValue)" + (c.detail.isEmpty ? "" : " (\(c.detail))") }
        if list.count > 8 { shown.append("\(list.count - 8) more") }
        if moved > 0 { shown.append("\(count(moved, "object")) only in a file of another name") }
        return "Object changes with no access effect (\(all.count)): " + shown.joined(separator: "; ")
    }

    /// The listing for a terminal.
    public func text() -> String {
        var out = summary + "\n"
        for line in lines() {
            let indent: String
            switch line.kind {
            case .identity: indent = "\n"
            case .scope: indent = "  "
            case .gained, .lost, .note: indent = "    "
            case .cause: indent = "        "
            }
            out += indent + line.text + "\n"
        }
        for section in reachSections() {
            out += "\n\(section.title):\n"
            for item in section.items {
                out += "  \(item.text)\n"
                let indent = String(repeating: " ", count: 6 + item.text.prefix { $0 == " " }.count)
                for c in item.causes { out += indent + c + "\n" }
            }
        }
        for section in findingSections() {
            out += "\n\(section.title):\n" + section.lines.map { "  \($0)\n" }.joined()
        }
        if let noEffect = noEffectLine { out += "\n" + noEffect + "\n" }
        return out
    }

    /// Markdown for a pull-request comment: the summary, each identity's changes (causes in a
    /// collapsible section), at most `maxLines` lines of changes with a count of the rest.
    public func markdown(maxLines: Int = 200) -> String {
        var out = "## RBAC access changes\n\n" + summary + "\n"
        var used = 0
        var omitted = 0
        var open = false
        func close() {
            if open { out += "\n</details>\n" }
            open = false
        }
        let all = lines()
        var i = 0
        while i < all.count {
            let line = all[i]
            if used >= maxLines && line.kind != .cause {
                omitted += 1
                i += 1
                continue
            }
            switch line.kind {
            case .identity:
                close()
                out += "\n### \(line.sensitive ? "⚠️ " : "")`\(line.text)`\n"
            case .scope:
                close()
                out += "\n**\(line.text)**\n\n"
            case .gained, .lost, .note:
                close()
                switch line.kind {
                case .gained: out += "- **+** `\(line.body)`" + (line.mark.isEmpty ? "" : " — ⚠️ \(line.mark)") + "\n"
                case .lost: out += "- **−** `\(line.body)`\n"
                default: out += "- \(line.text)\n"
                }
                used += 1
                // The causes of this change, folded.
                var causes: [String] = []
                while i + 1 < all.count, all[i + 1].kind == .cause {
                    causes.append(all[i + 1].text)
                    i += 1
                }
                if !causes.isEmpty {
                    out += "  <details><summary>why</summary>\n\n"
                    for c in causes { out += "  - \(c)\n" }
                    out += "\n  </details>\n"
                }
            case .cause:
                break
            }
            i += 1
        }
        close()
        for section in reachSections() {
            out += "\n### \(section.title)\n\n"
            for item in section.items {
                if used >= maxLines {
                    omitted += 1
                    continue
                }
                used += 1
                if item.text.hasSuffix(":") {
                    out += (out.hasSuffix("\n\n") ? "" : "\n") + "**\(item.text.dropLast())**\n\n"
                    continue
                }
                let text = item.text.drop { $0 == " " }
                out += "- `\(text)`\n"
                if !item.causes.isEmpty {
                    out += "  <details><summary>why</summary>\n\n"
                    for c in item.causes { out += "  - \(c)\n" }
                    out += "\n  </details>\n"
                }
            }
        }
        for section in findingSections() {
            out += "\n### \(section.title)\n\n"
            for l in section.lines {
                if used >= maxLines {
                    omitted += 1
                    continue
                }
                out += "- \(l)\n"
                used += 1
            }
        }
        if omitted > 0 { out += "\n… \(omitted) more lines not shown (see `rbacgraph diff -o json`).\n" }
        if let noEffect = noEffectLine { out += "\n" + noEffect + "\n" }
        return out
    }
}
