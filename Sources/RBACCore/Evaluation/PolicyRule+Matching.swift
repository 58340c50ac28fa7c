// Strings compare byte for byte, as in Go (see Support/String+Exact.swift).
// The matching functions of `pkg/apis/rbac/v1/evaluation_helpers.go` and `RuleAllows` of
// `plugin/pkg/auth/authorizer/rbac/rbac.go`, letter for letter. See docs/semantics.md §2.

extension PolicyRule {
    /// `VerbMatches`: some verb is `*` or equal to `verb`.
    @inlinable
    public func matches(verb: String) -> Bool {
        for v in verbs where v.isExactly("*") || v.isExactly(verb) { return true }
        return false
    }

    /// `APIGroupMatches`: some group is `*` or equal to `apiGroup`. An empty list matches nothing.
    @inlinable
    public func matches(apiGroup: String) -> Bool {
        for g in apiGroups where g.isExactly("*") || g.isExactly(apiGroup) { return true }
        return false
    }

    /// `ResourceMatches`: `*`, the exact combined resource, or `*/SUB` for the request's subresource.
    /// `pods/*` is a literal, not a wildcard.
    @inlinable
    public func matches(combinedResource: String, subresource: String) -> Bool {
        for r in resources {
            if r.isExactly("*") || r.isExactly(combinedResource) { return true }
            if subresource.isEmpty { continue }
            if r.utf8.count == subresource.utf8.count + 2, r.hasExactPrefix("*/"), r.hasExactSuffix(subresource) {
                return true
            }
        }
        return false
    }

    /// `ResourceNameMatches`: no resourceNames matches every name (even `""`); otherwise the name
    /// must be listed. `*` is a literal name.
    @inlinable
    public func matches(resourceName: String) -> Bool {
        if resourceNames.isEmpty { return true }
        for n in resourceNames where n.isExactly(resourceName) { return true }
        return false
    }

    /// `NonResourceURLMatches`: `*`, the exact path, or a prefix ending in `*` (all trailing `*`s
    /// removed before the prefix test).
    @inlinable
    public func matches(nonResourceURL path: String) -> Bool {
        for u in nonResourceURLs {
            if u.isExactly("*") || u.isExactly(path) { return true }
            if u.utf8.last == UInt8(ascii: "*") {
                var prefix = u.utf8[...]
                while prefix.last == UInt8(ascii: "*") { prefix = prefix.dropLast() }
                if path.utf8.starts(with: prefix) { return true }
            }
        }
        return false
    }

    /// `RuleAllows`: whether this rule allows the request.
    @inlinable
    public func allows(_ request: Request) -> Bool {
        switch request {
        case .resource(let r): return allows(r)
        case .nonResource(let verb, let path): return matches(verb: verb) && matches(nonResourceURL: path)
        }
    }

    /// `RuleAllows` for a resource request.
    @inlinable
    public func allows(_ r: ResourceRequest) -> Bool {
        matches(verb: r.verb) && matches(apiGroup: r.apiGroup)
            && matches(combinedResource: r.combinedResource, subresource: r.subresource)
            && matches(resourceName: r.name)
    }
}
