import CBenchSupport
import CYAML
import Foundation
import RBACCore
import RBACLoading

#if canImport(Glibc)
import Glibc
#endif

/// Monotonic time in nanoseconds.
@inline(__always)
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(measuresCPUTime ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// `RBACGRAPH_BENCH_CLOCK=cpu`: time is the CPU time of the process (user and system, every
/// thread) and of each child run (`wait4`'s usage), not the wall clock: on a busy machine the
/// one-core figures then leave out the time others held the core. Figures on several threads
/// mean nothing in this mode (their CPU time adds up).
let measuresCPUTime = getenv("RBACGRAPH_BENCH_CLOCK").map { String(cString: $0) == "cpu" } ?? false

func seconds(since start: UInt64) -> Double { Double(monotonicNanos() - start) / 1e9 }

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    if s.isEmpty { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func fileSize(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : -1
}

/// Reads the whole file once so that every timed run starts from the page cache.
func warmPageCache(_ path: String) {
    guard let f = fopen(path, "rb") else { return }
    defer { fclose(f) }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while fread(buffer, 1, 1 << 20, f) > 0 {}
}

// MARK: - Bare libyaml

/// The floor for any libyaml-based loader: parse every event and do nothing with it.
func bareLibyamlPass(_ path: String) throws -> (seconds: Double, events: Int) {
    guard let file = fopen(path, "rb") else { throw BenchError("cannot open \(path)") }
    defer { fclose(file) }
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    let event = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)
    defer {
        parser.deallocate()
        event.deallocate()
    }
    let start = monotonicNanos()
    guard yaml_parser_initialize(parser) != 0 else { throw BenchError("yaml_parser_initialize failed") }
    defer { yaml_parser_delete(parser) }
    yaml_parser_set_input_file(parser, file)
    var events = 0
    while true {
        if yaml_parser_parse(parser, event) == 0 {
            let p = parser.pointee
            let problem = p.problem.map { String(cString: $0) } ?? "unknown error"
            throw BenchError("libyaml: \(problem) at line \(p.problem_mark.line + 1) of \(path)")
        }
        let end = event.pointee.type == YAML_STREAM_END_EVENT
        yaml_event_delete(event)
        events += 1
        if end { break }
    }
    return (seconds(since: start), events)
}

// MARK: - The loader

struct LoaderPass {
    var seconds: Double
    var statistics: LoadStatistics
    var errors: [String]
}

/// `ManifestLoader().load(paths:)` on one file; the result is handed to `keep` (or dropped).
/// `prescan: false` turns ``ManifestLoader/Options/prescan`` off (libyaml reads every byte).
func loaderPass(_ path: String, parallelism: Int? = nil, prescan: Bool = true, keep: ((ManifestLoader.Result) -> Void)? = nil) throws -> LoaderPass {
    var options = ManifestLoader.Options()
    if let parallelism { options.parallelism = parallelism }
    options.prescan = prescan
    let start = monotonicNanos()
    let result = try ManifestLoader(options: options).load(paths: [path])
    let elapsed = seconds(since: start)
    let errors = result.diagnostics.filter { $0.severity == .error }.prefix(5).map { "\($0)" }
    keep?(result)
    return LoaderPass(seconds: elapsed, statistics: result.statistics, errors: errors)
}

// MARK: - Peak memory of the CLI

struct ChildRun {
    var exitStatus: Int32
    var maxRSSBytes: Int
    var seconds: Double
    /// The peak RSS of the process that started the child: the floor of the measurement.
    var floorBytes = 0
}

/// Spawns `argv` with stdout to `stdoutPath` (default /dev/null), waits, and returns its exit
/// status and rusage.
func spawnAndWait(_ argv: [String], stdoutPath: String = "/dev/null") throws -> (status: Int32, usage: rusage, seconds: Double) {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
    cargs.append(nil)
    defer { for p in cargs { free(p) } }
    let start = monotonicNanos()
    let rc = posix_spawn(&pid, argv[0], &actions, nil, cargs, environ)
    if rc != 0 { throw BenchError("cannot run \(argv[0]): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 {
        if errno != EINTR { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
    }
    var elapsed = seconds(since: start)
    if measuresCPUTime {
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        elapsed = s(usage.ru_utime) + s(usage.ru_stime)
    }
    let signaled = status & 0x7F
    return (signaled == 0 ? (status >> 8) & 0xFF : 128 + signaled, usage, elapsed)
}

/// The peak RSS that `rbacgraph stats -o json` reports of itself (`peakResidentBytes`, the
/// VmHWM of its own address space: no floor from the process that started it), with the
/// `wait4` figure beside it as a cross-check (an upper bound, floored by the spawner).
func selfReportedPeakRSS(binary: String, file: String, scratch: String) throws -> ChildRun {
    unlink(scratch)
    defer { unlink(scratch) }
    let r = try spawnAndWait([binary, "stats", "-f", file, "-o", "json", "-q"], stdoutPath: scratch)
    guard r.status == 0, let data = FileManager.default.contents(atPath: scratch),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let peak = (json["peakResidentBytes"] as? NSNumber)?.intValue
    else {
        throw BenchError("rbacgraph stats -o json on \(file) gave no peakResidentBytes (status \(r.status))")
    }
    return ChildRun(exitStatus: r.status, maxRSSBytes: peak, seconds: r.seconds, floorBytes: Int(r.usage.ru_maxrss) * 1024)
}

// MARK: - Query latency

struct LatencyStats {
    var op: String
    var count: Int
    var median: Double  // µs
    var p99: Double
    var mean: Double
    var max: Double

    init(op: String, nanos: [UInt64]) {
        self.op = op
        let s = nanos.sorted()
        count = s.count
        median = s.isEmpty ? .nan : Double(s[s.count / 2]) / 1000
        p99 = s.isEmpty ? .nan : Double(s[Swift.min(s.count - 1, s.count * 99 / 100)]) / 1000
        mean = s.isEmpty ? .nan : Double(s.reduce(0, +)) / Double(s.count) / 1000
        self.max = s.isEmpty ? .nan : Double(s.last!) / 1000
    }
}

struct QueryRun {
    var stats: LatencyStats
    /// By query class (namespaced, cluster-wide, subresource, non-resource, …).
    var byClass: [LatencyStats]
    /// Per class: subjects found (who-can) or queries allowed (authorize), summed.
    var outcomeByClass: [String: Int] = [:]
    var errors: [String]
    var allowed = 0
    var subjectsTotal = 0
}

/// Times each query through `QueryEvaluator.answer(line:)`, as `rbacgraph eval` runs it.
func timeQueries(_ evaluator: QueryEvaluator, _ queries: [Query], op: String) -> QueryRun {
    // Warm-up: caches, lazy initialisation, branch predictors.
    for q in queries.prefix(500) { _ = evaluator.answer(line: q.line) }
    var nanos = [UInt64](repeating: 0, count: queries.count)
    var answers = [String](repeating: "", count: queries.count)
    for (i, q) in queries.enumerated() {
        let start = monotonicNanos()
        let answer = evaluator.answer(line: q.line)
        nanos[i] = monotonicNanos() - start
        answers[i] = answer
    }
    var run = QueryRun(stats: LatencyStats(op: op, nanos: nanos), byClass: [], errors: [])
    var classes: [String: [UInt64]] = [:]
    for (i, q) in queries.enumerated() {
        classes[q.queryClass, default: []].append(nanos[i])
        guard let v = try? JSONValue.parse(answers[i]) else {
            run.errors.append("unparsable answer to \(q.line): \(answers[i])")
            continue
        }
        if let e = v["error"] {
            run.errors.append("\(q.line) -> \(e.serialized())")
            continue
        }
        if v["allowed"]?.boolValue == true {
            run.allowed += 1
            run.outcomeByClass[q.queryClass, default: 0] += 1
        }
        let subjects = v["subjects"]?.arrayValue?.count ?? 0
        run.subjectsTotal += subjects
        run.outcomeByClass[q.queryClass, default: 0] += subjects
    }
    run.byClass = classes.keys.sorted().map { LatencyStats(op: $0, nanos: classes[$0]!) }
    return run
}

/// Bytes of heap in use (glibc `mallinfo2`): the difference across a build is what it retains.
func heapInUse() -> Int {
    Int(rbacgraph_bench_heap_in_use())
}

// MARK: - The pre-scan alone

/// The pre-scan over `paths` without libyaml (``ManifestLoader/prescanReplacedBytes(_:)``):
/// its time (files read into memory first, not counted), the bytes it read and replaced.
func prescanPass(_ paths: [String]) throws -> (seconds: Double, bytes: Int, replaced: Int) {
    var total = 0.0, bytes = 0, replaced = 0
    for p in paths {
        guard let data = FileManager.default.contents(atPath: p) else { throw BenchError("cannot read \(p)") }
        let b = [UInt8](data)
        let start = monotonicNanos()
        replaced += ManifestLoader.prescanReplacedBytes(b)
        total += seconds(since: start)
        bytes += b.count
    }
    return (total, bytes, replaced)
}
