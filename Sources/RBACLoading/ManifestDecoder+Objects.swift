import RBACCore

/// The object at a document's root or in a List's `items`: its kind, metadata, and which of
/// its fields are decoded; API server configuration files (EncryptionConfiguration).
extension ManifestDecoder {
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
        try decodeFields(of: &d, topLevel: topLevel, item: item)
        reportDuplicateKeys()
        if errorCount != errorsBefore { d.invalid = true }
        return d
    }

    /// The fields of an object, into `d` (an `inout` rather than a local the closures below
    /// capture: the draft is returned without a copy).
    private func decodeFields(of d: inout ObjectDraft, topLevel: Bool, item: (ObjectDraft) -> Void) throws(YAMLStreamError) {
        var skipRest = false
        try readFields("object") { (key) throws(YAMLStreamError) in
            if skipRest {
                try reader.skipNode()
                return
            }
            switch key {
            case .apiVersion: d.apiVersion = try readString("apiVersion")
            case .kind:
                d.kind = try readString("kind")
                if topLevel { topLevelKind = d.kind }
                if let kind = d.kind, !Self.keptKinds.contains(kind), !kind.hasSuffix("List") { skipRest = true }
            case .metadata: try decodeMetadata(&d)
            case .rules: d.rules = try decodeRules()
            case .aggregationRule: d.aggregationRule = try decodeAggregationRule()
            case .roleRef: try decodeRoleRef(&d)
            case .subjects: d.subjects = try decodeSubjects()
            case .items where topLevel:
                try readSequence("items") { () throws(YAMLStreamError) in
                    if let draft = try decodeObject(topLevel: false, item: item) { item(draft) }
                }
            case .spec:
                if let kind = d.kind ?? (topLevel ? nil : itemKind), Self.externalKinds[kind] != nil {
                    d.externalSpec = try readTree("spec")
                } else if (d.kind ?? (topLevel ? nil : itemKind)) == "CustomResourceDefinition" {
                    d.crd = try decodeCRDSpec()
                } else if d.kind.map(Workload.kinds.contains) ?? true {
                    if d.kind == nil { d.specBeforeKind = true }
                    try decodeSpec(&d.pod)
                } else {
                    try reader.skipNode()
                }
            case .resources:
                if d.kind == nil || d.kind == "EncryptionConfiguration" || d.kind == "EncryptionConfig" {
                    d.encryption = try decodeEncryptionResources()
                } else {
                    try reader.skipNode()
                }
            case .omitStages: d.omitStages = try readStringList("omitStages")
            case .type: d.type = try readString("type")
            case .secrets:
                try readSequence("secrets") { () throws(YAMLStreamError) in
                    try readFields("secrets[]") { (key) throws(YAMLStreamError) in
                        if key == .name {
                            // A null name is consumed by readString too: never skip after it.
                            if let n = try readString("secrets[].name") { d.serviceAccountSecrets.append(n) }
                        } else {
                            try reader.skipNode()
                        }
                    }
                }
            case .automountServiceAccountToken:
                d.automountServiceAccountToken = try readBool("automountServiceAccountToken")
            case .data, .stringData:
                // Secret values: never read, never kept, not even for anchors.
                try reader.skipSensitiveNode()
            default:
                // status, and everything else.
                try reader.skipNode()
            }
        }
    }

    func decodeMetadata(_ d: inout ObjectDraft) throws(YAMLStreamError) {
        try readFields("metadata") { (key) throws(YAMLStreamError) in
            switch key {
            case .name: d.name = try readString("metadata.name")
            case .namespace: d.namespace = try readString("metadata.namespace")
            case .labels: d.labels = try readStringMap("metadata.labels")
            case .continue: d.listContinue = try readString("metadata.continue")
            case .annotations:
                // Secrets (for their type's meaning) and RBAC objects (for the built-in
                // policy's `rbac.authorization.kubernetes.io/autoupdate`).
                if d.kind.map({ $0 == "Secret" || $0 == "Pod" || Self.rbacKinds.contains($0) }) ?? true {
                    d.annotations = try readStringMap("metadata.annotations", skipping: Self.lastAppliedAnnotation)
                } else {
                    try reader.skipNode()
                }
            default: try reader.skipNode()  // managedFields, uid, resourceVersion, …
            }
        }
    }


    /// EncryptionConfiguration `resources`: which providers encrypt which resources. Keys are
    /// skipped as sensitive: their secrets are never read.
    func decodeEncryptionResources() throws(YAMLStreamError) -> [EncryptionConfiguration.ResourceEncryption] {
        var out: [EncryptionConfiguration.ResourceEncryption] = []
        try readSequence("resources") { () throws(YAMLStreamError) in
            var entry = EncryptionConfiguration.ResourceEncryption(resources: [], providers: [])
            try readFields("resources[]") { (key) throws(YAMLStreamError) in
                switch key {
                case .resources: entry.resources = try readStringList("resources[].resources")
                case .providers:
                    try readSequence("resources[].providers") { () throws(YAMLStreamError) in
                        try readMapping("providers[]") { (type) throws(YAMLStreamError) in
                            var provider = EncryptionConfiguration.Provider(type: type)
                            try readFields("providers[].\(type)") { (field) throws(YAMLStreamError) in
                                switch field {
                                case .apiVersion where type == "kms": provider.kmsAPIVersion = try readString("kms.apiVersion")
                                case .keys:
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
}
