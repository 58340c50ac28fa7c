/// Appends YAML (and JSON) text in the style of `kubectl get -o yaml` (sigs.k8s.io/yaml): keys
/// sorted, sequences not indented under their key, strings quoted only when they must be.
struct YAMLText {
    var s: String

    init(capacity: Int = 16 << 10) {
        s = ""
        s.reserveCapacity(capacity)
    }

    private static let pad: [String] = (0..<64).map { String(repeating: " ", count: $0) }

    /// One line at indentation `d`.
    mutating func l(_ d: Int, _ t: String) {
        s += Self.pad[d]
        s += t
        s += "\n"
    }

    /// `key: value` with the value quoted when YAML would read it as something else.
    mutating func kv(_ d: Int, _ key: String, _ value: String) {
        s += Self.pad[d]
        s += key
        s += ": "
        s += YAMLText.scalar(value)
        s += "\n"
    }

    /// A `key: |` literal block (the value must end with a newline, as kubectl prints them).
    mutating func block(_ d: Int, _ key: String, _ value: String) {
        s += Self.pad[d]
        s += key
        s += ": |\n"
        var start = value.startIndex
        while start < value.endIndex {
            let end = value[start...].firstIndex(of: "\n") ?? value.endIndex
            if end > start {
                s += Self.pad[d + 2]
                s += value[start..<end]
            }
            s += "\n"
            start = end == value.endIndex ? end : value.index(after: end)
        }
    }

    /// A sequence of strings (`- item` lines at `d`).
    mutating func list(_ d: Int, _ key: String, _ items: [String]) {
        l(d, key + ":")
        for i in items { l(d, "- " + YAMLText.scalar(i)) }
    }

    /// A scalar as go-yaml prints it: plain when unambiguous, else double-quoted.
    static func scalar(_ v: String) -> String {
        if needsQuotes(v) { return "\"" + v + "\"" }
        return v
    }

    private static let reserved: Set<String> = [
        "true", "false", "True", "False", "TRUE", "FALSE", "yes", "no", "Yes", "No", "on", "off", "On", "Off",
        "y", "n", "Y", "N", "null", "Null", "NULL", "~",
    ]

    static func needsQuotes(_ v: String) -> Bool {
        guard let first = v.utf8.first else { return true }
        if reserved.contains(v) { return true }
        // Numbers, timestamps and versions look like numbers to a YAML 1.1 reader.
        if (first >= 48 && first <= 57) || first == UInt8(ascii: "-") || first == UInt8(ascii: ".")
            || first == UInt8(ascii: "+")
        {
            var allNumeric = true
            for c in v.utf8 where !((c >= 48 && c <= 57) || c == 46 || c == 45 || c == 58 || c == 43 || c == 84 || c == 90 || c == 101) {
                allNumeric = false
                break
            }
            if allNumeric { return true }
        }
        switch first {
        case UInt8(ascii: "*"), UInt8(ascii: "&"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"),
            UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"),
            UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "?"), UInt8(ascii: " "):
            return true
        default:
            break
        }
        if v.contains(": ") || v.contains(" #") || v.hasSuffix(":") || v.hasSuffix(" ") { return true }
        return false
    }

    /// A JSON string literal (only `"`, `\` and newlines need escaping in what we generate).
    static func json(_ v: String) -> String {
        var needs = false
        for c in v.utf8 where c == 34 || c == 92 || c == 10 {
            needs = true
            break
        }
        if !needs { return "\"" + v + "\"" }
        var out = "\""
        for ch in v.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    static func jsonArray(_ items: [String]) -> String {
        "[" + items.map(json).joined(separator: ",") + "]"
    }
}
