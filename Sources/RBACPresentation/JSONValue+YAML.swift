// JSON values as block-style YAML (`-o yaml`).

import RBACCore

extension JSONValue {
    /// Block-style YAML for people (`-o yaml`).
    public func yamlSerialized() -> String {
        var out = ""
        writeYAML(to: &out, level: 0, inSequence: false)
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    private func writeYAML(to out: inout String, level: Int, inSequence: Bool) {
        let pad = String(repeating: "  ", count: level)
        switch self {
        case .array(let a):
            if a.isEmpty { out += " []\n"; return }
            out += "\n"
            for v in a {
                out += pad + "-"
                switch v {
                case .object(let pairs) where !pairs.isEmpty:
                    var first = true
                    for (k, val) in pairs {
                        out += (first ? " " : pad + "  ") + JSONValue.yamlScalar(k) + ":"
                        first = false
                        val.writeYAML(to: &out, level: level + 2, inSequence: false)
                    }
                default:
                    v.writeYAML(to: &out, level: level + 1, inSequence: true)
                }
            }
        case .object(let pairs):
            if pairs.isEmpty { out += " {}\n"; return }
            if level > 0 || inSequence { out += "\n" }
            for (k, v) in pairs {
                out += pad + JSONValue.yamlScalar(k) + ":"
                v.writeYAML(to: &out, level: level + 1, inSequence: false)
            }
        case .string(let s): out += " " + JSONValue.yamlScalar(s) + "\n"
        default: out += " " + serialized() + "\n"
        }
    }

    /// A scalar quoted when plain style would change its meaning.
    public static func yamlScalar(_ s: String) -> String {
        let special: Set<String> = ["", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
            "FALSE", "yes", "Yes", "no", "No", "on", "On", "off", "Off", "y", "n", "Y", "N"]
        let needsQuote = special.contains(s) || Double(s) != nil || s.first.map { "-?:,[]{}#&*!|>'\"%@` ".contains($0) } == true
            || s.last == " " || s.last == ":" || s.contains(": ") || s.contains(":\t") || s.contains(" #") || s.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{7f}" }
        if !needsQuote { return s }
        return JSONValue.string(s).serialized()
    }
}
