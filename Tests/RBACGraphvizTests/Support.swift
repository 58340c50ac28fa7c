import Foundation
import RBACCore
import RBACLoading
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Where the fixtures are: next to this file (no resource bundles), and the repository's
/// `samples/`.
enum Fixture {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let samples = repository.appendingPathComponent("samples").path

    static func golden(_ name: String) -> URL {
        testsDirectory.appendingPathComponent("Fixtures/golden").appendingPathComponent(name)
    }

    /// The access graph of `samples/`, loaded once, with source files named from the
    /// repository (`samples/teams.yaml`) so golden files do not depend on the checkout's path.
    static let sampleGraph: AccessGraph = {
        var cluster = try! ManifestLoader().load(paths: [samples]).cluster
        let prefix = repository.path + "/"
        func relative(_ s: inout RBACCore.SourceLocation?) {
            if let f = s?.file, f.hasPrefix(prefix) { s?.file = String(f.dropFirst(prefix.count)) }
        }
        for i in cluster.roles.indices { relative(&cluster.roles[i].source) }
        for i in cluster.bindings.indices { relative(&cluster.bindings[i].source) }
        return AccessGraph(cluster)
    }()

    /// A graph of YAML text.
    static func graph(yaml: String) -> AccessGraph {
        AccessGraph(try! ManifestLoader().load(yaml: yaml).cluster)
    }
}

/// Compares text with a golden file; `RBACGRAPH_RECORD=1` (re)writes the file instead.
func expectGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let url = Fixture.golden(name)
    if ProcessInfo.processInfo.environment["RBACGRAPH_RECORD"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden file \(name): run with RBACGRAPH_RECORD=1", sourceLocation: sourceLocation)
        return
    }
    if actual != expected {
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
        Issue.record(
            """
            \(name) differs at line \(line + 1) (re-record with RBACGRAPH_RECORD=1 if intended):
              expected: \(line < e.count ? String(e[line]) : "<end>")
              actual:   \(line < a.count ? String(a[line]) : "<end>")
            """, sourceLocation: sourceLocation)
    }
}

/// What an SVG says: it parses as XML, and these are its `<title>`s (Graphviz writes a node's
/// ID there) and its text.
struct SVGContent {
    var titles: [String] = []
    var texts: [String] = []

    init(_ bytes: [UInt8]) throws {
        let collector = Collector()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = collector
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw SVGError(message: parser.parserError.map { "\($0)" } ?? "unknown XML error")
        }
        guard collector.root == "svg" else { throw SVGError(message: "root element is \(collector.root ?? "none")") }
        titles = collector.titles
        texts = collector.texts
    }

    struct SVGError: Error, CustomStringConvertible {
        var message: String
        var description: String { "not valid SVG: \(message)" }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var root: String?
        var titles: [String] = []
        var texts: [String] = []
        var current: String?
        var buffer = ""

        func parser(_ p: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if root == nil { root = name }
            if name == "title" || name == "text" {
                current = name
                buffer = ""
            }
        }

        func parser(_ p: XMLParser, foundCharacters string: String) {
            if current != nil { buffer += string }
        }

        func parser(_ p: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "title" { titles.append(buffer) }
            if name == "text" { texts.append(buffer) }
            if name == current { current = nil }
        }
    }
}
