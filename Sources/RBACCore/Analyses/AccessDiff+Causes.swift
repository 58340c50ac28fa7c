/// The two sides of a diff with their objects indexed by kind, namespace and name: computes
/// one identity's changes in one scope and the object changes behind them.
struct DiffContext {
    let base: AccessGraph
    let head: AccessGraph
    private let baseBindings: [AccessGraph.NamespacedName: Int]
    private let headBindings: [AccessGraph.NamespacedName: Int]
    private let baseRoles: [AccessGraph.NamespacedName: Int]
    private let headRoles: [AccessGraph.NamespacedName: Int]

    init(base: AccessGraph, head: AccessGraph) {
        self.base = base
        self.head = head
        baseBindings = Self.index(base.bindings.map(Self.key))
        headBindings = Self.index(head.bindings.map(Self.key))
        baseRoles = Self.index(base.roles.map(Self.key))
        headRoles = Self.index(head.roles.map(Self.key))
    }

    private static func index(_ keys: [AccessGraph.NamespacedName]) -> [AccessGraph.NamespacedName: Int] {
        var out: [AccessGraph.NamespacedName: Int] = [:]
        for (i, k) in keys.enumerated() where out[k] == nil { out[k] = i }
        return out
    }

    static func key(_ b: Binding) -> AccessGraph.NamespacedName {
        AccessGraph.NamespacedName(namespace: b.kind.rawValue + "/" + (b.namespace ?? ""), name: b.name)
    }

    static func key(_ r: Role) -> AccessGraph.NamespacedName {
        AccessGraph.NamespacedName(namespace: r.kind.rawValue + "/" + (r.namespace ?? ""), name: r.name)
    }

    /// The requests `to` allows and `from` does not, as access changes with their causes.
    /// - Parameter gaining: whether `to` is the head side (access gained) or the base (lost).
    func changes(from: [RuleGrant], to: [RuleGrant], for identity: Identity, in namespace: String, gaining: Bool) -> [AccessChange] {
        var toAtoms: [PermissionAtom] = []
        var grantsByAtom: [PermissionAtom: [Grant]] = [:]
        for rg in to {
            for a in PermissionAtom.atoms(of: rg.rule) {
                if grantsByAtom[a] == nil { toAtoms.append(a) }
                grantsByAtom[a, default: []].append(rg.grant)
            }
        }
        var fromAtoms: [PermissionAtom] = []
        var seen = Set<PermissionAtom>()
        for rg in from { for a in PermissionAtom.atoms(of: rg.rule) where seen.insert(a).inserted { fromAtoms.append(a) } }
        return AtomDifference.subtract(toAtoms, fromAtoms).map { entry in
            var causes: [ObjectChange] = []
            for other in toAtoms where other.overlaps(entry.atom) && !entry.except.contains(other) {
                for g in grantsByAtom[other] ?? [] {
                    for c in self.causes(of: g, for: identity, gaining: gaining) where !causes.contains(c) { causes.append(c) }
                }
            }
            return AccessChange(atom: entry.atom, except: entry.except, sensitivity: Self.sensitivity(of: entry.atom), causes: causes)
        }
    }

    /// The escalation table's reason for an atom, `wildcard` for wildcards, else `nil`.
    static func sensitivity(of atom: PermissionAtom) -> String? {
        guard case .resource(let group, let resource, let name) = atom.target else { return nil }
        return EscalationPermission.danger(verbs: [atom.verb], apiGroup: group, resource: resource, resourceNames: name.map { [$0] } ?? [])
    }

    /// Why a grant of one side has no counterpart on the other: the binding, its subject or
    /// roleRef, the role, its rule, or what aggregates into it.
    private func causes(of grant: Grant, for identity: Identity, gaining: Bool) -> [ObjectChange] {
        let side = gaining ? head : base
        let other = gaining ? base : head
        let otherBindings = gaining ? baseBindings : headBindings
        let otherRoles = gaining ? baseRoles : headRoles
        func places(_ mine: SourceLocation?, _ theirs: SourceLocation?) -> (base: SourceLocation?, head: SourceLocation?) {
            gaining ? (theirs, mine) : (mine, theirs)
        }
        let binding = side.bindings[grant.binding]
        guard let ob = otherBindings[Self.key(binding)] else {
            let (b, h) = places(binding.source, nil)
            var out = [ObjectChange(kind: gaining ? .added : .deleted, object: binding.displayName, base: b, head: h)]
            // A role added (deleted) with its binding is part of the change.
            let role = side.roles[grant.role]
            if otherRoles[Self.key(role)] == nil && !role.origin.isBuiltIn {
                let (rb, rh) = places(role.source, nil)
                out.append(ObjectChange(kind: gaining ? .added : .deleted, object: role.displayName, base: rb, head: rh))
            }
            return out
        }
        let otherBinding = other.bindings[ob]
        let ns = otherBinding.namespace ?? ""
        if !otherBinding.subjects.contains(where: { $0.applies(to: identity, bindingNamespace: ns) }) {
            let (b, h) = places(binding.source, otherBinding.source)
            return [ObjectChange(kind: gaining ? .subjectAdded : .subjectRemoved, object: binding.displayName, detail: grant.subject.description, base: b, head: h)]
        }
        if otherBinding.roleRef != binding.roleRef {
            let (b, h) = places(binding.source, otherBinding.source)
            let (from, to) = gaining ? (otherBinding.roleRef, binding.roleRef) : (binding.roleRef, otherBinding.roleRef)
            return [ObjectChange(kind: .roleRefChanged, object: binding.displayName, detail: "\(from.kind)/\(from.name) → \(to.kind)/\(to.name)", base: b, head: h)]
        }
        let role = side.roles[grant.role]
        guard let orIndex = otherRoles[Self.key(role)], case .role = other.resolutions[ob] else {
            let (b, h) = places(role.source, nil)
            let detail = gaining ? "\(binding.displayName) dangled without it" : "\(binding.displayName) now dangling"
            return [ObjectChange(kind: gaining ? .added : .deleted, object: role.displayName, detail: detail, base: b, head: h)]
        }
        let otherRole = other.roles[orIndex]
        let rule = role.rules[grant.ruleIndex]
        if role.aggregationRule != nil {
            return aggregationCauses(of: rule, in: grant.role, otherRole: orIndex, gaining: gaining)
        }
        if !otherRole.rules.contains(rule) {
            let (b, h) = places(role.source, otherRole.source)
            return [ObjectChange(kind: gaining ? .ruleAdded : .ruleRemoved, object: role.displayName, detail: rule.summary, base: b, head: h)]
        }
        return []
    }

    /// Why an aggregated ClusterRole holds a rule on one side only: the ClusterRole it comes
    /// from was added, or labelled to aggregate, or given the rule.
    private func aggregationCauses(of rule: PolicyRule, in roleID: RoleID, otherRole: Int, gaining: Bool) -> [ObjectChange] {
        let side = gaining ? head : base
        let other = gaining ? base : head
        let otherRoles = gaining ? baseRoles : headRoles
        func places(_ mine: SourceLocation?, _ theirs: SourceLocation?) -> (base: SourceLocation?, head: SourceLocation?) {
            gaining ? (theirs, mine) : (mine, theirs)
        }
        let aggregated = side.roles[roleID]
        let otherSelected = Set(other.aggregation.selections(of: RoleID(otherRole)).flatMap(\.matches))
        var out: [ObjectChange] = []
        for source in Set(side.aggregation.selections(of: roleID).flatMap(\.matches)).sorted() {
            let src = side.roles[source]
            guard src.rules.contains(rule) else { continue }
            guard let o = otherRoles[Self.key(src)] else {
                let (b, h) = places(src.source, nil)
                out.append(ObjectChange(kind: gaining ? .added : .deleted, object: src.displayName, detail: "aggregated into \(aggregated.displayName)", base: b, head: h))
                continue
            }
            let (b, h) = places(src.source, other.roles[o].source)
            if !otherSelected.contains(RoleID(o)) {
                out.append(ObjectChange(kind: gaining ? .aggregatesInto : .noLongerAggregatesInto, object: src.displayName, detail: aggregated.displayName, base: b, head: h))
            } else if !other.roles[o].rules.contains(rule) {
                out.append(ObjectChange(kind: gaining ? .ruleAdded : .ruleRemoved, object: src.displayName, detail: "\(rule.summary) (aggregated into \(aggregated.displayName))", base: b, head: h))
            }
        }
        if out.isEmpty {
            let o = other.roles[otherRole]
            let (b, h) = places(aggregated.source, o.source)
            out.append(ObjectChange(kind: .modified, object: aggregated.displayName, detail: "aggregation", base: b, head: h))
        }
        return out
    }

    /// Whether an object moved to a file of another name (not just another line, nor the same
    /// file name under the other side's folder).
    static func renamed(_ a: SourceLocation?, _ b: SourceLocation?) -> Bool {
        guard let a, let b else { return false }
        func name(_ path: String) -> Substring { path.split(separator: "/").last ?? Substring(path) }
        return name(a.file) != name(b.file)
    }

    /// Every binding and role that differs between the sides, sorted by object name.
    func objectChanges() -> [ObjectChange] {
        var out: [ObjectChange] = []
        for (key, i) in baseBindings {
            let b = base.bindings[i]
            guard let j = headBindings[key] else {
                out.append(ObjectChange(kind: .deleted, object: b.displayName, base: b.source))
                continue
            }
            let h = head.bindings[j]
            var what: [String] = []
            if h.roleRef != b.roleRef { what.append("roleRef") }
            if Set(h.subjects) != Set(b.subjects) { what.append("subjects") } else if h.subjects != b.subjects { what.append("subjects reordered") }
            if h.labels != b.labels { what.append("labels") }
            if h.annotations != b.annotations { what.append("annotations") }
            if !what.isEmpty {
                out.append(ObjectChange(kind: .modified, object: b.displayName, detail: what.joined(separator: ", "), base: b.source, head: h.source))
            } else if Self.renamed(b.source, h.source) {
                out.append(ObjectChange(kind: .moved, object: b.displayName, detail: "another file", base: b.source, head: h.source))
            }
        }
        for (key, j) in headBindings where baseBindings[key] == nil {
            out.append(ObjectChange(kind: .added, object: head.bindings[j].displayName, head: head.bindings[j].source))
        }
        for (key, i) in baseRoles {
            let b = base.roles[i]
            guard let j = headRoles[key] else {
                out.append(ObjectChange(kind: .deleted, object: b.displayName, base: b.source))
                continue
            }
            let h = head.roles[j]
            var what: [String] = []
            if b.aggregationRule != h.aggregationRule { what.append("aggregationRule") }
            // An aggregated role's rules are its sources' (their changes are listed there).
            if b.aggregationRule == nil && h.aggregationRule == nil {
                if Set(h.rules) != Set(b.rules) { what.append("rules") } else if h.rules != b.rules { what.append("rules reordered") }
            }
            if h.labels != b.labels { what.append("labels") }
            if h.annotations != b.annotations { what.append("annotations") }
            if !what.isEmpty {
                out.append(ObjectChange(kind: .modified, object: b.displayName, detail: what.joined(separator: ", "), base: b.source, head: h.source))
            } else if Self.renamed(b.source, h.source) {
                out.append(ObjectChange(kind: .moved, object: b.displayName, detail: "another file", base: b.source, head: h.source))
            }
        }
        for (key, j) in headRoles where baseRoles[key] == nil {
            out.append(ObjectChange(kind: .added, object: head.roles[j].displayName, head: head.roles[j].source))
        }
        return out.sorted { $0.object.utf8.lexicographicallyPrecedes($1.object.utf8) }
    }
}
