/// The privilege-escalation graph: identities, what they can reach, and every step between,
/// each with the RBAC grants behind it (see `ESCALATION.md` and `docs/paths.md`).
///
/// ```swift
/// let paths = EscalationGraph(graph)
/// paths.paths(from: .serviceAccount(namespace: "ci", name: "deployer"), to: .fullAuthority)
/// paths.identitiesReaching(.fullAuthority)
/// ```
/// Built once from an ``AccessGraph``: nodes are int-indexed, edges kept in adjacency lists
/// both ways.
public struct EscalationGraph: Sendable {
    public let access: AccessGraph
    /// Every node; edges refer to nodes by index.
    public let nodes: [PathNode]
    /// Node lookup: the first node with a given hash (of its fields, byte-exact), and a chain
    /// through nodes with the same hash (lighter than a dictionary of nodes).
    let firstByHash: [Int: Int32]
    let nextSameHash: [Int32]
    let store: EdgeStore
    /// Adjacency in compressed rows: the edges leaving node `n` are
    /// `outEdges[outStart[n]..<outStart[n + 1]]`; likewise entering.
    let outStart: [Int32]
    let outEdges: [Int32]
    let inStart: [Int32]
    let inEdges: [Int32]

    /// Builds the graph.
    /// - Parameter extra: identities to include even if the input does not mention them
    ///   (a user asked about, say): they still belong to their groups.
    /// - Complexity: roughly O(p · r · s) for p identities, r rules each and s step patterns,
    ///   plus the fan-out edges (service accounts, secrets and pods per namespace).
    public init(_ access: AccessGraph, including extra: [PathNode] = []) {
        let b = Builder(access)
        b.extra = extra
        b.build()
        b.prune()
        self.access = access
        self.nodes = b.nodes
        var first: [Int: Int32] = [:]
        var next = [Int32](repeating: -1, count: b.nodes.count)
        for (i, n) in b.nodes.enumerated().reversed() {
            let h = n.hashValue
            if let f = first[h] { next[i] = f }
            first[h] = Int32(i)
        }
        self.firstByHash = first
        self.nextSameHash = next
        self.store = b.store
        (outStart, outEdges) = Self.compressedRows(count: b.nodes.count, edges: b.store.edges) { Int($0.from) }
        (inStart, inEdges) = Self.compressedRows(count: b.nodes.count, edges: b.store.edges) { Int($0.to) }
    }

    private static func compressedRows(count: Int, edges: [StoredEdge], key: (StoredEdge) -> Int) -> ([Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: count + 1)
        for e in edges { start[key(e) + 1] += 1 }
        for i in 0..<count { start[i + 1] += start[i] }
        var fill = start
        var list = [Int32](repeating: 0, count: edges.count)
        for (i, e) in edges.enumerated() {
            let k = key(e)
            list[Int(fill[k])] = Int32(i)
            fill[k] += 1
        }
        return (start, list)
    }

    /// The number of edges.
    public var edgeCount: Int { store.edges.count }

    /// Edge `i`, with its evidence and condition.
    public func edge(_ i: Int) -> PathEdge {
        let e = store.edges[i]
        let evidence = (0..<Int(e.evidenceCount)).map { k -> StepEvidence in
            let s = store.evidence[Int(e.evidenceStart) + k]
            var subject: Subject? = nil
            if s.binding != StoredEvidence.none, s.subject != StoredEvidence.none {
                let b = access.bindings[Int(s.binding)]
                let raw = b.subjects[Int(s.subject)]
                subject = raw.effective(bindingNamespace: b.namespace ?? "") ?? raw
            }
            return StepEvidence(
                role: RoleID(Int(s.role)), ruleIndex: Int(s.ruleIndex),
                binding: s.binding != StoredEvidence.none ? BindingID(Int(s.binding)) : nil,
                subject: subject, purpose: store.strings[Int(s.purpose)])
        }
        return PathEdge(
            from: NodeID(Int(e.from)), to: NodeID(Int(e.to)), kind: e.kind, namespace: e.namespace >= 0 ? store.strings[Int(e.namespace)] : nil,
            evidence: evidence, condition: e.condition >= 0 ? store.conditions[Int(e.condition)] : nil)
    }

    /// Every edge (materialized: for tests and small graphs).
    public var edges: [PathEdge] { (0..<edgeCount).map(edge) }

    /// The handle of a node, if the graph has it.
    /// - Complexity: O(1) expected.
    public func index(of node: PathNode) -> NodeID? {
        var i = firstByHash[node.hashValue] ?? -1
        while i >= 0 {
            if nodes[Int(i)] == node { return NodeID(Int(i)) }
            i = nextSameHash[Int(i)]
        }
        return nil
    }

    /// The edges leaving a node.
    public func edges(from node: NodeID) -> [PathEdge] {
        outEdges[Int(outStart[node.index])..<Int(outStart[node.index + 1])].map { edge(Int($0)) }
    }

    /// The edges entering a node.
    public func edges(into node: NodeID) -> [PathEdge] {
        inEdges[Int(inStart[node.index])..<Int(inStart[node.index + 1])].map { edge(Int($0)) }
    }
}
