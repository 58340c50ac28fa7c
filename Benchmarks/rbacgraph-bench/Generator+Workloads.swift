// The dump generator's Deployments and Pods.

import Foundation

extension DumpGenerator {
    mutating func deployment(
        _ name: String, namespace: String, spec: PodSpec, replicas: Int, hash: String, labels: [(String, String)],
        rng r: inout SplitMix64
    ) {
        var y = YAMLText(capacity: 16 << 10)
        y.l(0, "- apiVersion: apps/v1")
        y.l(2, "kind: Deployment")
        let created = Self.timestamp(&r)
        let generation = r.int(1, 30)
        let selector = [("app", name)]
        let applied = Self.lastAppliedHead(apiVersion: "apps/v1", kind: "Deployment", name: name, namespace: namespace, labels: labels)
            + ",\"spec\":{\"replicas\":\(replicas),\"selector\":{\"matchLabels\":\(Self.jsonObject(selector))},\"template\":{\"metadata\":{\"labels\":\(Self.jsonObject(labels))},\"spec\":\(Self.podSpecJSON(spec))}}}\n"
        let labelsCopy = labels
        let managed = [
            ManagedField(manager: "kubectl-client-side-apply", apiVersion: "apps/v1", time: created) { y, d in
                DumpGenerator.appliedMetadataFields(&y, d, labels: labelsCopy)
                y.l(d, "f:spec:")
                y.l(d + 2, "f:progressDeadlineSeconds: {}")
                y.l(d + 2, "f:replicas: {}")
                y.l(d + 2, "f:revisionHistoryLimit: {}")
                y.l(d + 2, "f:selector: {}")
                y.l(d + 2, "f:strategy:")
                y.l(d + 4, "f:rollingUpdate:")
                y.l(d + 6, ".: {}")
                y.l(d + 6, "f:maxSurge: {}")
                y.l(d + 6, "f:maxUnavailable: {}")
                y.l(d + 4, "f:type: {}")
                y.l(d + 2, "f:template:")
                y.l(d + 4, "f:metadata:")
                y.l(d + 6, "f:labels:")
                y.l(d + 8, ".: {}")
                for (k, _) in labelsCopy { y.l(d + 8, "f:\(k): {}") }
                y.l(d + 4, "f:spec:")
                DumpGenerator.podSpecFields(&y, spec, d + 6)
            },
            ManagedField(manager: "kube-controller-manager", apiVersion: "apps/v1", subresource: "status", time: Self.timestamp(&r)) { y, d in
                y.l(d, "f:metadata:")
                y.l(d + 2, "f:annotations:")
                y.l(d + 4, "f:deployment.kubernetes.io/revision: {}")
                y.l(d, "f:status:")
                y.l(d + 2, "f:availableReplicas: {}")
                y.l(d + 2, "f:conditions:")
                y.l(d + 4, ".: {}")
                for t in ["Available", "Progressing"] {
                    y.l(d + 4, "k:{\"type\":\"\(t)\"}:")
                    y.l(d + 6, ".: {}")
                    for f in ["lastTransitionTime", "lastUpdateTime", "message", "reason", "status", "type"] {
                        y.l(d + 6, "f:\(f): {}")
                    }
                }
                y.l(d + 2, "f:observedGeneration: {}")
                y.l(d + 2, "f:readyReplicas: {}")
                y.l(d + 2, "f:replicas: {}")
                y.l(d + 2, "f:updatedReplicas: {}")
            },
        ]
        metadata(
            &y, name: name, namespace: namespace, rng: &r, labels: labels,
            annotations: [("deployment.kubernetes.io/revision", String(generation))], lastApplied: applied,
            generation: generation, managed: managed, created: created)
        y.l(2, "spec:")
        y.l(4, "progressDeadlineSeconds: 600")
        y.l(4, "replicas: \(replicas)")
        y.l(4, "revisionHistoryLimit: 10")
        y.l(4, "selector:")
        y.l(6, "matchLabels:")
        y.l(8, "app: \(name)")
        y.l(4, "strategy:")
        y.l(6, "rollingUpdate:")
        y.l(8, "maxSurge: 25%")
        y.l(8, "maxUnavailable: 25%")
        y.l(6, "type: RollingUpdate")
        y.l(4, "template:")
        y.l(6, "metadata:")
        y.l(8, "creationTimestamp: null")
        y.l(8, "labels:")
        for (k, v) in labels { y.kv(10, k, v) }
        y.l(6, "spec:")
        Self.podSpecYAML(&y, spec, 8, runtime: nil)
        let t1 = Self.timestamp(&r), t2 = Self.timestamp(&r)
        y.l(2, "status:")
        y.l(4, "availableReplicas: \(replicas)")
        y.l(4, "conditions:")
        y.kv(4, "- lastTransitionTime", t1)
        y.kv(6, "lastUpdateTime", t1)
        y.l(6, "message: Deployment has minimum availability.")
        y.l(6, "reason: MinimumReplicasAvailable")
        y.l(6, "status: \"True\"")
        y.l(6, "type: Available")
        y.kv(4, "- lastTransitionTime", t2)
        y.kv(6, "lastUpdateTime", t2)
        y.l(6, "message: ReplicaSet \"\(name)-\(hash)\" has successfully progressed.")
        y.l(6, "reason: NewReplicaSetAvailable")
        y.l(6, "status: \"True\"")
        y.l(6, "type: Progressing")
        y.l(4, "observedGeneration: \(generation)")
        y.l(4, "readyReplicas: \(replicas)")
        y.l(4, "replicas: \(replicas)")
        y.l(4, "updatedReplicas: \(replicas)")
        emit(.deployment, y)
    }

    mutating func pod(
        _ name: String, namespace: String, spec: PodSpec, owner: OwnerRef?, generateName: String?,
        labels: [(String, String)], applied: Bool, node: String, rng r: inout SplitMix64
    ) {
        var y = YAMLText(capacity: 16 << 10)
        y.l(0, "- apiVersion: v1")
        y.l(2, "kind: Pod")
        let created = Self.timestamp(&r)
        let started = Self.timestamp(&r)
        let podIP = "10.\(r.int(240, 250)).\(r.int(256)).\(r.int(1, 254))"
        let hostIP = "10.0.\(r.int(256)).\(r.int(1, 254))"
        let labelsCopy = labels
        var managed: [ManagedField] = [
            ManagedField(manager: applied ? "kubectl-client-side-apply" : "kube-controller-manager", apiVersion: "v1", time: created) { y, d in
                if applied {
                    DumpGenerator.appliedMetadataFields(&y, d, labels: labelsCopy)
                } else {
                    y.l(d, "f:metadata:")
                    y.l(d + 2, "f:generateName: {}")
                    y.l(d + 2, "f:labels:")
                    y.l(d + 4, ".: {}")
                    for (k, _) in labelsCopy { y.l(d + 4, "f:\(k): {}") }
                    if let owner {
                        y.l(d + 2, "f:ownerReferences:")
                        y.l(d + 4, ".: {}")
                        y.l(d + 4, "k:{\"uid\":\"\(owner.uid)\"}: {}")
                    }
                }
                y.l(d, "f:spec:")
                DumpGenerator.podSpecFields(&y, spec, d + 2)
            }
        ]
        let containers = spec.containers.map(\.name)
        managed.append(ManagedField(manager: "kubelet", apiVersion: "v1", subresource: "status", time: started) { y, d in
            y.l(d, "f:status:")
            y.l(d + 2, "f:conditions:")
            for t in ["ContainersReady", "Initialized", "PodReadyToStartContainers", "Ready"] {
                y.l(d + 4, "k:{\"type\":\"\(t)\"}:")
                y.l(d + 6, ".: {}")
                y.l(d + 6, "f:lastProbeTime: {}")
                y.l(d + 6, "f:lastTransitionTime: {}")
                y.l(d + 6, "f:status: {}")
                y.l(d + 6, "f:type: {}")
            }
            y.l(d + 2, "f:containerStatuses: {}")
            y.l(d + 2, "f:hostIP: {}")
            y.l(d + 2, "f:hostIPs: {}")
            y.l(d + 2, "f:phase: {}")
            y.l(d + 2, "f:podIP: {}")
            y.l(d + 2, "f:podIPs:")
            y.l(d + 4, ".: {}")
            y.l(d + 4, "k:{\"ip\":\"\(podIP)\"}:")
            y.l(d + 6, ".: {}")
            y.l(d + 6, "f:ip: {}")
            y.l(d + 2, "f:startTime: {}")
            _ = containers
        })
        var lastApplied: String? = nil
        if applied {
            lastApplied = Self.lastAppliedHead(apiVersion: "v1", kind: "Pod", name: name, namespace: namespace, labels: labels)
                + ",\"spec\":\(Self.podSpecJSON(spec))}\n"
        }
        metadata(
            &y, name: name, namespace: namespace, rng: &r, labels: labels,
            annotations: r.chance(0.3) ? [("prometheus.io/port", "9090"), ("prometheus.io/scrape", "true")] : [],
            lastApplied: lastApplied, generateName: generateName, owner: owner, managed: managed, created: created)
        y.l(2, "spec:")
        let token = "kube-api-access-" + Self.suffix(&r, 5)
        Self.podSpecYAML(&y, spec, 4, runtime: (node, token))
        y.l(2, "status:")
        y.l(4, "conditions:")
        for t in ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"] {
            y.l(4, "- lastProbeTime: null")
            y.kv(6, "lastTransitionTime", started)
            y.l(6, "status: \"True\"")
            y.l(6, "type: \(t)")
        }
        y.l(4, "containerStatuses:")
        for c in spec.containers {
            y.l(4, "- containerID: containerd://\(Self.hexString(&r, 64))")
            y.l(6, "image: \(c.image)")
            y.l(6, "imageID: \(c.image.split(separator: ":").first!)@sha256:\(Self.hexString(&r, 64))")
            y.l(6, "lastState: {}")
            y.l(6, "name: \(c.name)")
            y.l(6, "ready: true")
            y.l(6, "restartCount: \(r.chance(0.8) ? 0 : r.int(1, 20))")
            y.l(6, "started: true")
            y.l(6, "state:")
            y.l(8, "running:")
            y.kv(10, "startedAt", started)
        }
        y.l(4, "hostIP: \(hostIP)")
        y.l(4, "hostIPs:")
        y.l(4, "- ip: \(hostIP)")
        y.l(4, "phase: Running")
        y.l(4, "podIP: \(podIP)")
        y.l(4, "podIPs:")
        y.l(4, "- ip: \(podIP)")
        y.l(4, "qosClass: \(Self.qos)")
        y.kv(4, "startTime", started)
        emit(.pod, y)
    }
}
