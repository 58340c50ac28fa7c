// Steps taken as another identity than the one a route needs. The API server decides each
// request apart: who can become one identity that may create an ExternalSecret and another
// that may read the Secret the operator writes (or a SecretStore and the ExternalSecret that
// reads through it) can make both requests. Such a step carries the start's Kubernetes path to
// that identity (``ExternalStep/branch``): real steps of the path, counted in its length and
// certainty, printed, drawn and given in JSON with it.

extension EscalationGraph {
    /// Another identity the path's start becomes that may make a request the node the path
    /// has reached may not: the start's Kubernetes path to it, and what it may do, with the
    /// grant (`get Secret prod/scratch (RoleBinding/prod/r → Role/prod/r)`).
    struct Elsewhere {
        var path: PrivilegePath
        var how: String
    }

    /// Finds an ``Elsewhere`` for the start a route is taken from (`paths`: one start; `who-can`:
    /// each identity's): its cheapest path to a node that may make one of `requests` (each with
    /// its words), `nil` when it has none. `key` names the requests, for the cache.
    typealias FindElsewhere = (_ key: String, _ requests: [(request: Request, what: String)]) -> Elsewhere?

    /// The first of `requests` node `n` may make, in words with the grant that allows it
    /// (`get secrets in prod (RoleBinding/prod/x → Role/prod/x)`); `nil` when it may make none.
    func allowed(by n: NodeID, _ requests: [(request: Request, what: String)]) -> String? {
        guard let r = requests.first(where: { node(n, allows: $0.request) }) else { return nil }
        guard let identity = nodes[n].identity else { return r.what }
        let d = access.authorize(identity, r.request)
        let by = d.grant.map { " (\(access.bindings[$0.binding].displayName) → \(access.roles[$0.role].displayName))" } ?? (d.viaMasters ? " (API server)" : "")
        return r.what + by
    }

    /// The end of a `secretstore-write` step's words when its author creates the ExternalSecret
    /// too (dropped when another identity does: ``externalSecretWriteStep(_:in:)``).
    static let andItsExternalSecret = ", and an ExternalSecret reading through it"

    /// The ExternalSecret that reads through a SecretStore another identity created, created as
    /// `other` (`externalsecret-write`, after `secretstore-write`).
    func externalSecretWriteStep(_ other: Elsewhere, in ns: String) -> ExternalStep {
        let author = nodes[other.path.end]
        return ExternalStep(
            kind: .externalSecretWrite, to: "ExternalSecret in \(ns) reading through the SecretStore", namespace: ns,
            why: "create an ExternalSecret in \(ns) naming the SecretStore, as \(author), another identity than the SecretStore's author: the API server decides the two requests apart",
            evidence: ["\(author) may \(other.how)"], branch: other.path)
    }

    /// The Secret the operator writes in `ns`, read as `other` (`written-secret-read`).
    func writtenSecretReadStep(_ other: Elsewhere, in ns: String) -> ExternalStep {
        let reader = nodes[other.path.end]
        return ExternalStep(
            kind: .writtenSecretRead, to: "the Secret written in \(ns)", namespace: ns,
            why: "the Secret the operator writes in \(ns) is read as \(reader), another identity than the author's: the API server decides the two requests apart",
            evidence: ["\(reader) may \(other.how)"], branch: other.path)
    }

    /// A ConfigMap the author names as the target (`target.manifest`) instead of a Secret,
    /// read in `ns` as `other` (`written-read`), on `condition`: that the operator allows such
    /// targets.
    func writtenConfigMapReadStep(_ other: Elsewhere, in ns: String, condition: PathCondition) -> ExternalStep {
        let reader = nodes[other.path.end]
        return ExternalStep(
            kind: .writtenRead, to: "the ConfigMap written in \(ns)", namespace: ns,
            why: "the author names a ConfigMap of \(ns) as the target (target.manifest), read as \(reader), another identity than the author's: the API server decides the two requests apart",
            evidence: ["\(reader) may \(other.how)"], condition: condition, branch: other.path)
    }

    /// For a route that reads through an ExternalSecret (``VaultRoute/readsIn``): whether what
    /// the operator writes can be read, and how, said in `external` — read by the node `n`
    /// the route's Kubernetes part reaches, or by the identity that creates the ExternalSecret
    /// (``secretRead(by:in:)``: evidence on the step that writes), else the cheapest of: `n`
    /// naming a ConfigMap as the target and reading it (where the operator allows generic
    /// targets: GenericTargets.swift), or another identity the start becomes reading the
    /// Secret (`written-secret-read`) or such a ConfigMap (`written-read`), each its own step
    /// with that identity's Kubernetes path. `true` for any other route.
    static func readsWhatIsWritten(
        _ route: VaultRoute, by n: NodeID, into external: inout [ExternalStep], in esc: EscalationGraph, context: BeyondContext? = nil,
        elsewhere: FindElsewhere? = nil
    ) -> Bool {
        guard let ns = route.readsIn else { return true }
        let writes = { (s: ExternalStep) in s.kind == .externalSecretWrite || s.kind == .secretStoreWrite }
        let k = external.firstIndex(where: writes)
        let read = { (m: NodeID) in m == n ? (context?.secretRead(by: m, in: ns) ?? esc.secretRead(by: m, in: ns)) : esc.secretRead(by: m, in: ns) }
        if let how = read(n) {
            if let k { external[k].evidence.append("the author may read the Secret the operator writes, and so what it reads: \(how)") }
            return true
        }
        // The ExternalSecret created as another identity (after a SecretStore): it may read.
        if let j = external.firstIndex(where: { $0.kind == .externalSecretWrite && $0.branch != nil }), let b = external[j].branch, let how = read(b.end) {
            external[j].evidence.append("the author may read the Secret the operator writes, and so what it reads: \(how)")
            return true
        }
        // Otherwise the cheapest way, each with its cost as a path ranks it.
        var options: [(cost: Int, apply: (inout [ExternalStep]) -> Void)] = []
        let generic = esc.genericTargetCondition()
        if let generic, let how = esc.genericTargetRead(by: n, in: ns) {
            options.append((cost(condition: generic), { e in
                guard let k else { return }
                e[k].evidence.append("the author may read a ConfigMap the operator writes instead (target.manifest), and so what it reads: \(how)")
                e[k].condition = both(e[k].condition, generic)
            }))
        }
        let after = (external.lastIndex(where: writes) ?? -1) + 1
        if k != nil, let other = elsewhere?("read-secret:\(ns)", esc.secretReads(in: ns)), other.path.end != n {
            let step = esc.writtenSecretReadStep(other, in: ns)
            options.append((other.path.cost + cost(condition: nil), { $0.insert(step, at: after) }))
        }
        if k != nil, let generic, let other = elsewhere?("read-configmap:\(ns)", esc.genericTargetReads(in: ns)), other.path.end != n {
            let step = esc.writtenConfigMapReadStep(other, in: ns, condition: generic)
            options.append((other.path.cost + cost(condition: generic), { $0.insert(step, at: after) }))
        }
        guard let best = options.enumerated().min(by: { ($0.element.cost, $0.offset) < ($1.element.cost, $1.offset) })?.element else { return false }
        best.apply(&external)
        return true
    }
}

extension EscalationGraph {
    /// The cheapest of `candidates` (fewest conditions the input does not show, then steps;
    /// the first of equals).
    static func cheapest(_ candidates: [PrivilegePath]) -> PrivilegePath? {
        candidates.enumerated().min { a, b in
            (a.element.cost, a.element.steps.count, a.offset) < (b.element.cost, b.element.steps.count, b.offset)
        }?.element
    }
}
