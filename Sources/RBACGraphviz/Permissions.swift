import RBACCore

/// A role's permissions summarized for a picture: verbs grouped by resource, each line
/// marked when it is dangerous (``EscalationPermission/danger(verbs:apiGroup:resource:resourceNames:)``,
/// the core's escalation table).
struct PermissionLine: Hashable, Sendable {
    /// `secrets`, `deployments.apps`, `*.*`, `pods [web-0]`, `/metrics`.
    var what: String
    var verbs: [String]
    /// Why the line is drawn red: `reads secrets`, `wildcard`, …; nil when it is not.
    var danger: String?
    /// A non-resource URL line.
    var isURL = false

    var text: String { "\(what): \(verbs.joined(separator: ", "))" }

    /// The line for a picture: the resource shortened, at most 8 verbs.
    var shortText: String {
        let shown = verbs.count > 8 ? verbs.prefix(7).joined(separator: ", ") + ", … (\(verbs.count))" : verbs.joined(separator: ", ")
        return "\(Label.short(what, max: 44)): \(shown)"
    }
}

enum Permissions {
    /// Verbs in the order people read them; others follow alphabetically.
    static let verbOrder = ["*", "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"]

    /// The lines of a set of rules: one per resource (with API group and resource names) or
    /// non-resource URL, with the union of the verbs the rules give it.
    static func lines(of rules: [PolicyRule]) -> [PermissionLine] {
        struct Entry {
            var what: String
            var verbs: [String] = []
            var group: String
            var resource: String
            var names: [String]
            var isURL: Bool
        }
        var entries: [String: Entry] = [:]
        func add(_ what: String, group: String, resource: String, names: [String] = [], isURL: Bool, verbs: [String]) {
            let key = (isURL ? "U" : "R") + what
            var e = entries[key] ?? Entry(what: what, group: group, resource: resource, names: names, isURL: isURL)
            for v in verbs where !e.verbs.contains(v) { e.verbs.append(v) }
            entries[key] = e
        }
        for rule in rules {
            if rule.isResourceRule {
                let groups = rule.apiGroups.isEmpty ? [nil] : rule.apiGroups.map { Optional($0) }
                for group in groups {
                    for resource in rule.resources {
                        var what: String
                        switch group {
                        case nil: what = resource + " (no apiGroups)"
                        case ""?: what = resource
                        case "*"? where resource == "*": what = "all resources (*.*)"
                        case let g?: what = resource + "." + g
                        }
                        if !rule.resourceNames.isEmpty { what += " [" + rule.resourceNames.joined(separator: ", ") + "]" }
                        add(what, group: group ?? "", resource: resource, names: rule.resourceNames, isURL: false, verbs: rule.verbs)
                    }
                }
            }
            for url in rule.nonResourceURLs {
                add(url == "*" ? "all URLs (*)" : url, group: "", resource: url, isURL: true, verbs: rule.verbs)
            }
        }
        return entries.values.map { e in
            let verbs = sortedVerbs(e.verbs)
            return PermissionLine(
                what: e.what, verbs: verbs,
                danger: e.isURL
                    ? urlDanger(url: e.resource, verbs: verbs)
                    : EscalationPermission.danger(verbs: verbs, apiGroup: e.group, resource: e.resource, resourceNames: e.names),
                isURL: e.isURL)
        }.sorted { a, b in
            let au = a.isURL, bu = b.isURL
            if au != bu { return !au }
            return a.what < b.what
        }
    }

    static func sortedVerbs(_ verbs: [String]) -> [String] {
        verbs.sorted { a, b in
            let ia = verbOrder.firstIndex(of: a) ?? Int.max, ib = verbOrder.firstIndex(of: b) ?? Int.max
            return ia != ib ? ia < ib : a < b
        }
    }

    static func urlDanger(url: String, verbs: [String]) -> String? {
        url == "*" || verbs.contains("*") ? "wildcard" : nil
    }

    /// Whether a rule gives everything: `*` verbs on `*` resources of `*` groups.
    static func isFullAuthority(_ rule: PolicyRule) -> Bool {
        rule.verbs.contains("*") && rule.apiGroups.contains("*") && rule.resources.contains("*")
    }

    static func isFullAuthority(_ role: Role) -> Bool { role.rules.contains(where: isFullAuthority) }

    /// The permissions label: one line per resource, dangerous lines red, at most `limit`
    /// lines (then `… N more`).
    static func label(_ lines: [PermissionLine], limit: Int = 14) -> DOTHTML {
        if lines.isEmpty { return .font(color: GraphStyle.gray, .italic(.text("no rules"))) }
        var rows: [(DOTHTML, align: String)] = []
        for line in lines.prefix(limit) {
            let text = DOTHTML.text(line.shortText)
            rows.append((line.danger == nil ? text : .font(color: GraphStyle.redText, text), align: "LEFT"))
        }
        if lines.count > limit {
            let hidden = lines.dropFirst(limit)
            let red = hidden.filter { $0.danger != nil }.count
            rows.append((.font(color: GraphStyle.gray, .italic(.text("… \(hidden.count) more" + (red > 0 ? " (\(red) dangerous)" : "")))), align: "LEFT"))
        }
        return .table(rows: rows, cellPadding: 0)
    }

    /// A tooltip listing every line, with the danger of each.
    static func tooltip(_ lines: [PermissionLine]) -> String {
        lines.map { $0.text + ($0.danger.map { "  (\($0))" } ?? "") }.joined(separator: "\n")
    }
}
