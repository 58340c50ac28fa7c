// Finding paths: the shortest (a layered search bounded by steps), every simple path best
// first (A*), and every identity reaching a target (one search backwards).

extension EscalationGraph {
    /// The shortest path (fewest steps, certain before conditional) from an identity to a
    /// target, or every simple path up to `maxSteps` steps with `all`, best first (at most
    /// `limit`). A start that satisfies the target itself gives one path of no steps.
    ///
    /// An identity the graph does not hold has no path: build the graph `including:` it (it
    /// then has its groups' power).
    /// - Complexity: O(maxSteps · E) for the shortest path: the cheapest path of at most
    ///   `maxSteps` steps, exactly (a cheaper path with more steps never hides it).
    public func paths(from start: PathNode, to target: PathTarget, maxSteps: Int = 8, all: Bool = false, limit: Int = 100)
        -> [PrivilegePath]
    {
        guard let startID = index(of: start) else { return [] }
        if satisfies(startID, target) { return [PrivilegePath(start: startID, steps: [])] }
        let s = startID.index
        if all { return allPaths(from: s, to: target, maxSteps: maxSteps, limit: limit) }
        var isTarget = [Int8](repeating: -1, count: nodes.count)  // -1: not asked yet
        func reached(_ i: Int) -> Bool {
            if isTarget[i] < 0 { isTarget[i] = satisfies(NodeID(i), target) ? 1 : 0 }
            return isTarget[i] == 1
        }
        var best: (cost: Int, node: Int)? = nil
        let search = layered(from: [s], maxSteps: maxSteps, forward: true) { i, cost in
            if reached(i) {
                if cost < best?.cost ?? Int.max { best = (cost, i) }
                return false  // a path ends at its target
            }
            return best.map { cost + 1 < $0.cost } ?? true  // every step costs at least 1
        }
        guard let (_, end) = best else { return [] }
        return [PrivilegePath(start: startID, steps: search.chain(to: end, in: self, forward: true))]
    }

    /// Cheapest costs within a number of steps, layer by layer (Bellman-Ford bounded by
    /// steps): `cost[v]` is the cheapest cost of a path of at most `layers` steps, reached at
    /// the fewest steps for that cost.
    struct Layers {
        var cost: [Int]
        /// `via[k][v]`: the edge that made `v` cheaper in layer `k + 1`; -1 when it did not.
        var via: [[Int32]] = []

        /// The edges from the search's source to `v` (forward), or from `v` to a source
        /// (backward), in path order.
        func chain(to v: Int, in graph: EscalationGraph, forward: Bool) -> [PathEdge] {
            var steps: [PathEdge] = []
            var at = v
            var k = via.count
            while cost[at] > 0 {
                while via[k - 1][at] < 0 { k -= 1 }
                let e = graph.edge(Int(via[k - 1][at]))
                steps.append(e)
                at = forward ? e.from.index : e.to.index
                k -= 1
            }
            return forward ? steps.reversed() : steps
        }
    }

    /// Relaxes the edges from `sources` (cost 0) for at most `maxSteps` layers, forwards along
    /// edges or backwards against them. `expand(node, cost)` says whether to go on from a node
    /// just made cheaper; `afterLayer` sees the costs after each layer.
    func layered(
        from sources: [Int], maxSteps: Int, forward: Bool, expand: (Int, Int) -> Bool, afterLayer: ([Int]) -> Void = { _ in }
    ) -> Layers {
        var out = Layers(cost: [Int](repeating: Int.max, count: nodes.count))
        var frontier: [(node: Int, cost: Int)] = []
        for s in sources {
            out.cost[s] = 0
            frontier.append((s, 0))
        }
        let (start, list) = forward ? (outStart, outEdges) : (inStart, inEdges)
        var touched = [Int32](repeating: -1, count: nodes.count)  // the layer that last changed a node
        for layer in 0..<max(0, min(maxSteps, nodes.count)) where !frontier.isEmpty {
            var via = [Int32](repeating: -1, count: nodes.count)
            var changed: [Int] = []
            for (u, cu) in frontier {  // costs as the previous layer left them
                for ei in list[Int(start[u])..<Int(start[u + 1])] {
                    let e = store.edges[Int(ei)]
                    let v = Int(forward ? e.to : e.from)
                    let c = cu + Int(e.cost)
                    if c < out.cost[v] {
                        out.cost[v] = c
                        via[v] = ei
                        if touched[v] != Int32(layer) {
                            touched[v] = Int32(layer)
                            changed.append(v)
                        }
                    }
                }
            }
            out.via.append(via)
            afterLayer(out.cost)
            frontier = changed.filter { expand($0, out.cost[$0]) }.map { ($0, out.cost[$0]) }
        }
        return out
    }

    /// Simple paths in order of cost (then steps), best first: A* over partial paths, guided by
    /// the exact cheapest cost to the target within the steps left (a backward layered search),
    /// so that the first path is the shortest one and no cheaper path is left out for a dearer
    /// one. A path ends at the first node that satisfies the target.
    private func allPaths(from s: Int, to target: PathTarget, maxSteps: Int, limit: Int) -> [PrivilegePath] {
        let steps = max(0, min(maxSteps, nodes.count))
        var isTarget = [Bool](repeating: false, count: nodes.count)
        var targets: [Int] = []
        for i in nodes.indices where satisfies(NodeID(i), target) {
            isTarget[i] = true
            targets.append(i)
        }
        // toTarget[k][v]: the cheapest cost from v to the target in at most k steps.
        var toTarget: [[Int]] = [isTarget.map { $0 ? 0 : Int.max }]
        _ = layered(from: targets, maxSteps: steps, forward: false, expand: { _, _ in true }) { toTarget.append($0) }
        while toTarget.count <= steps { toTarget.append(toTarget[toTarget.count - 1]) }

        // Partial paths, each its last edge and the partial path it extends.
        struct Partial {
            var node: Int32
            var edge: Int32
            var parent: Int32  // -1: extends the start
            var length: Int32
            var cost: Int
        }
        var partials: [Partial] = []
        var queue = PathQueue()
        func extend(_ from: Int, parent: Int32, length: Int, cost: Int) {
            guard length < steps else { return }
            for ei in outEdges[Int(outStart[from])..<Int(outStart[from + 1])] {
                let e = store.edges[Int(ei)]
                let v = Int(e.to)
                let rest = toTarget[steps - length - 1][v]
                if rest == Int.max || v == s { continue }
                var p = parent
                var onPath = false
                while p >= 0 {
                    if partials[Int(p)].node == e.to { onPath = true; break }
                    p = partials[Int(p)].parent
                }
                if onPath { continue }
                let c = cost + Int(e.cost)
                partials.append(Partial(node: e.to, edge: ei, parent: parent, length: Int32(length + 1), cost: c))
                queue.push((c + rest, length + 1, partials.count - 1))
            }
        }
        extend(s, parent: -1, length: 0, cost: 0)
        var found: [PrivilegePath] = []
        var budget = 200_000  // expansions: bounds the work on dense graphs
        while found.count < limit, budget > 0, let (_, _, i) = queue.pop() {
            budget -= 1
            let p = partials[i]
            if isTarget[Int(p.node)] {
                var chain: [PathEdge] = []
                var at = Int32(i)
                while at >= 0 {
                    chain.append(edge(Int(partials[Int(at)].edge)))
                    at = partials[Int(at)].parent
                }
                found.append(PrivilegePath(start: NodeID(s), steps: chain.reversed()))
            } else {
                extend(Int(p.node), parent: Int32(i), length: Int(p.length), cost: p.cost)
            }
        }
        return found
    }

    /// Every identity that reaches `target`, with its best path, best first (the same path
    /// cost as ``paths(from:to:maxSteps:all:limit:)`` finds from each).
    /// - Complexity: O(maxSteps · E): one search backwards from every node that satisfies
    ///   the target.
    public func identitiesReaching(_ target: PathTarget, maxSteps: Int = 8) -> [PrivilegePath] {
        let targets = nodes.indices.filter { satisfies(NodeID($0), target) }
        let search = layered(from: targets, maxSteps: maxSteps, forward: false) { _, _ in true }
        var out: [PrivilegePath] = []
        for i in nodes.indices where nodes[i].isIdentity && search.cost[i] != Int.max {
            out.append(PrivilegePath(start: NodeID(i), steps: search.chain(to: i, in: self, forward: false)))
        }
        return out.sorted { a, b in
            (a.cost, nodes[a.start].description) < (b.cost, nodes[b.start].description)
        }
    }
}

/// A binary min-heap of (estimated cost, steps, partial path).
struct PathQueue {
    private var items: [(Int, Int, Int)] = []

    private static func less(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Bool { a < b }

    mutating func push(_ item: (Int, Int, Int)) {
        items.append(item)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if !Self.less(items[i], items[p]) { break }
            items.swapAt(p, i)
            i = p
        }
    }

    mutating func pop() -> (Int, Int, Int)? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && Self.less(items[l], items[m]) { m = l }
                if r < items.count && Self.less(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
