// `Covers` of `staging/src/k8s.io/component-helpers/auth/rbac/validation/policy_comparator.go`:
// whether a set of owner rules covers a set of servant rules. See docs/semantics.md §8.

extension PolicyRule {
    /// The atomic rules of `BreakdownRule`: one per (apiGroup × resource × verb [× resourceName])
    /// and one per (nonResourceURL × verb). A rule missing verbs, groups or resources breaks into
    /// no resource atoms.
    public var atoms: [PolicyRule] {
        var out: [PolicyRule] = []
        for g in apiGroups {
            for r in resources {
                for v in verbs {
                    if resourceNames.isEmpty {
                        out.append(PolicyRule(verbs: [v], apiGroups: [g], resources: [r]))
                    } else {
                        for n in resourceNames {
                            out.append(PolicyRule(verbs: [v], apiGroups: [g], resources: [r], resourceNames: [n]))
                        }
                    }
                }
            }
        }
        for u in nonResourceURLs {
            for v in verbs { out.append(PolicyRule(verbs: [v], nonResourceURLs: [u])) }
        }
        return out
    }

    /// `ruleCovers`: whether this (owner) rule covers a servant rule, every field at once.
    public func coversAtom(_ sub: PolicyRule) -> Bool {
        func hasAll(_ owner: [String], _ servant: [String]) -> Bool { servant.allSatisfy { owner.containsExactly($0) } }
        let verbMatches = verbs.containsExactly("*") || hasAll(verbs, sub.verbs)
        let groupMatches = apiGroups.containsExactly("*") || hasAll(apiGroups, sub.apiGroups)
        let resourceMatches = resources.containsExactly("*") || sub.resources.allSatisfy { r in
            if resources.containsExactly(r) { return true }
            // `*/sub` covers `x/sub` (from the first slash).
            guard let slash = r.firstIndex(of: "/") else { return false }
            return resources.containsExactly("*" + r[slash...])
        }
        let urlMatches = sub.nonResourceURLs.allSatisfy { url in
            nonResourceURLs.contains { owner in
                if owner.isExactly(url) { return true }
                guard owner.utf8.last == UInt8(ascii: "*") else { return false }
                var prefix = owner.utf8[...]
                while prefix.last == UInt8(ascii: "*") { prefix = prefix.dropLast() }
                return url.utf8.starts(with: prefix)
            }
        }
        let nameMatches = sub.resourceNames.isEmpty
            ? resourceNames.isEmpty : (resourceNames.isEmpty || hasAll(resourceNames, sub.resourceNames))
        return verbMatches && groupMatches && resourceMatches && nameMatches && urlMatches
    }
}

/// `Covers(ownerRules, servantRules)`.
/// - Returns: whether every atom of the servant rules is covered by one owner rule, and the
///   atoms that are not.
public func covers(_ owner: [PolicyRule], _ servant: [PolicyRule]) -> (covered: Bool, uncovered: [PolicyRule]) {
    var missing: [PolicyRule] = []
    for rule in servant {
        for atom in rule.atoms where !owner.contains(where: { $0.coversAtom(atom) }) {
            missing.append(atom)
        }
    }
    return (missing.isEmpty, missing)
}
