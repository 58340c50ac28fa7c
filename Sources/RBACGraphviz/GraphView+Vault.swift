public import RBACCore

extension GraphView {
    /// Who reaches a Vault path (``RBACCore/VaultReader``): each identity, how it becomes the
    /// service account that logs in (a privilege path, drawn as one edge naming its steps) or
    /// the ExternalSecret or PushSecret it creates and the store that reads for it, then the
    /// Vault role, the deciding policy path and the target. Readers whose answer rests on
    /// what the input does not hold are drawn dashed.
    public static func vaultReaders(_ readers: [VaultReader], target: String, capability: String) -> GraphView {
        var nodes: [DOTNode] = []
        var edges: [DOTEdge] = []
        var seenNodes = Set<String>()
        var seenEdges = Set<String>()
        func node(_ id: String, _ label: String, shape: DOTValue, fill: DOTValue) {
            guard seenNodes.insert(id).inserted else { return }
            nodes.append(DOTNode(id, ["label": .text(label), "shape": shape, "style": "filled", "fillcolor": fill]))
        }
        func edge(_ from: String, _ to: String, _ label: String, dashed: Bool) {
            guard seenEdges.insert("\(from)\u{0}\(to)\u{0}\(label)").inserted else { return }
            var a: DOTAttributes = ["label": .text(label)]
            if dashed { a["style"] = "dashed" }
            edges.append(DOTEdge(from: from, to: to, a))
        }
        let targetID = "target"
        node(targetID, "vault:\(target)\n\(capability)", shape: "box", fill: "#f4cccc")
        for r in readers {
            let dashed = r.certainty != .yes
            let who = "id:\(r.identity.description)"
            node(who, r.identity.description, shape: "ellipse", fill: "#d9ead3")
            let access: VaultAccess
            var from = who
            switch r.route {
            case .login(let a):
                access = a
                let sa = "id:\(a.login.serviceAccount.notation)"
                if sa != who {
                    node(sa, a.login.serviceAccount.notation, shape: "ellipse", fill: "#d9ead3")
                    let steps = r.path.map { p in p.steps.map { $0.kind.rawValue }.joined(separator: " → ") } ?? "becomes"
                    edge(who, sa, steps, dashed: dashed)
                }
                from = sa
            case .store(let store, let ns, let kind, let a):
                access = a
                let storeID = "store:\(store.targetName)"
                node(storeID, "\(store.kind.rawValue)\n\(store.namespace.map { "\($0)/" } ?? "")\(store.name)", shape: "component", fill: "#fff2cc")
                let how = r.path.map { p in p.steps.map { $0.kind.rawValue }.joined(separator: " → ") + " → " } ?? ""
                edge(who, storeID, "\(how)create \(kind.rawValue) in \(ns)", dashed: dashed)
                let sa = "id:\(a.login.serviceAccount.notation)"
                node(sa, a.login.serviceAccount.notation, shape: "ellipse", fill: "#d9ead3")
                edge(storeID, sa, "logs in as", dashed: dashed)
                from = sa
            }
            let roleID = "role:\(access.login.role.path)"
            node(roleID, "Vault \(access.login.role.path)\n[\(access.login.policies.joined(separator: ", "))]", shape: "box", fill: "#cfe2f3")
            edge(from, roleID, "login", dashed: dashed)
            if let e = access.decision.entry {
                let patternID = "pattern:\(e.pattern)"
                node(patternID, "path \"\(e.pattern)\"\n{\(e.capabilities)}", shape: "note", fill: "#ffffff")
                edge(roleID, patternID, e.grants.map(\.policy).joined(separator: ", "), dashed: dashed)
                edge(patternID, targetID, "", dashed: dashed)
            } else {
                edge(roleID, targetID, "unknown: unresolved template or missing policy", dashed: true)
            }
        }
        let graph = DOTGraph(
            name: "vault", attributes: ["rankdir": "LR", "label": .text("Who can \(capability) vault:\(target)"), "labelloc": "t", "fontname": "Helvetica"],
            nodeDefaults: ["fontname": "Helvetica", "fontsize": 10], edgeDefaults: ["fontname": "Helvetica", "fontsize": 9],
            nodes: nodes, edges: edges)
        return GraphView(graph: graph)
    }
}
