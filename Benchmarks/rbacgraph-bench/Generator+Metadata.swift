// The dump generator's shared pieces: resource versions, UIDs, names, timestamps and the
// metadata real API servers return (managedFields, last-applied annotations, owners).

import Foundation

extension DumpGenerator {
    mutating func emit(_ kind: Kind, _ y: YAMLText) {
        if rbacOnly && !kind.isRBAC { return }
        buffers[kind.rawValue] += y.s
        counts[kind.rawValue] += 1
    }

    mutating func nextResourceVersion() -> String {
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
}
