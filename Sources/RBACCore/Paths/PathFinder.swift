/// A privilege-path question: from an identity to a target, as `rbacgraph paths` and the
/// eval op `paths` ask it.
public struct PathQuery: Hashable, Sendable {
    /// The identity the paths start from.
    public var from: PathNode
    /// What they lead to.
    public var to: PathTarget
    /// The most steps a path may have.
    public var maxSteps: Int
    /// Every path without a repeated node (best first), not only the shortest.
    public var all: Bool

    public init(from: PathNode, to: PathTarget = .fullAuthority, maxSteps: Int = 8, all: Bool = false) {
        self.from = from
        self.to = to
        self.maxSteps = maxSteps
        self.all = all
    }

    /// The identities the graph must hold to answer: the start, and an identity target.
    public var identities: [PathNode] {
        if case .identity(let id) = to { return [from, id] }
        return [from]
    }
}

/// The answer to a ``PathQuery``: the paths, and the graph their node and edge indices refer to.
public struct PathAnswer: Sendable {
    public let query: PathQuery
    /// The escalation graph the paths were found in.
    public let graph: EscalationGraph
    /// The shortest path, or with ``PathQuery/all`` every path found, best first; empty when
    /// there is none.
    public let paths: [PrivilegePath]

    /// The paths as JSON (each in the shape of ``EscalationGraph/json(_:)-(PrivilegePath)``).
    public var pathsJSON: JSONValue { .array(paths.map { graph.json($0) }) }
}

/// Answers privilege-path questions on one input: the one entry point of `rbacgraph paths`
/// and the eval op `paths`, so that both answer alike.
///
/// The escalation graph is built on first use. An identity of a query that the input does not
/// hold is added to a graph of its own (one per set of such identities, kept): a user or a
/// group is as real as any other (with its groups' power); a service account the input does
/// not mention is reached only on the condition that it exists (a condition the input does
/// not show): admission refuses a pod that names a missing service account, and the token
/// controller deletes the token secrets of missing ones.
///
/// ```swift
/// let finder = PathFinder(AccessGraph(cluster))
/// let answer = finder.answer(PathQuery(from: .group("devs"), to: .identity(.serviceAccount(namespace: "dev", name: "ghost"))))
/// answer.paths.first?.isCertain  // false: dev/ghost is not in the input
/// ```
public final class PathFinder: @unchecked Sendable {
    /// The input.
    public let access: AccessGraph
    private var built: EscalationGraph?
    private var including: [[PathNode]: EscalationGraph] = [:]
    private let lock = Lock()

    public init(_ access: AccessGraph) { self.access = access }

    /// The escalation graph of the input alone.
    public var graph: EscalationGraph { lock.withLock { base() } }

    private func base() -> EscalationGraph {
        if let built { return built }
        let g = EscalationGraph(access)
        built = g
        return g
    }

    /// The escalation graph of the input that holds `nodes` too: the input's own when it
    /// holds them already.
    public func graph(including nodes: [PathNode]) -> EscalationGraph {
        lock.withLock {
            let g = base()
            let missing = nodes.filter { g.index(of: $0) == nil }
            if missing.isEmpty { return g }
            if let cached = including[missing] { return cached }
            let extended = EscalationGraph(access, including: missing)
            including[missing] = extended
            return extended
        }
    }

    /// Answers a query (see ``EscalationGraph/paths(from:to:maxSteps:all:limit:)``).
    public func answer(_ query: PathQuery) -> PathAnswer {
        let g = graph(including: query.identities)
        return PathAnswer(
            query: query, graph: g, paths: g.paths(from: query.from, to: query.to, maxSteps: query.maxSteps, all: query.all))
    }
}
