/// A chain of steps from an identity to a target.
public struct PrivilegePath: Hashable, Sendable {
    /// The node the path starts at.
    public var start: NodeID
    public var steps: [PathEdge]

    public init(start: NodeID, steps: [PathEdge]) {
        self.start = start
        self.steps = steps
    }

    /// Whether every step is certain.
    public var isCertain: Bool { steps.allSatisfy(\.isCertain) }
    /// The node the path ends at.
    public var end: NodeID { steps.last?.to ?? start }
    /// Ranking: conditions the input does not show true, then conditions it shows true, then steps.
    public var cost: Int { steps.reduce(0) { $0 + EscalationGraph.cost(of: $1) } }
}

extension EscalationGraph {
    static let observedConditionCost = 1_000
    static let unknownConditionCost = 1_000_000
    static let falseConditionCost = 1_000_000_000

    /// The cost of a step: 1, plus a penalty for a condition: larger when the input does not
    /// show it true, larger still when it shows it false. Each penalty is more than a path of
    /// fewer than 1,000 steps can add up of the smaller ones, so the cheapest path is also the
    /// most certain one (``certainty(ofCost:)``).
    static func cost(of e: PathEdge) -> Int { cost(condition: e.condition) }

    /// The certainty of a path of fewer than 1,000 steps from its cost alone: that of its
    /// least certain step, as ``PathCertainty/init(_:)`` finds it.
    static func certainty(ofCost cost: Int) -> PathCertainty {
        if cost >= falseConditionCost { return .shownFalse }
        if cost >= unknownConditionCost { return .notShown }
        if cost >= observedConditionCost { return .shownTrue }
        return .certain
    }

    static func cost(condition: PathCondition?) -> Int {
        guard let c = condition else { return 1 }
        switch c.observed {
        case true: return 1 + observedConditionCost
        case nil: return 1 + unknownConditionCost
        case false: return 1 + falseConditionCost
        }
    }
}
