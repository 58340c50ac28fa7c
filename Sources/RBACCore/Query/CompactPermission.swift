/// Rules compacted the way `kubectl auth can-i --list` shows them: one entry per resource (as
/// `resource.group`) and resourceNames, or per non-resource URL, verbs merged in first-seen
/// order, with the roles each entry comes from.
public struct CompactPermission: Hashable, Sendable {
    /// `secrets`, `deployments.apps`, `pods/exec`, or a non-resource URL.
    public var resource: String
    /// The API group of a resource entry (`""` for the core group and for URLs).
    public var apiGroup: String
    /// The resource without its group (`deployments`, `pods/exec`); the URL for URLs.
    public var bareResource: String
    public var isNonResourceURL: Bool
    /// Empty for non-resource URLs (resourceNames do not apply to them).
    public var resourceNames: [String]
    public var verbs: [String]
    /// The roles it comes from (``AccessGraph/roles``), first seen first.
    public var roles: [RoleID]
    /// The bindings it comes through (``AccessGraph/bindings``), first seen first; empty for
    /// bare rules.
    public var bindings: [BindingID] = []

    /// Compacts rules, in the order entries are first seen.
    /// - Complexity: O(n) in the number of (group × resource) and URL targets of the rules.
    public static func compact(_ rules: [RuleGrant]) -> [CompactPermission] {
        compact(rules, rule: \.rule, role: { $0.grant.role }, binding: { $0.grant.binding })
    }

    /// Compacts bare rules (no role behind them: ``roles`` stays empty), as the API server
    /// lists the permissions an escalation check found missing.
    /// - Complexity: O(n) in the number of (group × resource) and URL targets of the rules.
    public static func compact(_ rules: [PolicyRule]) -> [CompactPermission] {
        compact(rules, rule: { $0 }, role: { _ in nil }, binding: { _ in nil })
    }

    private static func compact<T>(
        _ items: [T], rule: (T) -> PolicyRule, role: (T) -> RoleID?, binding: (T) -> BindingID?
    ) -> [CompactPermission] {
        var out: [CompactPermission] = []
        var index: [Key: Int] = [:]
        func add(
            _ target: String, group: String, bare: String, isURL: Bool, names: [String], _ r: PolicyRule, _ roleIndex: RoleID?,
            _ bindingIndex: BindingID?
        ) {
            let key = Key(target: ExactKey(target), isURL: isURL, names: names.map(ExactKey.init))
            let i: Int
            if let existing = index[key] {
                i = existing
            } else {
                i = out.count
                index[key] = i
                out.append(CompactPermission(
                    resource: target, apiGroup: group, bareResource: bare, isNonResourceURL: isURL, resourceNames: names, verbs: [], roles: []))
            }
            for v in r.verbs where !out[i].verbs.containsExactly(v) { out[i].verbs.append(v) }
            if let roleIndex, !out[i].roles.contains(roleIndex) { out[i].roles.append(roleIndex) }
            if let bindingIndex, !out[i].bindings.contains(bindingIndex) { out[i].bindings.append(bindingIndex) }
        }
        for item in items {
            let r = rule(item)
            let roleIndex = role(item)
            let bindingIndex = binding(item)
            for group in r.apiGroups {
                for res in r.resources {
                    add(group.isEmpty ? res : "\(res).\(group)", group: group, bare: res, isURL: false, names: r.resourceNames, r, roleIndex, bindingIndex)
                }
            }
            for url in r.nonResourceURLs { add(url, group: "", bare: url, isURL: true, names: [], r, roleIndex, bindingIndex) }
        }
        return out
    }

    private struct Key: Hashable {
        var target: ExactKey
        var isURL: Bool
        var names: [ExactKey]
    }
}
