// The ClusterRole aggregation controller
// (`pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go`), run to its
// fixed point. See docs/semantics.md, "Aggregated ClusterRoles".

/// Computes the rules of aggregated ClusterRoles.
public enum Aggregation {
    /// A problem that stopped the controller from syncing one aggregated role.
    public struct Failure: Hashable, Sendable {
        public var clusterRole: String
        public var message: String
    }

    /// Replaces the rules of every ClusterRole that has an `aggregationRule` with the
    /// aggregated rules, repeating until nothing changes (aggregated roles feed each other).
    ///
    /// Aggregated roles are synced in name order, pass after pass. For each: every selector in
    /// order selects ClusterRoles, sorted by name, the role itself excluded, whose current
    /// rules are appended, each rule once (first occurrence wins); the result replaces the
    /// role's rules (an empty result too). The walk starts from the rules as loaded, so in a
    /// cycle of aggregated roles rules written by hand can survive, exactly as in a cluster
    /// (the conformance suites show this). A selector error leaves the role as it is, as the
    /// controller does. Passes stop when one changes nothing, or after a + 2 passes for a
    /// aggregated roles.
    ///
    /// The answer is that of the pass-after-pass walk, computed without walking every pass:
    /// see ``apply(to:index:)``.
    ///
    /// - Parameter roles: every role; only ClusterRoles take part.
    /// - Returns: the ClusterRoles whose sync failed, with the reason.
    @discardableResult
    public static func apply(to roles: inout [Role]) -> [Failure] {
        apply(to: &roles, index: AggregationIndex(roles))
    }

    /// ``apply(to:)`` with the selectors already resolved.
    ///
    /// Equal to the pass-after-pass walk, but each aggregated role is computed once when it
    /// takes part in no cycle of aggregated roles and reads none: its final rules are then
    /// those of the roles it selects, final themselves (the walk reaches that fixed point, and
    /// reaches it within its pass limit, since a chain of n roles settles in n passes). Only
    /// the roles of cycles, and the aggregated roles they read, are walked pass after pass,
    /// and only those whose inputs changed since they were last synced. Rules are compared as
    /// small integers (each distinct rule numbered once). Should the walk of the cycles reach
    /// the pass limit still changing, or a role outside them settle only after it, the whole
    /// set is walked instead.
    ///
    /// - Parameters:
    ///   - roles: the roles the index was built from (same order; rules may differ, labels
    ///     may not).
    ///   - index: ``AggregationIndex`` of `roles`.
    /// - Returns: the ClusterRoles whose sync failed, with the reason.
    /// - Complexity: O(s + m + o) for s selectors, m matches and o rules written, when no
    ///   cycle exists; a cycle's roles cost O(p · o_c) for the p passes it takes.
    @discardableResult
    public static func apply(to roles: inout [Role], index: AggregationIndex) -> [Failure] {
        let order = index.aggregatedRoles
        if order.isEmpty { return [] }
        var failures: [String: String] = [:]
        var active: [Int] = []
        for r in order {
            if let error = index.error(of: r) { failures[roles[r.index].name] = error.message } else { active.append(r.index) }
        }
        var solver = Solver(roles: roles, index: index, active: active, passLimit: order.count + 2)
        solver.solve()
        for (slot, r) in active.enumerated() where solver.values[r] != solver.initial[slot] {
            roles[r].rules = solver.values[r].map { solver.ruleTable[Int($0)] }
        }
        return failures.sorted { $0.key < $1.key }.map { Failure(clusterRole: $0.key, message: $0.value) }
    }

    /// The aggregated roles' rules as numbered rules, and the walk over them.
    ///
    /// Slots number the aggregated roles that sync (valid selectors) in name order: slot order
    /// is sync order.
    struct Solver {
        /// Rules by number.
        let ruleTable: [PolicyRule]
        /// Current rules (as numbers) by role index; empty for roles that take no part.
        var values: [[Int32]]
        /// The rules each slot's role was loaded with.
        let initial: [[Int32]]
        /// Role index by slot, and slot by role index (-1: not a syncing aggregated role).
        let roleOfSlot: [Int]
        let slotOfRole: [Int]
        /// The roles each slot reads, selector by selector, in name order.
        let inputs: [[Int]]
        /// The slots each slot reads (distinct) and the slots that read it.
        let dependencies: [[Int]]
        let dependents: [[Int]]
        let passLimit: Int
        private var stamp: [UInt32]
        private var generation: UInt32 = 0

        init(roles: [Role], index: AggregationIndex, active: [Int], passLimit: Int) {
            self.passLimit = passLimit
            roleOfSlot = active
            var slotOfRole = [Int](repeating: -1, count: roles.count)
            for (s, r) in active.enumerated() { slotOfRole[r] = s }
            self.slotOfRole = slotOfRole
            var values = [[Int32]](repeating: [], count: roles.count)
            var ruleTable: [PolicyRule] = []
            var numbers: [PolicyRule: Int32] = [:]
            var numbered = [Bool](repeating: false, count: roles.count)
            func number(_ r: Int) {
                guard !numbered[r] else { return }
                numbered[r] = true
                values[r] = roles[r].rules.map { rule in
                    if let n = numbers[rule] { return n }
                    let n = Int32(ruleTable.count)
                    numbers[rule] = n
                    ruleTable.append(rule)
                    return n
                }
            }
            var inputs: [[Int]] = []
            var dependencies: [[Int]] = []
            var dependents = [[Int]](repeating: [], count: active.count)
            inputs.reserveCapacity(active.count)
            dependencies.reserveCapacity(active.count)
            for (s, r) in active.enumerated() {
                number(r)
                let read = index.selections(of: RoleID(r)).flatMap { $0.matches.map(\.index) }
                for x in read { number(x) }
                inputs.append(read)
                var deps: [Int] = []
                var seen = Set<Int>()
                for x in read where slotOfRole[x] >= 0 && seen.insert(slotOfRole[x]).inserted {
                    deps.append(slotOfRole[x])
                    dependents[slotOfRole[x]].append(s)
                }
                dependencies.append(deps)
            }
            self.values = values
            self.ruleTable = ruleTable
            self.inputs = inputs
            self.dependencies = dependencies
            self.dependents = dependents
            initial = active.map { values[$0] }
            stamp = [UInt32](repeating: 0, count: ruleTable.count)
        }

        /// The rules a sync of `slot` writes now: the rules of the roles it reads, in order,
        /// each once.
        mutating func sync(_ slot: Int) -> [Int32] {
            generation &+= 1
            if generation == 0 {
                for i in stamp.indices { stamp[i] = 0 }
                generation = 1
            }
            var out: [Int32] = []
            for r in inputs[slot] {
                for n in values[r] where stamp[Int(n)] != generation {
                    stamp[Int(n)] = generation
                    out.append(n)
                }
            }
            return out
        }

        /// Walks `slots` (ascending, closed under ``dependencies``) pass after pass from their
        /// current rules, syncing a role only when a role it reads changed since its last sync
        /// (the sync would write the same rules again).
        /// - Returns: per slot, the last pass in which it changed (0: never); and whether the
        ///   last pass allowed still changed something.
        mutating func walk(_ slots: [Int]) -> (lastChange: [Int], stoppedByLimit: Bool) {
            let n = roleOfSlot.count
            var member = [Bool](repeating: false, count: n)
            var dirty = [Bool](repeating: false, count: n)
            var next = [Bool](repeating: false, count: n)
            for s in slots {
                member[s] = true
                dirty[s] = true
            }
            var lastChange = [Int](repeating: 0, count: n)
            var pass = 0
            var changed = true
            while changed && pass < passLimit {
                changed = false
                pass += 1
                for s in slots where dirty[s] {
                    dirty[s] = false
                    let v = sync(s)
                    let r = roleOfSlot[s]
                    if v == values[r] { continue }
                    values[r] = v
                    changed = true
                    lastChange[s] = pass
                    // Readers synced later in this pass see the change now; earlier ones, next pass.
                    for d in dependents[s] where member[d] {
                        if d > s { dirty[d] = true } else { next[d] = true }
                    }
                }
                swap(&dirty, &next)
            }
            return (lastChange, changed)
        }

        /// Computes every slot's final rules.
        mutating func solve() {
            let n = roleOfSlot.count
            let components = stronglyConnectedComponents()  // the roles read come first
            // The walked set: roles in cycles and every aggregated role they read.
            var walked = [Bool](repeating: false, count: n)
            var stack: [Int] = []
            for c in components where c.count > 1 {
                for s in c where !walked[s] {
                    walked[s] = true
                    stack.append(s)
                }
            }
            while let s = stack.popLast() {
                for d in dependencies[s] where !walked[d] {
                    walked[d] = true
                    stack.append(d)
                }
            }
            let walkedSlots = (0..<n).filter { walked[$0] }
            var settled = [Int](repeating: 0, count: n)  // the pass after which a slot's rules are final
            var exact = true
            if !walkedSlots.isEmpty {
                let run = walk(walkedSlots)
                settled = run.lastChange
                exact = !run.stoppedByLimit
            }
            if exact {
                // The others, once each, after what they read: a sync in pass p reads a role
                // synced before it in pass p, and one synced after it as of pass p - 1.
                for c in components where c.count == 1 && !walked[c[0]] {
                    let s = c[0]
                    values[roleOfSlot[s]] = sync(s)
                    var pass = 1
                    for d in dependencies[s] { pass = max(pass, settled[d] + (d > s ? 1 : 0)) }
                    settled[s] = pass
                    if pass > passLimit {
                        exact = false
                        break
                    }
                }
            }
            if !exact {
                for (s, r) in roleOfSlot.enumerated() { values[r] = initial[s] }
                _ = walk(Array(0..<n))
            }
        }

        /// Tarjan's strongly connected components of the slots (edges: slot → slots it reads),
        /// iteratively; each component comes after every component it reads.
        func stronglyConnectedComponents() -> [[Int]] {
            let n = roleOfSlot.count
            var indexOf = [Int](repeating: -1, count: n)
            var low = [Int](repeating: 0, count: n)
            var onStack = [Bool](repeating: false, count: n)
            var stack: [Int] = []
            var components: [[Int]] = []
            var counter = 0
            for root in 0..<n where indexOf[root] < 0 {
                var frames: [(slot: Int, next: Int)] = [(root, 0)]
                indexOf[root] = counter
                low[root] = counter
                counter += 1
                stack.append(root)
                onStack[root] = true
                while let top = frames.last {
                    let v = top.slot
                    if top.next < dependencies[v].count {
                        frames[frames.count - 1].next += 1
                        let w = dependencies[v][top.next]
                        if indexOf[w] < 0 {
                            indexOf[w] = counter
                            low[w] = counter
                            counter += 1
                            stack.append(w)
                            onStack[w] = true
                            frames.append((w, 0))
                        } else if onStack[w] {
                            low[v] = min(low[v], indexOf[w])
                        }
                        continue
                    }
                    frames.removeLast()
                    if let parent = frames.last { low[parent.slot] = min(low[parent.slot], low[v]) }
                    if low[v] == indexOf[v] {
                        var component: [Int] = []
                        while let w = stack.popLast() {
                            onStack[w] = false
                            component.append(w)
                            if w == v { break }
                        }
                        components.append(component)
                    }
                }
            }
            return components
        }
    }
}

/// Which ClusterRoles each aggregated ClusterRole's selectors select: resolved once from the
/// labels (aggregation rewrites rules, never labels) and shared by aggregation and the report
/// rules that ask what an aggregated role takes in.
///
/// Selectors are resolved through an index of labels: a selector with a `matchLabels` pair, an
/// `In` or an `Exists` is checked only against the roles carrying that label (the fewest such
/// roles); only selectors with none of them are checked against every ClusterRole.
public struct AggregationIndex: Sendable {
    /// One selector of an `aggregationRule` and what it selects.
    public struct Selection: Sendable {
        public var selector: LabelSelector
        /// Why the selector is invalid, as the controller reports it; `nil` when valid.
        public var error: SelectorError?
        /// The ClusterRoles it matches, in name order (Go's byte order), the aggregated role
        /// itself excluded. Empty when the selector is invalid.
        public var matches: [RoleID]
    }

    /// The ClusterRoles with an `aggregationRule`, in name order: the order the controller
    /// syncs them in.
    public let aggregatedRoles: [RoleID]
    private let selectionsByRole: [Int: [Selection]]
    /// ClusterRoles that a valid selector of another aggregated ClusterRole matches.
    private let selectedRoles: Set<Int>

    /// The selectors of an aggregated ClusterRole, in order; empty for other roles.
    public func selections(of role: RoleID) -> [Selection] { selectionsByRole[role.index] ?? [] }

    /// The error of the first invalid selector of an aggregated ClusterRole: the controller
    /// leaves such a role as it is.
    public func error(of role: RoleID) -> SelectorError? {
        selections(of: role).lazy.compactMap(\.error).first
    }

    /// Whether a valid selector of some aggregated ClusterRole (not the role itself) matches
    /// this role: its rules are then used through the aggregated role.
    public func isSelected(_ role: RoleID) -> Bool { selectedRoles.contains(role.index) }

    /// Resolves every selector of every aggregated ClusterRole in `roles`.
    /// - Complexity: O(c log c + l + Σ k) for c ClusterRoles, l labels, and k the roles
    ///   checked per selector (those carrying its rarest required label, or every ClusterRole
    ///   when it requires none).
    public init(_ roles: [Role]) {
        let byName = roles.indices.filter { roles[$0].kind == .clusterRole }
            .sorted { roles[$0].name.utf8.lexicographicallyPrecedes(roles[$1].name.utf8) }
        var rank = [Int](repeating: 0, count: roles.count)
        for (position, r) in byName.enumerated() { rank[r] = position }
        let aggregated = byName.filter { roles[$0].aggregationRule != nil }
        aggregatedRoles = aggregated.map(RoleID.init)
        guard !aggregated.isEmpty else {
            selectionsByRole = [:]
            selectedRoles = []
            return
        }

        // Roles by label (key and value) and by label key, in name order.
        struct Pair: Hashable {
            var key: ExactKey
            var value: ExactKey
        }
        var byPair: [Pair: [Int]] = [:]
        var byKey: [ExactKey: [Int]] = [:]
        for r in byName {
            for (key, value) in roles[r].labels {
                byPair[Pair(key: ExactKey(key), value: ExactKey(value)), default: []].append(r)
                byKey[ExactKey(key), default: []].append(r)
            }
        }

        var selections: [Int: [Selection]] = [:]
        var selected = Set<Int>()
        for target in aggregated {
            let name = roles[target].name
            selections[target] = (roles[target].aggregationRule?.clusterRoleSelectors ?? []).map { selector in
                do throws(SelectorError) { try selector.validate() } catch {
                    return Selection(selector: selector, error: error, matches: [])
                }
                // The roles that can match: those with the selector's rarest required label.
                var candidates: [Int]?
                func offer(_ list: [Int]) { if list.count < candidates?.count ?? Int.max { candidates = list } }
                for pair in selector.matchLabelPairs { offer(byPair[Pair(key: ExactKey(pair.key), value: ExactKey(pair.value))] ?? []) }
                for requirement in selector.matchExpressions {
                    switch requirement.operator {
                    case "In":
                        var union = Set<Int>()
                        for v in requirement.values {
                            union.formUnion(byPair[Pair(key: ExactKey(requirement.key), value: ExactKey(v))] ?? [])
                        }
                        offer(union.sorted { rank[$0] < rank[$1] })
                    case "Exists": offer(byKey[ExactKey(requirement.key)] ?? [])
                    default: break
                    }
                }
                let matches = (candidates ?? byName).filter {
                    !roles[$0].name.isExactly(name) && selector.matchesValidated(roles[$0].labels)
                }
                selected.formUnion(matches)
                return Selection(selector: selector, error: nil, matches: matches.map(RoleID.init))
            }
        }
        selectionsByRole = selections
        selectedRoles = selected
    }
}
