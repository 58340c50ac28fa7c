// Escaping text for Markdown and HTML, byte by byte: what Swift sees as one Character (`|`
// followed by a combining mark, `\r\n`) is still the bytes a Markdown or HTML reader splits
// on, so the escapes work on UTF-8 bytes, not on Characters.

enum TextEscaping {
    /// Text for a Markdown line or table cell: ``| * _ ` < > [ ] \`` get a backslash, and each
    /// line break (`\n`, `\r` or `\r\n`) becomes one space, so the text stays on its line.
    static func markdown(_ s: String) -> String {
        escape(s) { b, previous, out in
            switch b {
            case UInt8(ascii: "|"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            case UInt8(ascii: "\r"):
                out.append(UInt8(ascii: " "))
            case UInt8(ascii: "\n"):
                if previous != UInt8(ascii: "\r") { out.append(UInt8(ascii: " ")) }
            default:
                return false
            }
            return true
        }
    }

    /// Text for HTML element content: `& < > "` as entities.
    static func html(_ s: String) -> String {
        escape(s) { b, _, out in
            switch b {
            case UInt8(ascii: "&"): out += "&amp;".utf8
            case UInt8(ascii: "<"): out += "&lt;".utf8
            case UInt8(ascii: ">"): out += "&gt;".utf8
            case UInt8(ascii: "\""): out += "&quot;".utf8
            default: return false
            }
            return true
        }
    }

    /// `s` with every ASCII byte that `replace` writes otherwise (it returns `false` for a byte
    /// kept as it is; it is given the byte before, `nil` at the start); `s` itself when none is.
    private static func escape(_ s: String, _ replace: (UInt8, UInt8?, inout [UInt8]) -> Bool) -> String {
        var s = s
        return s.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 16)
            var changed = false
            var previous: UInt8? = nil
            for b in bytes {
                if b < 0x80, replace(b, previous, &out) { changed = true } else { out.append(b) }
                previous = b
            }
            return changed ? String(decoding: out, as: UTF8.self) : String(decoding: bytes, as: UTF8.self)
        }
    }
}
