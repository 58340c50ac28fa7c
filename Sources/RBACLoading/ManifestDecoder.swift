import RBACCore

/// An object decoded from one mapping of the input, before validation: every field any kept
/// kind needs, whatever the kind turns out to be (`kind:` may come after the fields).
struct ObjectDraft {
    var location: SourceLocation
    var apiVersion: String?
    var kind: String?
    var name: String?
    var namespace: String?
    var labels: [String: String] = [:]
    var annotations: [String: String] = [:]
    var rules: [RuleDraft]?
    /// EncryptionConfiguration `resources`.
    var encryption: [EncryptionConfiguration.ResourceEncryption]?
    /// Audit Policy `omitStages`.
    var omitStages: [String] = []
    var aggregationRule: AggregationRule?
    var roleRef: (apiGroup: String?, kind: String?, name: String?)?
    var subjects: [Subject]?
    var pod = PodDraft()
    var type: String?
    var serviceAccountSecrets: [String] = []
    var automountServiceAccountToken: Bool?
    /// A list's `metadata.continue`: where the next page starts (API server lists).
    var listContinue: String?
    /// Set when a field had the wrong shape: the object is rejected.
    var invalid = false
}

/// A `rules[]` entry: an RBAC PolicyRule or an audit Policy rule (the kind may come later).
struct RuleDraft {
    var rule = PolicyRule()
    /// Audit fields.
    var level: String?
    var users: [String] = []
    var userGroups: [String] = []
    var namespaces: [String] = []
    var omitStages: [String] = []
    var groupResources: [AuditPolicy.GroupResources] = []
    /// Where `resources` held mappings (audit form) or strings (RBAC form).
    var location: SourceLocation
    var resourcesWereMappings = false
}

/// The pod-spec fields of a Pod or a workload's pod template.
struct PodDraft {
    var serviceAccountName: String?
    var serviceAccount: String?
    var template = PodTemplate()
}

/// Decodes Kubernetes objects from a ``YAMLEventReader``, straight into drafts: no generic
/// node tree. Subtrees nobody needs (managedFields, status, data, …) are skipped without
/// converting their scalars; `data` and `stringData` are never read at all.
final class ManifestDecoder {
    let reader: YAMLEventReader
    let file: String
    let lineBase: Int
    /// Problems found; appended by the loader to its diagnostics.
    var issues: [LoadDiagnostic] = []
    /// The `kind` of the current top-level object, once read (a List's items may come first).
    var topLevelKind: String?
    /// Errors since the current object started (a nonzero difference rejects it).
    private var errorCount = 0

    /// Kinds whose fields are decoded; every other kind is skipped once `kind:` is seen.
    static let keptKinds: Set<String> = Set([
        "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount", "Namespace",
        "Secret", "EncryptionConfiguration", "EncryptionConfig", "Policy",
    ]).union(Workload.kinds)

    /// The RBAC kinds (`rbac.authorization.k8s.io`).
    static let rbacKinds: Set<String> = ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]

    /// The annotation `kubectl apply` writes: for a Secret it holds the values in plain text.
    static let lastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

    init(reader: YAMLEventReader, file: String, lineBase: Int) {
        self.reader = reader
        self.file = file
        self.lineBase = lineBase
    }

    var location: SourceLocation {
        SourceLocation(file: file, line: lineBase + reader.line + 1, column: reader.column + 1)
    }

    func error(_ message: String, at loc: SourceLocation? = nil) {
        issues.append(LoadDiagnostic(severity: .error, location: loc ?? location, message: message))
        errorCount += 1
    }

    func warning(_ message: String, at loc: SourceLocation? = nil) {
        issues.append(LoadDiagnostic(severity: .warning, location: loc ?? location, message: message))
    }

    // MARK: Node primitives

    enum NodeKind { case mapping, sequence, scalar, null }

    /// The kind of the node at the current event, after following an alias. For an alias that
    /// cannot be followed, reports it, skips it and returns `nil`.
    func node() throws(YAMLStreamError) -> NodeKind? {
        switch reader.kind {
        case .mappingStart: return .mapping
        case .sequenceStart: return .sequence
        case .scalar: return reader.scalarIsNull ? .null : .scalar
        case .alias:
            switch try reader.expandAlias() {
            case nil: return try node()
            case .undefined(let name):
                error("undefined alias *\(name)")
            case .unavailable(let name):
                error("alias *\(name) refers to content rbacgraph does not keep (it includes skipped fields)")
            }
            try reader.skipNode()
            return nil
        default:
            return nil
        }
    }

    private func describe(_ kind: NodeKind) -> String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar: return "a scalar"
        case .null: return "null"
        }
    }

    /// Reports a wrong node kind for `field` and skips the node.
    private func wrongShape(_ field: String, expected: String, found: NodeKind) throws(YAMLStreamError) {
        error("\(field) must be \(expected), not \(describe(found))")
        try reader.skipNode()
    }

    /// Reads a scalar as a string; `nil` for null or a wrong shape (reported).
    func readString(_ field: String) throws(YAMLStreamError) -> String? {
        guard let k = try node() else { return nil }
        switch k {
        case .scalar:
            let s = reader.scalarString()
            try reader.advance()
            return s
        case .null:
            try reader.advance()
            return nil
        default:
            try wrongShape(field, expected: "a string", found: k)
            return nil
        }
    }

    /// Reads a boolean (`true`/`false`, and YAML 1.1's `yes`/`no`/`on`/`off`).
    func readBool(_ field: String) throws(YAMLStreamError) -> Bool? {
        let loc = location
        guard let s = try readString(field) else { return nil }
        switch s {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default:
            error("\(field) must be true or false, not \"\(s)\"", at: loc)
            return nil
        }
    }

    /// Calls `body` with the reader at each item of a sequence; `body` consumes the item.
    /// Null is an empty sequence.
    func readSequence(_ field: String, _ body: () throws(YAMLStreamError) -> Void) throws(YAMLStreamError) {
        guard let k = try node() else { return }
        switch k {
        case .sequence:
            try reader.advance()
            while reader.kind != .sequenceEnd {
                try body()
            }
            try reader.advance()
        case .null:
            try reader.advance()
        default:
            try wrongShape(field, expected: "a sequence", found: k)
        }
    }

    /// Calls `body` with each key of a mapping and the reader at its value; `body` consumes
    /// the value. Null is an empty mapping. Merge keys (`<<: *anchor`) are followed.
    func readMapping(_ field: String, _ body: (String) throws(YAMLStreamError) -> Void) throws(YAMLStreamError) {
        guard let k = try node() else { return }
        switch k {
        case .mapping:
            try reader.advance()
            while reader.kind != .mappingEnd {
                guard reader.kind == .scalar else {
                    error("\(field): mapping keys must be scalars")
                    try reader.skipNode()  // the key
                    try reader.skipNode()  // its value
                    continue
                }
                let key = reader.scalarString()
                try reader.advance()
                if key == "<<" {
                    try readMerge(field, body)
                } else {
                    try body(key)
                }
            }
            try reader.advance()
        case .null:
            try reader.advance()
        default:
            try wrongShape(field, expected: "a mapping", found: k)
        }
    }

    private func readMerge(_ field: String, _ body: (String) throws(YAMLStreamError) -> Void) throws(YAMLStreamError) {
        guard let k = try node() else { return }
        if k == .sequence {
            try readSequence(field) { () throws(YAMLStreamError) in try readMapping(field, body) }
        } else {
            try readMapping(field, body)
        }
    }

    /// Reads a sequence of strings.
    func readStringList(_ field: String) throws(YAMLStreamError) -> [String] {
        var out: [String] = []
        try readSequence(field) { () throws(YAMLStreamError) in
            if let s = try readString(field + "[]") { out.append(s) }
        }
        return out
    }

    /// Reads a mapping of strings to strings, skipping the values of `skipping` unread.
    func readStringMap(_ field: String, skipping: String? = nil) throws(YAMLStreamError) -> [String: String] {
        var out: [String: String] = [:]
        try readMapping(field) { (key) throws(YAMLStreamError) in
            if key == skipping {
                try reader.skipSensitiveNode()
            } else if let v = try readString("\(field).\(key)") {
                out[key] = v
            }
        }
        return out
    }

    // MARK: Objects

    /// Decodes the object at the current node. Top-level `items` (of any `*List`) are decoded
    /// as objects and handed to `item` one by one, as soon as each is complete.
    /// - Returns: the draft, or `nil` for an empty document or a node that is not a mapping.
    func decodeObject(topLevel: Bool, item: (ObjectDraft) -> Void) throws(YAMLStreamError) -> ObjectDraft? {
        let loc = location
        guard let k = try node() else { return nil }
        switch k {
        case .null:
            try reader.advance()
            return nil
        case .mapping:
            break
        default:
            error("expected a Kubernetes object (a mapping), found \(describe(k))")
            try reader.skipNode()
            return nil
        }
        let errorsBefore = errorCount
        var d = ObjectDraft(location: loc)
        var skipRest = false
        try readMapping("object") { (key) throws(YAMLStreamError) in
            if skipRest {
                try reader.skipNode()
                return
            }
            switch key {
            case "apiVersion": d.apiVersion = try readString("apiVersion")
            case "kind":
                d.kind = try readString("kind")
                if topLevel { topLevelKind = d.kind }
                if let kind = d.kind, !Self.keptKinds.contains(kind), !kind.hasSuffix("List") { skipRest = true }
            case "metadata": try decodeMetadata(&d)
            case "rules": d.rules = try decodeRules()
            case "aggregationRule": d.aggregationRule = try decodeAggregationRule()
            case "roleRef": try decodeRoleRef(&d)
            case "subjects": d.subjects = try decodeSubjects()
            case "items" where topLevel:
                try readSequence("items") { () throws(YAMLStreamError) in
                    if let draft = try decodeObject(topLevel: false, item: item) { item(draft) }
                }
            case "spec":
                if d.kind == nil || Workload.kinds.contains(d.kind!) { try decodeSpec(&d.pod) } else { try reader.skipNode() }
            case "resources":
                if d.kind == nil || d.kind == "EncryptionConfiguration" || d.kind == "EncryptionConfig" {
                    d.encryption = try decodeEncryptionResources()
                } else {
                    try reader.skipNode()
                }
            case "omitStages": d.omitStages = try readStringList("omitStages")
            case "type": d.type = try readString("type")
            case "secrets":
                try readSequence("secrets") { () throws(YAMLStreamError) in
                    try readMapping("secrets[]") { (key) throws(YAMLStreamError) in
                        if key == "name", let n = try readString("secrets[].name") {
                            d.serviceAccountSecrets.append(n)
                        } else {
                            try reader.skipNode()
                        }
                    }
                }
            case "automountServiceAccountToken":
                d.automountServiceAccountToken = try readBool("automountServiceAccountToken")
            case "data", "stringData":
                // Secret values: never read, never kept, not even for anchors.
                try reader.skipSensitiveNode()
            default:
                // status, and everything else.
                try reader.skipNode()
            }
        }
        if errorCount != errorsBefore { d.invalid = true }
        return d
    }

    private func decodeMetadata(_ d: inout ObjectDraft) throws(YAMLStreamError) {
        try readMapping("metadata") { (key) throws(YAMLStreamError) in
            switch key {
            case "name": d.name = try readString("metadata.name")
            case "namespace": d.namespace = try readString("metadata.namespace")
            case "labels": d.labels = try readStringMap("metadata.labels")
            case "continue": d.listContinue = try readString("metadata.continue")
            case "annotations":
                // Secrets (for their type's meaning) and RBAC objects (for the built-in
                // policy's `rbac.authorization.kubernetes.io/autoupdate`).
                if d.kind == nil || d.kind == "Secret" || Self.rbacKinds.contains(d.kind!) {
                    d.annotations = try readStringMap("metadata.annotations", skipping: Self.lastAppliedAnnotation)
                } else {
                    try reader.skipNode()
                }
            default: try reader.skipNode()  // managedFields, uid, resourceVersion, …
            }
        }
    }

    private func decodeRules() throws(YAMLStreamError) -> [RuleDraft] {
        var rules: [RuleDraft] = []
        try readSequence("rules") { () throws(YAMLStreamError) in
            var draft = RuleDraft(location: location)
            try readMapping("rules[]") { (key) throws(YAMLStreamError) in
                switch key {
                case "verbs": draft.rule.verbs = try readStringList("rules[].verbs")
                case "apiGroups": draft.rule.apiGroups = try readStringList("rules[].apiGroups")
                case "resources": try decodeRuleResources(&draft)
                case "resourceNames": draft.rule.resourceNames = try readStringList("rules[].resourceNames")
                case "nonResourceURLs": draft.rule.nonResourceURLs = try readStringList("rules[].nonResourceURLs")
                // Audit Policy rules.
                case "level": draft.level = try readString("rules[].level")
                case "users": draft.users = try readStringList("rules[].users")
                case "userGroups": draft.userGroups = try readStringList("rules[].userGroups")
                case "namespaces": draft.namespaces = try readStringList("rules[].namespaces")
                case "omitStages": draft.omitStages = try readStringList("rules[].omitStages")
                default: try reader.skipNode()
                }
            }
            rules.append(draft)
        }
        return rules
    }

    /// `resources`: strings in an RBAC rule, `{group, resources, resourceNames}` mappings in an
    /// audit rule.
    private func decodeRuleResources(_ draft: inout RuleDraft) throws(YAMLStreamError) {
        try readSequence("rules[].resources") { () throws(YAMLStreamError) in
            guard let k = try node() else { return }
            if k == .mapping {
                draft.resourcesWereMappings = true
                var gr = AuditPolicy.GroupResources()
                try readMapping("rules[].resources[]") { (key) throws(YAMLStreamError) in
                    switch key {
                    case "group": gr.group = try readString("rules[].resources[].group") ?? ""
                    case "resources": gr.resources = try readStringList("rules[].resources[].resources")
                    case "resourceNames": gr.resourceNames = try readStringList("rules[].resources[].resourceNames")
                    default: try reader.skipNode()
                    }
                }
                draft.groupResources.append(gr)
            } else if let s = try readString("rules[].resources[]") {
                draft.rule.resources.append(s)
            }
        }
    }

    /// EncryptionConfiguration `resources`: which providers encrypt which resources. Keys are
    /// skipped as sensitive: their secrets are never read.
    private func decodeEncryptionResources() throws(YAMLStreamError) -> [EncryptionConfiguration.ResourceEncryption] {
        var out: [EncryptionConfiguration.ResourceEncryption] = []
        try readSequence("resources") { () throws(YAMLStreamError) in
            var entry = EncryptionConfiguration.ResourceEncryption(resources: [], providers: [])
            try readMapping("resources[]") { (key) throws(YAMLStreamError) in
                switch key {
                case "resources": entry.resources = try readStringList("resources[].resources")
                case "providers":
                    try readSequence("resources[].providers") { () throws(YAMLStreamError) in
                        try readMapping("providers[]") { (type) throws(YAMLStreamError) in
                            var provider = EncryptionConfiguration.Provider(type: type)
                            try readMapping("providers[].\(type)") { (field) throws(YAMLStreamError) in
                                switch field {
                                case "apiVersion" where type == "kms": provider.kmsAPIVersion = try readString("kms.apiVersion")
                                case "keys":
                                    try readSequence("\(type).keys") { () throws(YAMLStreamError) in
                                        provider.keyCount += 1
                                        try reader.skipSensitiveNode()  // name and secret: key material
                                    }
                                default: try reader.skipSensitiveNode()
                                }
                            }
                            entry.providers.append(provider)
                        }
                    }
                default: try reader.skipNode()
                }
            }
            out.append(entry)
        }
        return out
    }

    private func decodeAggregationRule() throws(YAMLStreamError) -> AggregationRule? {
        guard try node() != .null else {
            try reader.advance()
            return nil
        }
        var selectors: [LabelSelector] = []
        try readMapping("aggregationRule") { (key) throws(YAMLStreamError) in
            guard key == "clusterRoleSelectors" else { return try reader.skipNode() }
            try readSequence("aggregationRule.clusterRoleSelectors") { () throws(YAMLStreamError) in
                var labels: [(key: String, value: String)] = []
                var expressions: [LabelSelector.Requirement] = []
                try readMapping("clusterRoleSelectors[]") { (key) throws(YAMLStreamError) in
                    switch key {
                    case "matchLabels":
                        try readMapping("matchLabels") { (k) throws(YAMLStreamError) in
                            if let v = try readString("matchLabels.\(k)") {
                                labels.removeAll { $0.key == k }
                                labels.append((k, v))
                            }
                        }
                    case "matchExpressions":
                        try readSequence("matchExpressions") { () throws(YAMLStreamError) in
                            var req = LabelSelector.Requirement(key: "", operator: "")
                            try readMapping("matchExpressions[]") { (k) throws(YAMLStreamError) in
                                switch k {
                                case "key": req.key = try readString("matchExpressions[].key") ?? ""
                                case "operator": req.operator = try readString("matchExpressions[].operator") ?? ""
                                case "values": req.values = try readStringList("matchExpressions[].values")
                                default: try reader.skipNode()
                                }
                            }
                            expressions.append(req)
                        }
                    default: try reader.skipNode()
                    }
                }
                selectors.append(LabelSelector(matchLabels: labels, matchExpressions: expressions))
            }
        }
        return AggregationRule(clusterRoleSelectors: selectors)
    }

    private func decodeRoleRef(_ d: inout ObjectDraft) throws(YAMLStreamError) {
        var ref: (apiGroup: String?, kind: String?, name: String?) = (nil, nil, nil)
        var present = false
        try readMapping("roleRef") { (key) throws(YAMLStreamError) in
            present = true
            switch key {
            case "apiGroup": ref.apiGroup = try readString("roleRef.apiGroup")
            case "kind": ref.kind = try readString("roleRef.kind")
            case "name": ref.name = try readString("roleRef.name")
            default: try reader.skipNode()
            }
        }
        if present { d.roleRef = ref }
    }

    private func decodeSubjects() throws(YAMLStreamError) -> [Subject] {
        var subjects: [Subject] = []
        try readSequence("subjects") { () throws(YAMLStreamError) in
            let loc = location
            var s = Subject(kind: "", name: "")
            var apiVersion: String? = nil
            var hasName = false
            try readMapping("subjects[]") { (key) throws(YAMLStreamError) in
                switch key {
                case "kind": s.kind = try readString("subjects[].kind") ?? ""
                case "apiGroup": s.apiGroup = try readString("subjects[].apiGroup") ?? ""
                case "apiVersion": apiVersion = try readString("subjects[].apiVersion")  // v1alpha1
                case "name":
                    if let n = try readString("subjects[].name") {
                        s.name = n
                        hasName = true
                    }
                case "namespace": s.namespace = try readString("subjects[].namespace") ?? ""
                default: try reader.skipNode()
                }
            }
            if s.apiGroup.isEmpty, let apiVersion, let slash = apiVersion.firstIndex(of: "/") {
                s.apiGroup = String(apiVersion[..<slash])
            }
            if s.kind.isEmpty {
                error("subjects[]: kind is required", at: loc)
            } else if !hasName {
                error("subjects[]: name is required", at: loc)
            } else {
                subjects.append(s)
            }
        }
        return subjects
    }

    // MARK: Pod specs

    /// Decodes a Pod's `spec`, or a workload's `spec` (following `template` and
    /// `jobTemplate` down to the pod spec).
    private func decodeSpec(_ pod: inout PodDraft) throws(YAMLStreamError) {
        try readMapping("spec") { (key) throws(YAMLStreamError) in
            switch key {
            case "serviceAccountName": pod.serviceAccountName = try readString("spec.serviceAccountName")
            case "serviceAccount": pod.serviceAccount = try readString("spec.serviceAccount")
            case "automountServiceAccountToken":
                pod.template.automountServiceAccountToken = try readBool("spec.automountServiceAccountToken")
            case "nodeName": pod.template.nodeName = try readString("spec.nodeName")
            case "hostPID": pod.template.hostPID = try readBool("spec.hostPID") ?? false
            case "hostNetwork": pod.template.hostNetwork = try readBool("spec.hostNetwork") ?? false
            case "hostIPC": pod.template.hostIPC = try readBool("spec.hostIPC") ?? false
            case "containers", "initContainers", "ephemeralContainers":
                try readSequence("spec.\(key)") { () throws(YAMLStreamError) in try decodeContainer(&pod) }
            case "volumes":
                try readSequence("spec.volumes") { () throws(YAMLStreamError) in try decodeVolume(&pod) }
            case "imagePullSecrets":
                try readSequence("spec.imagePullSecrets") { () throws(YAMLStreamError) in
                    if let n = try readNameField("spec.imagePullSecrets[]", key: "name") {
                        pod.template.secretReferences.append(SecretReference(name: n, usage: .imagePullSecret))
                    }
                }
            case "template", "jobTemplate":
                try readMapping("spec.\(key)") { (k) throws(YAMLStreamError) in
                    if k == "spec" { try decodeSpec(&pod) } else { try reader.skipNode() }
                }
            default: try reader.skipNode()
            }
        }
    }

    /// Reads a mapping and returns the string under `key` (e.g. `{name: x}`), skipping the rest.
    private func readNameField(_ field: String, key: String) throws(YAMLStreamError) -> String? {
        var out: String? = nil
        try readMapping(field) { (k) throws(YAMLStreamError) in
            if k == key { out = try readString("\(field).\(k)") } else { try reader.skipNode() }
        }
        return out
    }

    private func decodeContainer(_ pod: inout PodDraft) throws(YAMLStreamError) {
        var name: String? = nil
        var refs: [SecretReference] = []
        try readMapping("containers[]") { (key) throws(YAMLStreamError) in
            switch key {
            case "name": name = try readString("containers[].name")
            case "env":
                try readSequence("env") { () throws(YAMLStreamError) in
                    try readMapping("env[]") { (k) throws(YAMLStreamError) in
                        guard k == "valueFrom" else { return try reader.skipNode() }
                        try readMapping("env[].valueFrom") { (k2) throws(YAMLStreamError) in
                            guard k2 == "secretKeyRef" else { return try reader.skipNode() }
                            if let n = try readNameField("env[].valueFrom.secretKeyRef", key: "name") {
                                refs.append(SecretReference(name: n, usage: .env))
                            }
                        }
                    }
                }
            case "envFrom":
                try readSequence("envFrom") { () throws(YAMLStreamError) in
                    try readMapping("envFrom[]") { (k) throws(YAMLStreamError) in
                        guard k == "secretRef" else { return try reader.skipNode() }
                        if let n = try readNameField("envFrom[].secretRef", key: "name") {
                            refs.append(SecretReference(name: n, usage: .envFrom))
                        }
                    }
                }
            case "securityContext":
                try readMapping("securityContext") { (k) throws(YAMLStreamError) in
                    if k == "privileged" {
                        if try readBool("securityContext.privileged") == true { pod.template.privileged = true }
                    } else {
                        try reader.skipNode()
                    }
                }
            default: try reader.skipNode()
            }
        }
        for var r in refs {
            r.container = name
            pod.template.secretReferences.append(r)
        }
    }

    private func decodeVolume(_ pod: inout PodDraft) throws(YAMLStreamError) {
        try readMapping("volumes[]") { (key) throws(YAMLStreamError) in
            switch key {
            case "secret":
                if let n = try readNameField("volumes[].secret", key: "secretName") {
                    pod.template.secretReferences.append(SecretReference(name: n, usage: .volume))
                }
            case "hostPath":
                pod.template.hostPathVolumes = true
                try reader.skipNode()
            case "projected":
                try readMapping("volumes[].projected") { (k) throws(YAMLStreamError) in
                    guard k == "sources" else { return try reader.skipNode() }
                    try readSequence("projected.sources") { () throws(YAMLStreamError) in
                        try readMapping("projected.sources[]") { (k2) throws(YAMLStreamError) in
                            guard k2 == "secret" else { return try reader.skipNode() }
                            if let n = try readNameField("projected.sources[].secret", key: "name") {
                                pod.template.secretReferences.append(SecretReference(name: n, usage: .projectedVolume))
                            }
                        }
                    }
                }
            default: try reader.skipNode()
            }
        }
    }
}
