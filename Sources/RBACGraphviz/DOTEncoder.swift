/// Writes a ``DOTGraph`` as DOT text, in the document's order (so the output is as stable as
/// the document), with every string escaped for Graphviz's parser.
///
/// - IDs (graph, subgraph and node names) are written so that Graphviz reads back exactly the
///   given string for every ordinary name; the four things its lexer cannot carry through a
///   quoted string untouched — `%`, `"`, `\` and control characters — are percent-encoded
///   (`%25`, `%22`, `%5C`, `%0A`, …). The mapping is one-to-one: distinct IDs stay distinct
///   and the exact ID can be read back.
/// - Text values are quoted with `"` and `\` escaped; a newline becomes a centred line break
///   (`\n`) and other control characters are shown visibly (`\x1b`).
/// - HTML-like values are written between `<` `>` as built by ``DOTHTML``.
///
/// Needs no Graphviz: `rbacgraph graph -o dot` uses this alone.
public struct DOTEncoder: Sendable {
    /// Spaces per nesting level.
    public var indent: Int

    public init(indent: Int = 2) {
        self.indent = indent
    }

    /// The DOT text of a graph.
    /// - Complexity: O(n) in the size of the output.
    public func encode(_ graph: DOTGraph) -> String {
        var out = ""
        out.reserveCapacity(256 + graph.nodeCount * 256 + graph.edges.count * 96)
        out += graph.directed ? "digraph " : "graph "
        out += Self.quotedID(graph.name)
        out += " {\n"
        let pad = String(repeating: " ", count: indent)
        writeDefaults("graph", graph.attributes, pad: pad, into: &out)
        writeDefaults("node", graph.nodeDefaults, pad: pad, into: &out)
        writeDefaults("edge", graph.edgeDefaults, pad: pad, into: &out)
        for s in graph.subgraphs { write(s, level: 1, into: &out) }
        for n in graph.nodes { write(n, pad: pad, into: &out) }
        let arrow = graph.directed ? " -> " : " -- "
        for e in graph.edges {
            out += pad
            out += Self.quotedID(e.from)
            out += arrow
            out += Self.quotedID(e.to)
            writeList(e.attributes, into: &out)
            out += ";\n"
        }
        out += "}\n"
        return out
    }

    private func writeDefaults(_ keyword: String, _ attributes: DOTAttributes, pad: String, into out: inout String) {
        guard !attributes.isEmpty else { return }
        out += pad
        out += keyword
        writeList(attributes, into: &out)
        out += ";\n"
    }

    private func write(_ s: DOTSubgraph, level: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent * level)
        let inner = String(repeating: " ", count: indent * (level + 1))
        out += pad + "subgraph " + Self.quotedID(s.name) + " {\n"
        writeDefaults("graph", s.attributes, pad: inner, into: &out)
        for sub in s.subgraphs { write(sub, level: level + 1, into: &out) }
        for n in s.nodes { write(n, pad: inner, into: &out) }
        out += pad + "}\n"
    }

    private func write(_ n: DOTNode, pad: String, into out: inout String) {
        out += pad
        out += Self.quotedID(n.id)
        writeList(n.attributes, into: &out)
        out += ";\n"
    }

    private func writeList(_ attributes: DOTAttributes, into out: inout String) {
        guard !attributes.isEmpty else { return }
        out += " ["
        var first = true
        for (key, value) in attributes {
            if !first { out += ", " }
            first = false
            out += Self.isPlainIdentifier(key) ? key : Self.quotedID(key)
            out += "="
            Self.write(value, into: &out)
        }
        out += "]"
    }

    static func write(_ value: DOTValue, into out: inout String) {
        switch value {
        case .text(let s): out += quotedText(s)
        case .html(let h):
            out += "<"
            out += h.markup
            out += ">"
        }
    }

    // MARK: Escaping

    /// An ID as a quoted DOT string: `%`, `"`, `\` and control characters percent-encoded
    /// (UTF-8 bytes, `%XX`), everything else (non-ASCII included) as is.
    public static func quotedID(_ id: String) -> String {
        var out = "\""
        var needsWork = false
        for b in id.utf8 where b == 0x25 || b == 0x22 || b == 0x5C || b < 0x20 || b == 0x7F {
            needsWork = true
            break
        }
        if !needsWork {
            out += id
        } else {
            for scalar in id.unicodeScalars {
                let v = scalar.value
                if v == 0x25 || v == 0x22 || v == 0x5C || v < 0x20 || v == 0x7F {
                    out += "%" + hex2(UInt8(v))
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
        return out
    }

    /// The ID Graphviz sees for a node ID (the inverse of percent-decoding): what SVG `<title>`
    /// elements hold.
    public static func graphvizID(_ id: String) -> String {
        let q = quotedID(id)
        return String(q.dropFirst().dropLast())
    }

    /// Text as a quoted DOT string for an escString attribute (label, tooltip, …).
    public static func quotedText(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        var simple = true
        for b in s.utf8 where b == 0x22 || b == 0x5C || b < 0x20 || b == 0x7F {
            simple = false
            break
        }
        if simple {
            out += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        out += "\\" + visible(scalar)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
        return out
    }

    /// A control character as visible text: `\t`, `\r`, `\x1b`, `\x85`.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return "\\n"
        case "\t": return "\\t"
        case "\r": return "\\r"
        default: return "\\x" + hex2(UInt8(truncatingIfNeeded: scalar.value)).lowercased()
        }
    }

    static func hex2(_ b: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }

    static func isPlainIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(0x30...0x39).contains(first) else { return false }
        return s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}
