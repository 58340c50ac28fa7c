extension EscalationGraph {
    /// A node for people: `sa:prod/api`, `run pods in prod`, `hold ClusterRole/admin in dev`, …
    public func describe(_ i: NodeID) -> String {
        switch nodes[i] {
        case .fullAuthority: return "cluster-admin (full authority)"
        case .namespaceAuthority(let ns): return "full authority in namespace \(ns)"
        case .runPods(let s): return s.namespaceName.map { "run pods in \($0)" } ?? "run pods in every namespace"
        case .anyServiceAccount(let s): return s.namespaceName.map { "any service account of \($0)" } ?? "any service account"
        case .runningPods(let s): return s.namespaceName.map { "code in the running pods of \($0)" } ?? "code in every running pod"
        case .workloads(let kind, let s):
            return s.namespaceName.map { "the pod templates of the \(kind)s of \($0)" } ?? "the pod templates of every \(kind)"
        case .secrets(let s): return s.namespaceName.map { "every secret of \($0)" } ?? "every secret"
        case .secret(let ns, let name): return "secret \(ns)/\(name)"
        case .nodes: return "nodes (kubelet, host)"
        case .holder(let r, let scope):
            let role = access.roles[r].displayName
            switch scope {
            case .cluster: return "hold \(role) cluster-wide"
            case .everyNamespace: return "hold \(role) in every namespace"
            case .namespace(let ns): return "hold \(role) in \(ns)"
            }
        default: return nodes[i].description
        }
    }

    /// A node in the notation paths print and `--to` reads back (``PathTarget/parse(_:)``):
    /// `sa:prod/api`, `run-pods:dev`, `secret:prod/*`, `holder:ClusterRole/view@dev` (a role by
    /// its display name, not its index).
    public func notation(_ i: NodeID) -> String {
        switch nodes[i] {
        case .holder(let r, let scope): return "holder:\(access.roles[r].displayName)@\(scope)"
        default: return nodes[i].description
        }
    }

    /// The grants of a step, for people: `RoleBinding/prod/ci → Role/prod/deployer #0 (create deployments.apps)`.
    public func describe(_ e: StepEvidence) -> String {
        let role = access.roles[e.role].displayName
        let via = e.binding.map { access.bindings[$0].displayName + " → " } ?? "(a binding you create) → "
        return "\(via)\(role) rule \(e.ruleIndex): \(e.purpose)"
    }
}
