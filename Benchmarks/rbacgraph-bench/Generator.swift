import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a synthetic cluster dump shaped like
/// `kubectl get namespaces,serviceaccounts,roles,clusterroles,rolebindings,clusterrolebindings,pods,deployments,secrets,configmaps -A -o yaml`:
/// one `kind: List` document whose items carry the metadata real clusters return
/// (managedFields with large `fieldsV1`, last-applied-configuration annotations, uids,
/// resourceVersions, timestamps, statuses).
///
/// The cluster grows namespace by namespace (each a team's application: deployments and
/// their pods, service accounts, secrets, config maps, Roles and RoleBindings, now and then
/// an operator with cluster-wide RBAC) until the text reaches the requested size. Same seed,
/// same bytes.
struct DumpGenerator {
    enum Kind: Int, CaseIterable {
        case namespace, serviceAccount, role, clusterRole, roleBinding, clusterRoleBinding
        case pod, deployment, secret, configMap

        var name: String {
            switch self {
            case .namespace: return "Namespace"
            case .serviceAccount: return "ServiceAccount"
            case .role: return "Role"
            case .clusterRole: return "ClusterRole"
            case .roleBinding: return "RoleBinding"
            case .clusterRoleBinding: return "ClusterRoleBinding"
            case .pod: return "Pod"
            case .deployment: return "Deployment"
            case .secret: return "Secret"
            case .configMap: return "ConfigMap"
            }
        }

        var isRBAC: Bool { self == .role || self == .clusterRole || self == .roleBinding || self == .clusterRoleBinding }
    }

    /// What was written.
    struct Summary {
        var bytes = 0
        var counts: [Kind: Int] = [:]
        var namespaces: Int { counts[.namespace] ?? 0 }
        var items: Int { counts.values.reduce(0, +) }
        var rbacItems: Int { counts.filter { $0.key.isRBAC }.values.reduce(0, +) }
        var seconds = 0.0
    }

    let targetBytes: Int
    let seed: UInt64
    /// Keep only Roles, ClusterRoles and their bindings (`kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml`):
    /// the cluster is generated as usual and every other object dropped, until the RBAC
    /// objects alone reach the target size.
    let rbacOnly: Bool

    private var buffers: [String]
    private var counts: [Int]
    private var rng: SplitMix64
    private var resourceVersion = 41_000_000
    let users: [String]
    let teams: [String]
    var usedNamespaces = Set<String>()

    init(targetBytes: Int, seed: UInt64, rbacOnly: Bool = false) {
        self.targetBytes = targetBytes
        self.seed = seed
        self.rbacOnly = rbacOnly
        buffers = Kind.allCases.map { _ in
            var s = ""
            s.reserveCapacity(targetBytes / 8)
            return s
        }
        counts = Array(repeating: 0, count: Kind.allCases.count)
        rng = SplitMix64(seed: seed, stream: 0)
        let mb = max(1, targetBytes >> 20)
        var r = SplitMix64(seed: seed, stream: 1)
        var us = Set<String>()
        var users: [String] = []
        while users.count < 40 + mb {
            let u = "\(r.pick(Names.first)).\(r.pick(Names.last))@example.com"
            if us.insert(u).inserted { users.append(u) }
        }
        self.users = users
        var teams = Names.teams
        var i = 2
        while teams.count < 20 + mb / 5 {
            teams.append(contentsOf: Names.teams.map { "\($0)\(i)" })
            i += 1
        }
        self.teams = teams
    }

    /// Generates the dump and writes it to `path` (through a temporary file, renamed at the end).
    static func write(sizeMB: Int, seed: UInt64, rbacOnly: Bool = false, to path: String) throws -> Summary {
        let start = Date()
        var g = DumpGenerator(targetBytes: sizeMB << 20, seed: seed, rbacOnly: rbacOnly)
        g.generate()
        let tmp = path + ".tmp-\(getpid())"
        guard let f = fopen(tmp, "wb") else {
            throw BenchError("cannot create \(tmp): \(String(cString: strerror(errno)))")
        }
        var summary = Summary()
        func put(_ s: inout String) throws {
            let n = s.withUTF8 { fwrite($0.baseAddress, 1, $0.count, f) }
            if n != s.utf8.count { throw BenchError("write error on \(tmp)") }
            summary.bytes += n
        }
        var header = "apiVersion: v1\nitems:\n"
        try put(&header)
        for k in Kind.allCases {
            try put(&g.buffers[k.rawValue])
            g.buffers[k.rawValue] = ""
            summary.counts[k] = g.counts[k.rawValue]
        }
        var footer = "kind: List\nmetadata:\n  resourceVersion: \"\"\n"
        try put(&footer)
        if fclose(f) != 0 { throw BenchError("write error on \(tmp)") }
        if rename(tmp, path) != 0 { throw BenchError("cannot rename \(tmp) to \(path)") }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    private var total: Int { buffers.reduce(0) { $0 + $1.utf8.count } }

    mutating func generate() {
        systemObjects()
        var index = 0
        // Cluster-scoped and header bytes are small next to a namespace: stop at the target.
        while total < targetBytes - 2048 {
            index += 1
            var r = SplitMix64(seed: seed, stream: UInt64(1000 + index))
            tenantNamespace(index: index, rng: &r)
        }
    }

    // MARK: Shared pieces

    private mutating func emit(_ kind: Kind, _ y: YAMLText) {
        if rbacOnly && !kind.isRBAC { return }
        buffers[kind.rawValue] += y.s
        counts[kind.rawValue] += 1
    }

    private mutating func nextResourceVersion() -> String {
        resourceVersion += 1 + rng.int(300)
        return String(resourceVersion)
    }

    static func uuid(_ r: inout SplitMix64) -> String {
        let a = r.next(), b = r.next()
        var bytes = [UInt8](repeating: 0, count: 36)
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var j = 0
        for i in 0..<32 {
            if i == 8 || i == 12 || i == 16 || i == 20 {
                bytes[j] = 45
                j += 1
            }
            let word = i < 16 ? a : b
            var nibble = Int((word >> UInt64((i % 16) * 4)) & 0xF)
            if i == 12 { nibble = 4 }  // version 4
            if i == 16 { nibble = 8 | (nibble & 3) }
            bytes[j] = hex[nibble]
            j += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hexString(_ r: inout SplitMix64, _ count: Int) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: count)
        var w = r.next()
        for i in 0..<count {
            if i % 16 == 0 && i > 0 { w = r.next() }
            bytes[i] = hex[Int(w & 0xF)]
            w >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The characters Kubernetes uses in generated name suffixes.
    static func suffix(_ r: inout SplitMix64, _ count: Int) -> String {
        let alphabet: [UInt8] = Array("bcdfghjklmnpqrstvwxz2456789".utf8)
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count { bytes[i] = alphabet[r.int(alphabet.count)] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Random base64 text of about `count` characters (a multiple of 4).
    static func base64(_ r: inout SplitMix64, _ count: Int) -> String {
        let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let n = max(4, count / 4 * 4)
        var bytes = [UInt8](repeating: 0, count: n)
        var w = r.next()
        var left = 10
        for i in 0..<n {
            if left == 0 {
                w = r.next()
                left = 10
            }
            bytes[i] = alphabet[Int(w & 63)]
            w >>= 6
            left -= 1
        }
        if r.chance(0.5) { bytes[n - 1] = 61 }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func timestamp(_ r: inout SplitMix64, year: Int = 2024) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(year)-\(two(r.int(1, 12)))-\(two(r.int(1, 28)))T\(two(r.int(24))):\(two(r.int(60))):\(two(r.int(60)))Z"
    }

    /// One managedFields entry; `fields` writes the fieldsV1 content at the depth it is given.
    struct ManagedField {
        var manager: String
        var apiVersion: String
        var subresource: String? = nil
        var time: String
        var fields: (inout YAMLText, Int) -> Void
    }

    struct OwnerRef {
        var apiVersion: String
        var kind: String
        var name: String
        var uid: String
    }

    /// The `metadata:` block (at depth 2), keys in kubectl's order.
    mutating func metadata(
        _ y: inout YAMLText, name: String, namespace: String?, rng r: inout SplitMix64,
        labels: [(String, String)] = [], annotations: [(String, String)] = [], lastApplied: String? = nil,
        generateName: String? = nil, generation: Int? = nil, owner: OwnerRef? = nil,
        managed: [ManagedField], created: String
    ) {
        y.l(2, "metadata:")
        if !annotations.isEmpty || lastApplied != nil {
            y.l(4, "annotations:")
            var all = annotations
            if let lastApplied { all.append(("kubectl.kubernetes.io/last-applied-configuration", lastApplied)) }
            all.sort { $0.0 < $1.0 }
            for (k, v) in all {
                if v.hasSuffix("\n") { y.block(6, k, v) } else { y.kv(6, k, v) }
            }
        }
        y.kv(4, "creationTimestamp", created)
        if let generateName { y.l(4, "generateName: \(generateName)") }
        if let generation { y.l(4, "generation: \(generation)") }
        if !labels.isEmpty {
            y.l(4, "labels:")
            for (k, v) in labels.sorted(by: { $0.0 < $1.0 }) { y.kv(6, k, v) }
        }
        y.l(4, "managedFields:")
        for m in managed {
            y.l(4, "- apiVersion: \(m.apiVersion)")
            y.l(6, "fieldsType: FieldsV1")
            y.l(6, "fieldsV1:")
            m.fields(&y, 8)
            y.l(6, "manager: \(m.manager)")
            y.l(6, "operation: Update")
            if let s = m.subresource { y.l(6, "subresource: \(s)") }
            y.kv(6, "time", m.time)
        }
        y.l(4, "name: \(name)")
        if let namespace { y.l(4, "namespace: \(namespace)") }
        if let owner {
            y.l(4, "ownerReferences:")
            y.l(4, "- apiVersion: \(owner.apiVersion)")
            y.l(6, "blockOwnerDeletion: true")
            y.l(6, "controller: true")
            y.l(6, "kind: \(owner.kind)")
            y.l(6, "name: \(owner.name)")
            y.l(6, "uid: \(owner.uid)")
        }
        y.kv(4, "resourceVersion", nextResourceVersion())
        y.l(4, "uid: \(Self.uuid(&r))")
    }

    /// fieldsV1 for metadata written by `kubectl apply`: the annotation and the labels.
    static func appliedMetadataFields(_ y: inout YAMLText, _ d: Int, labels: [(String, String)], extraAnnotations: [String] = []) {
        y.l(d, "f:metadata:")
        y.l(d + 2, "f:annotations:")
        y.l(d + 4, ".: {}")
        for a in extraAnnotations.sorted() { y.l(d + 4, "f:\(a): {}") }
        y.l(d + 4, "f:kubectl.kubernetes.io/last-applied-configuration: {}")
        if !labels.isEmpty {
            y.l(d + 2, "f:labels:")
            y.l(d + 4, ".: {}")
            for (k, _) in labels.sorted(by: { $0.0 < $1.0 }) { y.l(d + 4, "f:\(k): {}") }
        }
    }

    static func jsonObject(_ pairs: [(String, String)]) -> String {
        "{" + pairs.sorted { $0.0 < $1.0 }.map { "\(YAMLText.json($0.0)):\(YAMLText.json($0.1))" }.joined(separator: ",") + "}"
    }

    /// `{"apiVersion":…,"kind":…,"metadata":{…}` — the caller appends the rest and `}\n`.
    static func lastAppliedHead(apiVersion: String, kind: String, name: String, namespace: String?, labels: [(String, String)], extraFields: String = "") -> String {
        var meta = "{\"annotations\":{}"
        if !labels.isEmpty { meta += ",\"labels\":" + jsonObject(labels) }
        meta += ",\"name\":\(YAMLText.json(name))"
        if let namespace { meta += ",\"namespace\":\(YAMLText.json(namespace))" }
        meta += "}"
        return "{\"apiVersion\":\"\(apiVersion)\"\(extraFields),\"kind\":\"\(kind)\",\"metadata\":\(meta)"
    }

    // MARK: RBAC

    struct Rule {
        var groups: [String] = []
        var resources: [String] = []
        var names: [String] = []
        var verbs: [String]
        var urls: [String] = []

        static func r(_ groups: [String], _ resources: [String], _ verbs: [String], names: [String] = []) -> Rule {
            Rule(groups: groups, resources: resources, names: names, verbs: verbs)
        }
        static func url(_ urls: [String], _ verbs: [String]) -> Rule { Rule(verbs: verbs, urls: urls) }

        func yaml(_ y: inout YAMLText, _ d: Int) {
            var first = true
            func key(_ k: String) {
                y.l(d, (first ? "- " : "  ") + k + ":")
                first = false
            }
            func items(_ a: [String]) { for i in a { y.l(d, "  - " + YAMLText.scalar(i)) } }
            if !urls.isEmpty {
                key("nonResourceURLs")
                items(urls)
            } else {
                key("apiGroups")
                items(groups)
                if !names.isEmpty {
                    key("resourceNames")
                    items(names)
                }
                key("resources")
                items(resources)
            }
            key("verbs")
            items(verbs)
        }

        var json: String {
            if !urls.isEmpty { return "{\"nonResourceURLs\":\(YAMLText.jsonArray(urls)),\"verbs\":\(YAMLText.jsonArray(verbs))}" }
            var s = "{\"apiGroups\":\(YAMLText.jsonArray(groups))"
            if !names.isEmpty { s += ",\"resourceNames\":\(YAMLText.jsonArray(names))" }
            return s + ",\"resources\":\(YAMLText.jsonArray(resources)),\"verbs\":\(YAMLText.jsonArray(verbs))}"
        }
    }

    static let rbacAPI = "rbac.authorization.k8s.io/v1"

    mutating func role(
        clusterWide: Bool, name: String, namespace: String?, rules: [Rule], labels: [(String, String)] = [],
        aggregateLabels: [String] = [], bootstrap: Bool = false, rng r: inout SplitMix64
    ) {
        var y = YAMLText()
        let kind = clusterWide ? "ClusterRole" : "Role"
        if !aggregateLabels.isEmpty {
            y.l(0, "- aggregationRule:")
            y.l(4, "clusterRoleSelectors:")
            for l in aggregateLabels {
                y.l(4, "- matchLabels:")
                y.l(8, "\(l): \"true\"")
            }
            y.l(2, "apiVersion: \(Self.rbacAPI)")
        } else {
            y.l(0, "- apiVersion: \(Self.rbacAPI)")
        }
        y.l(2, "kind: \(kind)")
        let created = Self.timestamp(&r, year: bootstrap ? 2023 : 2024)
        var allLabels = labels
        if bootstrap { allLabels.append(("kubernetes.io/bootstrapping", "rbac-defaults")) }
        let lastApplied: String?
        var managed: [ManagedField]
        if bootstrap {
            lastApplied = nil
            let agg = !aggregateLabels.isEmpty
            let labelsCopy = allLabels
            managed = [ManagedField(manager: "kube-apiserver", apiVersion: Self.rbacAPI, time: created) { y, d in
                if agg {
                    y.l(d, "f:aggregationRule:")
                    y.l(d + 2, ".: {}")
                    y.l(d + 2, "f:clusterRoleSelectors: {}")
                }
                y.l(d, "f:metadata:")
                y.l(d + 2, "f:annotations:")
                y.l(d + 4, ".: {}")
                y.l(d + 4, "f:rbac.authorization.kubernetes.io/autoupdate: {}")
                y.l(d + 2, "f:labels:")
                y.l(d + 4, ".: {}")
                for (k, _) in labelsCopy.sorted(by: { $0.0 < $1.0 }) { y.l(d + 4, "f:\(k): {}") }
                if !agg { y.l(d, "f:rules: {}") }
            }]
            if agg {
                managed.append(ManagedField(manager: "clusterrole-aggregation-controller", apiVersion: Self.rbacAPI, time: Self.timestamp(&r)) { y, d in
                    y.l(d, "f:rules: {}")
                })
            }
        } else {
            var body = ""
            if !aggregateLabels.isEmpty {
                body += ",\"aggregationRule\":{\"clusterRoleSelectors\":["
                body += aggregateLabels.map { "{\"matchLabels\":{\(YAMLText.json($0)):\"true\"}}" }.joined(separator: ",") + "]}"
            }
            var head = Self.lastAppliedHead(apiVersion: Self.rbacAPI, kind: kind, name: name, namespace: namespace, labels: allLabels, extraFields: body)
            head += aggregateLabels.isEmpty ? ",\"rules\":[" + rules.map(\.json).joined(separator: ",") + "]}\n" : ",\"rules\":[]}\n"
            lastApplied = head
            let labelsCopy = allLabels
            let agg = !aggregateLabels.isEmpty
            managed = [ManagedField(manager: "kubectl-client-side-apply", apiVersion: Self.rbacAPI, time: created) { y, d in
                if agg {
                    y.l(d, "f:aggregationRule:")
                    y.l(d + 2, ".: {}")
                    y.l(d + 2, "f:clusterRoleSelectors: {}")
                }
                DumpGenerator.appliedMetadataFields(&y, d, labels: labelsCopy)
                if !agg { y.l(d, "f:rules: {}") }
            }]
            if agg {
                managed.append(ManagedField(manager: "clusterrole-aggregation-controller", apiVersion: Self.rbacAPI, time: Self.timestamp(&r)) { y, d in
                    y.l(d, "f:rules: {}")
                })
            }
        }
        metadata(
            &y, name: name, namespace: clusterWide ? nil : namespace, rng: &r, labels: allLabels,
            annotations: bootstrap ? [("rbac.authorization.kubernetes.io/autoupdate", "true")] : [],
            lastApplied: lastApplied, managed: managed, created: created)
        if rules.isEmpty {
            y.l(2, "rules: []")
        } else {
            y.l(2, "rules:")
            for rule in rules { rule.yaml(&y, 2) }
        }
        emit(clusterWide ? .clusterRole : .role, y)
    }

    enum SubjectSpec {
        case user(String), group(String), serviceAccount(String, String)
    }

    mutating func binding(
        clusterWide: Bool, name: String, namespace: String?, roleKind: String, roleName: String,
        subjects: [SubjectSpec], bootstrap: Bool = false, labels: [(String, String)] = [], rng r: inout SplitMix64
    ) {
        var y = YAMLText(capacity: 4096)
        let kind = clusterWide ? "ClusterRoleBinding" : "RoleBinding"
        y.l(0, "- apiVersion: \(Self.rbacAPI)")
        y.l(2, "kind: \(kind)")
        let created = Self.timestamp(&r, year: bootstrap ? 2023 : 2024)
        var allLabels = labels
        if bootstrap { allLabels.append(("kubernetes.io/bootstrapping", "rbac-defaults")) }
        let labelsCopy = allLabels
        var lastApplied: String? = nil
        let managed: ManagedField
        if bootstrap {
            managed = ManagedField(manager: "kube-apiserver", apiVersion: Self.rbacAPI, time: created) { y, d in
                y.l(d, "f:metadata:")
                y.l(d + 2, "f:annotations:")
                y.l(d + 4, ".: {}")
                y.l(d + 4, "f:rbac.authorization.kubernetes.io/autoupdate: {}")
                y.l(d + 2, "f:labels:")
                y.l(d + 4, ".: {}")
                y.l(d + 4, "f:kubernetes.io/bootstrapping: {}")
                y.l(d, "f:roleRef: {}")
                y.l(d, "f:subjects: {}")
            }
        } else {
            let subjectsJSON = subjects.map { s -> String in
                switch s {
                case .user(let n): return "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"User\",\"name\":\(YAMLText.json(n))}"
                case .group(let n): return "{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Group\",\"name\":\(YAMLText.json(n))}"
                case .serviceAccount(let ns, let n): return "{\"kind\":\"ServiceAccount\",\"name\":\(YAMLText.json(n)),\"namespace\":\(YAMLText.json(ns))}"
                }
            }
            lastApplied = Self.lastAppliedHead(apiVersion: Self.rbacAPI, kind: kind, name: name, namespace: namespace, labels: allLabels)
                + ",\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"\(roleKind)\",\"name\":\(YAMLText.json(roleName))},\"subjects\":[\(subjectsJSON.joined(separator: ","))]}\n"
            managed = ManagedField(manager: "kubectl-client-side-apply", apiVersion: Self.rbacAPI, time: created) { y, d in
                DumpGenerator.appliedMetadataFields(&y, d, labels: labelsCopy)
                y.l(d, "f:roleRef: {}")
                y.l(d, "f:subjects: {}")
            }
        }
        metadata(
            &y, name: name, namespace: clusterWide ? nil : namespace, rng: &r, labels: allLabels,
            annotations: bootstrap ? [("rbac.authorization.kubernetes.io/autoupdate", "true")] : [],
            lastApplied: lastApplied, managed: [managed], created: created)
        y.l(2, "roleRef:")
        y.l(4, "apiGroup: rbac.authorization.k8s.io")
        y.l(4, "kind: \(roleKind)")
        y.kv(4, "name", roleName)
        if subjects.isEmpty {
            // Bootstrap bindings such as system:node have none: kubectl omits the field.
        } else {
            y.l(2, "subjects:")
            for s in subjects {
                switch s {
                case .user(let n):
                    y.l(2, "- apiGroup: rbac.authorization.k8s.io")
                    y.l(4, "kind: User")
                    y.kv(4, "name", n)
                case .group(let n):
                    y.l(2, "- apiGroup: rbac.authorization.k8s.io")
                    y.l(4, "kind: Group")
                    y.kv(4, "name", n)
                case .serviceAccount(let ns, let n):
                    y.l(2, "- kind: ServiceAccount")
                    y.l(4, "name: \(n)")
                    y.l(4, "namespace: \(ns)")
                }
            }
        }
        emit(clusterWide ? .clusterRoleBinding : .roleBinding, y)
    }

    // MARK: Namespaces, service accounts, secrets, config maps

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
        var y = YAMLText(capacity: 8192)
        y.l(0, "- apiVersion: v1")
        y.l(2, "data:")
        for (k, v) in data { y.l(4, "\(k): \(v)") }
        y.l(2, "kind: Secret")
        let created = Self.timestamp(&r)
        var lastApplied: String? = nil
        if applied {
            lastApplied = Self.lastAppliedHead(apiVersion: "v1", kind: "Secret", name: name, namespace: namespace, labels: labels, extraFields: ",\"data\":" + Self.jsonObject(data)) + ",\"type\":\"\(type)\"}\n"
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
            y.l(d, "f:type: {}")
        }
        metadata(&y, name: name, namespace: namespace, rng: &r, labels: labels, annotations: annotations, lastApplied: lastApplied, managed: [managed], created: created)
        y.l(2, "type: \(type)")
        emit(.secret, y)
    }

    mutating func configMap(
        _ name: String, namespace: String, data: [(String, String)], labels: [(String, String)] = [],
        annotations: [(String, String)] = [], applied: Bool, manager: String = "kubectl-client-side-apply",
        rng r: inout SplitMix64
    ) {
        var y = YAMLText(capacity: 8192)
        y.l(0, "- apiVersion: v1")
        y.l(2, "data:")
        for (k, v) in data {
            if v.hasSuffix("\n") { y.block(4, k, v) } else { y.kv(4, k, v) }
        }
        y.l(2, "kind: ConfigMap")
        let created = Self.timestamp(&r)
        var lastApplied: String? = nil
        if applied {
            lastApplied = Self.lastAppliedHead(apiVersion: "v1", kind: "ConfigMap", name: name, namespace: namespace, labels: labels, extraFields: ",\"data\":" + Self.jsonObject(data)) + "}\n"
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
            } else if !annotationKeys.isEmpty {
                y.l(d, "f:metadata:")
                y.l(d + 2, "f:annotations:")
                y.l(d + 4, ".: {}")
                for a in annotationKeys { y.l(d + 4, "f:\(a): {}") }
            }
        }
        metadata(&y, name: name, namespace: namespace, rng: &r, labels: labels, annotations: annotations, lastApplied: lastApplied, managed: [managed], created: created)
        emit(.configMap, y)
    }

    // MARK: Pods and deployments

    enum EnvSource {
        case value(String)
        case secret(String, String)
        case configMap(String, String)
        case field(String)
    }

    struct Container {
        var name: String
        var image: String
        var port: Int?
        var env: [(String, EnvSource)]
        var mounts: [(volume: String, path: String, readOnly: Bool)]
        var cpu: (String, String)
        var memory: (String, String)
        var probe: Bool
    }

    enum Volume {
        case secret(String, String)
        case configMap(String, String)
        case emptyDir(String)

        var name: String {
            switch self {
            case .secret(let n, _), .configMap(let n, _), .emptyDir(let n): return n
            }
        }
    }

    struct PodSpec {
        var serviceAccount: String
        var containers: [Container]
        var volumes: [Volume]
    }

    static let qos = "Burstable"

    /// `spec:` content of a pod (at depth `d`). `runtime` adds what the API server and the
    /// scheduler fill in on a Pod (node, token volume, tolerations).
    static func podSpecYAML(_ y: inout YAMLText, _ p: PodSpec, _ d: Int, runtime: (node: String, tokenVolume: String)?) {
        y.l(d, "containers:")
        for c in p.containers {
            var first = true
            func key(_ k: String) {
                y.l(d, (first ? "- " : "  ") + k)
                first = false
            }
            if !c.env.isEmpty {
                key("env:")
                for (n, src) in c.env {
                    y.l(d + 2, "- name: \(n)")
                    switch src {
                    case .value(let v): y.kv(d + 4, "value", v)
                    case .secret(let s, let k):
                        y.l(d + 4, "valueFrom:")
                        y.l(d + 6, "secretKeyRef:")
                        y.l(d + 8, "key: \(k)")
                        y.l(d + 8, "name: \(s)")
                    case .configMap(let s, let k):
                        y.l(d + 4, "valueFrom:")
                        y.l(d + 6, "configMapKeyRef:")
                        y.l(d + 8, "key: \(k)")
                        y.l(d + 8, "name: \(s)")
                    case .field(let f):
                        y.l(d + 4, "valueFrom:")
                        y.l(d + 6, "fieldRef:")
                        y.l(d + 8, "apiVersion: v1")
                        y.l(d + 8, "fieldPath: \(f)")
                    }
                }
            }
            key("image: \(c.image)")
            key("imagePullPolicy: IfNotPresent")
            if c.probe, let port = c.port {
                key("livenessProbe:")
                y.l(d + 4, "failureThreshold: 3")
                y.l(d + 4, "httpGet:")
                y.l(d + 6, "path: /healthz")
                y.l(d + 6, "port: \(port)")
                y.l(d + 6, "scheme: HTTP")
                y.l(d + 4, "initialDelaySeconds: 10")
                y.l(d + 4, "periodSeconds: 10")
                y.l(d + 4, "successThreshold: 1")
                y.l(d + 4, "timeoutSeconds: 1")
            }
            key("name: \(c.name)")
            if let port = c.port {
                key("ports:")
                y.l(d + 2, "- containerPort: \(port)")
                y.l(d + 4, "name: http")
                y.l(d + 4, "protocol: TCP")
            }
            if c.probe, let port = c.port {
                key("readinessProbe:")
                y.l(d + 4, "failureThreshold: 3")
                y.l(d + 4, "httpGet:")
                y.l(d + 6, "path: /ready")
                y.l(d + 6, "port: \(port)")
                y.l(d + 6, "scheme: HTTP")
                y.l(d + 4, "periodSeconds: 5")
                y.l(d + 4, "successThreshold: 1")
                y.l(d + 4, "timeoutSeconds: 1")
            }
            key("resources:")
            y.l(d + 4, "limits:")
            y.l(d + 6, "cpu: \(c.cpu.1)")
            y.l(d + 6, "memory: \(c.memory.1)")
            y.l(d + 4, "requests:")
            y.l(d + 6, "cpu: \(c.cpu.0)")
            y.l(d + 6, "memory: \(c.memory.0)")
            key("securityContext:")
            y.l(d + 4, "allowPrivilegeEscalation: false")
            y.l(d + 4, "readOnlyRootFilesystem: true")
            y.l(d + 4, "runAsNonRoot: true")
            key("terminationMessagePath: /dev/termination-log")
            key("terminationMessagePolicy: File")
            var mounts = c.mounts
            if let runtime { mounts.append((runtime.tokenVolume, "/var/run/secrets/kubernetes.io/serviceaccount", true)) }
            if !mounts.isEmpty {
                key("volumeMounts:")
                for m in mounts {
                    y.l(d + 2, "- mountPath: \(m.path)")
                    y.l(d + 4, "name: \(m.volume)")
                    if m.readOnly { y.l(d + 4, "readOnly: true") }
                }
            }
        }
        y.l(d, "dnsPolicy: ClusterFirst")
        if runtime != nil { y.l(d, "enableServiceLinks: true") }
        if let runtime { y.l(d, "nodeName: \(runtime.node)") }
        if runtime != nil {
            y.l(d, "preemptionPolicy: PreemptLowerPriority")
            y.l(d, "priority: 0")
        }
        y.l(d, "restartPolicy: Always")
        y.l(d, "schedulerName: default-scheduler")
        y.l(d, "securityContext:")
        y.l(d + 2, "fsGroup: 2000")
        y.l(d + 2, "runAsUser: 1000")
        if runtime != nil { y.l(d, "serviceAccount: \(p.serviceAccount)") }
        y.l(d, "serviceAccountName: \(p.serviceAccount)")
        y.l(d, "terminationGracePeriodSeconds: 30")
        if runtime != nil {
            y.l(d, "tolerations:")
            for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
                y.l(d, "- effect: NoExecute")
                y.l(d + 2, "key: \(key)")
                y.l(d + 2, "operator: Exists")
                y.l(d + 2, "tolerationSeconds: 300")
            }
        }
        var volumes = p.volumes
        if let runtime { volumes.append(.emptyDir("__token__" + runtime.tokenVolume)) }
        if !volumes.isEmpty {
            y.l(d, "volumes:")
            for v in volumes {
                switch v {
                case .secret(let n, let s):
                    y.l(d, "- name: \(n)")
                    y.l(d + 2, "secret:")
                    y.l(d + 4, "defaultMode: 420")
                    y.l(d + 4, "secretName: \(s)")
                case .configMap(let n, let c):
                    y.l(d, "- configMap:")
                    y.l(d + 4, "defaultMode: 420")
                    y.l(d + 4, "name: \(c)")
                    y.l(d + 2, "name: \(n)")
                case .emptyDir(let n) where n.hasPrefix("__token__"):
                    y.l(d, "- name: \(n.dropFirst(9))")
                    y.l(d + 2, "projected:")
                    y.l(d + 4, "defaultMode: 420")
                    y.l(d + 4, "sources:")
                    y.l(d + 4, "- serviceAccountToken:")
                    y.l(d + 8, "expirationSeconds: 3607")
                    y.l(d + 8, "path: token")
                    y.l(d + 4, "- configMap:")
                    y.l(d + 8, "items:")
                    y.l(d + 8, "- key: ca.crt")
                    y.l(d + 10, "path: ca.crt")
                    y.l(d + 8, "name: kube-root-ca.crt")
                    y.l(d + 4, "- downwardAPI:")
                    y.l(d + 8, "items:")
                    y.l(d + 8, "- fieldRef:")
                    y.l(d + 12, "apiVersion: v1")
                    y.l(d + 12, "fieldPath: metadata.namespace")
                    y.l(d + 10, "path: namespace")
                case .emptyDir(let n):
                    y.l(d, "- emptyDir: {}")
                    y.l(d + 2, "name: \(n)")
                }
            }
        }
    }

    /// fieldsV1 of a pod spec (at depth `d`), as the owner of the spec records it.
    static func podSpecFields(_ y: inout YAMLText, _ p: PodSpec, _ d: Int) {
        y.l(d, "f:containers:")
        for c in p.containers {
            y.l(d + 2, "k:{\"name\":\"\(c.name)\"}:")
            let e = d + 4
            y.l(e, ".: {}")
            if !c.env.isEmpty {
                y.l(e, "f:env:")
                y.l(e + 2, ".: {}")
                for (n, src) in c.env {
                    y.l(e + 2, "k:{\"name\":\"\(n)\"}:")
                    y.l(e + 4, ".: {}")
                    y.l(e + 4, "f:name: {}")
                    switch src {
                    case .value: y.l(e + 4, "f:value: {}")
                    case .secret, .configMap, .field:
                        y.l(e + 4, "f:valueFrom:")
                        y.l(e + 6, ".: {}")
                        switch src {
                        case .secret: y.l(e + 6, "f:secretKeyRef: {}")
                        case .configMap: y.l(e + 6, "f:configMapKeyRef: {}")
                        default:
                            y.l(e + 6, "f:fieldRef: {}")
                        }
                    }
                }
            }
            y.l(e, "f:image: {}")
            y.l(e, "f:imagePullPolicy: {}")
            if c.probe {
                for probe in ["f:livenessProbe:", "f:readinessProbe:"] {
                    y.l(e, probe)
                    y.l(e + 2, ".: {}")
                    y.l(e + 2, "f:failureThreshold: {}")
                    y.l(e + 2, "f:httpGet:")
                    y.l(e + 4, ".: {}")
                    y.l(e + 4, "f:path: {}")
                    y.l(e + 4, "f:port: {}")
                    y.l(e + 4, "f:scheme: {}")
                    y.l(e + 2, "f:periodSeconds: {}")
                    y.l(e + 2, "f:successThreshold: {}")
                    y.l(e + 2, "f:timeoutSeconds: {}")
                }
            }
            y.l(e, "f:name: {}")
            if let port = c.port {
                y.l(e, "f:ports:")
                y.l(e + 2, ".: {}")
                y.l(e + 2, "k:{\"containerPort\":\(port),\"protocol\":\"TCP\"}:")
                y.l(e + 4, ".: {}")
                y.l(e + 4, "f:containerPort: {}")
                y.l(e + 4, "f:name: {}")
                y.l(e + 4, "f:protocol: {}")
            }
            y.l(e, "f:resources:")
            y.l(e + 2, ".: {}")
            y.l(e + 2, "f:limits:")
            y.l(e + 4, ".: {}")
            y.l(e + 4, "f:cpu: {}")
            y.l(e + 4, "f:memory: {}")
            y.l(e + 2, "f:requests:")
            y.l(e + 4, ".: {}")
            y.l(e + 4, "f:cpu: {}")
            y.l(e + 4, "f:memory: {}")
            y.l(e, "f:securityContext:")
            y.l(e + 2, ".: {}")
            y.l(e + 2, "f:allowPrivilegeEscalation: {}")
            y.l(e + 2, "f:readOnlyRootFilesystem: {}")
            y.l(e + 2, "f:runAsNonRoot: {}")
            y.l(e, "f:terminationMessagePath: {}")
            y.l(e, "f:terminationMessagePolicy: {}")
            if !c.mounts.isEmpty {
                y.l(e, "f:volumeMounts:")
                y.l(e + 2, ".: {}")
                for m in c.mounts {
                    y.l(e + 2, "k:{\"mountPath\":\"\(m.path)\"}:")
                    y.l(e + 4, ".: {}")
                    y.l(e + 4, "f:mountPath: {}")
                    y.l(e + 4, "f:name: {}")
                    if m.readOnly { y.l(e + 4, "f:readOnly: {}") }
                }
            }
        }
        y.l(d, "f:dnsPolicy: {}")
        y.l(d, "f:restartPolicy: {}")
        y.l(d, "f:schedulerName: {}")
        y.l(d, "f:securityContext:")
        y.l(d + 2, ".: {}")
        y.l(d + 2, "f:fsGroup: {}")
        y.l(d + 2, "f:runAsUser: {}")
        y.l(d, "f:serviceAccount: {}")
        y.l(d, "f:serviceAccountName: {}")
        y.l(d, "f:terminationGracePeriodSeconds: {}")
        if !p.volumes.isEmpty {
            y.l(d, "f:volumes:")
            y.l(d + 2, ".: {}")
            for v in p.volumes {
                y.l(d + 2, "k:{\"name\":\"\(v.name)\"}:")
                y.l(d + 4, ".: {}")
                switch v {
                case .secret:
                    y.l(d + 4, "f:name: {}")
                    y.l(d + 4, "f:secret:")
                    y.l(d + 6, ".: {}")
                    y.l(d + 6, "f:defaultMode: {}")
                    y.l(d + 6, "f:secretName: {}")
                case .configMap:
                    y.l(d + 4, "f:configMap:")
                    y.l(d + 6, ".: {}")
                    y.l(d + 6, "f:defaultMode: {}")
                    y.l(d + 6, "f:name: {}")
                    y.l(d + 4, "f:name: {}")
                case .emptyDir:
                    y.l(d + 4, "f:emptyDir: {}")
                    y.l(d + 4, "f:name: {}")
                }
            }
        }
    }

    /// The pod spec as `kubectl apply` records it in last-applied-configuration.
    static func podSpecJSON(_ p: PodSpec) -> String {
        var cs: [String] = []
        for c in p.containers {
            var s = "{"
            if !c.env.isEmpty {
                s += "\"env\":["
                s += c.env.map { (n, src) -> String in
                    switch src {
                    case .value(let v): return "{\"name\":\"\(n)\",\"value\":\(YAMLText.json(v))}"
                    case .secret(let sn, let k): return "{\"name\":\"\(n)\",\"valueFrom\":{\"secretKeyRef\":{\"key\":\"\(k)\",\"name\":\"\(sn)\"}}}"
                    case .configMap(let cn, let k): return "{\"name\":\"\(n)\",\"valueFrom\":{\"configMapKeyRef\":{\"key\":\"\(k)\",\"name\":\"\(cn)\"}}}"
                    case .field(let f): return "{\"name\":\"\(n)\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"\(f)\"}}}"
                    }
                }.joined(separator: ",")
                s += "],"
            }
            s += "\"image\":\"\(c.image)\","
            if c.probe, let port = c.port {
                s += "\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":\(port)},\"initialDelaySeconds\":10},"
            }
            s += "\"name\":\"\(c.name)\","
            if let port = c.port { s += "\"ports\":[{\"containerPort\":\(port),\"name\":\"http\"}]," }
            if c.probe, let port = c.port {
                s += "\"readinessProbe\":{\"httpGet\":{\"path\":\"/ready\",\"port\":\(port)},\"periodSeconds\":5},"
            }
            s += "\"resources\":{\"limits\":{\"cpu\":\"\(c.cpu.1)\",\"memory\":\"\(c.memory.1)\"},\"requests\":{\"cpu\":\"\(c.cpu.0)\",\"memory\":\"\(c.memory.0)\"}},"
            s += "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":true,\"runAsNonRoot\":true}"
            if !c.mounts.isEmpty {
                s += ",\"volumeMounts\":[" + c.mounts.map { "{\"mountPath\":\"\($0.path)\",\"name\":\"\($0.volume)\"\($0.readOnly ? ",\"readOnly\":true" : "")}" }.joined(separator: ",") + "]"
            }
            cs.append(s + "}")
        }
        var s = "{\"containers\":[" + cs.joined(separator: ",") + "],\"securityContext\":{\"fsGroup\":2000,\"runAsUser\":1000},\"serviceAccountName\":\"\(p.serviceAccount)\""
        if !p.volumes.isEmpty {
            s += ",\"volumes\":[" + p.volumes.map { v -> String in
                switch v {
                case .secret(let n, let sn): return "{\"name\":\"\(n)\",\"secret\":{\"secretName\":\"\(sn)\"}}"
                case .configMap(let n, let c): return "{\"configMap\":{\"name\":\"\(c)\"},\"name\":\"\(n)\"}"
                case .emptyDir(let n): return "{\"emptyDir\":{},\"name\":\"\(n)\"}"
                }
            }.joined(separator: ",") + "]"
        }
        return s + "}"
    }

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

/// An error that stops the benchmark.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
