// Privilege paths gained and lost: which identities newly reach (or no longer reach)
// cluster-admin, the secrets of a namespace, a service account or another identity, with the
// shortest path of the side that reaches and its certainty, and the object changes behind it.

/// How well an identity reaches a target on one side: not at all, only by a path the input
/// rules out (a condition shown false), or by an open path of some certainty.
public enum Reach: Int, Comparable, Hashable, Sendable {
    case none
    /// Only by a path with a condition the input shows false: closed as the input stands.
    case ruledOut
    /// By a path with a condition the input does not show.
    case notShown
    /// By a path whose conditions the input shows true.
    case shownTrue
    /// By a path of RBAC alone.
    case certain

    init(_ c: PathCertainty) {
        switch c {
        case .certain: self = .certain
        case .shownTrue: self = .shownTrue
        case .notShown: self = .notShown
        case .shownFalse: self = .ruledOut
        }
    }

    /// Whether some path is open (not ruled out by the input).
    public var isOpen: Bool { self >= .notShown }

    public static func < (a: Reach, b: Reach) -> Bool { a.rawValue < b.rawValue }

    /// `none`, `ruled-out`, `conditional-not-shown`, `conditional-shown-true`, `certain`: the
    /// value in the diff's JSON.
    public var id: String {
        switch self {
        case .none: return "none"
        case .ruledOut: return "ruled-out"
        case .notShown: return "conditional-not-shown"
        case .shownTrue: return "conditional-shown-true"
        case .certain: return "certain"
        }
    }

    /// For people: `certain`, `conditional, shown true by the input`, …
    public var text: String {
        switch self {
        case .none: return "no path"
        case .ruledOut: return "ruled out by the input"
        case .notShown: return "conditional, not shown by the input"
        case .shownTrue: return "conditional, shown true by the input"
        case .certain: return "certain"
        }
    }
}

/// An identity's reach of one target that differs between the two sides.
public struct PathChange: Sendable {
    public enum Kind: String, Sendable {
        /// The head side reaches the target by an open path, the base side does not.
        case gained
        /// The base side reaches it, the head side does not.
        case lost
        /// Both reach it; the head's path is more certain (a condition now shown true, or gone).
        case moreCertain = "more certain"
        /// Both reach it; the head's path is less certain.
        case lessCertain = "less certain"
    }

    /// The identity, in rbacgraph's notation.
    public var identity: String
    /// `cluster-admin`, `secret:NS/*` (every secret of a namespace), `secret:*/*` (of every
    /// namespace), `secret:NS/NAME`, `sa:NS/*` (any service account of a namespace), `sa:*/*`,
    /// or an identity (`sa:NS/NAME`, `user:NAME`, `group:NAME`).
    public var target: String
    /// The target's namespace, `nil` for cluster-admin, users, groups and every namespace.
    public var namespace: String?
    public var kind: Kind
    public var base: Reach
    public var head: Reach
    /// The shortest path of the side that reaches better (the head for `gained` and `more
    /// certain`), as `kind → what it reaches` steps.
    public var steps: [String]
    /// The same path as `rbacgraph paths -o json` writes it.
    public var path: JSONValue
    /// The object changes behind the steps the other side lacks (or holds less certainly).
    public var causes: [ObjectChange]

    /// Whether the change opens a path or makes one more certain (what `--fail-on path` gates).
    public var isGain: Bool { kind == .gained || kind == .moreCertain }
}

extension AccessDiff {
    /// Compares what every identity reaches by privilege paths on the two sides, and the
    /// readers of secrets (``SecretExposure``), filling ``paths`` and ``secretExposure``.
    ///
    /// Only identities that reach, by a first step of their own (not as a member of a group,
    /// which is compared itself), a node whose steps differ between the sides are searched:
    /// every other identity reaches the same nodes the same way on both sides.
    /// - Complexity: one backward search from the changed nodes per side, then one forward
    ///   search of at most `maxSteps` layers per such identity and side.
    public mutating func compareReach(base: EscalationGraph, head: EscalationGraph, maxSteps: Int = 8) {
        let context = DiffContext(base: base.access, head: head.access)
        paths = ReachComparison(base: base, head: head, context: context, maxSteps: maxSteps).changes()
        secretExposure = context.secretExposure(paths: paths)
        objectChanges = Self.merged(objectChanges, context.namespaceChanges())
    }

    /// Adds the namespace changes to the object changes, sorted by object as they are.
    static func merged(_ a: [ObjectChange], _ b: [ObjectChange]) -> [ObjectChange] {
        (a + b.filter { !a.contains($0) }).sorted { $0.object.utf8.lexicographicallyPrecedes($1.object.utf8) }
    }
}

/// The two sides' escalation graphs, compared node by node and then identity by identity.
struct ReachComparison {
    let base: EscalationGraph
    let head: EscalationGraph
    let context: DiffContext
    let maxSteps: Int
    let baseKeys: [String]
    let headKeys: [String]
    let baseIndex: [String: Int]
    let headIndex: [String: Int]

    init(base: EscalationGraph, head: EscalationGraph, context: DiffContext, maxSteps: Int) {
        self.base = base
        self.head = head
        self.context = context
        self.maxSteps = maxSteps
        baseKeys = base.nodes.indices.map { Self.key(base, $0) }
        headKeys = head.nodes.indices.map { Self.key(head, $0) }
        baseIndex = Dictionary(baseKeys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        headIndex = Dictionary(headKeys.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// A node named the same way on both sides: its description, a held role by the role's
    /// kind, namespace and name (role indexes differ between the sides).
    static func key(_ g: EscalationGraph, _ i: Int) -> String {
        if case .holder(let r, let scope) = g.nodes[i] { return "holder:\(g.access.roles[r].displayName)@\(scope)" }
        return g.nodes[i].description
    }

    /// A step as both sides can compare it: kind, target, namespace and what the input shows
    /// of its condition.
    struct StepKey: Hashable {
        var kind: EscalationKind
        var to: String
        var namespace: String?
        var observed: Int8  // 0 certain, 1 shown true, 2 not shown, 3 shown false
    }

    static func observed(_ c: PathCondition?) -> Int8 {
        guard let c else { return 0 }
        switch c.observed {
        case true: return 1
        case nil: return 2
        case false: return 3
        }
    }

    func steps(_ g: EscalationGraph, _ keys: [String]) -> [String: Set<StepKey>] {
        var out: [String: Set<StepKey>] = [:]
        for i in 0..<g.edgeCount {
            let e = g.store.edges[i]
            let c = e.condition >= 0 ? g.store.conditions[Int(e.condition)] : nil
            let ns = e.namespace >= 0 ? g.store.strings[Int(e.namespace)] : nil
            out[keys[Int(e.from)], default: []].insert(StepKey(kind: e.kind, to: keys[Int(e.to)], namespace: ns, observed: Self.observed(c)))
        }
        return out
    }

    /// The step of `e` in the other graph, if it has the same one (same condition shown).
    func hasSame(_ e: PathEdge, in g: EscalationGraph, keys: [String], index: [String: Int], from fromKeys: [String]) -> Bool {
        guard let from = index[fromKeys[e.from.index]] else { return false }
        let want = StepKey(kind: e.kind, to: fromKeys[e.to.index], namespace: e.namespace, observed: Self.observed(e.condition))
        for o in g.edges(from: NodeID(from)) {
            if StepKey(kind: o.kind, to: keys[o.to.index], namespace: o.namespace, observed: Self.observed(o.condition)) == want { return true }
        }
        return false
    }

    /// The identities whose reach may differ: those that are changed nodes themselves, or
    /// whose own first step leads to a node from which a changed node is reached.
    func affectedIdentities() -> [String] {
        let bs = steps(base, baseKeys), hs = steps(head, headKeys)
        var changed = Set<String>()
        for (k, v) in bs where hs[k] != v { changed.insert(k) }
        for (k, v) in hs where bs[k] != v { changed.insert(k) }
        guard !changed.isEmpty else { return [] }
        var upstream = changed
        for (g, keys, index) in [(base, baseKeys, baseIndex), (head, headKeys, headIndex)] {
            let sources = changed.compactMap { index[$0] }
            let search = g.layered(from: sources, maxSteps: maxSteps, forward: false) { _, _ in true }
            for i in g.nodes.indices where search.cost[i] != Int.max { upstream.insert(keys[i]) }
        }
        var out = Set<String>()
        for (g, keys) in [(base, baseKeys), (head, headKeys)] {
            for i in g.nodes.indices where g.nodes[i].isIdentity {
                if changed.contains(keys[i]) {
                    out.insert(keys[i])
                    continue
                }
                let own = g.edges(from: NodeID(i)).contains { e in !Self.isMembership(e.kind) && upstream.contains(keys[e.to.index]) }
                if own { out.insert(keys[i]) }
            }
        }
        return out.sorted()
    }

    static func isMembership(_ k: EscalationKind) -> Bool { k == .memberOf || k == .publicBinding }

    /// The target a node achieves, if it is one the diff compares.
    static func target(_ n: PathNode) -> (target: String, namespace: String?)? {
        switch n {
        case .fullAuthority: return ("cluster-admin", nil)
        case .secrets(let s): return ("secret:\(s.namespaceName ?? "*")/*", s.namespaceName)
        case .secret(let ns, let name): return ("secret:\(ns)/\(name)", ns)
        case .anyServiceAccount(let s): return ("sa:\(s.namespaceName ?? "*")/*", s.namespaceName)
        case .serviceAccount(let ns, _): return (n.description, ns)
        case .user, .group: return (n.description, nil)
        default: return nil
        }
    }

    /// The target that holds `t`: `secret:NS/*` holds `secret:NS/NAME`, `secret:*/*` holds
    /// `secret:NS/*` (likewise `sa:`), and cluster-admin everything else.
    static func container(of t: String) -> String? {
        if t == "cluster-admin" { return nil }
        for prefix in ["secret:", "sa:"] where t.hasPrefix(prefix) {
            let rest = t.dropFirst(prefix.count)
            if rest == "*/*" { return "cluster-admin" }
            if rest.hasSuffix("/*") { return prefix + "*/*" }
            if let slash = rest.firstIndex(of: "/") { return prefix + rest[..<slash] + "/*" }
        }
        return "cluster-admin"
    }

    /// One identity's search on one side: the cheapest cost of every node within
    /// ``maxSteps`` steps, and the edges to follow back for a path.
    func search(_ g: EscalationGraph, _ index: [String: Int], _ identity: String) -> (start: Int, layers: EscalationGraph.Layers)? {
        guard let s = index[identity] else { return nil }
        return (s, g.layered(from: [s], maxSteps: maxSteps, forward: true) { _, _ in true })
    }

    /// The compared targets of both sides, numbered: `cluster-admin` first, then every target
    /// a node achieves (``target(_:)``) and every target holding one (``container(of:)``).
    struct Targets {
        var names: [String] = []
        var namespaces: [String?] = []
        /// The number of the target holding each target, -1 for none.
        var containers: [Int] = []
        var numbers: [String: Int] = [:]
        /// The target each node of the base (head) side achieves, -1 for none.
        var base: [Int32] = []
        var head: [Int32] = []

        static let clusterAdmin = 0

        /// Each target's place in the order of names (`String`'s `<`).
        var rank: [Int] = []

        init(base b: EscalationGraph, head h: EscalationGraph) {
            _ = number("cluster-admin", nil)
            base = b.nodes.map { n in ReachComparison.target(n).map { Int32(number($0.target, $0.namespace)) } ?? -1 }
            head = h.nodes.map { n in ReachComparison.target(n).map { Int32(number($0.target, $0.namespace)) } ?? -1 }
            rank = [Int](repeating: 0, count: names.count)
            for (k, t) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { rank[t] = k }
        }

        private mutating func number(_ t: String, _ namespace: String?) -> Int {
            if let k = numbers[t] { return k }
            let k = names.count
            names.append(t)
            namespaces.append(namespace)
            containers.append(-1)
            numbers[t] = k
            if let c = ReachComparison.container(of: t) {
                // A container's namespace: that of `secret:NS/*` for `secret:NS/NAME`, else none.
                let ns = c.hasSuffix("*/*") || c == "cluster-admin" ? nil : namespace
                containers[k] = number(c, ns)
            }
            return k
        }
    }

    /// What one identity reaches on one side, by target number: the cheapest cost and the
    /// node that achieves it (reset between identities through ``touched``).
    struct Best {
        var cost: [Int]
        var node: [Int32]
        var touched: [Int] = []

        init(count: Int) {
            cost = [Int](repeating: Int.max, count: count)
            node = [Int32](repeating: -1, count: count)
        }

        mutating func record(_ layers: EscalationGraph.Layers, start: Int, targets: [Int32]) {
            for i in layers.cost.indices where i != start && layers.cost[i] != Int.max {
                let t = Int(targets[i])
                guard t >= 0 else { continue }
                if cost[t] == Int.max { touched.append(t) }
                if layers.cost[i] < cost[t] {
                    cost[t] = layers.cost[i]
                    node[t] = Int32(i)
                }
            }
        }

        /// How well the target is reached: by the cheapest path's certainty, which is the
        /// best certainty of any path within the steps (``EscalationGraph/certainty(ofCost:)``).
        func reach(_ t: Int) -> Reach { cost[t] == Int.max ? .none : Reach(EscalationGraph.certainty(ofCost: cost[t])) }

        mutating func reset() {
            for t in touched {
                cost[t] = Int.max
                node[t] = -1
            }
            touched.removeAll(keepingCapacity: true)
        }
    }

    /// The changes of the affected identities; with `searchingAll`, of every identity of
    /// either side (what the pruning must agree with).
    func changes(searchingAll: Bool = false) -> [PathChange] {
        let identities = searchingAll
            ? Set((baseKeys.indices.filter { base.nodes[$0].isIdentity }.map { baseKeys[$0] })
                + headKeys.indices.filter { head.nodes[$0].isIdentity }.map { headKeys[$0] }).sorted()
            : affectedIdentities()
        guard !identities.isEmpty else { return [] }
        let targets = Targets(base: base, head: head)
        // The identities in chunks, on every core, each chunk with its own scratch arrays.
        let size = max(1, identities.count / (8 * Parallel.threads))
        let chunks = stride(from: 0, to: identities.count, by: size).map { Array(identities[$0..<min($0 + size, identities.count)]) }
        let out = Parallel.map(chunks) { changes(of: $0, targets: targets) }.flatMap { $0 }
        // Gains first; cluster-admin, then secrets, then service accounts, then single
        // identities; the most certain first; then by identity and target.
        func rank(_ t: String) -> Int {
            if t == "cluster-admin" { return 0 }
            if t.hasPrefix("secret:") { return 1 }
            return t.hasSuffix("/*") ? 2 : 3
        }
        return out.enumerated().sorted { a, b in
            let ga = a.element.isGain ? 0 : 1, gb = b.element.isGain ? 0 : 1
            if ga != gb { return ga < gb }
            let ta = rank(a.element.target), tb = rank(b.element.target)
            if ta != tb { return ta < tb }
            let ca = max(a.element.base, a.element.head), cb = max(b.element.base, b.element.head)
            return ca != cb ? ca > cb : a.offset < b.offset
        }.map(\.element)
    }

    /// The changes of some identities, in their order.
    private func changes(of identities: [String], targets: Targets) -> [PathChange] {
        var out: [PathChange] = []
        var b = Best(count: targets.names.count), h = Best(count: targets.names.count)
        let admin = Targets.clusterAdmin
        for identity in identities {
            b.reset()
            h.reset()
            let bs = search(base, baseIndex, identity), hs = search(head, headIndex, identity)
            if let bs { b.record(bs.layers, start: bs.start, targets: targets.base) }
            if let hs { h.record(hs.layers, start: hs.start, targets: targets.head) }
            // Full authority reaches everything: a target is reached as well as it is, or as
            // well as cluster-admin is.
            let adminB = b.reach(admin), adminH = h.reach(admin)
            func levels(_ t: Int) -> (base: Reach, head: Reach) {
                t == admin ? (adminB, adminH) : (max(b.reach(t), adminB), max(h.reach(t), adminH))
            }
            let reachedTargets = Set(b.touched + h.touched).sorted { targets.rank[$0] < targets.rank[$1] }
            for t in reachedTargets {
                let (lb, lh) = levels(t)
                guard let kind = Self.kind(lb, lh) else { continue }
                // The same change as a target it is part of (every secret of the namespace,
                // of every namespace, cluster-admin): listed there.
                var container = targets.containers[t]
                var folded = false
                while container >= 0 {
                    if levels(container) == (lb, lh) {
                        folded = true
                        break
                    }
                    container = targets.containers[container]
                }
                if folded { continue }
                let gaining = kind == .gained || kind == .moreCertain
                let (g, keys, other, otherKeys, otherIndex) = gaining
                    ? (head, headKeys, base, baseKeys, baseIndex) : (base, baseKeys, head, headKeys, headIndex)
                let (mine, searched) = gaining ? (h, hs) : (b, bs)
                // The side's path: to the target itself, or to cluster-admin when that is better.
                let end: Int
                if mine.cost[t] != Int.max && !(mine.cost[admin] != Int.max && mine.reach(admin) > mine.reach(t)) {
                    end = Int(mine.node[t])
                } else if mine.cost[admin] != Int.max {
                    end = Int(mine.node[admin])
                } else {
                    continue
                }
                guard let searched else { continue }
                let path = PrivilegePath(start: NodeID(searched.start), steps: searched.layers.chain(to: end, in: g, forward: true))
                // A member's reach through its group, or one step of reading secrets (listed
                // as a direct reader): the group's change and the secret exposure say it.
                if let first = path.steps.first, Self.isMembership(first.kind) { continue }
                // A group reached as a member, through an identity listed (or folded) itself.
                let name = targets.names[t]
                if path.steps.count > 1, let last = path.steps.last, Self.isMembership(last.kind), name != "cluster-admin" {
                    continue
                }
                if path.steps.count == 1, path.steps[0].kind == .secretsRead { continue }
                var causes: [ObjectChange] = []
                for e in path.steps where !hasSame(e, in: other, keys: otherKeys, index: otherIndex, from: keys) {
                    for c in context.causes(of: e, in: g, gaining: gaining) where !causes.contains(c) { causes.append(c) }
                }
                out.append(PathChange(
                    identity: identity, target: name, namespace: targets.namespaces[t], kind: kind, base: lb, head: lh,
                    steps: path.steps.map { "\($0.kind.rawValue) → \(g.describe($0.to))" + ($0.condition.map { " if \($0.text)" } ?? "") },
                    path: g.json(path), causes: causes))
            }
        }
        return out
    }

    /// The change from one reach to the other, `nil` when none counts: a path ruled out by
    /// the input counts as no path.
    static func kind(_ b: Reach, _ h: Reach) -> PathChange.Kind? {
        switch (b.isOpen, h.isOpen) {
        case (false, true): return .gained
        case (true, false): return .lost
        case (true, true): return b == h ? nil : (h > b ? .moreCertain : .lessCertain)
        default: return nil
        }
    }
}
