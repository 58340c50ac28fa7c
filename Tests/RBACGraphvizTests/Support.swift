import Foundation
import RBACCore
import RBACLoading
import Testing
import TestSupport

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The fixtures of the view tests: the golden DOT files and the graph of `samples/`.
enum Fixture {
    static let golden = Repository.fixtures("RBACGraphvizTests").appendingPathComponent("golden")

    /// The access graph of `samples/`, loaded once, with source files named from the
    /// repository (`samples/teams.yaml`) so golden files do not depend on the checkout's path.
    static let sampleGraph: AccessGraph = {
        var cluster = try! ManifestLoader().load(paths: [Repository.samples.path]).cluster
        func relative(_ s: inout RBACCore.SourceLocation?) {
            if let f = s?.file { s?.file = Repository.relative(f) }
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
