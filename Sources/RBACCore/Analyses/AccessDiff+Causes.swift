/// The two sides of a diff with their objects indexed by kind, namespace and name: computes
/// one identity's changes in one scope and the object changes behind them.
struct DiffContext {
    let base: AccessGraph
    let head: AccessGraph
    private let baseBindings: [ObjectKey: Int]
    private let headBindings: [ObjectKey: Int]
    private let baseRoles: [ObjectKey: Int]
    private let headRoles: [ObjectKey: Int]

    init(base: AccessGraph, head: AccessGraph) {
        self.base = base
        self.head = head
        baseBindings = Self.index(base.bindings.map(ObjectKey.init))
        headBindings = Self.index(head.bindings.map(ObjectKey.init))
        baseRoles = Self.index(base.roles.map(ObjectKey.init))
        headRoles = Self.index(head.roles.map(ObjectKey.init))
    }

    /// Each object's index by kind, namespace and name (the first of duplicates).
    private static func index(_ keys: [ObjectKey]) -> [ObjectKey: Int] {
        var out: [ObjectKey: Int] = [:]
        for (i, k) in keys.enumerated() where out[k] == nil { out[k] = i }
        return out
    }

    /// A change's two locations, `mine` on the side that holds the grant.
    private static func places(_ mine: SourceLocation?, _ theirs: SourceLocation?, gaining: Bool) -> (base: SourceLocation?, head: SourceLocation?) {
        gaining ? (theirs, mine) : (mine, theirs)
    }

    /// The requests `to` allows and `from` does not, as access changes with their causes.
    /// - Parameter gaining: whether `to` is the head side (access gained) or the base (lost).
    func changes(from: [RuleGrant], to: [RuleGrant], for identity: Identity, in namespace: String, gaining: Bool) -> [AccessChange] {
        // Only atoms of rules `from` lacks can be missing from it: an atom of a rule both sides
        // hold is among `from`'s atoms, and the subtraction drops it. No such rule, no change.
        let fromRules = Set(from.map(\.rule))
        let newRules = to.filter { !fromRules.contains($0.rule) }
        if newRules.isEmpty { return [] }
        var newAtoms: [PermissionAtom] = []
        var seenNew = Set<PermissionAtom>()
        for rg in newRules { for a in PermissionAtom.atoms(of: rg.rule) where seenNew.insert(a).inserted { newAtoms.append(a) } }
        var fromAtoms: [PermissionAtom] = []
        var seen = Set<PermissionAtom>()
        for rg in from { for a in PermissionAtom.atoms(of: rg.rule) where seen.insert(a).inserted { fromAtoms.append(a) } }
        let difference = AtomDifference.subtract(newAtoms, fromAtoms)
        if difference.isEmpty { return [] }
        // The causes: every grant of `to` whose atom overlaps a change (first-seen atom order).
        var toAtoms: [PermissionAtom] = []
        var grantsByAtom: [PermissionAtom: [Grant]] = [:]
        for rg in to {
            for a in PermissionAtom.atoms(of: rg.rule) {
                if grantsByAtom[a] == nil { toAtoms.append(a) }
                grantsByAtom[a, default: []].append(rg.grant)
            }
        }
        return difference.map { entry in
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
    func causes(of grant: Grant, for identity: Identity, gaining: Bool) -> [ObjectChange] {
        let side = gaining ? head : base
        let other = gaining ? base : head
        let otherBindings = gaining ? baseBindings : headBindings
        let otherRoles = gaining ? baseRoles : headRoles
        func places(_ mine: SourceLocation?, _ theirs: SourceLocation?) -> (base: SourceLocation?, head: SourceLocation?) {
            Self.places(mine, theirs, gaining: gaining)
        }
        let binding = side.bindings[grant.binding]
        guard let ob = otherBindings[ObjectKey(binding)] else {
            let (b, h) = places(binding.source, nil)
            var out = [ObjectChange(kind: gaining ? .added : .deleted, object: binding.displayName, base: b, head: h)]
            // A role added (deleted) with its binding is part of the change.
            let role = side.roles[grant.role]
            if otherRoles[ObjectKey(role)] == nil && !role.origin.isBuiltIn {
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
        guard let orIndex = otherRoles[ObjectKey(role)], case .role = other.resolutions[ob] else {
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
            Self.places(mine, theirs, gaining: gaining)
        }
        let aggregated = side.roles[roleID]
        let otherSelected = Set(other.aggregation.selections(of: RoleID(otherRole)).flatMap(\.matches))
        var out: [ObjectChange] = []
        for source in Set(side.aggregation.selections(of: roleID).flatMap(\.matches)).sorted() {
            let src = side.roles[source]
            guard src.rules.contains(rule) else { continue }
            guard let o = otherRoles[ObjectKey(src)] else {
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
    /// file name under the other side's folder). An object read from a cluster (its location a
    /// URL) is in no file: comparing manifests with a cluster moves nothing.
    static func renamed(_ a: SourceLocation?, _ b: SourceLocation?) -> Bool {
        guard let a, let b, !a.file.contains("://"), !b.file.contains("://") else { return false }
        func name(_ path: String) -> Substring { path.split(separator: "/").last ?? Substring(path) }
        return name(a.file) != name(b.file)
    }

    /// Every binding and role that differs between the sides, sorted by object name.
    func objectChanges() -> [ObjectChange] {
        let bindings = Self.changes(base.bindings, baseBindings, head.bindings, headBindings) { b, h in
            (h.roleRef != b.roleRef ? ["roleRef"] : []) + [Self.listChange("subjects", b.subjects, h.subjects)].compactMap { $0 }
        }
        let roles = Self.changes(base.roles, baseRoles, head.roles, headRoles) { b, h in
            var what: [String] = []
            if b.aggregationRule != h.aggregationRule { what.append("aggregationRule") }
            // An aggregated role's rules are its sources' (their changes are listed there).
            if b.aggregationRule == nil && h.aggregationRule == nil, let rules = Self.listChange("rules", b.rules, h.rules) {
                what.append(rules)
            }
            return what
        }
        return (bindings + roles).sorted { $0.object.utf8.lexicographicallyPrecedes($1.object.utf8) }
    }

    /// One kind's object changes: deleted, modified (the kind's own `differences`, then labels
    /// and annotations), moved to a file of another name, added.
    private static func changes<Object: DiffedObject>(
        _ base: [Object], _ baseIndex: [ObjectKey: Int], _ head: [Object], _ headIndex: [ObjectKey: Int],
        differences: (_ base: Object, _ head: Object) -> [String]
    ) -> [ObjectChange] {
        var out: [ObjectChange] = []
        for (key, i) in baseIndex {
            let b = base[i]
            guard let j = headIndex[key] else {
                out.append(ObjectChange(kind: .deleted, object: b.displayName, base: b.source))
                continue
            }
            let h = head[j]
            var what = differences(b, h)
            if h.labels != b.labels { what.append("labels") }
            if h.annotations != b.annotations { what.append("annotations") }
            if !what.isEmpty {
                out.append(ObjectChange(kind: .modified, object: b.displayName, detail: what.joined(separator: ", "), base: b.source, head: h.source))
            } else if renamed(b.source, h.source) {
                out.append(ObjectChange(kind: .moved, object: b.displayName, detail: "another file", base: b.source, head: h.source))
            }
        }
        for (key, j) in headIndex where baseIndex[key] == nil {
            out.append(ObjectChange(kind: .added, object: head[j].displayName, head: head[j].source))
        }
        return out
    }

    /// `field` when a list holds other elements, `field reordered` when only their order
    /// changed, nil when equal.
    private static func listChange<Element: Hashable>(_ field: String, _ base: [Element], _ head: [Element]) -> String? {
        if Set(head) != Set(base) { return field }
        return head != base ? field + " reordered" : nil
    }
}

/// What the diff compares of every RBAC object besides its kind's own fields.
private protocol DiffedObject {
    var displayName: String { get }
    var source: SourceLocation? { get }
    var labels: [String: String] { get }
    var annotations: [String: String] { get }
}

extension Binding: DiffedObject {}
extension Role: DiffedObject {}
