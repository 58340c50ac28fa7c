/// One verb on one target: the smallest piece a ``PolicyRule`` is made of. A rule is the union
/// of its atoms (every verb × API group × resource × resource name, or verb × non-resource
/// URL), so two sets of rules can be compared atom by atom, wildcards included.
///
/// Patterns keep the rule's wildcards: `*` verbs, groups and resources, `*/SUB` resources,
/// `/api/*` URL prefixes; a `nil` ``name`` stands for every name (a rule without
/// resourceNames).
public struct PermissionAtom: Hashable, Sendable, CustomStringConvertible {
    /// What the verb applies to.
    public enum Target: Hashable, Sendable {
        /// A resource (with its subresource: `pods/exec`) of an API group, optionally one object.
        case resource(apiGroup: String, resource: String, name: String?)
        /// A non-resource URL or URL prefix (`/healthz`, `/api/*`).
        case nonResourceURL(String)
    }

    public var verb: String
    public var target: Target

    public init(verb: String, target: Target) {
        self.verb = verb
        self.target = target
    }

    /// The atoms of a rule, in the rule's order (verbs outermost).
    public static func atoms(of rule: PolicyRule) -> [PermissionAtom] {
        var out: [PermissionAtom] = []
        for verb in rule.verbs {
            for group in rule.apiGroups {
                for resource in rule.resources {
                    if rule.resourceNames.isEmpty {
                        out.append(PermissionAtom(verb: verb, target: .resource(apiGroup: group, resource: resource, name: nil)))
                    } else {
                        for name in rule.resourceNames {
                            out.append(PermissionAtom(verb: verb, target: .resource(apiGroup: group, resource: resource, name: name)))
                        }
                    }
                }
            }
            for url in rule.nonResourceURLs {
                out.append(PermissionAtom(verb: verb, target: .nonResourceURL(url)))
            }
        }
        return out
    }

    /// The atom as a one-verb rule, matched by the authorizer's own functions.
    public var rule: PolicyRule {
        switch target {
        case .resource(let group, let resource, let name):
            return PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: name.map { [$0] } ?? [])
        case .nonResourceURL(let url):
            return PolicyRule(verbs: [verb], nonResourceURLs: [url])
        }
    }

    /// `get secrets`, `delete deployments.apps [web]`, `get /metrics`.
    public var description: String {
        switch target {
        case .resource(let group, let resource, let name):
            let what = group.isEmpty ? resource : "\(resource).\(group)"
            return "\(verb) \(what)" + (name.map { " [\($0)]" } ?? "")
        case .nonResourceURL(let url): return "\(verb) \(url)"
        }
    }

    public static func == (a: PermissionAtom, b: PermissionAtom) -> Bool {
        guard a.verb.isExactly(b.verb) else { return false }
        switch (a.target, b.target) {
        case (.resource(let g1, let r1, let n1), .resource(let g2, let r2, let n2)):
            guard g1.isExactly(g2), r1.isExactly(r2) else { return false }
            switch (n1, n2) {
            case (nil, nil): return true
            case (let x?, let y?): return x.isExactly(y)
            default: return false
            }
        case (.nonResourceURL(let u1), .nonResourceURL(let u2)): return u1.isExactly(u2)
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        verb.hashExactly(into: &hasher)
        switch target {
        case .resource(let g, let r, let n):
            hasher.combine(0)
            g.hashExactly(into: &hasher)
            r.hashExactly(into: &hasher)
            if let n { hasher.combine(1); n.hashExactly(into: &hasher) } else { hasher.combine(0) }
        case .nonResourceURL(let u):
            hasher.combine(1)
            u.hashExactly(into: &hasher)
        }
    }
}

// MARK: Set algebra on atoms

extension PermissionAtom {
    /// Whether every request this atom allows, `other` allows too.
    func isCovered(by other: PermissionAtom) -> Bool {
        guard Self.verb(other.verb, covers: verb) else { return false }
        switch (target, other.target) {
        case (.resource(let g, let r, let n), .resource(let og, let or, let on)):
            guard og.isExactly("*") || og.isExactly(g) else { return false }
            guard Self.resource(or, covers: r) else { return false }
            guard let on else { return true }
            guard let n else { return false }
            return on.isExactly(n)
        case (.nonResourceURL(let u), .nonResourceURL(let ou)):
            if let prefix = Self.urlPrefix(ou) {
                return u.utf8.starts(with: prefix.utf8) && (Self.urlPrefix(u).map { $0.utf8.starts(with: prefix.utf8) } ?? true)
            }
            return ou.isExactly(u)
        default: return false
        }
    }

    /// Whether some request is allowed by both atoms.
    func overlaps(_ other: PermissionAtom) -> Bool {
        guard verb.isExactly("*") || other.verb.isExactly("*") || verb.isExactly(other.verb) else { return false }
        switch (target, other.target) {
        case (.resource(let g, let r, let n), .resource(let og, let or, let on)):
            guard g.isExactly("*") || og.isExactly("*") || g.isExactly(og) else { return false }
            guard Self.resource(r, overlaps: or) else { return false }
            if let n, let on { return n.isExactly(on) }
            return true
        case (.nonResourceURL(let u), .nonResourceURL(let ou)):
            switch (Self.urlPrefix(u), Self.urlPrefix(ou)) {
            case (let p?, let q?): return p.utf8.starts(with: q.utf8) || q.utf8.starts(with: p.utf8)
            case (let p?, nil): return ou.utf8.starts(with: p.utf8)
            case (nil, let q?): return u.utf8.starts(with: q.utf8)
            case (nil, nil): return u.isExactly(ou)
            }
        default: return false
        }
    }

    private static func verb(_ pattern: String, covers verb: String) -> Bool {
        pattern.isExactly("*") || pattern.isExactly(verb)
    }

    /// The subresource a resource pattern names: `exec` for `pods/exec` and `*/exec`.
    static func subresource(of resource: String) -> String? {
        guard let slash = resource.utf8.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        return String(resource[resource.utf8.index(after: slash)...])
    }

    private static func isSubresourceWildcard(_ r: String) -> Bool { r.hasExactPrefix("*/") }

    private static func resource(_ pattern: String, covers r: String) -> Bool {
        if pattern.isExactly("*") || pattern.isExactly(r) { return true }
        guard isSubresourceWildcard(pattern), let sub = subresource(of: pattern), let rs = subresource(of: r) else { return false }
        return sub.isExactly(rs)
    }

    private static func resource(_ a: String, overlaps b: String) -> Bool {
        if a.isExactly("*") || b.isExactly("*") || a.isExactly(b) { return true }
        if isSubresourceWildcard(a), let sub = subresource(of: a), let bs = subresource(of: b) { return sub.isExactly(bs) }
        if isSubresourceWildcard(b), let sub = subresource(of: b), let as_ = subresource(of: a) { return sub.isExactly(as_) }
        return false
    }

    /// The prefix a URL pattern matches (`/api/` for `/api/*`, `""` for `*`), or `nil` for an
    /// exact URL. As `NonResourceURLMatches`: every trailing `*` is removed.
    static func urlPrefix(_ url: String) -> String? {
        if url.isExactly("*") { return "" }
        guard url.utf8.last == UInt8(ascii: "*") else { return nil }
        var u = url.utf8[...]
        while u.last == UInt8(ascii: "*") { u = u.dropLast() }
        return String(Substring(u))
    }
}

/// The requests one side allows and the other does not, as atoms with exceptions.
enum AtomDifference {
    /// The atoms of `minuend` whose requests `subtrahend` does not all allow, each with the
    /// atoms of `subtrahend` it overlaps (the requests still allowed on the other side):
    /// a request is in the difference exactly when some returned atom allows it and none of
    /// that atom's exceptions does. Atoms covered by another returned atom are left out.
    /// - Complexity: O(m · s) overlap tests, plus for an atom that overlaps several atoms of
    ///   `subtrahend` and none covers it, one test per representative request (the product of
    ///   the values the overlapping atoms mention, per dimension; stops at the first request
    ///   left uncovered).
    static func subtract(_ minuend: [PermissionAtom], _ subtrahend: [PermissionAtom]) -> [(atom: PermissionAtom, except: [PermissionAtom])] {
        let present = Set(subtrahend)
        var out: [(atom: PermissionAtom, except: [PermissionAtom])] = []
        var seen = Set<PermissionAtom>()
        for atom in minuend where seen.insert(atom).inserted {
            if present.contains(atom) { continue }
            var overlapping: [PermissionAtom] = []
            var covered = false
            for s in subtrahend where s.overlaps(atom) {
                if atom.isCovered(by: s) {
                    covered = true
                    break
                }
                if !overlapping.contains(s) { overlapping.append(s) }
            }
            if covered { continue }
            if !overlapping.isEmpty && Representatives.covered(atom, by: overlapping) { continue }
            out.append((atom, overlapping))
        }
        // An atom inside another returned atom adds no request.
        return out.enumerated().filter { i, entry in
            !out.enumerated().contains { j, other in
                j != i && entry.atom.isCovered(by: other.atom) && (!other.atom.isCovered(by: entry.atom) || j < i)
            }
        }.map(\.element)
    }
}

/// Exact coverage of one atom by a union of atoms: matching depends only on equality with the
/// values the patterns mention (and on URL prefixes), so one request per combination of
/// mentioned values — plus a value no pattern mentions — stands for every request.
enum Representatives {
    /// A byte that no manifest value holds: the "any other value" of each dimension.
    static let fresh = "\u{1}"

    static func covered(_ atom: PermissionAtom, by others: [PermissionAtom]) -> Bool {
        let rules = others.map(\.rule)
        for request in requests(in: atom, mentionedBy: others) where !rules.contains(where: { $0.allows(request) }) {
            return false
        }
        return true
    }

    /// Representative requests the atom allows, unmentioned values first (the likeliest to be
    /// uncovered).
    static func requests(in atom: PermissionAtom, mentionedBy others: [PermissionAtom]) -> [Request] {
        let verbs = values(atom.verb, others.map(\.verb))
        switch atom.target {
        case .resource(let group, let resource, let name):
            var groups: [String] = [], resources: [String] = [], names: [String] = []
            for o in others {
                guard case .resource(let g, let r, let n) = o.target else { continue }
                groups.append(g)
                resources.append(r)
                if let n { names.append(n) }
            }
            let gs = values(group, groups)
            let rs = resourceValues(resource, resources)
            let ns: [String] = name.map { [$0] } ?? ([fresh, ""] + unique(names))
            var out: [Request] = []
            out.reserveCapacity(verbs.count * gs.count * rs.count * ns.count)
            for v in verbs {
                for g in gs {
                    for (res, sub) in rs {
                        for n in ns {
                            out.append(.resource(ResourceRequest(verb: v, apiGroup: g, resource: res, subresource: sub, namespace: "", name: n)))
                        }
                    }
                }
            }
            return out
        case .nonResourceURL(let url):
            var paths: [String]
            if let prefix = PermissionAtom.urlPrefix(url) {
                paths = [prefix + fresh]
                for o in others {
                    guard case .nonResourceURL(let u) = o.target else { continue }
                    if let p = PermissionAtom.urlPrefix(u) {
                        if p.utf8.starts(with: prefix.utf8) { paths.append(p + fresh); paths.append(p) }
                    } else if u.utf8.starts(with: prefix.utf8) {
                        paths.append(u)
                    }
                }
                paths = unique(paths.filter { $0.utf8.starts(with: prefix.utf8) })
            } else {
                paths = [url]
            }
            return verbs.flatMap { v in paths.map { Request.nonResource(verb: v, path: $0) } }
        }
    }

    /// The values of a verb or group pattern: itself, or for `*`, a fresh value and every
    /// value mentioned.
    private static func values(_ pattern: String, _ mentioned: [String]) -> [String] {
        guard pattern.isExactly("*") else { return [pattern] }
        return unique([fresh] + mentioned.filter { !$0.isExactly("*") })
    }

    /// Resource (resource, subresource) pairs of a resource pattern.
    private static func resourceValues(_ pattern: String, _ mentioned: [String]) -> [(String, String)] {
        func split(_ combined: String) -> (String, String) {
            guard let slash = combined.utf8.firstIndex(of: UInt8(ascii: "/")) else { return (combined, "") }
            return (String(combined[..<slash]), String(combined[combined.utf8.index(after: slash)...]))
        }
        if pattern.isExactly("*") {
            var out: [(String, String)] = [(fresh, ""), (fresh, fresh)]
            for m in unique(mentioned) where !m.isExactly("*") {
                if m.hasExactPrefix("*/"), let sub = PermissionAtom.subresource(of: m) {
                    out.append((fresh, sub))
                } else {
                    out.append(split(m))
                }
            }
            return out
        }
        if pattern.hasExactPrefix("*/"), let sub = PermissionAtom.subresource(of: pattern) {
            var out: [(String, String)] = [(fresh, sub)]
            for m in unique(mentioned) where !m.hasExactPrefix("*") {
                if let s = PermissionAtom.subresource(of: m), s.isExactly(sub) { out.append(split(m)) }
            }
            return out
        }
        return [split(pattern)]
    }

    private static func unique(_ list: [String]) -> [String] {
        var seen = Set<ExactKey>()
        return list.filter { seen.insert(ExactKey($0)).inserted }
    }
}
