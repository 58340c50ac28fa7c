public import RBACCore

/// `rbacgraph snapshot`: what was read, as one `kind: List` that `-f` loads again with the
/// same answers.
///
/// Every field the loader keeps is written back in the form the loader reads: rules and
/// aggregation rules, role references and subjects, labels and RBAC objects' annotations
/// (`rbac.authorization.kubernetes.io/autoupdate`; never `last-applied-configuration`, which the
/// loader does not keep), service accounts' token settings,
/// secrets' names, types and kept annotations (never values: there are none to write), and
/// of each Pod or workload the pod-spec facts (service account, token mount, node, host
/// namespaces, privileged containers, hostPath volumes, every secret reference and the ConfigMaps
/// taken through the environment, in the
/// order they were found; the Secrets Store CSI volumes' SecretProviderClasses, the Vault Agent
/// injector's annotations, and a container running the External Secrets Operator's controller
/// with its image and `--unsafe-allow-generic-targets` argument), and the External Secrets Operator's objects and SecretProviderClasses
/// (``Cluster/external``, see ``externalObjects(_:)`` for which of their fields). Fields the
/// loader never keeps are not in the snapshot. Vault roles and policies (`--vault DIR`) are
/// not objects of the cluster and are not written.
public enum Snapshot {
    /// The `kind: List`, objects in the order of the cluster's arrays.
    public static func list(_ cluster: Cluster) -> JSONValue {
        var items: [JSONValue] = []
        for r in cluster.roles { items.append(role(r)) }
        for b in cluster.bindings { items.append(binding(b)) }
        for n in cluster.namespaces {
            items.append(object("v1", "Namespace", name: n.name, namespace: nil, labels: n.labels))
        }
        for sa in cluster.serviceAccounts {
            var o = fields(object("v1", "ServiceAccount", name: sa.name, namespace: sa.namespace))
            if let a = sa.automountServiceAccountToken { o.append(("automountServiceAccountToken", .bool(a))) }
            if !sa.secrets.isEmpty { o.append(("secrets", .array(sa.secrets.map { .object([("name", .string($0))]) }))) }
            items.append(.object(o))
        }
        for s in cluster.secrets {
            var o = fields(object("v1", "Secret", name: s.name, namespace: s.namespace, annotations: s.annotations))
            o.append(("type", .string(s.type)))
            items.append(.object(o))
        }
        for w in cluster.workloads { items.append(workload(w)) }
        items += externalObjects(cluster.external)
        return .object([("apiVersion", .string("v1")), ("kind", .string("List")), ("items", .array(items))])
    }

    static func fields(_ v: JSONValue) -> [(String, JSONValue)] {
        if case .object(let f) = v { return f }
        return []
    }

    static func strings(_ a: [String]) -> JSONValue { .array(a.map { .string($0) }) }

    private static func sortedMap(_ m: [String: String]) -> JSONValue {
        .object(m.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    static func object(
        _ apiVersion: String, _ kind: String, name: String, namespace: String?, labels: [String: String] = [:],
        annotations: [String: String] = [:]
    ) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("name", .string(name))]
        if let namespace { metadata.append(("namespace", .string(namespace))) }
        if !labels.isEmpty { metadata.append(("labels", sortedMap(labels))) }
        if !annotations.isEmpty { metadata.append(("annotations", sortedMap(annotations))) }
        return .object([("apiVersion", .string(apiVersion)), ("kind", .string(kind)), ("metadata", .object(metadata))])
    }

    static func rule(_ r: PolicyRule) -> JSONValue {
        var o: [(String, JSONValue)] = []
        if !r.apiGroups.isEmpty { o.append(("apiGroups", strings(r.apiGroups))) }
        if !r.resources.isEmpty { o.append(("resources", strings(r.resources))) }
        if !r.resourceNames.isEmpty { o.append(("resourceNames", strings(r.resourceNames))) }
        if !r.nonResourceURLs.isEmpty { o.append(("nonResourceURLs", strings(r.nonResourceURLs))) }
        o.append(("verbs", strings(r.verbs)))
        return .object(o)
    }

    static func role(_ r: Role) -> JSONValue {
        var o = fields(object(
            "rbac.authorization.k8s.io/v1", r.kind.rawValue, name: r.name, namespace: r.namespace, labels: r.labels,
            annotations: r.annotations))
        if let agg = r.aggregationRule {
            o.append(("aggregationRule", .object([("clusterRoleSelectors", .array(agg.clusterRoleSelectors.map(selector)))])))
        }
        o.append(("rules", .array(r.rules.map(rule))))
        return .object(o)
    }

    static func binding(_ b: Binding) -> JSONValue {
        var o = fields(object(
            "rbac.authorization.k8s.io/v1", b.kind.rawValue, name: b.name, namespace: b.namespace, labels: b.labels,
            annotations: b.annotations))
        o.append(("roleRef", .object([
            ("apiGroup", .string(b.roleRef.apiGroup)), ("kind", .string(b.roleRef.kind)), ("name", .string(b.roleRef.name)),
        ])))
        o.append(("subjects", .array(b.subjects.map { s in
            var x: [(String, JSONValue)] = [("kind", .string(s.kind))]
            if !s.apiGroup.isEmpty { x.append(("apiGroup", .string(s.apiGroup))) }
            x.append(("name", .string(s.name)))
            if !s.namespace.isEmpty { x.append(("namespace", .string(s.namespace))) }
            return .object(x)
        })))
        return .object(o)
    }

    /// The pod spec that decodes to `t`, with the secret references in their order.
    static func podSpec(_ t: PodTemplate) -> JSONValue {
        var spec: [(String, JSONValue)] = [("serviceAccountName", .string(t.serviceAccountName))]
        if let a = t.automountServiceAccountToken { spec.append(("automountServiceAccountToken", .bool(a))) }
        if let n = t.nodeName { spec.append(("nodeName", .string(n))) }
        if t.hostPID { spec.append(("hostPID", .bool(true))) }
        if t.hostNetwork { spec.append(("hostNetwork", .bool(true))) }
        if t.hostIPC { spec.append(("hostIPC", .bool(true))) }

        // Sections in the order their first reference appears: the loader reads them in key order.
        enum Section { case containers, volumes, pullSecrets }
        func section(_ u: SecretReference.Usage) -> Section {
            switch u {
            case .env, .envFrom: return .containers
            case .volume, .projectedVolume: return .volumes
            case .imagePullSecret: return .pullSecrets
            }
        }
        var order: [Section] = []
        for r in t.secretReferences where !order.contains(section(r.usage)) { order.append(section(r.usage)) }
        for s in [Section.containers, .volumes, .pullSecrets] where !order.contains(s) { order.append(s) }

        for s in order {
            switch s {
            case .containers:
                // Consecutive references of one container make one container entry.
                var containers: [(name: String?, refs: [SecretReference])] = []
                for r in t.secretReferences where section(r.usage) == .containers {
                    if let last = containers.last, last.name == r.container {
                        containers[containers.count - 1].refs.append(r)
                    } else {
                        containers.append((r.container, [r]))
                    }
                }
                // The ConfigMaps taken through the environment: containers of their own after
                // those, which keeps each list's order (a container's name may repeat).
                let secretContainers = containers.count
                for r in t.configMapEnvReferences {
                    if containers.count > secretContainers, let last = containers.last, last.name == r.container {
                        containers[containers.count - 1].refs.append(r)
                    } else {
                        containers.append((r.container, [r]))
                    }
                }
                if containers.isEmpty && t.privileged { containers.append(("main", [])) }
                let controller = t.externalSecretsController.map(Self.controllerContainer)
                if containers.isEmpty && controller == nil { continue }
                var list: [JSONValue] = []
                for (i, c) in containers.enumerated() {
                    var o: [(String, JSONValue)] = []
                    if let n = c.name { o.append(("name", .string(n))) }
                    let configMap = i >= secretContainers
                    // env and envFrom, each run in order (a container's env refs come from one key).
                    var keys: [(String, [JSONValue])] = []
                    for r in c.refs {
                        let key = r.usage == .env ? "env" : "envFrom"
                        let entry: JSONValue = r.usage == .env
                            ? .object([("name", .string("\(configMap ? "CONFIG" : "SECRET")_\(keys.reduce(0) { $0 + $1.1.count })")),
                                       ("valueFrom", .object([(configMap ? "configMapKeyRef" : "secretKeyRef", .object([("name", .string(r.name)), ("key", .string("value"))]))]))])
                            : .object([(configMap ? "configMapRef" : "secretRef", .object([("name", .string(r.name))]))])
                        if let k = keys.firstIndex(where: { $0.0 == key }) { keys[k].1.append(entry) } else { keys.append((key, [entry])) }
                    }
                    for (k, v) in keys { o.append((k, .array(v))) }
                    if i == 0 && t.privileged { o.append(("securityContext", .object([("privileged", .bool(true))]))) }
                    list.append(.object(o))
                }
                if let controller { list.append(controller) }
                spec.append(("containers", .array(list)))
            case .volumes:
                var list: [JSONValue] = []
                for (i, r) in t.secretReferences.filter({ section($0.usage) == .volumes }).enumerated() {
                    if r.usage == .volume {
                        list.append(.object([("name", .string("secret-\(i)")), ("secret", .object([("secretName", .string(r.name))]))]))
                    } else {
                        list.append(.object([("name", .string("projected-\(i)")), ("projected", .object([
                            ("sources", .array([.object([("secret", .object([("name", .string(r.name))]))])])),
                        ]))]))
                    }
                }
                if t.projectsServiceAccountToken {
                    list.append(.object([("name", .string("token")), ("projected", .object([
                        ("sources", .array([.object([("serviceAccountToken", .object([("path", .string("token"))]))])])),
                    ]))]))
                }
                if t.hostPathVolumes { list.append(.object([("name", .string("host")), ("hostPath", .object([("path", .string("/"))]))])) }
                for (i, c) in t.secretProviderClasses.enumerated() {
                    list.append(.object([("name", .string("csi-\(i)")), ("csi", .object([
                        ("driver", .string("secrets-store.csi.k8s.io")),
                        ("volumeAttributes", .object([("secretProviderClass", .string(c))])),
                    ]))]))
                }
                if !list.isEmpty { spec.append(("volumes", .array(list))) }
            case .pullSecrets:
                let pulls = t.secretReferences.filter { $0.usage == .imagePullSecret }
                if !pulls.isEmpty { spec.append(("imagePullSecrets", .array(pulls.map { .object([("name", .string($0.name))]) }))) }
            }
        }
        return .object(spec)
    }

    /// The container running the External Secrets Operator's controller: its name, image and
    /// `--unsafe-allow-generic-targets` argument (no other argument).
    static func controllerContainer(_ c: ExternalSecretsController) -> JSONValue {
        var o: [(String, JSONValue)] = []
        if let n = c.container { o.append(("name", .string(n))) }
        if let i = c.image { o.append(("image", .string(i))) }
        if let a = c.genericTargetsArgument { o.append(("args", .array([.string(a)]))) }
        return .object(o)
    }

    static func workload(_ w: Workload) -> JSONValue {
        let apiVersion: String
        switch w.kind {
        case "Pod", "ReplicationController": apiVersion = "v1"
        case "Job", "CronJob": apiVersion = "batch/v1"
        default: apiVersion = "apps/v1"
        }
        // The Vault Agent injector's annotations: on a Pod's metadata, else its template's.
        let vault = w.template.vaultAnnotations
        var o = fields(object(apiVersion, w.kind, name: w.name, namespace: w.namespace, annotations: w.kind == "Pod" ? vault : [:]))
        let spec = podSpec(w.template)
        var template: [(String, JSONValue)] = []
        if !vault.isEmpty { template.append(("metadata", .object([("annotations", sortedMap(vault))]))) }
        template.append(("spec", spec))
        switch w.kind {
        case "Pod": o.append(("spec", spec))
        case "CronJob":
            o.append(("spec", .object([("jobTemplate", .object([("spec", .object([("template", .object(template))]))]))])))
        default: o.append(("spec", .object([("template", .object(template))])))
        }
        return .object(o)
    }
}
