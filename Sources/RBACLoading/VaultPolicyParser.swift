public import RBACCore

/// Parses a Vault ACL policy as `vault policy read NAME` prints it: the HCL subset Vault's
/// policies use (`path "…" { capabilities = [ … ] }`, the legacy `policy = "read"`, the
/// parameter, wrapping, MFA and control-group keys), `#`, `//` and `/* */` comments.
///
/// Strict as Vault is: an unknown key, an unknown capability, `+*` in a path or a value of
/// the wrong shape is an error, located `file:line:col`. Never crashes on garbage (nesting
/// is bounded).
public struct VaultPolicyParser {
    /// The keys a `path` stanza may hold (Vault's `parsePaths`).
    static let pathKeys: Set<String> = [
        "comment", "policy", "capabilities", "allowed_parameters", "denied_parameters", "required_parameters",
        "min_wrapping_ttl", "max_wrapping_ttl", "mfa_methods", "control_group", "subscribe_event_types",
    ]
    /// The keys that make a stanza's grant conditional.
    static let conditionKeys: Set<String> = [
        "allowed_parameters", "denied_parameters", "required_parameters", "min_wrapping_ttl", "max_wrapping_ttl",
        "mfa_methods", "control_group",
    ]

    public init() {}

    /// Parses `text` from `file` into a policy called `name`.
    /// - Throws: the first problem, as a located ``LoadDiagnostic``.
    public func parse(_ text: String, name: String, file: String) throws(LoadDiagnostic) -> VaultPolicy {
        var p = HCLParser(bytes: Array(text.utf8), file: file)
        let items = try p.parseBody(topLevel: true)
        var rules: [VaultPathRule] = []
        for item in items {
            switch item.key {
            case "name":
                continue
            case "path":
                guard let label = item.label else { throw p.error("path needs a quoted path: path \"secret/*\" { … }", at: item.location) }
                guard case .object(let body) = item.value else { throw p.error("path \"\(label)\" must be a block { … }", at: item.location) }
                rules.append(try rule(label, body: body, at: item.location, parser: p))
            default:
                throw p.error("invalid key \"\(item.key)\" (a policy holds path blocks)", at: item.location)
            }
        }
        return VaultPolicy(name: name, rules: rules, source: SourceLocation(file: file, line: 1, column: 1))
    }

    private func rule(_ label: String, body: [HCLParser.Item], at loc: SourceLocation, parser p: HCLParser) throws(LoadDiagnostic) -> VaultPathRule {
        var path = label
        if path.hasPrefix("/") { path.removeFirst() }
        if path.contains("+*") { throw p.error("path \"\(label)\": invalid use of wildcards ('+*' is forbidden)", at: loc) }
        var caps: VaultCapabilities = []
        var conditional = false
        for item in body {
            guard Self.pathKeys.contains(item.key) else {
                throw p.error("path \"\(label)\": invalid key \"\(item.key)\"", at: item.location)
            }
            if item.label != nil { throw p.error("path \"\(label)\": \(item.key) takes no label", at: item.location) }
            switch item.key {
            case "capabilities":
                guard case .list(let values) = item.value else {
                    throw p.error("path \"\(label)\": capabilities must be a list of strings", at: item.location)
                }
                for v in values {
                    guard case .string(let word, let at) = v else {
                        throw p.error("path \"\(label)\": capabilities must be a list of strings", at: item.location)
                    }
                    guard let c = VaultCapabilities(name: word) else {
                        throw p.error("path \"\(label)\": invalid capability \"\(word)\"", at: at)
                    }
                    caps.formUnion(c)
                }
            case "policy":
                guard case .string(let word, let at) = item.value else {
                    throw p.error("path \"\(label)\": policy must be a string", at: item.location)
                }
                guard let c = VaultCapabilities.legacy(word) else {
                    throw p.error("path \"\(label)\": invalid policy \"\(word)\"", at: at)
                }
                caps.formUnion(c)
            default:
                if Self.conditionKeys.contains(item.key) { conditional = true }
            }
        }
        if caps.contains(.deny) { caps = .deny }
        return VaultPathRule(path: path, capabilities: caps, isConditional: conditional, source: loc)
    }
}

/// A small HCL (version 1) reader: blocks, assignments, strings, numbers, booleans, lists
/// and objects, with positions. Only what Vault policies use.
struct HCLParser {
    indirect enum Value {
        case string(String, SourceLocation)
        case number(String)
        case bool(Bool)
        case list([Value])
        case object([Item])
    }

    struct Item {
        var key: String
        /// The quoted label of a block (`path "secret/*" { … }`).
        var label: String?
        var value: Value
        var location: SourceLocation
    }

    let bytes: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    static let maxDepth = 64

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    var location: SourceLocation { SourceLocation(file: file, line: line, column: i - lineStart + 1) }

    func error(_ message: String, at loc: SourceLocation? = nil) -> LoadDiagnostic {
        LoadDiagnostic(severity: .error, location: loc ?? location, message: message)
    }

    mutating func advance() {
        if bytes[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        i += 1
    }

    /// Skips spaces, newlines and comments.
    mutating func skipSpace() throws(LoadDiagnostic) {
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n") {
                advance()
            } else if c == UInt8(ascii: "#") || (c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "/")) {
                while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { advance() }
            } else if c == UInt8(ascii: "/") && peek(1) == UInt8(ascii: "*") {
                let start = location
                advance()
                advance()
                while i < bytes.count && !(bytes[i] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) { advance() }
                guard i < bytes.count else { throw error("unterminated /* comment", at: start) }
                advance()
                advance()
            } else {
                return
            }
        }
    }

    func peek(_ k: Int) -> UInt8? { i + k < bytes.count ? bytes[i + k] : nil }

    static func isIdentifier(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
            || c == UInt8(ascii: ".")
    }

    /// Items up to the end of input (`topLevel`) or a closing `}`.
    mutating func parseBody(topLevel: Bool) throws(LoadDiagnostic) -> [Item] {
        var items: [Item] = []
        while true {
            try skipSpace()
            guard i < bytes.count else {
                if topLevel { return items }
                throw error("unexpected end of file: missing }")
            }
            if bytes[i] == UInt8(ascii: "}") {
                if topLevel { throw error("unexpected }") }
                advance()
                return items
            }
            if bytes[i] == UInt8(ascii: ",") {
                advance()
                continue
            }
            let loc = location
            let key: String
            if bytes[i] == UInt8(ascii: "\"") {
                guard case .string(let s, _) = try parseString() else { throw error("expected a key") }
                key = s
            } else if Self.isIdentifier(bytes[i]) {
                let start = i
                while i < bytes.count && Self.isIdentifier(bytes[i]) { advance() }
                key = String(decoding: bytes[start..<i], as: UTF8.self)
            } else {
                throw error("expected a key, found \(describe(bytes[i]))")
            }
            try skipSpace()
            var label: String? = nil
            if i < bytes.count && bytes[i] == UInt8(ascii: "\"") {
                guard case .string(let s, _) = try parseString() else { throw error("expected a label") }
                label = s
                try skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "\"") { throw error("a block takes one label") }
            }
            guard i < bytes.count else { throw error("unexpected end of file after \"\(key)\"") }
            if bytes[i] == UInt8(ascii: "=") {
                advance()
                try skipSpace()
                items.append(Item(key: key, label: label, value: try parseValue(), location: loc))
            } else if bytes[i] == UInt8(ascii: "{") {
                items.append(Item(key: key, label: label, value: try parseObject(), location: loc))
            } else {
                throw error("expected = or { after \"\(key)\", found \(describe(bytes[i]))")
            }
        }
    }

    func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x\(String(c, radix: 16))"
    }

    mutating func parseObject() throws(LoadDiagnostic) -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw error("nested too deep") }
        advance()  // {
        return .object(try parseBody(topLevel: false))
    }

    mutating func parseValue() throws(LoadDiagnostic) -> Value {
        guard i < bytes.count else { throw error("expected a value, found the end of the file") }
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "\""): return try parseString()
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            if depth > Self.maxDepth { throw error("nested too deep") }
            advance()
            var values: [Value] = []
            while true {
                try skipSpace()
                guard i < bytes.count else { throw error("unexpected end of file: missing ]") }
                if bytes[i] == UInt8(ascii: "]") {
                    advance()
                    return .list(values)
                }
                values.append(try parseValue())
                try skipSpace()
                guard i < bytes.count else { throw error("unexpected end of file: missing ]") }
                if bytes[i] == UInt8(ascii: ",") {
                    advance()
                } else if bytes[i] != UInt8(ascii: "]") {
                    throw error("expected , or ] in a list, found \(describe(bytes[i]))")
                }
            }
        case UInt8(ascii: "<"):
            throw error("heredoc strings are not supported here: use a quoted string")
        default:
            if Self.isIdentifier(c) {
                let start = i
                while i < bytes.count && Self.isIdentifier(bytes[i]) { advance() }
                let word = String(decoding: bytes[start..<i], as: UTF8.self)
                if word == "true" { return .bool(true) }
                if word == "false" { return .bool(false) }
                if let f = word.utf8.first, f >= UInt8(ascii: "0") && f <= UInt8(ascii: "9") || f == UInt8(ascii: "-") {
                    return .number(word)
                }
                throw error("expected a value, found \(word)", at: SourceLocation(file: file, line: line, column: start - lineStart + 1))
            }
            throw error("expected a value, found \(describe(c))")
        }
    }

    /// A double-quoted string with Go-style escapes.
    mutating func parseString() throws(LoadDiagnostic) -> Value {
        let loc = location
        advance()  // "
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw error("unterminated string", at: loc) }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                advance()
                break
            }
            if c == UInt8(ascii: "\n") { throw error("newline in a string", at: loc) }
            if c == UInt8(ascii: "\\") {
                advance()
                guard i < bytes.count else { throw error("unterminated string", at: loc) }
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                default: throw error("unknown escape \\\(describe(bytes[i]))")
                }
                advance()
                continue
            }
            out.append(c)
            advance()
        }
        return .string(String(decoding: out, as: UTF8.self), loc)
    }
}
