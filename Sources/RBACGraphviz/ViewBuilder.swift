/// A view being drawn, shared by the access, who-can and paths views: nodes at the top level
/// or in their namespace's cluster, each node and each edge once, the legend and the warnings.
struct ViewBuilder {
    /// The document (graph attributes may be set directly).
    var doc: DOTGraph
    var legend = Legend()
    /// What the view could not show in full; also written into the legend by ``warn(_:)``.
    var warnings: [String] = []
    private var topLevel: [DOTNode] = []
    private var inNamespace: [String: [DOTNode]] = [:]
    private var drawn = Set<String>()
    private var edges: [DOTEdge] = []
    /// An edge's identity: its ends, and what distinguishes parallel edges (a step's kind).
    private struct EdgeKey: Hashable {
        var from: String
        var to: String
        var variant: String
    }
    private var edgeKeys = Set<EdgeKey>()

    /// An empty document named `name`, in the views' style.
    init(name: String) { doc = GraphStyle.document(name: name) }

    /// Whether a node with this id is placed.
    func isDrawn(_ id: String) -> Bool { drawn.contains(id) }

    /// The number of nodes placed.
    var nodeCount: Int { drawn.count }

    /// Places a node at the top level, or in the cluster of `namespace`; a node already placed
    /// (same id) is left as it is.
    mutating func place(_ node: DOTNode, namespace: String?) {
        guard drawn.insert(node.id).inserted else { return }
        if let namespace { inNamespace[namespace, default: []].append(node) } else { topLevel.append(node) }
    }

    /// Adds an edge, unless one with the same ends (and `variant`) is there.
    mutating func connect(_ from: String, _ to: String, _ attributes: DOTAttributes = [:], variant: String = "") {
        guard edgeKeys.insert(EdgeKey(from: from, to: to, variant: variant)).inserted else { return }
        edges.append(DOTEdge(from: from, to: to, attributes))
    }

    /// A warning, also noted in the legend.
    mutating func warn(_ message: String) {
        warnings.append(message)
        legend.notes.append(message)
    }

    /// The view: namespaces' clusters in name order, the top-level nodes, the edges, and the
    /// legend with `title`.
    func finish(title: String) -> GraphView {
        var doc = doc
        for (i, (ns, nodes)) in inNamespace.sorted(by: { $0.key < $1.key }).enumerated() {
            var cluster = GraphStyle.namespaceCluster(ns, index: i)
            cluster.nodes = nodes
            doc.subgraphs.append(cluster)
        }
        doc.nodes = topLevel
        doc.edges = edges
        legend.apply(to: &doc, title: title)
        return GraphView(graph: doc, warnings: warnings)
    }
}
