/// A JSON value: what audit logs and `rbacgraph eval` queries are parsed into, and what
/// paths, findings, eval answers and `-o json|yaml` output are built from.
/// Object keys keep their insertion order, so output is stable.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }
    public func hash(into h: inout Hasher) { h.combine(serialized()) }

    /// Parses one JSON text (RFC 8259). Object keys keep their order.
    /// - Parameter skipping: keys of the top-level object whose values are scanned past
    ///   without being built (an audit event's request and response bodies, which may hold
    ///   secret values, are never turned into strings).
    public static func parse(_ text: String, skipping: Set<String> = []) throws(JSONParseError) -> JSONValue {
        var p = JSONParser(bytes: Array(text.utf8))
        p.skipKeys = skipping
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i != p.bytes.count { throw p.fail("trailing characters") }
        return v
    }

    /// The value under `key` of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// Compact JSON, keys in insertion order.
    public func serialized() -> String {
        var out = JSONOutput()
        write(to: &out, indent: nil, level: 0)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Indented JSON (two spaces).
    public func prettySerialized() -> String {
        var out = JSONOutput()
        write(to: &out, indent: "  ", level: 0)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Writes indented JSON (``prettySerialized()``) and a line end to `sink` in pieces of
    /// about `chunk` bytes, as it goes: the text of a large value (a report, a diff) is never
    /// held whole in memory.
    public func writePretty(chunk: Int = 1 << 16, to sink: ([UInt8]) throws -> Void) rethrows {
        var out = JSONOutput()
        out.bytes.reserveCapacity(chunk + 4096)
        try write(to: &out, indent: "  ", level: 0) { bytes in
            guard bytes.count >= chunk else { return }
            try sink(bytes)
            bytes.removeAll(keepingCapacity: true)
        }
        out.bytes.append(10)
        try sink(out.bytes)
    }

    /// A member of an object written piece by piece (``writePretty(members:chunk:to:)``).
    public enum Member {
        /// A value built beforehand.
        case value(JSONValue)
        /// An array whose elements are built one at a time, as they are written.
        case elements(count: Int, element: (Int) -> JSONValue)

        /// The value whole (the array's elements all built).
        public var value: JSONValue {
            switch self {
            case .value(let v): return v
            case .elements(let count, let element): return .array((0..<count).map(element))
            }
        }
    }

    /// Writes the object of `members` as ``writePretty(chunk:to:)`` writes
    /// `.object(members.map { ($0, $1.value) })`, byte for byte, building the elements of
    /// ``Member/elements(count:element:)`` members one at a time: each is dropped once written.
    public static func writePretty(members: [(String, Member)], chunk: Int = 1 << 16, to sink: ([UInt8]) throws -> Void) rethrows {
        var out = JSONOutput()
        out.bytes.reserveCapacity(chunk + 4096)
        /// Writes `v` at `level`, handing `sink` what is written whenever it holds `chunk` bytes.
        func write(_ v: JSONValue, level: Int, to out: inout JSONOutput, sink: ([UInt8]) throws -> Void) rethrows {
            try v.write(to: &out, indent: "  ", level: level) { bytes in
                guard bytes.count >= chunk else { return }
                try sink(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
            if out.bytes.count >= chunk {
                try sink(out.bytes)
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        let indent = "  "
        if members.isEmpty {
            out += "{}"
        } else {
            out += "{"
            for (i, (key, member)) in members.enumerated() {
                if i > 0 { out += "," }
                out += "\n" + indent
                writeString(key, to: &out)
                out += ": "
                switch member {
                case .value(let v):
                    try write(v, level: 1, to: &out, sink: sink)
                case .elements(let count, _) where count == 0:
                    out += "[]"
                case .elements(let count, let element):
                    out += "["
                    for k in 0..<count {
                        if k > 0 { out += "," }
                        out += "\n" + indent + indent
                        try write(element(k), level: 2, to: &out, sink: sink)
                    }
                    out += "\n" + indent + "]"
                }
            }
            out += "\n}"
        }
        out.bytes.append(10)
        try sink(out.bytes)
    }

    /// UTF-8 bytes being written.
    private struct JSONOutput {
        var bytes: [UInt8] = []

        static func += (out: inout JSONOutput, s: String) {
            var s = s
            s.withUTF8 { out.bytes.append(contentsOf: $0) }
        }

        static func += (out: inout JSONOutput, s: Substring) {
            var s = s
            s.withUTF8 { out.bytes.append(contentsOf: $0) }
        }
    }

    private func write(to out: inout JSONOutput, indent: String?, level: Int) {
        write(to: &out, indent: indent, level: level) { _ in }
    }

    /// - Parameter drain: called after each value of an array or object, to take what is written so far.
    private func write(
        to out: inout JSONOutput, indent: String?, level: Int, drain: (inout [UInt8]) throws -> Void
    ) rethrows {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n):
            // JSON has no infinity or NaN: such a value (never parsed, only computed) is null.
            if !n.isFinite { out += "null" } else if n == n.rounded(), abs(n) < 1e15 { out += String(Int64(n)) } else { out += String(n) }
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                try v.write(to: &out, indent: indent, level: level + 1, drain: drain)
                try drain(&out.bytes)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                JSONValue.writeString(k, to: &out)
                out += indent == nil ? ":" : ": "
                try v.write(to: &out, indent: indent, level: level + 1, drain: drain)
                try drain(&out.bytes)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        }
    }

    private static func writeString(_ s: String, to out: inout JSONOutput) {
        out += "\""
        // Copy runs that need no escaping in one go.
        let utf8 = s.utf8
        var runStart = utf8.startIndex
        var i = runStart
        while i != utf8.endIndex {
            let b = utf8[i]
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i = utf8.index(after: i)
                continue
            }
            out += s[runStart..<i]
            switch b {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 10: out += "\\n"
            case 13: out += "\\r"
            case 9: out += "\\t"
            default:
                let hex = String(b, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
            i = utf8.index(after: i)
            runStart = i
        }
        out += s[runStart..<i]
        out += "\""
    }
}
