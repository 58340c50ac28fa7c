#if canImport(Glibc)
import Glibc
#endif

/// The mapping keys the object decoders look for, recognised from a key's bytes: the
/// decoders switch over a `Field` instead of comparing a `String` made for every key (every
/// object has a dozen keys; none of them needs to become a `String`).
///
/// A key is compared by its text, whatever its YAML style (`kind`, `"kind"` and `'kind'` are
/// the same field), exactly as comparing the decoded `String` did. Keys the decoders do not
/// look for are ``other``.
enum Field: String, CaseIterable {
    case other = ""
    /// `<<`: a merge key (`<<: *anchor`).
    case merge = "<<"
    // Objects.
    case apiVersion, kind, metadata, rules, aggregationRule, roleRef, subjects, items, spec, resources
    case omitStages, type, secrets, automountServiceAccountToken, data, stringData
    // Metadata.
    case name, namespace, labels, annotations
    case `continue`
    // Rules (RBAC and audit Policy).
    case verbs, apiGroups, resourceNames, nonResourceURLs, level, users, userGroups, namespaces, group
    // Aggregation rules.
    case clusterRoleSelectors, matchLabels, matchExpressions, key, `operator`, values
    // Subjects and roleRef.
    case apiGroup
    // EncryptionConfiguration.
    case providers, keys
    // Pod specs.
    case serviceAccountName, serviceAccount, nodeName, hostPID, hostNetwork, hostIPC
    case containers, initContainers, ephemeralContainers, volumes, imagePullSecrets, template, jobTemplate
    case env, envFrom, valueFrom, secretKeyRef, secretRef, configMapKeyRef, configMapRef, securityContext, privileged
    case image, command, args
    case names, plural, scope
    case secret, secretName, hostPath, csi, projected, sources, serviceAccountToken
    case driver, volumeAttributes, secretProviderClass

    /// The field whose name is `bytes`; ``other`` for any other key.
    static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> Field {
        FieldTable.shared.lookup(bytes)
    }
}

/// An open-addressing table from a key's bytes to its ``Field``: one probe for most keys
/// (a hash of the length and the first and last bytes), then one `memcmp`.
private struct FieldTable {
    nonisolated(unsafe) static let shared = FieldTable()

    private static let slotCount = 512  // a power of two, over 4× the fields
    /// `Field` raw indexes + 1 (0: empty slot).
    private let slots: UnsafeMutablePointer<UInt8>
    /// Each field's name: `names[i]` for the field of index `i` in `Field.allCases`.
    private let names: [(start: UnsafePointer<UInt8>, count: Int)]
    private let fields: [Field]

    private init() {
        fields = Field.allCases
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: 0, count: Self.slotCount)
        var names: [(start: UnsafePointer<UInt8>, count: Int)] = []
        for (i, f) in fields.enumerated() {
            let utf8 = Array(f.rawValue.utf8)
            let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(utf8.count, 1))
            p.initialize(from: utf8, count: utf8.count)
            names.append((UnsafePointer(p), utf8.count))
            guard f != .other else { continue }
            var s = Self.hash(UnsafeBufferPointer(start: p, count: utf8.count))
            while slots[s] != 0 { s = (s + 1) & (Self.slotCount - 1) }
            slots[s] = UInt8(i + 1)
        }
        self.names = names
    }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let p = b.baseAddress, b.count > 0 else { return 0 }
        let n = b.count
        let h = UInt32(n) &* 0x9E37_79B1 ^ UInt32(p[0]) &* 0x85EB_CA77 ^ UInt32(p[n - 1]) &* 0xC2B2_AE3D
            ^ UInt32(p[n >> 1]) &* 0x27D4_EB2F
        return Int((h ^ (h >> 15)) & UInt32(slotCount - 1))
    }

    @inline(__always)
    func lookup(_ b: UnsafeBufferPointer<UInt8>) -> Field {
        guard let p = b.baseAddress, b.count > 1, b.count <= 32 else { return .other }
        var s = Self.hash(b)
        while true {
            let v = Int(slots[s])
            if v == 0 { return .other }
            let name = names[v - 1]
            if name.count == b.count && memcmp(name.start, p, b.count) == 0 { return fields[v - 1] }
            s = (s + 1) & (Self.slotCount - 1)
        }
    }
}
