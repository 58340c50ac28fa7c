import RBACCore

/// Pod specs of Pods and workload templates: the service account, and what reaches secrets
/// or the node (volumes, env, privileged containers, host namespaces).
extension ManifestDecoder {
    /// Decodes a Pod's `spec`, or a workload's `spec` (following `template` and
    /// `jobTemplate` down to the pod spec).
    func decodeSpec(_ pod: inout PodDraft) throws(YAMLStreamError) {
        try readFields("spec") { (key) throws(YAMLStreamError) in
            switch key {
            case .serviceAccountName: pod.serviceAccountName = try readString("spec.serviceAccountName")
            case .serviceAccount: pod.serviceAccount = try readString("spec.serviceAccount")
            case .automountServiceAccountToken:
                pod.template.automountServiceAccountToken = try readBool("spec.automountServiceAccountToken")
            case .nodeName: pod.template.nodeName = try readString("spec.nodeName")
            case .hostPID: pod.template.hostPID = try readBool("spec.hostPID") ?? false
            case .hostNetwork: pod.template.hostNetwork = try readBool("spec.hostNetwork") ?? false
            case .hostIPC: pod.template.hostIPC = try readBool("spec.hostIPC") ?? false
            case .containers, .initContainers, .ephemeralContainers:
                try readSequence("spec.\(key.rawValue)") { () throws(YAMLStreamError) in try decodeContainer(&pod) }
            case .volumes:
                try readSequence("spec.volumes") { () throws(YAMLStreamError) in try decodeVolume(&pod) }
            case .imagePullSecrets:
                try readSequence("spec.imagePullSecrets") { () throws(YAMLStreamError) in
                    if let n = try readNameField("spec.imagePullSecrets[]", key: .name) {
                        pod.template.secretReferences.append(SecretReference(name: n, usage: .imagePullSecret))
                    }
                }
            case .template, .jobTemplate:
                try readFields("spec.\(key.rawValue)") { (k) throws(YAMLStreamError) in
                    switch k {
                    case .spec: try decodeSpec(&pod)
                    case .metadata: try decodeTemplateMetadata(&pod)
                    default: try reader.skipNode()
                    }
                }
            default: try reader.skipNode()
            }
        }
    }

    /// Reads a mapping and returns the string under `key` (e.g. `{name: x}`), skipping the rest.
    func readNameField(_ field: String, key: Field) throws(YAMLStreamError) -> String? {
        var out: String? = nil
        try readFields(field) { (k) throws(YAMLStreamError) in
            if k == key { out = try readString("\(field).\(k.rawValue)") } else { try reader.skipNode() }
        }
        return out
    }

    func decodeContainer(_ pod: inout PodDraft) throws(YAMLStreamError) {
        var name: String? = nil
        var refs: [SecretReference] = []
        var configMaps: [SecretReference] = []
        // For the External Secrets Operator's controller (ExternalSecretsController).
        var image: String? = nil
        var command: [String] = []
        var args: [String] = []
        try readFields("containers[]") { (key) throws(YAMLStreamError) in
            switch key {
            case .name: name = try readString("containers[].name")
            case .image: image = try readString("containers[].image")
            case .command: command = try readArguments()
            case .args: args = try readArguments()
            case .env:
                try readSequence("env") { () throws(YAMLStreamError) in
                    try readFields("env[]") { (k) throws(YAMLStreamError) in
                        guard k == .valueFrom else { return try reader.skipNode() }
                        try readFields("env[].valueFrom") { (k2) throws(YAMLStreamError) in
                            switch k2 {
                            case .secretKeyRef:
                                if let n = try readNameField("env[].valueFrom.secretKeyRef", key: .name) {
                                    refs.append(SecretReference(name: n, usage: .env))
                                }
                            case .configMapKeyRef:
                                if let n = try readNameField("env[].valueFrom.configMapKeyRef", key: .name) {
                                    configMaps.append(SecretReference(name: n, usage: .env))
                                }
                            default: try reader.skipNode()
                            }
                        }
                    }
                }
            case .envFrom:
                try readSequence("envFrom") { () throws(YAMLStreamError) in
                    try readFields("envFrom[]") { (k) throws(YAMLStreamError) in
                        switch k {
                        case .secretRef:
                            if let n = try readNameField("envFrom[].secretRef", key: .name) {
                                refs.append(SecretReference(name: n, usage: .envFrom))
                            }
                        case .configMapRef:
                            if let n = try readNameField("envFrom[].configMapRef", key: .name) {
                                configMaps.append(SecretReference(name: n, usage: .envFrom))
                            }
                        default: try reader.skipNode()
                        }
                    }
                }
            case .securityContext:
                try readFields("securityContext") { (k) throws(YAMLStreamError) in
                    if k == .privileged {
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
        for var r in configMaps {
            r.container = name
            pod.template.configMapEnvReferences.append(r)
        }
        if pod.template.externalSecretsController == nil, image != nil || !args.isEmpty || !command.isEmpty {
            // The kubelet runs `command` (else the image's entrypoint) with `args`.
            pod.template.externalSecretsController = ExternalSecretsController.running(
                container: name, image: image, arguments: Array(command.dropFirst()) + args)
        }
    }

    /// A container's `command` or `args`, read only for the External Secrets Operator's flag:
    /// the strings of a sequence; any other shape (which the API server refuses, but which
    /// decides nothing rbacgraph answers) is skipped without a word, as before it was read.
    func readArguments() throws(YAMLStreamError) -> [String] {
        guard let k = try node() else { return [] }  // an alias already reported and skipped
        guard k == .sequence else {
            try reader.skipNode()
            return []
        }
        var out: [String] = []
        try readSequence("args") { () throws(YAMLStreamError) in
            guard let item = try node() else { return }
            if item == .scalar {
                out.append(reader.scalarString())
                try reader.advance()
            } else {
                try reader.skipNode()
            }
        }
        return out
    }

    func decodeVolume(_ pod: inout PodDraft) throws(YAMLStreamError) {
        try readFields("volumes[]") { (key) throws(YAMLStreamError) in
            switch key {
            case .secret:
                if let n = try readNameField("volumes[].secret", key: .secretName) {
                    pod.template.secretReferences.append(SecretReference(name: n, usage: .volume))
                }
            case .hostPath:
                pod.template.hostPathVolumes = true
                try reader.skipNode()
            case .csi:
                if let c = try decodeCSIVolume() { pod.template.secretProviderClasses.append(c) }
            case .projected:
                try readFields("volumes[].projected") { (k) throws(YAMLStreamError) in
                    guard k == .sources else { return try reader.skipNode() }
                    try readSequence("projected.sources") { () throws(YAMLStreamError) in
                        try readFields("projected.sources[]") { (k2) throws(YAMLStreamError) in
                            switch k2 {
                            case .secret:
                                if let n = try readNameField("projected.sources[].secret", key: .name) {
                                    pod.template.secretReferences.append(SecretReference(name: n, usage: .projectedVolume))
                                }
                            case .serviceAccountToken:
                                // The kubelet mounts a token whatever automountServiceAccountToken says.
                                pod.template.projectsServiceAccountToken = true
                                try reader.skipNode()
                            default: try reader.skipNode()
                            }
                        }
                    }
                }
            default: try reader.skipNode()
            }
        }
    }
}
