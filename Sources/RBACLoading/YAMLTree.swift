public import RBACCore

/// A small YAML (or JSON) document as a ``JSONValue`` tree: for configuration files such as a
/// kubeconfig, never for manifests (``ManifestLoader`` decodes those without a tree).
///
/// Scalars become strings (null stays null); callers interpret `"true"` and numbers themselves,
/// which keeps quoting questions (`"true"` against `true`) out of this type. Aliases are
/// followed.
public enum YAMLTree {
    /// A parse failure: the message with its 1-based line and column.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var line: Int
        public var column: Int
        public var description: String { "\(line):\(column): \(message)" }
    }

    /// Parses the first document of `bytes`; an empty input is `.null`.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(ParseError) -> JSONValue {
        try parseDocuments(bytes, maxDepth: maxDepth, typed: false, limit: 1).first ?? .null
    }

    /// Parses every document of `bytes`. With `typed`, plain scalars become what YAML's core
    /// schema says they are (`true`/`false` booleans, integers and floats numbers), as a YAML
    /// to JSON conversion needs.
    public static func parseDocuments(
        _ bytes: [UInt8], maxDepth: Int = 256, typed: Bool, limit: Int = .max
    ) throws(ParseError) -> [JSONValue] {
        try parseDocuments(bytes, maxDepth: maxDepth, typed: typed, limit: limit, positions: nil)
    }

    /// Where each node of a parsed document starts (1-based), by its path from the root: a
    /// mapping's value by its key (the position is the key's), a sequence's item by its index
    /// (`["data", "bound_service_account_names", "0"]`).
    public typealias Positions = [[String]: (line: Int, column: Int)]

    /// Parses the first document of `bytes` as ``parseDocuments(_:maxDepth:typed:limit:)``
    /// does, and where each of its keys and sequence items is.
    public static func parseLocated(_ bytes: [UInt8], maxDepth: Int = 64, typed: Bool) throws(ParseError) -> (value: JSONValue, positions: Positions) {
        let recorder = PositionRecorder()
        let value = try parseDocuments(bytes, maxDepth: maxDepth, typed: typed, limit: 1, positions: recorder).first ?? .null
        return (value, recorder.positions)
    }

    /// Collects ``Positions`` during a parse.
    private final class PositionRecorder {
        var positions: Positions = [:]
    }

    private static func parseDocuments(
        _ bytes: [UInt8], maxDepth: Int, typed: Bool, limit: Int, positions: PositionRecorder?
    ) throws(ParseError) -> [JSONValue] {
        let feeder = InputFeeder(source: .memory(bytes, position: 0), maxEventBytes: 64 << 20)
        let reader = YAMLEventReader(feeder: feeder, maxDepth: maxDepth, maxAliasEvents: 1_000_000)
        var out: [JSONValue] = []
        do {
            try reader.advance()  // stream start
            while out.count < limit {
                try reader.advance()
                guard reader.kind == .documentStart else { break }
                try reader.advance()
                out.append(try node(reader, typed: typed, path: [], positions: positions))  // now at the document end
            }
        } catch {
            throw ParseError(message: error.message, line: error.line + 1, column: error.column + 1)
        }
        return out
    }

    private static func scalar(_ reader: YAMLEventReader, typed: Bool) -> JSONValue {
        if reader.scalarIsNull { return .null }
        let text = reader.scalarString()
        guard typed, reader.isPlainScalar else { return .string(text) }
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default:
            let numeric = text.first.map { $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." } ?? false
            if numeric, let d = Double(text), d.isFinite { return .number(d) }
            return .string(text)
        }
    }

    private static func node(
        _ reader: YAMLEventReader, typed: Bool = false, path: [String] = [], positions: PositionRecorder? = nil
    ) throws(YAMLStreamError) -> JSONValue {
        switch reader.kind {
        case .alias:
            if let problem = try reader.expandAlias() {
                let name: String
                switch problem {
                case .undefined(let n), .unavailable(let n): name = n
                }
                throw YAMLStreamError(kind: .syntax, message: "undefined alias *\(name)", line: reader.line, column: reader.column)
            }
            return try node(reader, typed: typed, path: path, positions: positions)
        case .scalar:
            let value = scalar(reader, typed: typed)
            try reader.advance()
            return value
        case .sequenceStart:
            try reader.advance()
            var items: [JSONValue] = []
            while reader.kind != .sequenceEnd {
                var item: [String] = []
                if let positions {
                    item = path + [String(items.count)]
                    positions.positions[item] = (reader.line + 1, reader.column + 1)
                }
                items.append(try node(reader, typed: typed, path: item, positions: positions))
            }
            try reader.advance()
            return .array(items)
        case .mappingStart:
            try reader.advance()
            var pairs: [(String, JSONValue)] = []
            while reader.kind != .mappingEnd {
                let at = (line: reader.line + 1, column: reader.column + 1)
                let key = try node(reader)
                let name = key.stringValue ?? key.serialized()
                if let positions { positions.positions[path + [name]] = at }
                let value = try node(reader, typed: typed, path: positions == nil ? [] : path + [name], positions: positions)
                pairs.append((name, value))
            }
            try reader.advance()
            return .object(pairs)
        default:
            throw YAMLStreamError(kind: .syntax, message: "unexpected YAML event", line: reader.line, column: reader.column)
        }
    }
}
