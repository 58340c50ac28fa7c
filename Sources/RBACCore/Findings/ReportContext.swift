/// What the report rules look at: the access graph, the escalation graph (built once, on
/// first use, by whichever thread asks first), and facts derived from them.
public final class ReportContext: Sendable {
    public let graph: AccessGraph
    private let cache = Cache()

    /// The lazily built parts, under a lock: rules may run on several threads.
    private final class Cache: @unchecked Sendable {
        let lock = Lock()
        var escalation: EscalationGraph?
        var reaching: [PrivilegePath]?
    }

    /// Every finding rather than digests: `escalation-grant` once per identity, kind and scope
    /// instead of once per identity and kind (`report --detail`).
    public let detail: Bool

    public init(graph: AccessGraph, detail: Bool = false) {
        self.graph = graph
        self.detail = detail
    }

    /// The privilege-escalation graph.
    public var escalation: EscalationGraph {
        cache.lock.withLock {
            if let e = cache.escalation { return e }
            let e = EscalationGraph(graph)
            cache.escalation = e
            return e
        }
    }

    /// Every identity reaching full authority, with its best path.
    public var reachingFullAuthority: [PrivilegePath] {
        let escalation = self.escalation
        return cache.lock.withLock {
            if let r = cache.reaching { return r }
            let r = escalation.identitiesReaching(.fullAuthority)
            cache.reaching = r
            return r
        }
    }

    /// `user:NAME`, `group:NAME` or `sa:NS/NAME` of a subject as written in a binding.
    public func principal(_ s: Subject, in binding: Binding) -> String? {
        s.effective(bindingNamespace: binding.namespace ?? "").flatMap(PathNode.init(subject:))?.description
    }

    /// The binding and role objects behind an edge's evidence.
    public func related(_ e: PathEdge) -> [ObjectRef] {
        var out: [ObjectRef] = []
        for ev in e.evidence {
            if let b = ev.binding { out.append(ObjectRef(graph.bindings[b])) }
            out.append(ObjectRef(graph.roles[ev.role]))
        }
        var seen = Set<ObjectKey>()
        return out.filter { seen.insert($0.key).inserted }
    }

    /// The object a principal's finding is located at: its first binding's object, else the
    /// ServiceAccount object, else a synthetic reference.
    public func object(forPrincipal p: PathNode, edge: PathEdge? = nil) -> ObjectRef {
        if let ev = edge?.evidence.first, let b = ev.binding { return ObjectRef(graph.bindings[b]) }
        if let ev = edge?.evidence.first { return ObjectRef(graph.roles[ev.role]) }
        if case .serviceAccount(let ns, let name) = p,
            let sa = graph.serviceAccounts.first(where: { $0.namespace.isExactly(ns) && $0.name.isExactly(name) })
        {
            return ObjectRef(kind: SubjectKind.serviceAccount.rawValue, namespace: ns, name: name, source: sa.source)
        }
        switch p {
        case .serviceAccount(let ns, let name): return ObjectRef(kind: SubjectKind.serviceAccount.rawValue, namespace: ns, name: name)
        case .user(let n): return ObjectRef(kind: SubjectKind.user.rawValue, name: n)
        case .group(let n): return ObjectRef(kind: SubjectKind.group.rawValue, name: n)
        default: return ObjectRef(kind: "Cluster", name: p.description)
        }
    }

    /// ` (labelled kubernetes.io/bootstrapping=rbac-defaults, …)` for a binding that carries the
    /// built-in policy's label, else empty. The label makes nothing trusted: whoever may create
    /// a binding may write it, so findings keep reporting such bindings and say the label is there.
    public func bootstrappingLabelNote(_ b: Binding) -> String {
        b.labels["kubernetes.io/bootstrapping"] == "rbac-defaults"
            ? " (labelled kubernetes.io/bootstrapping=rbac-defaults, which anyone who may create bindings can write)" : ""
    }
}
