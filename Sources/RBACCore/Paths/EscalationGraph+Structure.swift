// The structural steps: what follows from how Kubernetes works, not from a grant (group
// membership, running a pod as a service account, nodes, token secrets, …).

extension EscalationGraph.Builder {
    func structuralEdges() {
        let authenticated = node(.group(Identity.authenticatedGroup))
        let full = node(.fullAuthority)
        edge(node(.group(Identity.mastersGroup)), full, .systemMasters)
        for g in groups where !g.isExactly(Identity.authenticatedGroup) && !g.isExactly(Identity.unauthenticatedGroup) {
            edge(node(.group(g)), authenticated, .publicBinding)
        }
        for u in users {
            if u.isExactly(Identity.anonymousUser) {
                edge(node(.user(u)), node(.group(Identity.unauthenticatedGroup)), .publicBinding)
            } else {
                edge(node(.user(u)), authenticated, .publicBinding)
            }
        }
        // Anyone may also send a request without credentials: what the anonymous user (and
        // so system:unauthenticated) is granted, every identity holds.
        edge(authenticated, node(.user(Identity.anonymousUser)), .publicBinding)
        let allPods = node(.runPods(in: .everyNamespace))
        let allSecrets = node(.secrets(in: .everyNamespace))
        let allServiceAccounts = node(.anyServiceAccount(in: .everyNamespace))
        edge(allPods, allServiceAccounts, .runAs)
        edge(allPods, allSecrets, .mountSecrets)
        let nodesNode = node(.nodes)
        let controlPlaneNodes = controlPlanePodsByNode()
        for ns in namespaces {
            let pods = node(.runPods(in: .namespace(ns)))
            let secrets = node(.secrets(in: .namespace(ns)))
            let anySA = node(.anyServiceAccount(in: .namespace(ns)))
            edge(allPods, pods, .everyNamespace)
            edge(allSecrets, secrets, .everyNamespace)
            edge(allServiceAccounts, anySA, .everyNamespace)
            edge(pods, anySA, .runAs, namespace: ns)
            let admin = node(.namespaceAuthority(ns))
            edge(admin, pods, .namespaceAdmin, namespace: ns)
            edge(admin, secrets, .namespaceAdmin, namespace: ns)
            for sa in serviceAccounts[ns] ?? [] {
                let s = node(.serviceAccount(namespace: ns, name: sa))
                edge(s, node(.group(ServiceAccountName.allServiceAccountsGroup)), .memberOf)
                edge(s, node(.group(ServiceAccountName.namespaceGroup(ns))), .memberOf)
                edge(s, authenticated, .publicBinding)
                edge(anySA, s, .eachServiceAccount, namespace: ns)
            }
            edge(pods, secrets, .mountSecrets, namespace: ns)
            edge(pods, nodesNode, .privilegedPod, namespace: ns, condition: privilegedPodCondition(ns))
            // Legacy token secrets: the input shows them, or may not hold the secrets at all.
            let loaded = secretsByNamespace[ns] ?? []
            if !loaded.contains(where: { $0.tokenServiceAccount != nil }) {
                edge(secrets, anySA, .readToken, namespace: ns, condition: PathCondition(
                    "a legacy service-account token secret exists in \(ns)",
                    observed: g.secrets.isEmpty ? nil : false))
            }
            for secret in loaded {
                let s = node(.secret(namespace: ns, name: secret.name))
                edge(secrets, s, .containsSecret, namespace: ns)
                if let sa = secret.tokenServiceAccount {
                    edge(s, node(.serviceAccount(namespace: ns, name: sa)), .readToken, namespace: ns)
                }
            }
        }
        // The running pods of a namespace hold their service accounts' tokens.
        let allRunning = node(.runningPods(in: .everyNamespace))
        let serviceAccountObjects = Dictionary(g.serviceAccounts.map { ($0.serviceAccountName, $0) }, uniquingKeysWith: { a, _ in a })
        /// One pod or workload per service account of `ns`, in input order: the first that
        /// mounts its token, else the first.
        func tokenHolders(_ list: [Workload], _ ns: String) -> [Workload] {
            var chosen: [String: Int] = [:]
            var out: [Workload] = []
            for w in list {
                let sa = w.template.serviceAccountName
                let mounts = w.template.mountsToken(serviceAccount: serviceAccountObjects[ServiceAccountName(namespace: ns, name: sa)])
                if let i = chosen[sa] {
                    if mounts && !out[i].template.mountsToken(serviceAccount: serviceAccountObjects[ServiceAccountName(namespace: ns, name: sa)]) { out[i] = w }
                } else {
                    chosen[sa] = out.count
                    out.append(w)
                }
            }
            return out
        }
        for ns in namespaces {
            let running = node(.runningPods(in: .namespace(ns)))
            edge(allRunning, running, .everyNamespace)
            let pods = podsByNamespace[ns] ?? []
            if pods.isEmpty {
                edge(running, node(.anyServiceAccount(in: .namespace(ns))), .podToken, namespace: ns, condition: PathCondition(
                    "a pod runs as the service account (the input has no pods in \(ns))", observed: nil))
                // Workloads without their pods (manifests): each runs pods as its template says.
                // One edge per service account, from a workload that mounts its token if any does.
                for w in tokenHolders(workloadsByNamespace[ns] ?? [], ns) {
                    let sa = w.template.serviceAccountName
                    let automount = w.template.mountsToken(serviceAccount: serviceAccountObjects[ServiceAccountName(namespace: ns, name: sa)])
                    edge(running, node(.serviceAccount(namespace: ns, name: sa)), .podToken, namespace: ns,
                        condition: automount
                            ? PathCondition("a pod of \(w.kind) \(ns)/\(w.name) is running (the input shows the \(w.kind), not its pods)", observed: true)
                            : PathCondition("a pod of \(w.kind) \(ns)/\(w.name) mounts its token (automountServiceAccountToken is false)", observed: false))
                }
            }
            // A running pod that is privileged holds its node; one that mounts a hostPath
            // volume may (the input shows the mount, not whether the path exposes the node).
            let here = workloadsByNamespace[ns] ?? []
            if let host = here.first(where: { $0.template.privileged }) ?? here.first(where: { $0.template.hostPathVolumes }) {
                let pod = "\(host.kind == "Pod" ? "pod" : "a pod of \(host.kind)") \(ns)/\(host.name)"
                edge(running, nodesNode, .privilegedPod, namespace: ns, condition: host.template.privileged
                    ? PathCondition("\(pod) is privileged (the input shows it)", observed: true)
                    : PathCondition("\(pod) mounts a hostPath volume that exposes its node (the input shows the mount, not the path)", observed: nil))
            }
            // One that shares a namespace of its node (hostPID, hostNetwork, hostIPC) may reach
            // the node too: its processes, its network and local services, its shared memory.
            if let shared = here.first(where: { !KubernetesConventions.hostNamespaces($0.template).isEmpty }) {
                let pod = "\(shared.kind == "Pod" ? "pod" : "a pod of \(shared.kind)") \(ns)/\(shared.name)"
                let names = KubernetesConventions.hostNamespaces(shared.template).joined(separator: ", ")
                edge(running, nodesNode, .hostNamespacePod, namespace: ns, condition: PathCondition(
                    "\(pod) shares its node's namespaces (\(names)) and that exposes the node (the input shows the setting, not what the node runs)",
                    observed: nil))
            }
            // One of them pinned (spec.nodeName) to a node that runs a control-plane pod of the
            // input holds the control plane itself: no need to control just any node.
            if let (pinned, controlPlane) = hostPodOnControlPlaneNode(here, controlPlaneNodes) {
                edge(running, full, .controlPlanePod, namespace: ns, condition: controlPlanePodCondition(pinned, on: controlPlane))
            }
            // Code in a running pod reads the secrets it mounts or takes as environment
            // variables (not image-pull secrets, which only the kubelet sees).
            let running_ = (pods.isEmpty ? (workloadsByNamespace[ns] ?? []) : pods)
            var seenSecrets = Set<String>()
            for w in running_ {
                for ref in w.template.secretReferences where ref.usage != .imagePullSecret && seenSecrets.insert(ref.name).inserted {
                    edge(running, node(.secret(namespace: ns, name: ref.name)), .podSecret, namespace: ns,
                        condition: w.kind == "Pod" ? nil : PathCondition(
                            "a pod of \(w.kind) \(ns)/\(w.name) is running (the input shows the \(w.kind), not its pods)", observed: true))
                }
            }
            for pod in tokenHolders(pods, ns) {
                let sa = pod.template.serviceAccountName
                let automount = pod.template.mountsToken(serviceAccount: serviceAccountObjects[ServiceAccountName(namespace: ns, name: sa)])
                edge(running, node(.serviceAccount(namespace: ns, name: sa)), .podToken, namespace: ns,
                    condition: automount ? nil : PathCondition(
                        "pod \(ns)/\(pod.name) mounts its token (automountServiceAccountToken is false)", observed: false))
            }
        }
        // Existing workloads: changing their pod template runs pods as any service account.
        let anyWorkload = !g.workloads.contains { $0.kind != "Pod" }  // none in the input: unknown
        for w in KubernetesConventions.workloadResources {
            let all = node(.workloads(kind: w.kind, in: .everyNamespace))
            for ns in namespaces {
                let existing = (workloadsByNamespace[ns] ?? []).first { $0.kind == w.kind }
                guard existing != nil || anyWorkload else { continue }
                let here = node(.workloads(kind: w.kind, in: .namespace(ns)))
                edge(all, here, .everyNamespace)
                edge(here, node(.runPods(in: .namespace(ns))), .podTemplate, namespace: ns,
                    condition: existing == nil ? PathCondition("a \(w.kind) exists in \(ns) (the input has no workloads)", observed: nil) : nil)
            }
        }
        // Controlling nodes gives the tokens of the pods there, and full authority where
        // control-plane pods run.
        edge(nodesNode, allRunning, .nodePods, condition: PathCondition("the pods you want run on the nodes you control", observed: nil))
        let controlPlane = (podsByNamespace[KubernetesConventions.controlPlaneNamespace] ?? [])
            .first(where: KubernetesConventions.isControlPlanePod)
        edge(
            nodesNode, full, .controlPlaneNode,
            condition: PathCondition(
                controlPlane.map { "a node you control runs control-plane pods (kube-system/\($0.name) is in the input)" }
                    ?? "a node you control runs control-plane pods",
                observed: controlPlane != nil ? true : nil))
    }

    /// The input's control-plane pods (``KubernetesConventions/isControlPlanePod(_:)``) by the
    /// node they are pinned to (`spec.nodeName`), the first of each node.
    func controlPlanePodsByNode() -> [String: Workload] {
        var out: [String: Workload] = [:]
        for pod in podsByNamespace[KubernetesConventions.controlPlaneNamespace] ?? [] where KubernetesConventions.isControlPlanePod(pod) {
            guard let n = pod.template.nodeName, !n.isEmpty, out[n] == nil else { continue }
            out[n] = pod
        }
        return out
    }

    /// The first pod or workload of `workloads` that reaches its node (privileged first, then
    /// a hostPath volume or a host namespace) and is pinned to a node running a control-plane
    /// pod, with that pod.
    func hostPodOnControlPlaneNode(_ workloads: [Workload], _ controlPlane: [String: Workload]) -> (Workload, Workload)? {
        func onControlPlane(_ w: Workload) -> Workload? { w.template.nodeName.flatMap { controlPlane[$0] } }
        let reaching = workloads.filter { $0.template.privileged } + workloads.filter {
            !$0.template.privileged && ($0.template.hostPathVolumes || !KubernetesConventions.hostNamespaces($0.template).isEmpty)
        }
        for w in reaching { if let cp = onControlPlane(w) { return (w, cp) } }
        return nil
    }

    /// Why a pinned pod holds the control plane: shown true when it is privileged, not shown
    /// when it mounts a hostPath volume or shares host namespaces (as for any node).
    func controlPlanePodCondition(_ w: Workload, on controlPlane: Workload) -> PathCondition {
        let pod = "\(w.kind == "Pod" ? "pod" : "a pod of \(w.kind)") \(w.namespace)/\(w.name)"
        let node = w.template.nodeName ?? ""
        let there = "\(pod) runs on node \(node) (spec.nodeName), as the control-plane pod \(controlPlane.namespace)/\(controlPlane.name) does,"
        if w.template.privileged {
            return PathCondition("\(there) and is privileged (the input shows both)", observed: true)
        }
        if w.template.hostPathVolumes {
            return PathCondition("\(there) and mounts a hostPath volume that exposes the node (the input shows the mount, not the path)", observed: nil)
        }
        let names = KubernetesConventions.hostNamespaces(w.template).joined(separator: ", ")
        return PathCondition(
            "\(there) and shares its node's namespaces (\(names)) and that exposes the node (the input shows the setting, not what the node runs)",
            observed: nil)
    }

    /// Pod Security admission decides whether privileged pods run in a namespace.
    func privilegedPodCondition(_ ns: String) -> PathCondition {
        switch KubernetesConventions.podSecurityLevel(namespaceLabels[ns]) {
        case .privileged:
            return PathCondition("privileged or hostPath pods are admitted in \(ns) (Pod Security: privileged)", observed: true)
        case let level? /* baseline, restricted */:
            return PathCondition("privileged or hostPath pods are admitted in \(ns) (Pod Security enforces \(level.rawValue))", observed: false)
        case nil:
            return PathCondition("privileged or hostPath pods are admitted in \(ns) (no Pod Security label in the input)", observed: nil)
        }
    }
}
