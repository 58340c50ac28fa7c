import Foundation
import RBACLoading

#if canImport(Glibc)
import Glibc
#endif

/// The load speed where every object is RBAC (`kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml`,
/// or a GitOps repository): the same objects in three shapes, each measured against the bare
/// libyaml loop over the same bytes, in the same run.
struct RBACDenseShape {
    enum Form { case list, stream, repository }
    var form: Form
    var path: String
    var bytes = 0
    var files = 1
    var bare: [Double] = []
    var loader: [Double] = []
    var parallel: [Double] = []
    var cli: [Double] = []
    var cliSingle: [Double] = []
    /// The same without the pre-scan (`prescan: false`, `RBACGRAPH_PRESCAN=0`).
    var loaderNoScan: [Double] = []
    var parallelNoScan: [Double] = []
    var cliSingleNoScan: [Double] = []
    /// The pre-scan alone: seconds, and the bytes it replaced.
    var scan: [Double] = []
    var replaced = 0
    var objects = 0

    var label: String {
        switch form {
        case .list: return "one `kind: List`"
        case .stream: return "one multi-document stream"
        case .repository: return "\(files) files of 8 documents"
        }
    }
    var mb: Double { Double(bytes) / Double(1 << 20) }
    func mbps(_ runs: [Double]) -> Double { mb / median(runs) }
    func ratio(_ runs: [Double]) -> Double { median(bare) / median(runs) }
}

enum RBACDense {
    static func listPath(_ data: String, _ size: Int) -> String { "\(data)/rbac-\(size)mb.yaml" }

    /// Generates what is missing: the List dump, then the stream and the repository from its items.
    static func prepare(data: String, sizeMB: Int, seed: UInt64) throws -> [RBACDenseShape] {
        let list = listPath(data, sizeMB)
        let stream = "\(data)/rbac-\(sizeMB)mb-docs.yaml"
        let repo = "\(data)/rbac-\(sizeMB)mb-repo"
        if fileSize(list) <= 0 {
            note("generating \(list) (RBAC objects only, \(sizeMB) MB, seed \(seed))…")
            let s = try DumpGenerator.write(sizeMB: sizeMB, seed: seed, rbacOnly: true, to: list)
            note("  \(s.bytes) bytes, \(s.items) items in \(fmt(s.seconds, 2)) s")
        }
        var repoFiles = 0
        if fileSize(stream) <= 0 || !FileManager.default.fileExists(atPath: repo) {
            note("writing \(stream) and \(repo)/ from its items…")
            let items = try DocumentShapes.items(ofList: list)
            _ = try DocumentShapes.writeStream(items, to: stream)
            repoFiles = try DocumentShapes.writeRepository(items, perFile: 8, to: repo).files
        }
        let repoList = files(under: repo)
        if repoFiles == 0 { repoFiles = repoList.count }
        return [
            RBACDenseShape(form: .list, path: list, bytes: fileSize(list)),
            RBACDenseShape(form: .stream, path: stream, bytes: fileSize(stream)),
            RBACDenseShape(form: .repository, path: repo, bytes: repoList.reduce(0) { $0 + fileSize($1) }, files: repoFiles),
        ]
    }

    /// The YAML files under a folder, sorted (as the loader orders them).
    static func files(under dir: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let f = e.nextObject() as? String {
            if f.hasSuffix(".yaml") { out.append("\(dir)/\(f)") }
        }
        return out.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Alternating runs: bare libyaml, the loader on one core, on two, and `rbacgraph stats`
    /// end to end (parallel, then on one core).
    static func measure(_ shapes: inout [RBACDenseShape], runs: Int, binary: String, failures: inout [String]) throws {
        for i in shapes.indices {
            let paths = shapes[i].form == .repository ? files(under: shapes[i].path) : [shapes[i].path]
            for p in paths { warmPageCache(p) }
            for run in 0..<runs {
                var bare = 0.0
                for p in paths { bare += try bareLibyamlPass(p).seconds }
                shapes[i].bare.append(bare)
                let single = try loaderPass(shapes[i].path, parallelism: 1)
                shapes[i].loader.append(single.seconds)
                shapes[i].objects = single.statistics.loadedObjects
                if !single.errors.isEmpty { failures.append("\(shapes[i].path): load errors: \(single.errors.joined(separator: "; "))") }
                let singleNoScan = try loaderPass(shapes[i].path, parallelism: 1, prescan: false)
                shapes[i].loaderNoScan.append(singleNoScan.seconds)
                var withScan = single.statistics, withoutScan = singleNoScan.statistics
                withScan.seconds = 0
                withoutScan.seconds = 0
                if withScan != withoutScan {
                    failures.append("\(shapes[i].path): statistics differ without the pre-scan")
                }
                let two = try loaderPass(shapes[i].path, parallelism: 2)
                shapes[i].parallel.append(two.seconds)
                shapes[i].parallelNoScan.append(try loaderPass(shapes[i].path, parallelism: 2, prescan: false).seconds)
                let scan = try prescanPass(paths)
                shapes[i].scan.append(scan.seconds)
                shapes[i].replaced = scan.replaced
                if two.statistics.loadedObjects != single.statistics.loadedObjects {
                    failures.append("\(shapes[i].path): \(two.statistics.loadedObjects) objects on two cores, \(single.statistics.loadedObjects) on one")
                }
                for (threads, keyPath) in [("2", \RBACDenseShape.cli), ("1", \RBACDenseShape.cliSingle)] {
                    setenv("RBACGRAPH_LOAD_THREADS", threads, 1)
                    let r = try spawnAndWait([binary, "stats", "-f", shapes[i].path, "-q"])
                    unsetenv("RBACGRAPH_LOAD_THREADS")
                    if r.status != 0 { failures.append("\(binary) stats -f \(shapes[i].path) exited with status \(r.status)") }
                    shapes[i][keyPath: keyPath].append(r.seconds)
                }
                setenv("RBACGRAPH_LOAD_THREADS", "1", 1)
                setenv("RBACGRAPH_PRESCAN", "0", 1)
                let r = try spawnAndWait([binary, "stats", "-f", shapes[i].path, "-q"])
                unsetenv("RBACGRAPH_LOAD_THREADS")
                unsetenv("RBACGRAPH_PRESCAN")
                if r.status != 0 { failures.append("RBACGRAPH_PRESCAN=0 \(binary) stats -f \(shapes[i].path) exited with status \(r.status)") }
                shapes[i].cliSingleNoScan.append(r.seconds)
                note("  \(shapes[i].label) run \(run + 1): libyaml \(fmt(bare, 2)) s, loader \(fmt(single.seconds, 2)) s (no pre-scan \(fmt(singleNoScan.seconds, 2)) s), two cores \(fmt(two.seconds, 2)) s (\(fmt(shapes[i].parallelNoScan.last!, 2)) s), stats \(fmt(shapes[i].cli.last!, 2)) s (one core \(fmt(shapes[i].cliSingle.last!, 2)) s, no pre-scan \(fmt(r.seconds, 2)) s), pre-scan alone \(fmt(scan.seconds, 3)) s")
            }
        }
    }

    static func markdown(_ shapes: [RBACDenseShape], runs: Int) -> String {
        var md = "\n## RBAC-dense load\n\n"
        md += "Every object RBAC, as `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml` writes them (managedFields, last-applied-configuration annotations): "
        md += "\(shapes.first?.objects ?? 0) objects, generated by `rbacgraph-bench generate --rbac-only`, in three shapes of the same documents: one `kind: List`, one multi-document stream, and a repository of small multi-document files. "
        md += "Median of \(runs) runs, alternating, page cache warm. *bare libyaml* is the same loop as above over the same bytes (file by file for the repository); "
        md += "*loader* is `ManifestLoader` in-process on one core (`parallelism: 1`) and on two; *stats* is `rbacgraph stats -f PATH -q` end to end as a child process (start-up, load, access graph), with its default two threads and with `RBACGRAPH_LOAD_THREADS=1`. "
        md += "Targets: loader on one core ≥ 80% of bare libyaml, `stats` on one core ≥ 75%, two cores ≥ 1.5× bare libyaml.\n\n"
        md += markdownTable(
            ["shape", "MB", "bare libyaml MB/s", "loader 1 core", "loader 2 cores", "stats 1 core", "stats 2 cores", "targets"],
            shapes.map { s in
                let one = s.ratio(s.loader), two = s.ratio(s.parallel), cliOne = s.ratio(s.cliSingle), cliTwo = s.ratio(s.cli)
                let met = one >= 0.80 && cliOne >= 0.75 && two >= 1.5
                return [
                    s.label, fmt(s.mb), fmt(s.mbps(s.bare)),
                    "\(fmt(s.mbps(s.loader))) MB/s = \(fmt(100 * one, 0))%", "\(fmt(s.mbps(s.parallel))) MB/s = \(fmt(100 * two, 0))%",
                    "\(fmt(s.mbps(s.cliSingle))) MB/s = \(fmt(100 * cliOne, 0))%", "\(fmt(s.mbps(s.cli))) MB/s = \(fmt(100 * cliTwo, 0))%",
                    met ? "met" : "**missed** (\([one >= 0.80 ? nil : "loader", cliOne >= 0.75 ? nil : "stats", two >= 1.5 ? nil : "2 cores"].compactMap { $0 }.joined(separator: ", ")))",
                ]
            }, rightAligned: [1, 2, 3, 4, 5, 6])
        md += "\nThe same without the pre-scan (`ManifestLoader.Options.prescan = false`, `RBACGRAPH_PRESCAN=0`): libyaml reads every byte, managedFields and last-applied annotations included. "
        md += "*pre-scan alone* is the scan over the bytes in memory without libyaml (`ManifestLoader.prescanReplacedBytes`); *replaced* is the share of the input's bytes it hands libyaml as empty lines.\n\n"
        md += markdownTable(
            ["shape", "loader 1 core", "loader 2 cores", "stats 1 core", "pre-scan alone", "replaced"],
            shapes.map { s in
                [
                    s.label, "\(fmt(s.mbps(s.loaderNoScan))) MB/s = \(fmt(100 * s.ratio(s.loaderNoScan), 0))%",
                    "\(fmt(s.mbps(s.parallelNoScan))) MB/s = \(fmt(100 * s.ratio(s.parallelNoScan), 0))%",
                    "\(fmt(s.mbps(s.cliSingleNoScan))) MB/s = \(fmt(100 * s.ratio(s.cliSingleNoScan), 0))%",
                    "\(fmt(s.mbps(s.scan))) MB/s", "\(fmt(100 * Double(s.replaced) / Double(max(s.bytes, 1)), 1))%",
                ]
            }, rightAligned: [1, 2, 3, 4, 5])
        return md
    }
}
