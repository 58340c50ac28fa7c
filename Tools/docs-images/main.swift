// `make docs-images` draws the pictures of docs/ with the CLI; this tool draws the one the
// CLI has no command for: every identity's best path to cluster-admin on samples/ (a library
// view). Run from the package root: `docs-images OUTPUT.svg` (or `.png`, to look at it).

import Foundation
import RBACCore
import RBACGraphviz
import RBACLoading

func fail(_ message: String, status: Int32) -> Never {
    FileHandle.standardError.write(Data("docs-images: \(message)\n".utf8))
    exit(status)
}

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let output = arguments.first else {
    fail("usage: docs-images OUTPUT.svg|OUTPUT.png (from the package root)", status: 64)
}
do {
    let loaded = try ManifestLoader().load(paths: ["samples"])
    let escalation = EscalationGraph(AccessGraph(loaded.cluster))
    let view = GraphView.paths(escalation.identitiesReaching(.fullAuthority), in: escalation)
    let format: RenderFormat = output.hasSuffix(".png") ? .png : .svg
    try Data(try view.rendered(as: format)).write(to: URL(fileURLWithPath: output))
} catch {
    fail("\(error)", status: 1)
}
