import Foundation
import Testing

@testable import RBACGraphviz

@Suite("Graphviz renderer")
struct GraphvizRendererTests {
    static let small = """
        digraph "g" {
          "user:alice" [label="alice", shape="ellipse"];
          "role:Role/prod/reader" [label="reader", shape="box"];
          "user:alice" -> "role:Role/prod/reader";
        }
        """

    @Test("SVG parses as XML and names the nodes")
    func svg() throws {
        let svg = try SVGContent(GraphvizRenderer.render(dot: Self.small, format: .svg))
        #expect(svg.titles.contains("user:alice"))
        #expect(svg.titles.contains("role:Role/prod/reader"))
        #expect(svg.texts.contains("alice"))
    }

    @Test("PNG and PDF have their magic bytes and a real size", arguments: [RenderFormat.png, .pdf])
    func binary(format: RenderFormat) throws {
        let bytes = try GraphvizRenderer.render(dot: Self.small, format: format)
        #expect(bytes.count > 1000)
        switch format {
        case .png: #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .pdf:
            #expect(Array(bytes.prefix(5)) == Array("%PDF-".utf8))
            #expect(String(decoding: bytes.suffix(64), as: UTF8.self).contains("%%EOF"))
        case .svg: break
        }
    }

    @Test("Invalid DOT throws a RenderError with Graphviz's message", arguments: [
        ("digraph { a -> }", "syntax error in line 1"),
        ("digraph { a [label=<<B>x</B]; }", "scanning a HTML string"),
        ("graph { a -> b }", "syntax error"),
        ("", "no graph in the input"),
    ])
    func invalid(dot: String, message: String) {
        #expect {
            _ = try GraphvizRenderer.render(dot: dot, format: .svg)
        } throws: { error in
            guard let e = error as? RenderError, case .invalidDOT(let m) = e else { return false }
            return m.contains(message) && !m.hasPrefix("Error")
        }
    }

    /// cgraph's lexer keeps what it read past the first graph and would parse it on the next
    /// call; the renderer drains it.
    @Test("Text left after a graph does not leak into the next render")
    func leftovers() throws {
        let two = "digraph a { \"in-a\" }\ndigraph b { \"in-b\" }\n"
        #expect(try SVGContent(GraphvizRenderer.render(dot: two, format: .svg)).titles.contains("in-a"))
        let next = try SVGContent(GraphvizRenderer.render(dot: Self.small, format: .svg))
        #expect(next.titles.contains("user:alice"))
        #expect(!next.titles.contains("in-b"))
        #expect {
            _ = try GraphvizRenderer.render(dot: "digraph { a -> }", format: .svg)
        } throws: { ($0 as? RenderError)?.message == "syntax error in line 1 near '}'" }
    }

    @Test("Graphviz's warnings are returned, not printed")
    func warnings() throws {
        let r = try GraphvizRenderer.rendering(dot: #"digraph { a [shape="no-such-shape"]; }"#, format: .svg)
        #expect(r.warnings.contains { $0.contains("no-such-shape") })
        _ = try SVGContent(r.bytes)
    }

    @Test("Hostile text survives DOT and SVG exactly")
    func hostileText() throws {
        let names = [
            #"quote " and \ backslash"#, "trailing backslash \\", "<script>alert(1)</script> & co", "ünïcødé 名前 🚀", #"\N\G\L"#,
        ]
        var g = DOTGraph(name: "h")
        for (i, name) in names.enumerated() {
            g.nodes.append(DOTNode("n:" + name, ["label": .text(name)]))
            g.nodes.append(DOTNode("html\(i)", ["label": .html(.text(name))]))
        }
        let svg = try SVGContent(GraphvizRenderer.render(g, format: .svg))
        for name in names {
            #expect(svg.titles.contains(DOTEncoder.graphvizID("n:" + name)), "title of \(name)")
            #expect(svg.texts.filter { $0 == name }.count == 2, "label of \(name)")
        }
    }

    /// Graphviz's SVG writer keeps `&name;` sequences of a text as entities, so a name holding
    /// one shows decoded in SVG: still valid XML, not byte-exact (a Graphviz limitation).
    @Test("Entity-like text stays valid SVG")
    func entityLikeText() throws {
        let g = DOTGraph(name: "e", nodes: [
            DOTNode("n:&amp;", ["label": .text("&amp; &lt;x&gt; &#65;")]), DOTNode("m", ["label": .html(.text("&quot;"))]),
        ])
        let svg = try SVGContent(GraphvizRenderer.render(g, format: .svg))
        #expect(svg.titles.contains("n:&"))
    }

    /// DOT text with `count` clusters of three nodes each, linked from one user.
    static func clusters(_ count: Int) -> String {
        var lines = [#"digraph "g" {"#]
        for c in 0..<count {
            lines.append(#"  subgraph "cluster_\#(c)" { label="ns-\#(c)"; "n\#(c)_0"; "n\#(c)_1"; "n\#(c)_2"; }"#)
        }
        for c in 0..<count {
            lines.append(#"  "user" -> "n\#(c)_0"; "n\#(c)_0" -> "n\#(c)_1"; "n\#(c)_1" -> "n\#(c)_2";"#)
        }
        return (lines + ["}"]).joined(separator: "\n") + "\n"
    }

    /// cgraph's default numbering made a named object's ID the address of its name, and `dot`
    /// visits clusters in ID order: after other renders in the process, the allocator handed
    /// out reused memory and the same text came out with its boxes elsewhere, differently on
    /// every run (the HTML report's pictures, 40 renders in one process).
    @Test("Clusters keep the order of the text, and a picture is the same on every render")
    func clusterOrder() throws {
        let dot = Self.clusters(12)
        let first = try GraphvizRenderer.render(dot: dot, format: .svg)
        let clusters = try SVGContent(first).titles.filter { $0.hasPrefix("cluster_") }
        #expect(clusters == (0..<12).map { "cluster_\($0)" })
        for round in 0..<5 {
            _ = try GraphvizRenderer.render(dot: Self.clusters(5 + 3 * round), format: .svg)
            #expect(try GraphvizRenderer.render(dot: dot, format: .svg) == first, "render \(round + 2)")
        }
    }

    @Test("Many renders, from many tasks, share one context")
    func manyRenders() async throws {
        let reference = try GraphvizRenderer.render(dot: Self.small, format: .svg)
        for _ in 0..<50 { #expect(try GraphvizRenderer.render(dot: Self.small, format: .svg) == reference) }
        let results = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for i in 0..<16 {
                group.addTask { try GraphvizRenderer.render(dot: Self.small, format: i % 2 == 0 ? .svg : .png) }
            }
            var out: [[UInt8]] = []
            for try await r in group { out.append(r) }
            return out
        }
        #expect(results.count == 16)
        #expect(results.filter { $0 == reference }.count == 8)
        // An error in between leaves the context usable.
        #expect(throws: RenderError.self) { try GraphvizRenderer.render(dot: "digraph {", format: .svg) }
        #expect(try GraphvizRenderer.render(dot: Self.small, format: .svg) == reference)
    }
}
