// The Kubernetes conventions the path engine relies on, beyond RBAC: in one place, each with
// where Kubernetes defines it.

/// Names, labels and settings of Kubernetes that the escalation graph reads facts from.
enum KubernetesConventions {
    /// The namespace of the control plane's static pods.
    static let controlPlaneNamespace = "kube-system"

    /// Name prefixes of the control plane's static pods (kubeadm names them
    /// `kube-apiserver-<node>`, `etcd-<node>`, …: `cmd/kubeadm/app/phases/controlplane` and
    /// `etcd` in kubernetes/kubernetes). A node that runs one holds the cluster's credentials.
    static let controlPlanePodPrefixes = ["kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler"]

    /// Whether a pod of the input is a control-plane pod.
    static func isControlPlanePod(_ pod: Workload) -> Bool {
        pod.namespace.isExactly(controlPlaneNamespace) && controlPlanePodPrefixes.contains { pod.name.hasExactPrefix($0) }
    }

    /// The namespace label by which Pod Security admission enforces a level
    /// (`staging/src/k8s.io/pod-security-admission/api/constants.go`).
    static let podSecurityEnforceLabel = "pod-security.kubernetes.io/enforce"

    /// A Pod Security level, as the enforce label names it.
    enum PodSecurityLevel: String {
        /// Anything goes: privileged containers, hostPath volumes and host namespaces are admitted.
        case privileged
        /// Refuses privileged containers, hostPath volumes and host namespaces.
        case baseline
        /// Baseline, and more.
        case restricted
    }

    /// The level a namespace's labels enforce; `nil` when the label is absent (or not a level:
    /// the admission plugin then uses its configured default, which the input does not show).
    static func podSecurityLevel(_ labels: [String: String]?) -> PodSecurityLevel? {
        labels?[podSecurityEnforceLabel].flatMap(PodSecurityLevel.init(rawValue:))
    }

    /// The workload resources whose pods a controller creates from a pod template: creating
    /// one runs pods, changing one's template changes what its pods run and as whom.
    static let workloadResources: [(group: String, resource: String, kind: String)] = [
        ("apps", "deployments", "Deployment"), ("apps", "replicasets", "ReplicaSet"), ("apps", "statefulsets", "StatefulSet"),
        ("apps", "daemonsets", "DaemonSet"), ("batch", "jobs", "Job"), ("batch", "cronjobs", "CronJob"),
        ("", "replicationcontrollers", "ReplicationController"),
    ]

    /// The host namespaces a pod template shares with its node (`hostPID`, `hostNetwork`,
    /// `hostIPC`), as the pod spec names them: each lets the pod's code reach beyond its
    /// container into the node (its processes, its network and local services, its shared
    /// memory), which the baseline Pod Security level forbids for that reason.
    /// Whether `get` on pods/exec, pods/attach and pods/portforward opens the stream, as a
    /// WebSocket upgrade (a GET) did before Kubernetes 1.35, which asks for `create` on both
    /// kinds of request; `nil` when the version is unknown or unreadable.
    /// - Parameter version: `v1.24.0-alpha.1`, `1.35`, …
    static func getOpensPodStreams(kubernetesVersion version: String?) -> Bool? {
        guard var v = version else { return nil }
        if v.hasPrefix("v") { v.removeFirst() }
        let parts = v.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "+" })
        guard parts.count >= 2, let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        return (major, minor) < (1, 35)
    }

    static func hostNamespaces(_ t: PodTemplate) -> [String] {
        var out: [String] = []
        if t.hostPID { out.append("hostPID") }
        if t.hostNetwork { out.append("hostNetwork") }
        if t.hostIPC { out.append("hostIPC") }
        return out
    }
}
