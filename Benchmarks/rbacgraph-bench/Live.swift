// `rbacgraph-bench live`: a cluster of the 100 MB dump's size served by the fake API server on
// loopback, read by the CLI (`stats`: read + graph build), against the same objects loaded from
// one JSON file. Both run as child processes; the fake runs here, its pages (and their gzip'd
// forms) encoded ahead of time so the figures are the client's.

import FakeAPIServer
import Foundation
import RBACCore
import RBACLoading

#if canImport(Glibc)
import Glibc
#endif

struct LiveBenchFigures {
    var objects: Int
    var jsonBytes: Int
    var fileSeconds: [Double]
    var liveSeconds: [Double]
    var filePeak: Int
    var livePeak: Int
    var timeRatio: Double { median(liveSeconds) / median(fileSeconds) }
    var memoryRatio: Double { Double(livePeak) / Double(jsonBytes) }
}

/// The world's objects as one JSON `kind: List` (kind and apiVersion put back on each item).
func writeWorldJSON(_ world: FakeWorld, to path: String) throws -> Int {
    var out = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["
    var first = true
    for r in world.resources {
        for item in world.items(of: r.name) {
            guard case .object(let pairs) = item.object else { continue }
            let full: JSONValue = .object([("apiVersion", .string(r.groupVersion)), ("kind", .string(r.kind))] + pairs)
            if !first { out += "," }
            first = false
            out += full.serialized()
        }
    }
    out += "]}\n"
    try out.write(toFile: path, atomically: true, encoding: .utf8)
    return out.utf8.count
}

func runLiveBench(dump: String, binary: String, data: String, runs: Int = 3) throws -> LiveBenchFigures {
    note("live: building the fake cluster from \(dump)")
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dump)))
    var world = FakeWorld()
    for doc in try YAMLTree.parseDocuments(bytes, typed: true) { world.add(doc) }
    let jsonPath = "\(data)/live-world.json"
    let jsonBytes = try writeWorldJSON(world, to: jsonPath)
    let objects = world.resources.reduce(0) { $0 + world.items(of: $1.name).count }
    note("live: \(objects) objects, \(jsonBytes >> 20) MB of JSON")

    let certs = try TestCertificates.make()
    let server = FakeAPIServer(world: world, certificates: certs, tokens: ["bench"])
    try server.start()
    defer { server.stop() }
    note("live: encoding pages ahead of time")
    server.prepare(pageSize: 500, gzip: true)
    let kubeconfig = "\(data)/live-kubeconfig"
    try """
        apiVersion: v1
        kind: Config
        current-context: bench
        clusters: [{name: bench, cluster: {server: "\(server.url)", certificate-authority: "\(certs.caFile)"}}]
        contexts: [{name: bench, context: {cluster: bench, user: bench}}]
        users: [{name: bench, user: {token: bench}}]
        """.write(toFile: kubeconfig, atomically: true, encoding: .utf8)

    func run(_ args: [String]) throws -> (seconds: Double, peak: Int) {
        let scratch = "\(data)/.live-\(getpid())"
        defer { unlink(scratch) }
        let r = try spawnAndWait([binary, "stats", "-o", "json", "-q"] + args, stdoutPath: scratch)
        guard r.status == 0, let out = FileManager.default.contents(atPath: scratch),
            let json = try? JSONSerialization.jsonObject(with: out) as? [String: Any],
            let peak = (json["peakResidentBytes"] as? NSNumber)?.intValue
        else { throw BenchError("rbacgraph stats \(args.joined(separator: " ")) failed (status \(r.status))") }
        return (r.seconds, peak)
    }
    var figures = LiveBenchFigures(objects: objects, jsonBytes: jsonBytes, fileSeconds: [], liveSeconds: [], filePeak: 0, livePeak: 0)
    // A cluster needs no built-in policy; the file gets none either, to load the same objects.
    _ = try run(["-f", jsonPath, "--no-builtin-policy"])  // warm the page cache
    for _ in 0..<runs {
        let f = try run(["-f", jsonPath, "--no-builtin-policy"])
        figures.fileSeconds.append(f.seconds)
        figures.filePeak = max(figures.filePeak, f.peak)
        let l = try run(["--kubeconfig", kubeconfig])
        figures.liveSeconds.append(l.seconds)
        figures.livePeak = max(figures.livePeak, l.peak)
    }
    try? FileManager.default.removeItem(atPath: certs.directory)
    return figures
}

// MARK: - The generated section of docs/benchmarks.md

/// The live-read section `make bench` writes between ``liveSectionBegin`` and
/// ``liveSectionEnd`` (below the notes marker, so the main bench keeps it).
func liveSection(_ runs: [(sizeMB: Int, figures: LiveBenchFigures)], machine: MachineInfo) -> String {
    let rows = runs.map { r -> [String] in
        let f = r.figures
        return [
            "\(r.sizeMB) MB", "\(f.objects)", "\(f.jsonBytes >> 20) MB",
            "\(fmt(median(f.fileSeconds), 2)) s vs \(fmt(median(f.liveSeconds), 2)) s", "\(fmt(f.timeRatio, 2))×",
            "\(f.filePeak >> 20) MB vs \(f.livePeak >> 20) MB", "\(fmt(f.memoryRatio, 2))×",
        ]
    }
    return """
        \(liveSectionBegin)
        ### Live clusters (issue 10) — measured \(machine.date) by `make bench`

        `rbacgraph-bench live` serves a dump as a cluster from a fake API server on loopback (TLS, pages
        of 500, gzip, encoded ahead of time so that the client is what is measured) and compares
        `rbacgraph stats` reading it (`--kubeconfig`) with `stats -f` on the same objects as one JSON
        file, both without the built-in policy, median of 3 runs each, alternating, release build.
        Machine: \(machine.cpuModel), \(machine.cores) cores; load average at start: \(machine.loadAverage).

        \(markdownTable(
            ["dump", "objects", "JSON size", "read + graph build, file vs live", "ratio (target ≤ 1.5×)",
             "peak RSS, file vs live", "live RSS / JSON size (target < 1.5×)"],
            rows, rightAligned: [1, 2, 4, 6]))
        At 10 MB the memory ratio is the fixed start-up cost (runtime, TLS), as for files: the target
        is for the 100 MB dump.
        \(liveSectionEnd)
        """
}

let liveSectionBegin = "<!-- bench:live -->"
let liveSectionEnd = "<!-- bench:live:end -->"

/// Replaces the live section of the report (or appends it at the end).
func writeLiveSection(_ section: String, to path: String) throws {
    var doc = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    if let begin = doc.range(of: liveSectionBegin), let end = doc.range(of: liveSectionEnd, range: begin.upperBound..<doc.endIndex) {
        doc.replaceSubrange(begin.lowerBound..<end.upperBound, with: section)
    } else {
        if !doc.hasSuffix("\n") { doc += "\n" }
        doc += "\n" + section + "\n"
    }
    try doc.write(toFile: path, atomically: true, encoding: .utf8)
}
