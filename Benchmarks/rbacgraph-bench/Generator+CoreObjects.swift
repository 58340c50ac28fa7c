// The dump generator's namespaces, service accounts, secrets and config maps.

import Foundation

extension DumpGenerator {
    mutating func namespaceObject(_ name: String, labels extra: [(String, String)], rng r: inout SplitMix64) {
        var y = YAMLText(capacity: 4096)
        y.l(0, "- apiVersion: v1")
        y.l(2, "kind: Namespace")
        let labels = extra + [("kubernetes.io/metadata.name", name)]
        let created = Self.timestamp(&r)
        let applied = extra.isEmpty ? nil : Self.lastAppliedHead(apiVersion: "v1", kind: "Namespace", name: name, namespace: nil, labels: extra) + "}\n"
        var managed: [ManagedField] = []
        if applied != nil {
            let extraCopy = extra
            managed.append(ManagedField(manager: "kubectl-client-side-apply", apiVersion: "v1", time: created) { y, d in
                DumpGenerator.appliedMetadataFields(&y, d, labels: extraCopy)
            })
        }
        managed.append(ManagedField(manager: "kube-apiserver", apiVersion: "v1", time: created) { y, d in
            y.l(d, "f:metadata:")
            y.l(d + 2, "f:labels:")
            y.l(d + 4, ".: {}")
            y.l(d + 4, "f:kubernetes.io/metadata.name: {}")
        })
        metadata(&y, name: name, namespace: nil, rng: &r, labels: labels, lastApplied: applied, managed: managed, created: created)
        y.l(2, "spec:")
        y.l(4, "finalizers:")
        y.l(4, "- kubernetes")
        y.l(2, "status:")
        y.l(4, "phase: Active")
        emit(.namespace, y)
    }

    mutating func serviceAccount(
        _ name: String, namespace: String, tokenSecret: String?, automount: Bool?, annotations: [(String, String)] = [],
        applied: Bool, rng r: inout SplitMix64
    ) {
        var y = YAMLText(capacity: 4096)
        y.l(0, "- apiVersion: v1")
        if let automount { y.l(2, "automountServiceAccountToken: \(automount)") }
        y.l(2, "kind: ServiceAccount")
        let created = Self.timestamp(&r)
        var managed: [ManagedField] = []
        var lastApplied: String? = nil
        if applied {
            let extra = ""
            var head = Self.lastAppliedHead(apiVersion: "v1", kind: "ServiceAccount", name: name, namespace: namespace, labels: [], extraFields: automount.map { ",\"automountServiceAccountToken\":\($0)" } ?? extra)
            head += "}\n"
            lastApplied = head
            let annotationKeys = annotations.map(\.0)
            let hasAutomount = automount != nil
            managed.append(ManagedField(manager: "kubectl-client-side-apply", apiVersion: "v1", time: created) { y, d in
                if hasAutomount { y.l(d, "f:automountServiceAccountToken: {}") }
                DumpGenerator.appliedMetadataFields(&y, d, labels: [], extraAnnotations: annotationKeys)
            })
        }
        if tokenSecret != nil {
            managed.append(ManagedField(manager: "kube-controller-manager", apiVersion: "v1", time: created) { y, d in
                y.l(d, "f:secrets:")
                y.l(d + 2, ".: {}")
                y.l(d + 2, "k:{\"name\":\"\(tokenSecret!)\"}: {}")
            })
        }
        if managed.isEmpty {
            managed.append(ManagedField(manager: "kube-controller-manager", apiVersion: "v1", time: created) { _, _ in })
        }
        metadata(&y, name: name, namespace: namespace, rng: &r, annotations: annotations, lastApplied: lastApplied, managed: managed, created: created)
        if let tokenSecret {
            y.l(2, "secrets:")
            y.l(2, "- name: \(tokenSecret)")
        }
        emit(.serviceAccount, y)
    }

    mutating func secret(
        _ name: String, namespace: String, type: String, data: [(String, String)], labels: [(String, String)] = [],
        annotations: [(String, String)] = [], applied: Bool, manager: String = "kubectl-client-side-apply",
        rng r: inout SplitMix64
    ) {
        dataObject(name, namespace: namespace, type: type, data: data, labels: labels, annotations: annotations, applied: applied, manager: manager, rng: &r)
    }

    mutating func configMap(
        _ name: String, namespace: String, data: [(String, String)], labels: [(String, String)] = [],
        annotations: [(String, String)] = [], applied: Bool, manager: String = "kubectl-client-side-apply",
        rng r: inout SplitMix64
    ) {
        dataObject(name, namespace: namespace, type: nil, data: data, labels: labels, annotations: annotations, applied: applied, manager: manager, rng: &r)
    }

    /// A Secret of `type` (its data base64, written as is), or with no type a ConfigMap (its
    /// data text, quoted where YAML needs it, multi-line values as literal blocks), as the API
    /// server returns them: the object the client applied (`applied`) or one a controller wrote.
    private mutating func dataObject(
        _ name: String, namespace: String, type: String?, data: [(String, String)], labels: [(String, String)],
        annotations: [(String, String)], applied: Bool, manager: String, rng r: inout SplitMix64
    ) {
        let kind = type == nil ? "ConfigMap" : "Secret"
        var y = YAMLText(capacity: 8192)
        y.l(0, "- apiVersion: v1")
        y.l(2, "data:")
        for (k, v) in data {
            if type != nil { y.l(4, "\(k): \(v)") } else if v.hasSuffix("\n") { y.block(4, k, v) } else { y.kv(4, k, v) }
        }
        y.l(2, "kind: \(kind)")
        let created = Self.timestamp(&r)
        var lastApplied: String? = nil
        if applied {
            lastApplied = Self.lastAppliedHead(apiVersion: "v1", kind: kind, name: name, namespace: namespace, labels: labels, extraFields: ",\"data\":" + Self.jsonObject(data))
                + (type.map { ",\"type\":\"\($0)\"" } ?? "") + "}\n"
        }
        let keys = data.map(\.0)
        let labelsCopy = labels
        let annotationKeys = annotations.map(\.0)
        let managed = ManagedField(manager: manager, apiVersion: "v1", time: created) { y, d in
            y.l(d, "f:data:")
            y.l(d + 2, ".: {}")
            for k in keys { y.l(d + 2, "f:\(k): {}") }
            if applied {
                DumpGenerator.appliedMetadataFields(&y, d, labels: labelsCopy)
            } else if !annotationKeys.isEmpty || !labelsCopy.isEmpty {
                y.l(d, "f:metadata:")
                if !annotationKeys.isEmpty {
                    y.l(d + 2, "f:annotations:")
                    y.l(d + 4, ".: {}")
                    for a in annotationKeys { y.l(d + 4, "f:\(a): {}") }
                }
                if !labelsCopy.isEmpty {
                    y.l(d + 2, "f:labels:")
                    y.l(d + 4, ".: {}")
                    for (k, _) in labelsCopy { y.l(d + 4, "f:\(k): {}") }
                }
            }
            if type != nil { y.l(d, "f:type: {}") }
        }
        metadata(&y, name: name, namespace: namespace, rng: &r, labels: labels, annotations: annotations, lastApplied: lastApplied, managed: [managed], created: created)
        if let type { y.l(2, "type: \(type)") }
        emit(type == nil ? .configMap : .secret, y)
    }
}
