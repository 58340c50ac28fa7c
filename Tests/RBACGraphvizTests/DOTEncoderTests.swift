import Testing

@testable import RBACGraphviz

@Suite("DOT encoder")
struct DOTEncoderTests {
    @Test("IDs are written exactly, with only %, \", \\ and control characters percent-encoded", arguments: [
        ("plain", #""plain""#),
        ("sa:prod/api", #""sa:prod/api""#),
        (#"say "hi""#, #""say %22hi%22""#),
        (#"ends with \"#, #""ends with %5C""#),
        (#"a\"b"#, #""a%5C%22b""#),
        ("two\nlines", #""two%0Alines""#),
        ("100%", #""100%25""#),
        ("ünïcødé 名前 🚀", #""ünïcødé 名前 🚀""#),
        ("", #""""#),
    ])
    func ids(id: String, expected: String) {
        #expect(DOTEncoder.quotedID(id) == expected)
    }

    @Test("Distinct IDs stay distinct")
    func idsAreInjective() {
        let ids = ["a%22b", "a\"b", "a%b", "a%25b", "a\\b", "a%5Cb", "a\nb", "a%0Ab"]
        #expect(Set(ids.map(DOTEncoder.quotedID)).count == ids.count)
    }

    @Test("Text is escaped for escString attributes", arguments: [
        ("plain", #""plain""#),
        (#"say "hi""#, #""say \"hi\"""#),
        (#"C:\dir\"#, #""C:\\dir\\""#),
        (#"\N and \G stay literal"#, #""\\N and \\G stay literal""#),
        ("line\nbreak", #""line\nbreak""#),
        ("tab\there", #""tab\\there""#),
        ("esc\u{1B}[31m", #""esc\\x1b[31m""#),
        ("名前", #""名前""#),
    ])
    func text(text: String, expected: String) {
        #expect(DOTEncoder.quotedText(text) == expected)
    }

    @Test("HTML text escapes markup characters and shows control characters")
    func htmlText() {
        #expect(DOTHTML.text(#"<b>&"x'</b>"#).markup == "&lt;b&gt;&amp;&quot;x&#39;&lt;/b&gt;")
        #expect(DOTHTML.text("a\nb\u{7}").markup == #"a\\nb\\x07"#)
        #expect(DOTHTML.text(#"\N"#).markup == #"\\N"#)
        #expect(DOTHTML.text("ünï").markup == "ünï")
    }

    @Test("A document encodes in the order it was built")
    func document() {
        var g = DOTGraph(name: "g", attributes: ["rankdir": "LR"])
        g.nodeDefaults["shape"] = "box"
        g.subgraphs.append(DOTSubgraph(name: "cluster_a", attributes: ["label": "A"], nodes: [DOTNode("x", ["label": "X"])]))
        g.nodes.append(DOTNode("y", ["label": .html(.bold(.text("Y<")))]))
        g.edges.append(DOTEdge(from: "x", to: "y", ["color": "red", "my attr": "1"]))
        let expected = """
            digraph "g" {
              graph [rankdir="LR"];
              node [shape="box"];
              subgraph "cluster_a" {
                graph [label="A"];
                "x" [label="X"];
              }
              "y" [label=<<B>Y&lt;</B>>];
              "x" -> "y" [color="red", "my attr"="1"];
            }

            """
        #expect(DOTEncoder().encode(g) == expected)
        #expect(DOTEncoder().encode(g) == DOTEncoder().encode(g))
    }

    @Test("Setting an attribute again replaces it in place; nil removes it")
    func attributes() {
        var a: DOTAttributes = ["shape": "box", "color": "red", "style": "filled"]
        a["color"] = "blue"
        a["style"] = nil
        a["penwidth"] = 2
        #expect(a.pairs.map(\.key) == ["shape", "color", "penwidth"])
        #expect(a["color"] == "blue")
        #expect(a.merging(["shape": "ellipse"])["shape"] == "ellipse")
    }

    @Test("An undirected graph uses --")
    func undirected() {
        let g = DOTGraph(name: "u", directed: false, nodes: [DOTNode("a"), DOTNode("b")], edges: [DOTEdge(from: "a", to: "b")])
        let dot = DOTEncoder().encode(g)
        #expect(dot.hasPrefix("graph \"u\" {"))
        #expect(dot.contains(#""a" -- "b";"#))
    }
}
