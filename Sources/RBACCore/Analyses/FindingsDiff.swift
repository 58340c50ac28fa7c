/// Findings a change introduces and resolves, matched by their stable baseline keys
/// (``Finding/baselineKey``): the report's findings of the head side that the base side does
/// not have, and the reverse. A finding whose message changed but whose key did not (a path
/// to cluster-admin that got shorter) is neither.
public struct FindingsDiff: Sendable {
    /// Findings of the head side only, most severe first.
    public var introduced: [Finding]
    /// Findings of the base side only, most severe first.
    public var resolved: [Finding]

    /// Compares the findings of two reports (built-in-only findings left out, as the report
    /// leaves them out of ``Report/findings``).
    public init(base: [Finding], head: [Finding]) {
        // Keys byte for byte: `user:zoë` composed and decomposed are two identities, so a
        // finding of one is not the other's.
        let baseKeys = Set(base.map { ExactKey($0.baselineKey) })
        let headKeys = Set(head.map { ExactKey($0.baselineKey) })
        func ordered(_ list: [Finding]) -> [Finding] {
            list.enumerated().sorted { a, b in
                a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
            }.map(\.element)
        }
        introduced = ordered(head.filter { !baseKeys.contains(ExactKey($0.baselineKey)) })
        resolved = ordered(base.filter { !headKeys.contains(ExactKey($0.baselineKey)) })
        // Paths by identity: a path that starts with another binding is the same reach.
        func reaching(_ list: [Finding]) -> Set<ExactKey> {
            Set(list.filter { $0.ruleID == Self.pathRuleID }.compactMap { $0.principal.map(ExactKey.init) })
        }
        let before = reaching(base), after = reaching(head)
        pathsGained = ordered(head.filter { $0.ruleID == Self.pathRuleID && $0.principal.map { !before.contains(ExactKey($0)) } ?? false })
        pathsLost = ordered(base.filter { $0.ruleID == Self.pathRuleID && $0.principal.map { !after.contains(ExactKey($0)) } ?? false })
    }

    /// The rule of the findings that say an identity reaches cluster-admin.
    public static let pathRuleID = "escalation-path"

    /// Identities that newly reach cluster-admin: `escalation-path` findings of the head side
    /// for identities the base side has none for (its path, steps and certainty in the message
    /// and ``Finding/path``).
    public var pathsGained: [Finding]
    /// Identities that no longer reach cluster-admin.
    public var pathsLost: [Finding]

    /// Whether nothing was introduced or resolved.
    public var isEmpty: Bool { introduced.isEmpty && resolved.isEmpty }
}
