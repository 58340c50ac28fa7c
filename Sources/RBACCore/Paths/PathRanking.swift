// How dangerous a privilege path is: its certainty (what the input confirms of its
// conditions), and the "most dangerous first" order every listing of paths uses.

/// How much of a path the input confirms, from the most dangerous to the least.
public enum PathCertainty: Int, Comparable, Hashable, Sendable, CaseIterable {
    /// Every step follows from RBAC alone.
    case certain
    /// Some steps need a runtime fact, and the input shows every one of them true.
    case shownTrue
    /// Some condition is not shown by the input (and none is shown false).
    case notShown
    /// The input shows a condition false: as the input stands, the path is closed.
    case shownFalse

    /// The certainty of a path: that of its least certain step.
    public init(_ path: PrivilegePath) {
        self.init(conditions: path.steps.lazy.compactMap(\.condition))
    }

    /// The certainty of steps with these conditions (steps without one are certain): that of
    /// the least certain.
    public init(conditions: some Sequence<PathCondition>) {
        var worst = PathCertainty.certain
        for c in conditions {
            worst = max(worst, c.observed == true ? .shownTrue : c.observed == false ? .shownFalse : .notShown)
        }
        self = worst
    }

    /// `certain`, `conditional: 1 not shown, 1 shown true` or `ruled out: 1 shown false, …`:
    /// the certainty of steps with these conditions, with the number of conditions of each kind.
    public static func label(conditions: some Sequence<PathCondition>) -> String {
        var shownTrue = 0, notShown = 0, shownFalse = 0
        for c in conditions {
            switch c.observed {
            case true: shownTrue += 1
            case false: shownFalse += 1
            case nil: notShown += 1
            }
        }
        if shownTrue + notShown + shownFalse == 0 { return "certain" }
        var parts: [String] = []
        if shownFalse > 0 { parts.append("\(shownFalse) shown false") }
        if notShown > 0 { parts.append("\(notShown) not shown") }
        if shownTrue > 0 { parts.append("\(shownTrue) shown true") }
        return (shownFalse > 0 ? "ruled out: " : "conditional: ") + parts.joined(separator: ", ")
    }

    public static func < (a: PathCertainty, b: PathCertainty) -> Bool { a.rawValue < b.rawValue }

    /// `certain`, `conditional` or `ruled-out`: the value of `certainty` in the JSON of
    /// `escalations`, `secrets` and `who-can --effective`.
    public var id: String {
        switch self {
        case .certain: return "certain"
        case .shownTrue, .notShown: return "conditional"
        case .shownFalse: return "ruled-out"
        }
    }
}

extension PathCondition {
    /// `shown true by the input`, `shown false by the input` or `not shown by the input`.
    public var observation: String {
        switch observed {
        case true: return "shown true by the input"
        case false: return "shown false by the input"
        case nil: return "not shown by the input"
        }
    }
}

extension PrivilegePath {
    /// How much of the path the input confirms.
    public var certainty: PathCertainty { PathCertainty(self) }

    /// `certain`, `conditional: 1 not shown, 1 shown true` or `ruled out: 1 shown false, …`:
    /// the certainty with the number of conditions of each kind.
    public var certaintyLabel: String { PathCertainty.label(conditions: steps.lazy.compactMap(\.condition)) }
}

extension PathNode {
    /// Whether anyone can be this identity: `group:system:authenticated`,
    /// `group:system:unauthenticated`, `user:system:anonymous`.
    public var isPublic: Bool {
        switch self {
        case .group(let g): return g.isExactly(Identity.authenticatedGroup) || g.isExactly(Identity.unauthenticatedGroup)
        case .user(let u): return u.isExactly(Identity.anonymousUser)
        default: return false
        }
    }
}

extension EscalationGraph {
    /// Paths most dangerous first: those starting at a public identity
    /// (``PathNode/isPublic``), then by cost (certain, conditions shown true, not shown, shown
    /// false: see ``PrivilegePath/cost``), then fewer steps, then by the start's name. The
    /// order of `escalations`, `secrets`, `who-can --effective` and the report.
    public func ranked(_ paths: [PrivilegePath]) -> [PrivilegePath] {
        paths.sorted { a, b in
            let pa = nodes[a.start].isPublic ? 0 : 1, pb = nodes[b.start].isPublic ? 0 : 1
            if pa != pb { return pa < pb }
            if a.cost != b.cost { return a.cost < b.cost }
            if a.steps.count != b.steps.count { return a.steps.count < b.steps.count }
            return nodes[a.start].description < nodes[b.start].description
        }
    }

    /// Every identity that reaches `target`, with its best path, most dangerous first
    /// (``ranked(_:)`` of ``identitiesReaching(_:maxSteps:)``).
    public func rankedIdentities(reaching target: PathTarget, maxSteps: Int = 8) -> [PrivilegePath] {
        ranked(identitiesReaching(target, maxSteps: maxSteps))
    }
}
