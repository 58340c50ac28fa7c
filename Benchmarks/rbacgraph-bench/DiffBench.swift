// `rbacgraph-bench diff`: `rbacgraph diff` on two 100 MB dumps that differ in 1% of their RBAC
// objects, against `report -o json` and `stats` on one side (issue 12).

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One round: the three commands, run one after the other.
struct DiffBenchRound {
    var report: (seconds: Double, peak: Int)
    var stats: (seconds: Double, peak: Int, selfReported: Int)
    var diff: (seconds: Double, peak: Int)
}

struct DiffBenchFigures {
    var base: String
    var head: String
    var baseBytes: Int
    var headBytes: Int
    var rbacObjects: Int
    var changes: [String]
    var rounds: [DiffBenchRound] = []
    /// The bench's own peak RSS when it started the commands: `ru_maxrss` of a child is at
    /// least this (it is carried across `exec`), so the figures are only meaningful above it.
    var floor = 0
    /// What the diff found: the summary of its JSON answer, and the answer's size.
    var summary = ""
    var outputBytes = 0

    var reportSeconds: Double { median(rounds.map(\.report.seconds)) }
    var diffSeconds: Double { median(rounds.map(\.diff.seconds)) }
    var statsPeak: Double { median(rounds.map { Double($0.stats.peak) }) }
    var diffPeak: Double { median(rounds.map { Double($0.diff.peak) }) }
    var reportPeak: Double { median(rounds.map { Double($0.report.peak) }) }
    var timeRatio: Double { diffSeconds / reportSeconds }
    var memoryRatio: Double { diffPeak / statsPeak }
}

/// The first `bytes` bytes of a file, as text.
func readPrefix(_ path: String, bytes: Int) -> String? {
    guard let h = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? h.close() }
    return String(decoding: h.readData(ofLength: bytes), as: UTF8.self)
}

/// This process's peak RSS (VmHWM), in bytes.
func ownPeakRSS() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
    return 0
}

/// Generates the pair when missing, in a child process (so that this one stays small: see
/// ``DiffBenchFigures/floor``), then runs `report -o json` and `stats -o json` on the base and
/// `diff -o json` on the pair, `runs` times, alternating.
func runDiffBench(data: String, sizeMB: Int, seed: UInt64, binary: String, runs: Int) throws -> DiffBenchFigures {
    let base = "\(data)/dump-\(sizeMB)mb.yaml"
    // The same file name in another folder, as two checkouts of a repository: no object
    // counts as moved to another file.
    let head = "\(data)/diff-head/dump-\(sizeMB)mb.yaml"
    try? FileManager.default.createDirectory(atPath: "\(data)/diff-head", withIntermediateDirectories: true)
    let changesFile = head + ".changes"
    let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    if fileSize(base) <= 0 {
        note("generating \(base)")
        let r = try spawnAndWait([me, "generate", "--size", "\(sizeMB)", "--seed", "\(seed)", "--out", base])
        if r.status != 0 { throw BenchError("generating \(base) failed (status \(r.status))") }
    }
    if fileSize(head) <= 0 || fileSize(changesFile) <= 0 {
        note("generating \(head) (1% of the RBAC objects changed)")
        let r = try spawnAndWait([me, "generate", "--size", "\(sizeMB)", "--seed", "\(seed)", "--mutate", "1", "--out", head])
        if r.status != 0 { throw BenchError("generating \(head) failed (status \(r.status))") }
    }
    let lines = ((try? String(contentsOfFile: changesFile, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    let changes = lines.filter { !$0.hasPrefix("#") }
    // "# N RBAC objects before the changes"
    let rbac = lines.first { $0.hasPrefix("# ") }.flatMap { Int($0.dropFirst(2).prefix { $0.isNumber }) } ?? 0
    var f = DiffBenchFigures(base: base, head: head, baseBytes: fileSize(base), headBytes: fileSize(head), rbacObjects: rbac, changes: changes)
    warmPageCache(base)
    warmPageCache(head)
    let scratch = "\(data)/.diff-\(getpid()).json"
    defer { unlink(scratch) }
    for run in 0..<runs {
        f.floor = max(f.floor, ownPeakRSS())
        let report = try spawnAndWait([binary, "report", "-f", base, "-o", "json", "-q"])
        if report.status != 0 && report.status != 2 { throw BenchError("report -f \(base) exited with status \(report.status)") }
        let stats = try spawnAndWait([binary, "stats", "-f", base, "-o", "json", "-q"], stdoutPath: scratch)
        guard stats.status == 0, let data = FileManager.default.contents(atPath: scratch),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let selfReported = (json["peakResidentBytes"] as? NSNumber)?.intValue
        else { throw BenchError("stats -f \(base) -o json gave no peakResidentBytes (status \(stats.status))") }
        let diff = try spawnAndWait([binary, "diff", "--base", base, "--head", head, "-o", "json", "-q"], stdoutPath: scratch)
        if diff.status != 0 { throw BenchError("diff exited with status \(diff.status)") }
        if run == 0 {
            // Only the summary line near the top: parsing the whole answer would grow this
            // process, whose peak RSS is the floor of the next children's (see `floor`).
            guard let head = readPrefix(scratch, bytes: 1 << 16),
                let line = head.split(separator: "\n").first(where: { $0.contains("\"summary\"") })
            else { throw BenchError("diff -o json wrote no summary") }
            f.summary = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \",")) } ?? ""
            f.outputBytes = fileSize(scratch)
        }
        let round = DiffBenchRound(
            report: (report.seconds, Int(report.usage.ru_maxrss) * 1024),
            stats: (stats.seconds, Int(stats.usage.ru_maxrss) * 1024, selfReported),
            diff: (diff.seconds, Int(diff.usage.ru_maxrss) * 1024))
        note("  run \(run + 1): report \(fmt(round.report.seconds, 2)) s / \(round.report.peak >> 20) MB, stats \(fmt(round.stats.seconds, 2)) s / \(round.stats.peak >> 20) MB (self-reported \(selfReported >> 20) MB), diff \(fmt(round.diff.seconds, 2)) s / \(round.diff.peak >> 20) MB")
        f.rounds.append(round)
    }
    return f
}

let diffSectionBegin = "<!-- bench:diff -->"
let diffSectionEnd = "<!-- bench:diff:end -->"

func diffSection(_ f: DiffBenchFigures, machine: MachineInfo) -> String {
    let changed = f.changes.count
    let share = f.rbacObjects > 0 ? " of \(f.rbacObjects) RBAC objects (\(fmt(100 * Double(changed) / Double(f.rbacObjects), 1))%)" : ""
    let rows: [[String]] = [
        ["wall clock", "\(fmt(f.reportSeconds, 2)) s (`report -o json`)", "\(fmt(f.diffSeconds, 2)) s", "\(fmt(f.timeRatio, 2))×", "< 3×", verdict(f.timeRatio < 3)],
        ["peak RSS", "\(fmt(f.statsPeak / Double(1 << 20), 1)) MB (`stats`)", "\(fmt(f.diffPeak / Double(1 << 20), 1)) MB", "\(fmt(f.memoryRatio, 2))×", "< 2.5×", verdict(f.memoryRatio < 2.5)],
    ]
    let kinds = Dictionary(grouping: f.changes) { line -> String in
        // `Kind/namespace/name: what` (names may hold colons: the last ": " separates).
        let what = line.range(of: ": ", options: .backwards).map { String(line[$0.upperBound...]) } ?? line
        if what.hasSuffix("deleted") { return "deleted" }
        if what.contains(" added (view") || what.hasSuffix("-pr added") { return "added beside" }
        return String(what.prefix { $0 != "(" }).trimmingCharacters(in: .whitespaces)
    }.map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
    return """
        \(diffSectionBegin)
        ### Diff (issue 12) — measured \(machine.date) by `make bench`

        `rbacgraph-bench diff`: the \(f.baseBytes >> 20) MB dump against the same dump with \(changed) objects changed\(share) by `rbacgraph-bench generate --mutate 1` (\(kinds); everything else byte for byte the same). `rbacgraph diff --base BASE --head HEAD -o json` against `rbacgraph report -f BASE -o json` (wall clock) and `rbacgraph stats -f BASE` (peak RSS), median of \(f.rounds.count) runs each, alternating, release build. Peak RSS is the child's `ru_maxrss` (`wait4`) for all three (`stats` reported \(fmt(median(f.rounds.map { Double($0.stats.selfReported) }) / Double(1 << 20), 1)) MB of itself; the bench's own \(f.floor >> 20) MB is the floor of the method). The diff's summary: "\(f.summary)" (\(f.outputBytes >> 20) MB of JSON).
        Machine: \(machine.cpuModel), \(machine.cores) cores; load average at start: \(machine.loadAverage).

        \(markdownTable(["measure", "one side", "diff", "ratio", "target", ""], rows, rightAligned: [2, 3]))
        `report -o json` on the base side: \(fmt(f.reportPeak / Double(1 << 20), 1)) MB peak RSS.
        \(diffSectionEnd)
        """
}

/// Replaces the section between `begin` and `end` in the report (or appends it at the end).
func writeSection(_ section: String, begin: String, end: String, to path: String) throws {
    var doc = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    if let b = doc.range(of: begin), let e = doc.range(of: end, range: b.upperBound..<doc.endIndex) {
        doc.replaceSubrange(b.lowerBound..<e.upperBound, with: section)
    } else {
        if !doc.hasSuffix("\n") { doc += "\n" }
        doc += "\n" + section + "\n"
    }
    try doc.write(toFile: path, atomically: true, encoding: .utf8)
}
