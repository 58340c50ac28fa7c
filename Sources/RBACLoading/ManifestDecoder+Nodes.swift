import RBACCore

/// Reading YAML nodes: the primitives every object decoder is written with.
extension ManifestDecoder {
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

    func describe(_ kind: NodeKind) -> String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar: return "a scalar"
        case .null: return "null"
        }
    }

    // `field` (a field path such as `rules[].verbs`, for messages) is an autoclosure
    // everywhere: it is only built when something is reported.

    /// Reports a wrong node kind for `field` and skips the node.
    func wrongShape(_ field: @autoclosure () -> String, expected: String, found: NodeKind) throws(YAMLStreamError) {
        error("\(field()) must be \(expected), not \(describe(found))")
        try reader.skipNode()
    }

    /// Reads a scalar as a string; `nil` for null or a wrong shape (reported).
    func readString(_ field: @autoclosure () -> String) throws(YAMLStreamError) -> String? {
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
            try wrongShape(field(), expected: "a string", found: k)
            return nil
        }
    }

    /// Reads a boolean (`true`/`false`, and YAML 1.1's `yes`/`no`/`on`/`off`).
    func readBool(_ field: @autoclosure () -> String) throws(YAMLStreamError) -> Bool? {
        let loc = location
        guard let s = try readString(field()) else { return nil }
        switch s {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default:
            error("\(field()) must be true or false, not \"\(s)\"", at: loc)
            return nil
        }
    }

    /// Calls `body` with the reader at each item of a sequence; `body` consumes the item.
    /// Null is an empty sequence.
    func readSequence(_ field: @autoclosure () -> String, _ body: () throws(YAMLStreamError) -> Void) throws(YAMLStreamError) {
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
            try wrongShape(field(), expected: "a sequence", found: k)
        }
    }

    /// Calls `body` with each key of a mapping and the reader at its value; `body` consumes
    /// the value. Null is an empty mapping. Merge keys (`<<: *anchor`) are followed.
    func readMapping(_ field: @autoclosure () -> String, _ body: (String) throws(YAMLStreamError) -> Void) throws(YAMLStreamError) {
        try readKeyed(field(), key: { $0.scalarString() }, isMerge: { $0 == "<<" }, body)
    }

    /// ``readMapping(_:_:)`` for a mapping whose keys are field names: `body` gets each key
    /// as a ``Field``, recognised from its bytes (no `String` is made for a key).
    func readFields(_ field: @autoclosure () -> String, _ body: (Field) throws(YAMLStreamError) -> Void) throws(YAMLStreamError) {
        try readKeyed(field(), key: { $0.scalarField }, isMerge: { $0 == .merge }, body)
    }

    /// The loop of ``readMapping(_:_:)`` and ``readFields(_:_:)``: `key` reads the current
    /// key scalar, `isMerge` tells a merge key.
    @inline(__always)
    private func readKeyed<Key>(
        _ field: @autoclosure () -> String, key: (YAMLEventReader) -> Key, isMerge: (Key) -> Bool,
        _ body: (Key) throws(YAMLStreamError) -> Void
    ) throws(YAMLStreamError) {
        guard let k = try node() else { return }
        switch k {
        case .mapping:
            try reader.advance()
            while reader.kind != .mappingEnd {
                guard reader.kind == .scalar else {
                    // Only a node can be a key here; an end event means a reader of a value
                    // consumed too much or too little. Stop rather than loop past the stream's end.
                    guard reader.kind == .mappingStart || reader.kind == .sequenceStart || reader.kind == .alias else {
                        throw YAMLStreamError(
                            kind: .syntax, message: "\(field()): internal error: the decoder lost its place in the mapping",
                            line: reader.line, column: reader.column)
                    }
                    error("\(field()): mapping keys must be scalars")
                    try reader.skipNode()  // the key
                    try reader.skipNode()  // its value
                    continue
                }
                reportDuplicateKeys()
                let name = key(reader)
                try reader.advance()
                if isMerge(name) {
                    // `<<: *anchor` or `<<: [*a, *b]`: the keys of the mappings merged in.
                    guard let m = try node() else { continue }
                    if m == .sequence {
                        try readSequence(field()) { () throws(YAMLStreamError) in
                            try readKeyed(field(), key: key, isMerge: isMerge, body)
                        }
                    } else {
                        try readKeyed(field(), key: key, isMerge: isMerge, body)
                    }
                } else {
                    try body(name)
                }
            }
            try reader.advance()
        case .null:
            try reader.advance()
        default:
            try wrongShape(field(), expected: "a mapping", found: k)
        }
    }

    /// Reads a sequence of strings.
    func readStringList(_ field: @autoclosure () -> String) throws(YAMLStreamError) -> [String] {
        let start = scratch.count
        defer { dropScratch(from: start) }
        try readStrings(field(), into: &scratch)
        return scratchStrings(from: start)
    }

    /// The strings of ``scratch`` from `start` on, as an array of exactly their size (never
    /// sharing the scratch's buffer, as `Array(scratch[start...])` would).
    func scratchStrings(from start: Int) -> [String] {
        let n = scratch.count - start
        guard n > 0 else { return [] }
        var out: [String] = []
        out.reserveCapacity(n)
        for i in start..<scratch.count { out.append(scratch[i]) }
        return out
    }

    /// Ends the use of ``scratch`` from `start` on.
    func dropScratch(from start: Int) {
        while scratch.count > start { scratch.removeLast() }
    }

    /// Appends the strings of a sequence to `out`.
    ///
    /// ``readStringList(_:)`` collects them in ``scratch`` (kept between lists) and makes the
    /// list in one allocation of the right size: no array grows item by item.
    func readStrings(_ field: @autoclosure () -> String, into out: inout [String]) throws(YAMLStreamError) {
        try readSequence(field()) { () throws(YAMLStreamError) in
            if let s = try readString(field() + "[]") { out.append(s) }
        }
    }

    /// Reads a mapping of strings to strings, skipping the values of `skipping` unread.
    func readStringMap(_ field: @autoclosure () -> String, skipping: String? = nil) throws(YAMLStreamError) -> [String: String] {
        var out: [String: String] = [:]
        try readMapping(field()) { (key) throws(YAMLStreamError) in
            if key == skipping {
                try reader.skipSensitiveNode()
            } else if let v = try readString("\(field()).\(key)") {
                out[key] = v
            }
        }
        return out
    }
}
