/// Rules compacted the way `kubectl auth can-i --list` shows them: one entry per resource (as
/// `resource.group`) and resourceNames, or per non-resource URL, verbs merged in first-seen
/// order, with the roles each entry comes from.
public struct CompactPermission: Hashable, Sendable {
    /// `secrets`, `deployments.apps`, `pods/exec`, or a non-resource URL.
    public var resource: String
    public var isNonResourceURL: Bool
    /// Empty for non-resource URLs (resourceNames do not apply to them).
    public var resourceNames: [String]
    public var verbs: [String]
    /// Indices into ``AccessGraph/roles``, first seen first.
    public var roles: [Int]

    /// Compacts rules, in the order entries are first seen.
    /// - Complexity: O(n) in the number of (group × resource) and URL targets of the rules.
    public static func compact(_ rules: [RuleGrant]) -> [CompactPermission] {
        struct Key: Hashable {
            var target: ExactKey
            var isURL: Bool
            var names: [ExactKey]
        }
        var out: [CompactPermission] = []
        var index: [Key: Int] = [:]
        func add(_ target: String, isURL: Bool, names: [String], _ rg: RuleGrant) {
            let key = Key(target: ExactKey(target), isURL: isURL, names: names.map(ExactKey.init))
            let i: Int
            if let existing = index[key] {
                i = existing
            } else {
                i = out.count
                index[key] = i
                out.append(CompactPermission(resource: target, isNonResourceURL: isURL, resourceNames: names, verbs: [], roles: []))
            }
            for v in rg.rule.verbs where !out[i].verbs.containsExactly(v) { out[i].verbs.append(v) }
            if !out[i].roles.contains(rg.grant.role) { out[i].roles.append(rg.grant.role) }
        }
        for rg in rules {
            for group in rg.rule.apiGroups {
                for res in rg.rule.resources { add(group.isEmpty ? res : "\(res).\(group)", isURL: false, names: rg.rule.resourceNames, rg) }
            }
            for url in rg.rule.nonResourceURLs { add(url, isURL: true, names: [], rg) }
        }
        return out
    }
}
