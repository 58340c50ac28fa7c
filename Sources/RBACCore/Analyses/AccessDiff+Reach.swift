/// The identities a change can reach: those named by a subject (on either side) of a binding
/// that grants something else, or to someone else, on the two sides.
///
/// A binding grants the same on both sides when it exists on both (same kind, namespace and
/// name) with byte-identical subjects and a role whose rules (aggregated ones included) are
/// byte-identical — or a role that resolves on neither side. An identity no subject of any
/// other binding names meets only such bindings, on both sides and in every namespace, so its
/// rules are the same: ``AccessDiff`` skips it without comparing its rules.
///
/// Names are kept in `Set<String>`, whose equality is Unicode canonical equivalence, wider
/// than the authorizer's byte equality: an identity that merely looks like a subject is
/// compared in full, never skipped wrongly.
struct ChangeReach {
    /// User names matched by a changed binding: User subjects, and the user names of
    /// ServiceAccount subjects (`system:serviceaccount:NS:NAME`).
    private var users = Set<String>()
    /// Group names matched by a changed binding.
    private var groups = Set<String>()
    /// Bindings that grant something else or to someone else on the two sides, counted once.
    private(set) var changedBindings = 0

    init(base: AccessGraph, head: AccessGraph) {
        var headIndex: [ObjectKey: Int] = [:]
        headIndex.reserveCapacity(head.bindings.count)
        for (j, b) in head.bindings.enumerated() { headIndex[ObjectKey(b)] = j }
        var matched = [Bool](repeating: false, count: head.bindings.count)
        for (i, b) in base.bindings.enumerated() {
            let j = headIndex[ObjectKey(b)]
            if let j { matched[j] = true }
            if let j, Self.grantsTheSame(base, BindingID(i), head, BindingID(j)) { continue }
            add(b)
            if let j { add(head.bindings[j]) }
            changedBindings += 1
        }
        for (j, b) in head.bindings.enumerated() where !matched[j] {
            add(b)
            changedBindings += 1
        }
    }

    /// Whether a binding present on both sides grants the same rules to the same subjects.
    private static func grantsTheSame(_ base: AccessGraph, _ i: BindingID, _ head: AccessGraph, _ j: BindingID) -> Bool {
        guard base.bindings[i].subjects == head.bindings[j].subjects else { return false }
        switch (base.resolutions[i], head.resolutions[j]) {
        case (.role(let r), .role(let s)): return base.roles[r].rules == head.roles[s].rules
        case (.error, .error): return true
        default: return false
        }
    }

    /// Every name a subject of `b` can match, whatever its kind (a superset is harmless).
    private mutating func add(_ b: Binding) {
        let ns = b.namespace ?? ""
        for s in b.subjects {
            users.insert(s.name)
            groups.insert(s.name)
            if let user = s.serviceAccountUserName(bindingNamespace: ns) { users.insert(user) }
        }
    }

    /// Whether some changed binding may name `identity` (by its name or one of its groups).
    func reaches(_ identity: Identity) -> Bool {
        users.contains(identity.name) || identity.groups.contains { groups.contains($0) }
    }
}
