// The diff's secret exposure and privilege paths for people: sections of lines, each with
// the object changes behind it, shared by the terminal listing and the Markdown form.

import RBACCore

extension AccessDiff {
    /// A section of the listing: a title, and items each with its causes.
    struct Section {
        var title: String
        var items: [(text: String, causes: [String])]
    }

    /// `privilege paths: 2 gained, 1 lost; secrets: 1 gains readers, 2 lose readers` (counting
    /// the entries of the secret exposure), or empty.
    var reachSummary: String {
        var parts: [String] = []
        let gained = paths.filter { $0.kind == .gained }.count, lost = paths.filter { $0.kind == .lost }.count
        let certainty = paths.count - gained - lost
        var p: [String] = []
        if gained > 0 { p.append("\(gained) gained") }
        if lost > 0 { p.append("\(lost) lost") }
        if certainty > 0 { p.append("\(certainty) of other certainty") }
        if !p.isEmpty { parts.append("privilege paths: " + p.joined(separator: ", ")) }
        let more = secretExposure.filter { !$0.gained.isEmpty }.count, fewer = secretExposure.filter { !$0.lost.isEmpty }.count
        var s: [String] = []
        if more > 0 { s.append("\(more) gain\(more == 1 ? "s" : "") readers") }
        if fewer > 0 { s.append("\(fewer) lose\(fewer == 1 ? "s" : "") readers") }
        if !s.isEmpty { parts.append("secrets: " + s.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// One path change for people: `sa:ci/deployer → secret:shop/* (certain, 2 steps): pod-create → …`.
    static func line(_ p: PathChange) -> String {
        let reach: String
        switch p.kind {
        case .gained: reach = p.head.text
        case .lost: reach = "was " + p.base.text
        case .moreCertain, .lessCertain: reach = "was \(p.base.text), now \(p.head.text)"
        }
        return "\(p.identity) → \(p.target) in \(p.steps.count) step\(p.steps.count == 1 ? "" : "s") (\(reach)): " + p.steps.joined(separator: "; ")
    }

    /// How many paths of one identity to single identities the listing shows per section.
    static let identitiesShown = 3

    /// Whether a target is one identity (`sa:NS/NAME`, `user:NAME`, `group:NAME`), not a
    /// set of them or secrets.
    static func isSingleIdentity(_ target: String) -> Bool {
        (target.hasPrefix("sa:") && !target.hasSuffix("/*")) || target.hasPrefix("user:") || target.hasPrefix("group:")
    }

    /// Secret exposure, then the privilege paths gained, lost, and of other certainty.
    func reachSections() -> [Section] {
        var out: [Section] = []
        if !secretExposure.isEmpty {
            var items: [(String, [String])] = []
            for e in secretExposure {
                items.append(("\(e.title):", []))
                if e.gained.isEmpty && e.lost.isEmpty {
                    items.append(("  no change here: what changed in every namespace is held here either way", []))
                }
                for (sign, list) in [("+", e.gained), ("-", e.lost)] {
                    for r in list {
                        let how: String
                        if let p = r.path {
                            how = "by a path of \(p.steps.count) steps (\(p.kind == .lost ? p.base.text : p.head.text); see the privilege paths)"
                        } else {
                            how = r.verbs.joined(separator: ",")
                        }
                        items.append(("  \(sign) \(r.reader) \(how)", r.causes.map { "because " + $0.description }))
                    }
                }
            }
            out.append(Section(title: "Secret exposure", items: items))
        }
        let sections: [(String, [PathChange.Kind])] = [
            ("Privilege paths gained", [.gained]), ("Privilege paths lost", [.lost]),
            ("Privilege paths of other certainty", [.moreCertain, .lessCertain]),
        ]
        for (title, kinds) in sections {
            let list = paths.filter { kinds.contains($0.kind) }
            guard !list.isEmpty else { continue }
            // Reading every secret reads every legacy token: an identity's paths to single
            // identities beyond the first few are counted, not listed (-o json has them all).
            var items: [(text: String, causes: [String])] = []
            var shown: [String: Int] = [:]
            var more: [(identity: String, targets: [String])] = []
            for p in list {
                if Self.isSingleIdentity(p.target) {
                    shown[p.identity, default: 0] += 1
                    if shown[p.identity, default: 0] > Self.identitiesShown {
                        if let k = more.firstIndex(where: { $0.identity == p.identity }) { more[k].targets.append(p.target) } else { more.append((p.identity, [p.target])) }
                        continue
                    }
                }
                items.append((Self.line(p), p.causes.isEmpty ? ["cause: no single object change (see the object changes)"] : p.causes.map { "because " + $0.description }))
            }
            for m in more {
                let names = m.targets.prefix(5).joined(separator: ", ") + (m.targets.count > 5 ? ", …" : "")
                items.append(("\(m.identity) → \(m.targets.count) more identit\(m.targets.count == 1 ? "y" : "ies") likewise: \(names) (-o json lists every path)", []))
            }
            out.append(Section(title: title, items: items))
        }
        return out
    }
}
