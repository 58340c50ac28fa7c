// Who reads an object other than a Secret that an ExternalSecret writes (`spec.target.manifest`):
// what `secrets` lists after the Secrets, in every output format.

/// The readers of an object an ExternalSecret writes instead of a Secret: the subjects allowed
/// to `get` it, then each other identity once, by its cheapest way.
public struct WrittenObjectReaders: Sendable {
    /// The subjects RBAC allows `get` on the object (as `who-can get` lists them).
    public var direct: [AllowedSubject]
    /// Each other identity's cheapest way: a privilege path to that `get`, or a route the path
    /// engine does not know as a step (listing or watching its resource, a pod mounting a
    /// ConfigMap, a store that fills it); cheapest first.
    public var paths: [AnyPrivilegePath]
    /// The identities allowed as they are, each a path of no step: what a picture draws for
    /// ``direct``.
    public var directPaths: [PrivilegePath]
}

extension EscalationGraph {
    /// Who reads `object`, an object other than a Secret an ExternalSecret writes
    /// (``MaterializedSecret/manifest``): ``WrittenObjectReaders``, the identities with a
    /// privilege path of at most `maxSteps` Kubernetes steps.
    public func writtenObjectReaders(_ object: MaterializedSecret, maxSteps: Int = 8) -> WrittenObjectReaders {
        let answer = effectiveAccess(to: .resource(object.getRequest), maxSteps: maxSteps)
        let direct = Set(answer.subjects.compactMap { PathNode(subject: $0.subject) })
        var best: [PathNode: AnyPrivilegePath] = [:]
        func offer(_ start: PathNode, _ p: AnyPrivilegePath) {
            if direct.contains(start) { return }
            if let old = best[start], (old.cost, old.stepCount) <= (p.cost, p.stepCount) { return }
            best[start] = p
        }
        for p in answer.paths { offer(nodes[p.start], .kubernetes(p)) }
        for p in materializedReaders(of: object, effective: true, maxSteps: maxSteps) { offer(nodes[p.kubernetes.start], .external(p)) }
        let paths = best.sorted { a, b in
            (a.value.cost, a.value.stepCount, a.key.description) < (b.value.cost, b.value.stepCount, b.key.description)
        }.map(\.value)
        let directPaths = answer.reaching.filter { $0.steps.isEmpty && direct.contains(nodes[$0.start]) }
        return WrittenObjectReaders(direct: answer.subjects, paths: paths, directPaths: directPaths)
    }
}
