/// Who can make a request, directly or by a privilege path: `rbacgraph who-can --effective`.
public struct EffectiveAccess: Sendable {
    /// The request asked about.
    public var request: Request
    /// The subjects of the plain who-can answer (``AccessGraph/subjects(allowedTo:)``,
    /// `system:masters` first).
    public var subjects: [AllowedSubject]
    /// Identities the API server allows as they are, through a group among ``subjects``, with
    /// the grant the authorizer names.
    public var members: [(node: PathNode, grant: Grant?)]
    /// Every other identity with a privilege path to the request, most dangerous first.
    public var paths: [PrivilegePath]
    /// Every identity's best path (no steps for those allowed as they are), as the search
    /// returns them.
    public var reaching: [PrivilegePath]
}

extension EscalationGraph {
    /// Who can make `request`: the subjects allowed directly, the identities allowed through
    /// one of those groups, and every other identity with a privilege path of at most
    /// `maxSteps` steps, ranked.
    /// - Complexity: one who-can query plus one reverse search of the escalation graph.
    public func effectiveAccess(to request: Request, maxSteps: Int = 8) -> EffectiveAccess {
        let graph = access
        let subjects = graph.subjects(allowedTo: request)
        let direct = Set(subjects.compactMap { PathNode(subject: $0.subject) })
        let reaching = identitiesReaching(.permission(request), maxSteps: maxSteps)
        var members: [(node: PathNode, grant: Grant?)] = []
        for p in reaching where p.steps.isEmpty && !direct.contains(nodes[p.start]) {
            let node = nodes[p.start]
            members.append((node, node.identity.flatMap { graph.authorize($0, request).grant }))
        }
        let paths = reaching.filter { !$0.steps.isEmpty && !direct.contains(nodes[$0.start]) }
        return EffectiveAccess(request: request, subjects: subjects, members: members, paths: ranked(paths), reaching: reaching)
    }
}
