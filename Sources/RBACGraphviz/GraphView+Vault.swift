public import RBACCore

extension GraphView {
    /// Who reaches a Vault path (``RBACCore/VaultReader``): each identity, how it becomes the
    /// service account that logs in (a privilege path, drawn as one edge naming its steps) or
    /// the ExternalSecret or PushSecret it creates and the store that reads for it, then the
    /// Vault role, the deciding policy path and the target. Readers whose answer rests on
    /// what the input does not hold are drawn dashed.
    public static func vaultReaders(_ readers: [VaultReader], target: String, capability: String) -> GraphView {
        externalSecrets([ExternalTarget(target: "vault:\(target)", readers: readers)], capability: capability, title: "Who can \(capability) vault:\(target)")
    }

    /// One external secret of ``externalSecrets(_:capability:title:)``: its target
    /// (`vault:PATH`, or a store's key), what names it, and its readers (none computed for a
    /// target that is no Vault path).
    public struct ExternalTarget: Sendable {
        public var target: String
        public var namedBy: [String]
        public var readers: [VaultReader]
        /// Why the readers are not known, drawn on the target.
        public var unknownReach: String?

        public init(target: String, namedBy: [String] = [], readers: [VaultReader], unknownReach: String? = nil) {
            self.target = target
            self.namedBy = namedBy
            self.readers = readers
            self.unknownReach = unknownReach
        }
    }

    /// Every external secret path the input names (`secrets --external`), each with who
    /// reaches it as ``vaultReaders(_:target:capability:)`` draws them; the stores, service
    /// accounts, roles and policy paths they share are drawn once. A target whose readers are
    /// not computed (a key of a non-Vault store) or known says so on its node.
    public static func externalSecrets(_ targets: [ExternalTarget], capability: String, title: String) -> GraphView {
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
        for t in targets {
            let targetID = "target:\(t.target)"
            var label = "\(t.target)\n\(capability)"
            if !t.namedBy.isEmpty { label += "\nnamed by " + t.namedBy.joined(separator: "\n") }
            if let why = t.unknownReach { label += "\nreaders unknown: " + why }
            node(targetID, label, shape: "box", fill: t.unknownReach == nil ? "#f4cccc" : "#eeeeee")
            for r in t.readers {
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
                    let what = kind == .clusterExternalSecret ? "create ClusterExternalSecret selecting \(ns)" : "create \(kind.rawValue) in \(ns)"
                    edge(who, storeID, how + what, dashed: dashed)
                    let sa = "id:\(a.login.serviceAccount.notation)"
                    node(sa, a.login.serviceAccount.notation, shape: "ellipse", fill: "#d9ead3")
                    edge(storeID, sa, "logs in as", dashed: dashed)
                    from = sa
                case .storeOfUnknownReach(let store, let ns, let kind, let reason):
                    let storeID = "store:\(store.targetName)"
                    node(storeID, "\(store.kind.rawValue)\n\(store.namespace.map { "\($0)/" } ?? "")\(store.name)", shape: "component", fill: "#fff2cc")
                    let how = r.path.map { p in p.steps.map { $0.kind.rawValue }.joined(separator: " → ") + " → " } ?? ""
                    edge(who, storeID, "\(how)create \(kind.rawValue) in \(ns)", dashed: true)
                    edge(storeID, targetID, "reach unknown: " + reason, dashed: true)
                    continue
                case .credentialSecret(let store, let ns, let name, let reason):
                    let secretID = "secret:\(ns)/\(name)"
                    node(secretID, "Secret \(ns)/\(name)\ncredentials of \(store.targetName)", shape: "cylinder", fill: "#fce5cd")
                    let how = r.path.map { p in p.steps.map { $0.kind.rawValue }.joined(separator: " → ") + " → " } ?? ""
                    edge(who, secretID, how + "read", dashed: true)
                    edge(secretID, targetID, "reach unknown: " + reason, dashed: true)
                    continue
                case .steps(let steps, let a):
                    let how = (r.path.map { p in p.steps.map { $0.kind.rawValue } } ?? [])
                        + steps.filter { $0.kind != .vaultPolicy && $0.kind != .storeLogin }.map { s in
                            // A step taken as another identity: the start's steps to it first.
                            let kind = s.kind.rawValue + (s.condition == nil ? "" : "?")
                            guard let b = s.branch else { return kind }
                            return "(" + b.steps.map { $0.kind.rawValue + ($0.condition == nil ? "" : "?") }.joined(separator: " → ") + ") " + kind
                        }
                    guard let a else {
                        edge(who, targetID, how.joined(separator: " → ") + ": reach unknown", dashed: true)
                        continue
                    }
                    access = a
                    let sa = "id:\(a.login.serviceAccount.notation)"
                    node(sa, a.login.serviceAccount.notation, shape: "ellipse", fill: "#d9ead3")
                    edge(who, sa, how.joined(separator: " → "), dashed: dashed)
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
        }
        let graph = DOTGraph(
            name: "vault", attributes: ["rankdir": "LR", "label": .text(title), "labelloc": "t", "fontname": "Helvetica"],
            nodeDefaults: ["fontname": "Helvetica", "fontsize": 10], edgeDefaults: ["fontname": "Helvetica", "fontsize": 9],
            nodes: nodes, edges: edges)
        return GraphView(graph: graph)
    }
}
