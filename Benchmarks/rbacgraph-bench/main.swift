// rbacgraph-bench: the `make bench` suite.
//
//   rbacgraph-bench [--data DIR] [--binary PATH] [--quick] [--sizes 10,100,500] [--seed N]
//                   [--queries N] [--rbac-size MB] [--only-rbac] [--report FILE | --no-report]
//   rbacgraph-bench generate --size MB [--seed N] [--rbac-only] [--mutate PERCENT] [--out FILE]
//   rbacgraph-bench diff [--data DIR] [--binary PATH] [--size MB] [--report FILE | --no-report]
//   rbacgraph-bench aggregation [--chain N] [--leaves N] [--out FILE]
//   rbacgraph-bench prescan-check [--scan-only] PATH...
//   rbacgraph-bench load PATH [--bare] [--threads N] [--no-prescan]
//
// Generates synthetic `kubectl get -A -o yaml` dumps (DIR/dump-<size>mb.yaml, only when
// missing), then measures load throughput (bare libyaml against ManifestLoader), the peak
// memory of `rbacgraph eval`, and who-can / authorize latency through QueryEvaluator. Prints
// the report and writes it as markdown (docs/benchmarks.md unless --quick).

import Foundation
import RBACCore
import RBACGraphviz
import RBACLoading
import RBACPresentation

#if canImport(Glibc)
import Glibc
#endif

let usage = """
    usage: rbacgraph-bench [--data DIR] [--binary PATH] [--quick] [--sizes 10,100,500] [--seed N]
                           [--queries N] [--rbac-size MB] [--only-rbac] [--report FILE | --no-report]
           rbacgraph-bench generate --size MB [--seed N] [--rbac-only] [--mutate PERCENT] [--out FILE]
           rbacgraph-bench live [--data DIR] [--binary PATH] [--size MB] [--report FILE|--no-report]   (a cluster of the 100 and 10 MB dumps, read over loopback; writes its section of the report)
           rbacgraph-bench aggregation [--chain N] [--leaves N] [--out FILE]
           rbacgraph-bench prescan-check [--scan-only] PATH...   (each file or folder loads the same with and without the pre-scan, on one thread and two; the share it replaces, its speed)
           rbacgraph-bench load PATH [--bare] [--threads N] [--no-prescan]   (one load, timed, for a profiler)
           rbacgraph-bench diff [--data DIR] [--binary PATH] [--size MB] [--report FILE|--no-report]   (rbacgraph diff on the 100 MB dump and a copy with 1% of its RBAC objects changed, against report -o json and stats on one side; writes its section of the report)

      --data DIR      where the dumps are kept (default bench-data); missing ones are generated
      --binary PATH   the rbacgraph executable whose peak memory is measured (default .build/release/rbacgraph)
      --quick         only the 10 MB dump (load, memory and queries on it); writes no report file
      --sizes LIST    dump sizes in MB (default 10,100,500); queries run on 100 MB, else the largest below 500
      --seed N        generator and query seed (default 1); dumps already on disk are reused as they are
      --queries N     who-can and authorize queries each (default 10000)
      --rbac-size MB  the RBAC-only dump (List, stream and repository shapes; default 90, 0 leaves it out)
      --only-rbac     only the RBAC-dense section (prints only unless --report is given)
      --rbac-only     (generate) keep only Roles, ClusterRoles and their bindings
      --mutate PERCENT  (generate) the head of a diff pair: the same dump with PERCENT% of its RBAC
                      objects changed (subjects, rules, roleRefs, an aggregation label, deletions,
                      additions); the changes are listed in FILE.changes
      --report FILE   the markdown report (default docs/benchmarks.md; none with --quick unless given)
      --no-report     print only
      --chain N, --leaves N   the nested-aggregation input (default 210 chained ClusterRoles, 500 leaves);
                      `aggregation` times building the graph of it (and writes it with --out)

    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("rbacgraph-bench: \(message)\n".utf8))
    exit(2)
}

func note(_ message: String) {
    FileHandle.standardError.write(Data("[bench] \(message)\n".utf8))
}

struct Options {
    var data = "bench-data"
    var binary = ".build/release/rbacgraph"
    var quick = false
    var sizes = [10, 100, 500]
    var seed: UInt64 = 1
    var queries = 10_000
    var rbacSize = 90
    var onlyRBAC = false
    var rbacOnly = false
    var report: String? = "docs/benchmarks.md"
    var reportGiven = false
    // generate mode
    var generate = false
    // aggregation mode
    var aggregation = false
    var chain = 210
    var leaves = 500
    var size = 0
    var out: String?
    // live mode
    var live = false
    // diff mode, and generate's head of a diff pair
    var diff = false
    var mutate = 0
}

func parseOptions() -> Options {
    var o = Options()
    var args = Array(CommandLine.arguments.dropFirst())
    if args.first == "generate" {
        o.generate = true
        args.removeFirst()
    } else if args.first == "live" {
        o.live = true
        args.removeFirst()
    } else if args.first == "aggregation" {
        o.aggregation = true
        args.removeFirst()
    } else if args.first == "diff" {
        o.diff = true
        args.removeFirst()
    }
    var i = 0
    func value() -> String {
        i += 1
        guard i < args.count else { fail("\(args[i - 1]) needs a value\n\(usage)") }
        return args[i]
    }
    var sizesGiven = false
    while i < args.count {
        switch args[i] {
        case "--data": o.data = value()
        case "--binary": o.binary = value()
        case "--quick": o.quick = true
        case "--sizes":
            o.sizes = value().split(separator: ",").map { number(String($0), "--sizes") }
            sizesGiven = true
        case "--seed": o.seed = number(value(), "--seed")
        case "--queries": o.queries = number(value(), "--queries")
        case "--rbac-size": o.rbacSize = number(value(), "--rbac-size")
        case "--only-rbac": o.onlyRBAC = true
        case "--rbac-only": o.rbacOnly = true
        case "--mutate": o.mutate = number(value(), "--mutate")
        case "--report":
            o.report = value()
            o.reportGiven = true
        case "--no-report":
            o.report = nil
            o.reportGiven = true
        case "--size": o.size = number(value(), "--size")
        case "--out": o.out = value()
        case "--chain": o.chain = number(value(), "--chain")
        case "--leaves": o.leaves = number(value(), "--leaves")
        case "-h", "--help":
            print(usage)
            exit(0)
        default: fail("unknown argument \(args[i])\n\(usage)")
        }
        i += 1
    }
    if o.quick {
        if !sizesGiven { o.sizes = [10] }
        if !o.reportGiven { o.report = nil }
        o.rbacSize = 0
    }
    if o.onlyRBAC {
        o.sizes = []
        if !o.reportGiven { o.report = nil }
    }
    return o
}

func number<T: LosslessStringConvertible>(_ text: String, _ option: String) -> T {
    guard let v = T(text) else { fail("bad value for \(option): \(text)") }
    return v
}

func dumpPath(_ o: Options, _ sizeMB: Int) -> String { "\(o.data)/dump-\(sizeMB)mb.yaml" }

// MARK: - Generate mode

// `rbacgraph-bench prescan-check [--scan-only] PATH...`: each file or folder loads the same with and without
// the pre-scan (ManifestLoader.prescanDifference), on one thread and on two; prints the share of
// bytes the scan replaced and its speed. Exit status 1 on any difference.
if CommandLine.arguments.count >= 3 && CommandLine.arguments[1] == "prescan-check" {
    var differences = 0
    let scanOnly = CommandLine.arguments.contains("--scan-only")
    for path in CommandLine.arguments.dropFirst(2) where path != "--scan-only" {
        var one = ManifestLoader.Options()
        one.parallelism = 1
        var two = ManifestLoader.Options()
        two.parallelism = 2
        for (label, o) in [("one thread", one), ("two threads", two)] where !scanOnly {
            if let d = ManifestLoader.prescanDifference(paths: [path], options: o) {
                print("\(path) (\(label)): DIFFERENT: \(d)")
                differences += 1
            } else {
                print("\(path) (\(label)): the same")
            }
        }
        let files = FileManager.default.fileExists(atPath: path + "/") ? RBACDense.files(under: path) : [path]
        do {
            let s = try prescanPass(files)
            print("  pre-scan alone: \(s.bytes) bytes in \(fmt(s.seconds, 3)) s (\(fmt(Double(s.bytes) / Double(1 << 20) / s.seconds)) MB/s), replaced \(s.replaced) bytes (\(fmt(100 * Double(s.replaced) / Double(max(s.bytes, 1)), 1))%)")
        } catch {
            fail("\(error)")
        }
    }
    exit(differences == 0 ? 0 : 1)
}

// `rbacgraph-bench load PATH [--bare] [--threads N] [--no-prescan]`: one load, timed (for profilers:
// `valgrind --tool=callgrind` counts the same instructions on a busy machine).
if CommandLine.arguments.count >= 3 && CommandLine.arguments[1] == "load" {
    let path = CommandLine.arguments[2]
    let rest = Array(CommandLine.arguments.dropFirst(3))
    let threads = rest.firstIndex(of: "--threads").flatMap { i in i + 1 < rest.count ? Int(rest[i + 1]) : nil } ?? 1
    do {
        if rest.contains("--bare") {
            // A folder file by file, as the RBAC-dense section measures the repository shape.
            var isFolder: ObjCBool = false
            let paths = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
                ? RBACDense.files(under: path) : [path]
            var events = 0, seconds = 0.0
            for p in paths {
                let b = try bareLibyamlPass(p)
                events += b.events
                seconds += b.seconds
            }
            print("bare libyaml: \(events) events in \(paths.count) file(s) in \(fmt(seconds, 3)) s")
        } else {
            let l = try loaderPass(path, parallelism: threads, prescan: !rest.contains("--no-prescan"))
            print("loader (\(threads) thread(s)): \(l.statistics.loadedObjects) objects in \(fmt(l.seconds, 3)) s; errors: \(l.errors)")
        }
    } catch {
        fail("\(error)")
    }
    exit(0)
}

let options = parseOptions()

if options.generate {
    guard options.size > 0 else { fail("generate needs --size MB") }
    let out = options.out ?? dumpPath(options, options.size)
    let dir = (out as NSString).deletingLastPathComponent
    if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    do {
        let s = try DumpGenerator.write(sizeMB: options.size, seed: options.seed, rbacOnly: options.rbacOnly, mutatePercent: options.mutate, to: out)
        print("\(out): \(s.bytes) bytes, \(s.items) items (\(s.namespaces) namespaces, \(s.rbacItems) RBAC objects) in \(fmt(s.seconds, 2)) s")
        if options.mutate > 0 {
            // One line per change, after a line with the unchanged dump's RBAC object count.
            let lines = ["# \(s.unchangedRBACItems) RBAC objects before the changes"] + s.mutations
            try (lines.joined(separator: "\n") + "\n").write(toFile: out + ".changes", atomically: true, encoding: .utf8)
            print("\(s.mutations.count) of \(s.unchangedRBACItems) RBAC objects changed (listed in \(out).changes)")
        }
    } catch {
        fail("\(error)")
    }
    exit(0)
}

// MARK: - Live mode

if options.live {
    // The 100 MB dump carries the targets; the 10 MB one shows the fixed start-up cost.
    let sizes = options.size > 0 ? [options.size] : [100, 10]
    try? FileManager.default.createDirectory(atPath: options.data, withIntermediateDirectories: true)
    var runs: [(sizeMB: Int, figures: LiveBenchFigures)] = []
    let machine = MachineInfo.current()
    for size in sizes {
        let dump = dumpPath(options, size)
        if !FileManager.default.fileExists(atPath: dump) {
            note("generating \(dump)")
            do { _ = try DumpGenerator.write(sizeMB: size, seed: options.seed, rbacOnly: false, to: dump) } catch { fail("\(error)") }
        }
        do {
            let f = try runLiveBench(dump: dump, binary: options.binary, data: options.data)
            print("""
                ## Live read (\(size) MB dump served from loopback)
                \(f.objects) objects, \(f.jsonBytes >> 20) MB as JSON
                file  (stats -f world.json):   \(fmt(median(f.fileSeconds), 2)) s median, peak RSS \(f.filePeak >> 20) MB
                live  (stats --kubeconfig):    \(fmt(median(f.liveSeconds), 2)) s median, peak RSS \(f.livePeak >> 20) MB
                live / file time: \(fmt(f.timeRatio, 2))x (goal <= 1.5x); live peak RSS / JSON size: \(fmt(f.memoryRatio, 2))x (goal < 1.5x)
                """)
            runs.append((size, f))
        } catch {
            fail("\(error)")
        }
    }
    if let path = options.report {
        do { try writeLiveSection(liveSection(runs, machine: machine), to: path) } catch { fail("\(error)") }
        note("wrote the live section of \(path)")
    }
    let first = runs[0].figures
    exit(first.timeRatio <= 1.5 && first.memoryRatio < 1.5 ? 0 : 1)
}

// MARK: - Diff mode

if options.diff {
    let size = options.size > 0 ? options.size : 100
    try? FileManager.default.createDirectory(atPath: options.data, withIntermediateDirectories: true)
    guard FileManager.default.isExecutableFile(atPath: options.binary) else { fail("\(options.binary) is not an executable") }
    let machine = MachineInfo.current()
    do {
        let f = try runDiffBench(data: options.data, sizeMB: size, seed: options.seed, binary: options.binary, runs: 3)
        print("""
            ## Diff (\(size) MB dump, \(f.changes.count) RBAC objects changed)
            report -o json (base):  \(fmt(f.reportSeconds, 2)) s median
            diff -o json:           \(fmt(f.diffSeconds, 2)) s median -> \(fmt(f.timeRatio, 2))x (goal < 3x)
            stats (base) peak RSS:  \(Int(f.statsPeak) >> 20) MB
            diff peak RSS:          \(Int(f.diffPeak) >> 20) MB -> \(fmt(f.memoryRatio, 2))x (goal < 2.5x)
            """)
        if let path = options.report {
            try writeSection(diffSection(f, machine: machine), begin: diffSectionBegin, end: diffSectionEnd, to: path)
            note("wrote the diff section of \(path)")
        }
        exit(f.timeRatio < 3 && f.memoryRatio < 2.5 ? 0 : 1)
    } catch {
        fail("\(error)")
    }
}

// MARK: - Aggregation mode

if options.aggregation {
    let run = AggregationChain.measure(chain: options.chain, leaves: options.leaves, writeTo: options.out)
    print(run.summary)
    exit(run.ok ? 0 : 1)
}

// MARK: - Benchmark mode

struct SizeResult {
    var sizeMB: Int
    var path: String
    var bytes: Int
    var generated: DumpGenerator.Summary?
    var bare: [Double] = []
    var loader: [Double] = []
    /// The loader without the pre-scan (`prescan: false`).
    var loaderNoScan: [Double] = []
    var events = 0
    var statistics = LoadStatistics()
    var child: ChildRun?

    var mb: Double { Double(bytes) / Double(1 << 20) }
    var bareMBps: Double { mb / median(bare) }
    var loaderMBps: Double { mb / median(loader) }
    var ratio: Double { median(bare) / median(loader) }
    var rssRatio: Double { Double(child?.maxRSSBytes ?? 0) / Double(bytes) }
    var items: Int { statistics.loadedObjects + statistics.skippedObjects }
    var rbacItems: Int {
        ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].reduce(0) { $0 + (statistics.loadedKinds[$1] ?? 0) }
    }
}

var failures: [String] = []
let machine = MachineInfo.current()
note("machine: \(machine.summary)")
try? FileManager.default.createDirectory(atPath: options.data, withIntermediateDirectories: true)
guard FileManager.default.isExecutableFile(atPath: options.binary) else {
    fail("\(options.binary) is not an executable (build it: swift build -c release --product rbacgraph)")
}
let querySize: Int = options.sizes.contains(100) ? 100 : (options.sizes.filter { $0 < 500 }.max() ?? options.sizes.max() ?? 10)

// The CLI's memory: `eval` with no queries. Its floor is measured on an empty List.
var warnings: [String] = []
let emptyList = "\(options.data)/empty-list.yaml"
_ = FileManager.default.createFile(atPath: emptyList, contents: Data("apiVersion: v1\nitems: []\nkind: List\n".utf8))

@MainActor func evalPeakRSS(_ path: String) throws -> ChildRun {
    try selfReportedPeakRSS(binary: options.binary, file: path, scratch: "\(options.data)/.rss-\(getpid())")
}

let baseline: ChildRun
do {
    baseline = try evalPeakRSS(emptyList)
    note("rbacgraph on an empty List: peak RSS \(baseline.maxRSSBytes >> 20) MB")
} catch {
    fail("\(error)")
}

var results: [SizeResult] = []
var queryResult: ManifestLoader.Result?
let benchStart = monotonicNanos()

for size in options.sizes {
    let path = dumpPath(options, size)
    var generated: DumpGenerator.Summary?
    if fileSize(path) <= 0 {
        note("generating \(path) (\(size) MB, seed \(options.seed))…")
        do {
            let s = try DumpGenerator.write(sizeMB: size, seed: options.seed, to: path)
            note("  \(s.bytes) bytes, \(s.items) items, \(s.namespaces) namespaces in \(fmt(s.seconds, 2)) s (\(fmt(Double(s.bytes) / Double(1 << 20) / s.seconds, 0)) MB/s)")
            generated = s
        } catch {
            fail("\(error)")
        }
    }
    var r = SizeResult(sizeMB: size, path: path, bytes: fileSize(path), generated: generated)
    warmPageCache(path)
    let runs = size >= 500 ? 1 : 3
    note("\(path): \(runs) × (bare libyaml, ManifestLoader)…")
    do {
        for run in 0..<runs {
            let b = try bareLibyamlPass(path)
            r.bare.append(b.seconds)
            r.events = b.events
            let keep = size == querySize && run == runs - 1
            let l = try loaderPass(path) { result in if keep { queryResult = result } }
            r.loader.append(l.seconds)
            r.statistics = l.statistics
            if !l.errors.isEmpty { failures.append("\(path): load errors: \(l.errors.joined(separator: "; "))") }
            let n = try loaderPass(path, prescan: false)
            r.loaderNoScan.append(n.seconds)
            note("  run \(run + 1): libyaml \(fmt(b.seconds, 2)) s, loader \(fmt(l.seconds, 2)) s (without the pre-scan \(fmt(n.seconds, 2)) s)")
        }
    } catch {
        fail("\(error)")
    }
    if let g = generated, g.items != r.items {
        failures.append("\(path): the generator wrote \(g.items) items, the loader read \(r.items)")
    }
    note("\(path): peak memory of rbacgraph eval…")
    do {
        let c = try evalPeakRSS(path)
        r.child = c
        if c.exitStatus != 0 { failures.append("\(options.binary) eval -f \(path) exited with status \(c.exitStatus)") }
        note("  peak RSS \(c.maxRSSBytes >> 20) MB in \(fmt(c.seconds, 2)) s")
    } catch {
        fail("\(error)")
    }
    results.append(r)
}

// MARK: RBAC-dense load

var rbacShapes: [RBACDenseShape] = []
let rbacRuns = 3
if options.rbacSize > 0 {
    do {
        rbacShapes = try RBACDense.prepare(data: options.data, sizeMB: options.rbacSize, seed: options.seed)
        note("RBAC-dense load: \(rbacRuns) × (bare libyaml, loader on 1 and 2 cores, rbacgraph stats) per shape…")
        try RBACDense.measure(&rbacShapes, runs: rbacRuns, binary: options.binary, failures: &failures)
    } catch {
        fail("\(error)")
    }
}

// MARK: Queries

struct QueryPhase {
    var sizeMB: Int
    var graphBuild: [Double]
    var roles = 0, bindings = 0, serviceAccounts = 0, namespaces = 0
    var whoCan: QueryRun
    var authorize: QueryRun
}

var queryPhase: QueryPhase?
if let loaded = queryResult {
    note("query latency on the \(querySize) MB dump…")
    var builds: [Double] = []
    var graph: AccessGraph?
    for _ in 0..<3 {
        let start = monotonicNanos()
        let g = AccessGraph(loaded.cluster)
        builds.append(seconds(since: start))
        graph = g
    }
    let g = graph!
    var builder = QueryBuilder(graph: g, seed: options.seed)
    if !builder.isUsable { fail("the dump has no namespaces, service accounts, users or groups to query") }
    let whoCanQueries = builder.whoCan(options.queries, firstID: 1)
    let authorizeQueries = builder.authorize(options.queries, firstID: options.queries + 1)
    let evaluator = QueryEvaluator(graph: g)
    // A few answers known from the generator's cluster: the queries are answered, not refused.
    let tenant = g.namespaces.map(\.name).first { $0.hasSuffix("-prod") } ?? "default"
    let checks: [(String, (JSONValue) -> Bool)] = [
        ("{\"id\":0,\"op\":\"who-can\",\"verb\":\"get\",\"resource\":\"secrets\",\"namespace\":\"\(tenant)\"}",
         { $0["subjects"]?.arrayValue?.contains { $0["name"]?.stringValue == "system:masters" } == true }),
        ("{\"id\":0,\"op\":\"authorize\",\"user\":\"root\",\"groups\":[\"platform-admins\"],\"verb\":\"delete\",\"resource\":\"nodes\"}",
         { $0["allowed"]?.boolValue == true }),
        ("{\"id\":0,\"op\":\"authorize\",\"user\":\"stranger@example.org\",\"verb\":\"get\",\"resource\":\"secrets\",\"namespace\":\"\(tenant)\"}",
         { $0["allowed"]?.boolValue == false }),
        ("{\"id\":0,\"op\":\"authorize\",\"user\":\"u\",\"authenticated\":true,\"verb\":\"get\",\"path\":\"/version\"}",
         { $0["allowed"]?.boolValue == true }),
    ]
    for (line, ok) in checks {
        let answer = evaluator.answer(line: line)
        guard let v = try? JSONValue.parse(answer), ok(v) else {
            failures.append("sanity check failed: \(line) -> \(answer.prefix(300))")
            continue
        }
    }
    let w = timeQueries(evaluator, whoCanQueries, op: "who-can")
    note("  who-can: median \(fmt(w.stats.median)) µs, p99 \(fmt(w.stats.p99)) µs")
    let a = timeQueries(evaluator, authorizeQueries, op: "authorize")
    note("  authorize: median \(fmt(a.stats.median)) µs, p99 \(fmt(a.stats.p99)) µs")
    for run in [w, a] where !run.errors.isEmpty {
        failures.append("\(run.errors.count) \(run.stats.op) queries answered with an error, e.g. \(run.errors.prefix(3).joined(separator: " | "))")
    }
    if a.allowed == 0 { failures.append("no authorize query was allowed: the queries do not match the dump") }
    if w.subjectsTotal == 0 { failures.append("no who-can query found any subject: the queries do not match the dump") }
    queryPhase = QueryPhase(
        sizeMB: querySize, graphBuild: builds, roles: g.roles.count, bindings: g.bindings.count,
        serviceAccounts: g.serviceAccounts.count, namespaces: g.namespaces.count, whoCan: w, authorize: a)
}

// MARK: Privilege paths

struct PathsPhase {
    var baseBytes: Int
    var escalationBytes: Int
    var nodes: Int
    var edges: Int
    var build: [Double]
    var closure: [Double]
    var reaching: Int
    var certain: Int
    var pathQueries: LatencyStats
    var pathsFound: Int
    var cliSeconds: Double?
    var reportSeconds: Double = 0
    var reportFindings = 0
    var reportFormats: [(String, Double)] = []
    var reportCLISeconds: Double?
    var renderRows: [[String]] = []
}

var pathsPhase: PathsPhase?
if queryResult != nil {
    note("privilege paths on the \(querySize) MB dump…")
    queryResult = nil  // measure a fresh load: what the base graph retains
    let path = dumpPath(options, querySize)
    let m0 = heapInUse()
    var loaded: ManifestLoader.Result? = try! ManifestLoader().load(paths: [path])
    let base = AccessGraph(loaded!.cluster)
    loaded = nil
    let m1 = heapInUse()
    var builds: [Double] = []
    var esc: EscalationGraph?
    var escalationBytes = 0
    for _ in 0..<3 {
        esc = nil
        let before = heapInUse()
        let start = monotonicNanos()
        let e = EscalationGraph(base)
        builds.append(seconds(since: start))
        escalationBytes = heapInUse() - before
        esc = e
    }
    let e = esc!
    // BENCH_EDGE_KINDS=1: print the edges by kind and the nodes by type (to see what dominates).
    if getenv("BENCH_EDGE_KINDS") != nil {
        var h: [String: Int] = [:]
        var ev = 0
        for x in e.edges { h[x.kind.rawValue, default: 0] += 1; ev += x.evidence.count }
        for (k, v) in h.sorted(by: { $0.value > $1.value }) { note("  \(k): \(v)") }
        note("  evidence entries: \(ev); conditions: \(e.edges.filter { $0.condition != nil }.count)")
        var nk: [String: Int] = [:]
        for n in e.nodes { nk[String(describing: n).split(separator: ":").first.map(String.init) ?? "?", default: 0] += 1 }
        note("  nodes: \(nk)")
    }
    var closures: [Double] = []
    var reaching: [PrivilegePath] = []
    for _ in 0..<3 {
        let start = monotonicNanos()
        reaching = e.identitiesReaching(.fullAuthority)
        closures.append(seconds(since: start))
    }
    // One `paths` query: identities of every kind, to cluster-admin and to a secret.
    var rng = SplitMix64(seed: options.seed)
    let identities = e.nodes.filter(\.isIdentity)
    let secretTargets = base.secrets.prefix(50).map { PathTarget.secret(namespace: $0.namespace, name: $0.name) }
    var nanos: [UInt64] = []
    var found = 0
    for i in 0..<400 {
        let from = identities[Int(rng.next() % UInt64(identities.count))]
        let target: PathTarget = i % 2 == 0 || secretTargets.isEmpty ? .fullAuthority : secretTargets[i % secretTargets.count]
        let start = monotonicNanos()
        let p = e.paths(from: from, to: target)
        nanos.append(monotonicNanos() - start)
        if !p.isEmpty { found += 1 }
    }
    // The command end to end, as a user runs it.
    var cli: Double?
    if let run = try? spawnAndWait([options.binary, "escalations", "-A", "-f", path, "-q"]), run.status == 0 { cli = run.seconds }
    // BENCH_RULE_TIMES=1: time each report rule alone (to see what dominates).
    if getenv("BENCH_RULE_TIMES") != nil {
        let ctx = ReportContext(graph: base)
        _ = ctx.reachingFullAuthority
        for rule in FindingRule.all {
            let t = monotonicNanos()
            let n = rule.findings(in: ctx).count
            note("  rule \(rule.id): \(n) findings, \(fmt(seconds(since: t) * 1000)) ms")
        }
        let t = monotonicNanos()
        // Each principal's permissions are computed when it is read.
        for p in Report.principals(graph: base, findings: [], usages: [], namespace: nil) { _ = p.permissions.count }
        note("  principals: \(fmt(seconds(since: t) * 1000)) ms")
    }
    // The least-privilege report on the same graph: every rule, then each format.
    let reportStart = monotonicNanos()
    let report = Report(graph: base, inputSummary: path)
    let reportSeconds = seconds(since: reportStart)
    var formats: [(String, Double)] = []
    for (name, render) in [("md", { _ = report.markdown() }), ("json", { _ = report.json().serialized() }),
                           ("sarif", { _ = report.sarif().serialized() }), ("html", { _ = report.html() })] as [(String, () -> Void)] {
        let t = monotonicNanos()
        render()
        formats.append((name, seconds(since: t)))
    }
    var reportCLI: Double?
    if let run = try? spawnAndWait([options.binary, "report", "-f", path, "-o", "json", "-q"]), run.status == 0 || run.status == 2 {
        reportCLI = run.seconds
    }
    note("  report: \(report.findings.count) findings in \(fmt(reportSeconds, 2)) s; end to end \(reportCLI.map { fmt($0, 2) } ?? "-") s")
    // Rendering: the default (budgeted) access view rendered in each format, and the DOT of the
    // whole graph (no budget).
    var renderRows: [[String]] = []
    do {
        var t = monotonicNanos()
        let view = GraphView.access(base)
        let viewSeconds = seconds(since: t)
        let dot = view.dot
        for format in RenderFormat.allCases {
            t = monotonicNanos()
            let bytes = try GraphvizRenderer.render(dot: dot, format: format)
            let s = seconds(since: t)
            renderRows.append(["\(view.nodeCount)-node view → \(format.rawValue) (\(bytes.count >> 10) KiB)", "\(fmt(s, 2)) s", "< 2 s", verdict(s < 2)])
        }
        renderRows.insert(["default view built (budget \(GraphView.defaultMaxNodes) nodes)", "\(fmt(viewSeconds * 1000)) ms", "", ""], at: 0)
        t = monotonicNanos()
        let full = GraphView.access(base, maxNodes: 10_000_000)  // no budget in practice
        let fullDOT = full.dot
        let fullSeconds = seconds(since: t)
        renderRows.append(["whole graph as DOT (\(full.nodeCount) nodes, \(fullDOT.utf8.count >> 10) KiB): view + encoding", "\(fmt(fullSeconds, 2)) s", "< 3 s", verdict(fullSeconds < 3)])
    } catch {
        failures.append("rendering failed: \(error)")
    }
    pathsPhase = PathsPhase(
        baseBytes: m1 - m0, escalationBytes: escalationBytes, nodes: e.nodes.count, edges: e.edges.count, build: builds,
        closure: closures, reaching: reaching.count, certain: reaching.filter(\.isCertain).count,
        pathQueries: LatencyStats(op: "paths", nanos: nanos), pathsFound: found, cliSeconds: cli,
        reportSeconds: reportSeconds, reportFindings: report.findings.count, reportFormats: formats, reportCLISeconds: reportCLI,
        renderRows: renderRows)
    note("  escalation graph: \(e.nodes.count) nodes, \(e.edges.count) edges, \(escalationBytes >> 10) KiB (base graph \((m1 - m0) >> 10) KiB); build \(fmt(median(builds) * 1000)) ms; closure \(fmt(median(closures) * 1000)) ms; paths median \(fmt(pathsPhase!.pathQueries.median)) µs")
}
// MARK: Nested aggregation

note("nested aggregation (\(options.chain) chained ClusterRoles, \(options.leaves) leaves)…")
let aggregationRun = AggregationChain.measure(chain: options.chain, leaves: options.leaves, writeTo: nil)
note("  " + aggregationRun.summary)
failures += aggregationRun.problems.map { "nested aggregation: \($0)" }

let totalSeconds = seconds(since: benchStart)

// MARK: - Report

func verdict(_ ok: Bool) -> String { ok ? "met" : "**missed**" }

var md = ""
if !results.isEmpty {
    md += "## Dumps\n\n"
    md += "Synthetic `kubectl get -A -o yaml` dumps (one `kind: List`; managedFields, last-applied-configuration, statuses), generated by `rbacgraph-bench generate` (seed \(options.seed)). MB = 2^20 bytes.\n\n"
    md += markdownTable(
        ["dump", "bytes", "items", "namespaces", "RBAC objects", "pods", "secrets", "YAML events"],
        results.map { r in
            let s = r.statistics
            let rbacShare = r.items > 0 ? 100 * Double(r.rbacItems) / Double(r.items) : 0
            return [
                (r.path as NSString).lastPathComponent, "\(r.bytes)", "\(r.items)", "\(s.loadedKinds["Namespace"] ?? 0)",
                "\(r.rbacItems) (\(fmt(rbacShare, 0))%)", "\(s.loadedKinds["Pod"] ?? 0)", "\(s.loadedKinds["Secret"] ?? 0)", "\(r.events)",
            ]
        }, rightAligned: [1, 2, 3, 4, 5, 6, 7])
    md += "\n## Load throughput\n\n"
    md += "Same file, same process, page cache warm; median of 3 runs (1 run for 500 MB), runs alternating. *bare libyaml*: `yaml_parser_parse` + `yaml_event_delete` until the stream end, nothing else, over every byte. *loader*: `ManifestLoader().load(paths: [file])`, with the pre-scan (docs/loading.md, *What libyaml never reads*) and without it (`prescan: false`). Target: loader ≥ 70% of bare libyaml.\n\n"
    md += markdownTable(
        ["dump", "runs", "bare libyaml MB/s", "loader MB/s", "loader / libyaml", "without the pre-scan", "target ≥ 70%"],
        results.map { r in
            [
                "\(r.sizeMB) MB", "\(r.bare.count)", fmt(r.bareMBps), fmt(r.loaderMBps), "\(fmt(100 * r.ratio, 0))%",
                "\(fmt(100 * median(r.bare) / median(r.loaderNoScan), 0))%", verdict(r.ratio >= 0.70),
            ]
        }, rightAligned: [1, 2, 3, 4, 5])
    md += "\n## Peak memory\n\n"
    md += "`rbacgraph stats -f FILE -o json -q` run as a child process: it loads the file and builds the access graph exactly as every command does, then reports its own peak RSS (`peakResidentBytes`, VmHWM from /proc/self/status; `wait4`'s `ru_maxrss` would include the memory of the process that spawned it, carried across `exec`). Target: peak RSS < 1.5 × input size. "
    md += "The same command on an empty List peaks at \(fmt(Double(baseline.maxRSSBytes) / Double(1 << 20))) MB (Swift runtime, code): the *above baseline* column subtracts it.\n\n"
    md += markdownTable(
        ["dump", "input MB", "peak RSS MB", "RSS / input", "target < 1.5×", "above baseline / input", "eval wall s"],
        results.map { r in
            let rss = Double(r.child?.maxRSSBytes ?? 0) / Double(1 << 20)
            let above = Double((r.child?.maxRSSBytes ?? 0) - baseline.maxRSSBytes) / Double(r.bytes)
            return ["\(r.sizeMB) MB", fmt(r.mb), fmt(rss), "\(fmt(r.rssRatio, 2))×", verdict(r.rssRatio < 1.5), "\(fmt(above, 2))×", fmt(r.child?.seconds ?? 0, 2)]
        }, rightAligned: [1, 2, 3, 5, 6])
}
if !rbacShapes.isEmpty { md += RBACDense.markdown(rbacShapes, runs: rbacRuns) }
if let q = queryPhase {
    md += "\n## Query latency\n\n"
    md += "On the \(q.sizeMB) MB dump (\(q.namespaces) namespaces, \(q.serviceAccounts) service accounts, \(q.roles) roles, \(q.bindings) bindings). "
    md += "Each query timed alone through `QueryEvaluator(graph:).answer(line:)` (JSON in, JSON out, as `rbacgraph eval` does), after a 500-query warm-up. "
    md += "Mix: namespaced resources (secrets, pods, configmaps, deployments.apps, …), named objects, cluster-wide resources, subresources (pods/exec, pods/log, …), non-resource paths, impersonate/bind/escalate; identities are service accounts, users and groups of the dump, plus unknown ones.\n\n"
    md += "AccessGraph build: **\(fmt(median(q.graphBuild) * 1000)) ms** (median of 3).\n\n"
    md += markdownTable(
        ["op", "queries", "median µs", "p99 µs", "mean µs", "max µs", "target", ""],
        [
            ["who-can", "\(q.whoCan.stats.count)", fmt(q.whoCan.stats.median), fmt(q.whoCan.stats.p99), fmt(q.whoCan.stats.mean), fmt(q.whoCan.stats.max), "median < 1000 µs", verdict(q.whoCan.stats.median < 1000)],
            ["authorize (can-i)", "\(q.authorize.stats.count)", fmt(q.authorize.stats.median), fmt(q.authorize.stats.p99), fmt(q.authorize.stats.mean), fmt(q.authorize.stats.max), "median < 50 µs", verdict(q.authorize.stats.median < 50)],
        ], rightAligned: [1, 2, 3, 4, 5])
    md += "\nAnswers: \(q.authorize.allowed) of \(q.authorize.stats.count) authorize queries allowed; who-can found \(fmt(Double(q.whoCan.subjectsTotal) / Double(max(1, q.whoCan.stats.count)))) subjects per query on average; \(q.whoCan.errors.count + q.authorize.errors.count) error answers.\n\n"
    md += "By query class:\n\n"
    md += markdownTable(
        ["op", "class", "queries", "median µs", "p99 µs", "answers"],
        q.whoCan.byClass.map {
            ["who-can", $0.op, "\($0.count)", fmt($0.median), fmt($0.p99),
             "\(fmt(Double(q.whoCan.outcomeByClass[$0.op] ?? 0) / Double(max(1, $0.count)))) subjects on average"]
        } + q.authorize.byClass.map {
            ["authorize", $0.op, "\($0.count)", fmt($0.median), fmt($0.p99),
             "\(fmt(100 * Double(q.authorize.outcomeByClass[$0.op] ?? 0) / Double(max(1, $0.count)), 0))% allowed"]
        },
        rightAligned: [2, 3, 4])
}
if let p = pathsPhase {
    md += "\n## Privilege paths\n\n"
    md += "On the \(querySize) MB dump. *Base graph*: the heap a fresh load plus `AccessGraph` retains (`mallinfo2`); *escalation graph*: what `EscalationGraph(graph)` adds. *Closure*: `identitiesReaching(.fullAuthority)`, the search behind `rbacgraph escalations -A`. *paths*: one `paths(from:to:)` query, from 400 random identities to cluster-admin or to a secret (\(p.pathsFound) found a path).\n\n"
    let closureTotal = median(p.build) + median(p.closure)
    md += markdownTable(
        ["measure", "value", "target", ""],
        [
            ["escalation graph", "\(p.nodes) nodes, \(p.edges) edges", "", ""],
            ["escalation graph memory", "\(fmt(Double(p.escalationBytes) / 1_048_576)) MB = \(fmt(100 * Double(p.escalationBytes) / Double(max(1, p.baseBytes)), 0))% of the base graph's \(fmt(Double(p.baseBytes) / 1_048_576)) MB", "< 50%", verdict(Double(p.escalationBytes) < 0.5 * Double(p.baseBytes))],
            ["build + closure (`escalations -A`)", "\(fmt(median(p.build) * 1000)) + \(fmt(median(p.closure) * 1000)) ms = \(fmt(closureTotal, 2)) s; \(p.reaching) identities reach full authority (\(p.certain) certainly)", "< 5 s", verdict(closureTotal < 5)],
            ["`rbacgraph escalations -A` end to end (load included)", p.cliSeconds.map { "\(fmt($0, 2)) s" } ?? "not run", "", ""],
            ["one `paths` query", "median \(fmt(p.pathQueries.median / 1000, 2)) ms, p99 \(fmt(p.pathQueries.p99 / 1000, 2)) ms", "< 50 ms", verdict(p.pathQueries.median < 50_000)],
        ], rightAligned: [])
    md += "\n## Rendering\n\n"
    md += "On the \(querySize) MB dump's graph, in-process with libgvc (`GraphView.access` then `GraphvizRenderer.render`).\n\n"
    md += markdownTable(["measure", "value", "target", ""], p.renderRows, rightAligned: [])
    md += "\n## Report\n\n"
    md += "`Report(graph:)` on the \(querySize) MB dump's graph: every rule (the escalation graph and its closure included), then each format rendered. *End to end*: `rbacgraph report -f DUMP -o json`, load included. Target: under 10 s.\n\n"
    let renderTimes = p.reportFormats.map { "\($0.0) \(fmt($0.1 * 1000)) ms" }.joined(separator: ", ")
    md += markdownTable(
        ["measure", "value", "target", ""],
        [
            ["findings", "\(p.reportFindings)", "", ""],
            ["rules", "\(fmt(p.reportSeconds, 2)) s", "", ""],
            ["rendering", renderTimes, "", ""],
            ["`rbacgraph report -o json` end to end", p.reportCLISeconds.map { "\(fmt($0, 2)) s" } ?? "not run", "< 10 s",
             p.reportCLISeconds.map { verdict($0 < 10) } ?? ""],
        ], rightAligned: [])
}
md += "\n## Nested aggregation\n\n"
md += "`rbacgraph-bench aggregation`: \(aggregationRun.chain) aggregated ClusterRoles in a chain, each selecting the next by label and, by a second selector, \(aggregationRun.leaves) leaf roles labelled `team: x`; named so that each reads the next before it is synced (a pass-after-pass walk needs a pass per link). Each chain role ends with the leaves' \(aggregationRun.leaves) rules (checked). Target: the graph built in under 1 s.\n\n"
md += markdownTable(
    ["measure", "value", "target", ""],
    [
        ["`AccessGraph(cluster)` (aggregation and indexes)", "\(fmt(median(aggregationRun.builds) * 1000)) ms", "< 1 s", verdict(median(aggregationRun.builds) < 1)],
        ["`Aggregation.apply` alone", "\(fmt(median(aggregationRun.aggregations) * 1000)) ms", "", ""],
    ], rightAligned: [])
md += "\nTotal bench time (after the build, including any dump generation): \(fmt(totalSeconds, 0)) s.\n"

print("\nrbacgraph benchmarks — \(machine.date)\n\(machine.summary)\n")
if !warnings.isEmpty {
    md += "\nWarnings:\n\n" + warnings.map { "- \($0)\n" }.joined()
}
print(md)
if !failures.isEmpty {
    print("FAILED:")
    for f in failures { print("  - \(f)") }
}

if let reportPath = options.report {
    var doc = "# rbacgraph benchmarks\n\n"
    doc += "Measured on \(machine.date) by `make bench`.\n\n"
    doc += "**Machine:** \(machine.summary).\n\n"
    doc += """
        ## How to run

        ```
        make bench                     # builds release, generates bench-data/ on first run, writes this file
        .build/release/rbacgraph-bench --quick --data bench-data --binary .build/release/rbacgraph   # 10 MB only, prints only
        .build/release/rbacgraph-bench generate --size 100 --seed 1 --out bench-data/dump-100mb.yaml  # a dump alone
        ```

        The dumps (`bench-data/dump-{10,100,500}mb.yaml`, gitignored) are generated only when missing; delete them to regenerate. Once built, the whole run takes under a minute on 2 cores (generating the three dumps about 6 s of it). Figures are wall-clock times on a possibly shared machine (see the load average above): expect a few percent of noise. Anything below the notes marker at the end of this file is kept when the bench rewrites it.


        """
    doc += md
    let marker = "<!-- bench:notes -->"
    if let old = try? String(contentsOfFile: reportPath, encoding: .utf8), let range = old.range(of: marker) {
        doc += "\n" + old[range.lowerBound...]
    } else {
        doc += "\n\(marker)\n"
    }
    let dir = (reportPath as NSString).deletingLastPathComponent
    if !dir.isEmpty { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    do {
        try doc.write(toFile: reportPath, atomically: true, encoding: .utf8)
        note("report written to \(reportPath)")
    } catch {
        fail("cannot write \(reportPath): \(error)")
    }
}

exit(failures.isEmpty ? 0 : 1)
