import RBACCore

/// The specs of External Secrets Operator and Secrets Store CSI objects, read as small trees
/// (their providers are many and nested), with every field that may hold a literal value
/// (`value`, `valueMap`, templates, webhook headers and bodies) skipped unread.
extension ManifestDecoder {
    /// The kinds read this way, with the API group each must belong to.
    static let externalKinds: [String: String] = [
        "SecretStore": "external-secrets.io/", "ClusterSecretStore": "external-secrets.io/",
        "ExternalSecret": "external-secrets.io/", "ClusterExternalSecret": "external-secrets.io/",
        "PushSecret": "external-secrets.io/", "SecretProviderClass": "secrets-store.csi.x-k8s.io/",
    ]

    /// Keys whose values may be literal secrets: never read.
    static let literalKeys: Set<String> = ["value", "valueMap", "stringData", "template", "headers", "body", "literal"]

    /// Reads the node at the reader into a tree; `nil` for an alias that cannot be followed.
    func readTree(_ field: String, depth: Int = 0) throws(YAMLStreamError) -> JSONValue? {
        guard let k = try node() else { return nil }
        switch k {
        case .null:
            try reader.advance()
            return .null
        case .scalar:
            let s = reader.scalarString()
            try reader.advance()
            return .string(s)
        case .sequence:
            var items: [JSONValue] = []
            try readSequence(field) { () throws(YAMLStreamError) in
                if let v = try readTree(field + "[]", depth: depth + 1) { items.append(v) }
            }
            return .array(items)
        case .mapping:
            var pairs: [(String, JSONValue)] = []
            try readMapping(field) { (key) throws(YAMLStreamError) in
                if Self.literalKeys.contains(key) {
                    try reader.skipSensitiveNode()
                } else if let v = try readTree("\(field).\(key)", depth: depth + 1) {
                    pairs.append((key, v))
                }
            }
            return .object(pairs)
        }
    }
}

extension ManifestDecoder {
    /// A CustomResourceDefinition's `spec`: its group, plural, kind and scope (its versions and
    /// schemas are skipped unread).
    func decodeCRDSpec() throws(YAMLStreamError) -> (group: String?, plural: String?, kind: String?, scope: String?) {
        var out: (group: String?, plural: String?, kind: String?, scope: String?) = (nil, nil, nil, nil)
        try readFields("spec") { (k) throws(YAMLStreamError) in
            switch k {
            case .group: out.group = try readString("spec.group")
            case .scope: out.scope = try readString("spec.scope")
            case .names:
                try readFields("spec.names") { (n) throws(YAMLStreamError) in
                    switch n {
                    case .plural: out.plural = try readString("spec.names.plural")
                    case .kind: out.kind = try readString("spec.names.kind")
                    default: try reader.skipNode()
                    }
                }
            default: try reader.skipNode()
            }
        }
        return out
    }
}

/// What pods say about secrets outside Kubernetes: Secrets Store CSI volumes and the Vault
/// Agent injector's annotations.
extension ManifestDecoder {
    /// The prefix of the Vault Agent injector's annotations.
    static let vaultAnnotationPrefix = "vault.hashicorp.com/"

    /// A `volumes[].csi` of the Secrets Store CSI driver: its SecretProviderClass.
    func decodeCSIVolume() throws(YAMLStreamError) -> String? {
        var driver: String? = nil
        var providerClass: String? = nil
        try readFields("volumes[].csi") { (k) throws(YAMLStreamError) in
            switch k {
            case .driver: driver = try readString("volumes[].csi.driver")
            case .volumeAttributes:
                try readFields("volumes[].csi.volumeAttributes") { (a) throws(YAMLStreamError) in
                    if a == .secretProviderClass {
                        providerClass = try readString("volumeAttributes.secretProviderClass")
                    } else {
                        try reader.skipNode()
                    }
                }
            default: try reader.skipNode()
            }
        }
        guard driver == "secrets-store.csi.k8s.io" else { return nil }
        return providerClass
    }

    /// A pod template's `metadata`: the Vault Agent injector's annotations.
    func decodeTemplateMetadata(_ pod: inout PodDraft) throws(YAMLStreamError) {
        try readFields("template.metadata") { (k) throws(YAMLStreamError) in
            guard k == .annotations else { return try reader.skipNode() }
            let all = try readStringMap("template.metadata.annotations")
            pod.template.vaultAnnotations = all.filter { $0.key.hasPrefix(Self.vaultAnnotationPrefix) }
        }
    }
}
