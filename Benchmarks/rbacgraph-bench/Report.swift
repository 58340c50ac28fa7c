import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A pipe table with padded columns: markdown, and readable in a terminal.
func markdownTable(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
    var widths = header.map(\.count)
    for r in rows {
        for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
    }
    func line(_ cells: [String]) -> String {
        var parts: [String] = []
        for (i, c) in cells.enumerated() {
            let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
            parts.append(rightAligned.contains(i) ? pad + c : c + pad)
        }
        return "| " + parts.joined(separator: " | ") + " |"
    }
    var out = line(header) + "\n"
    out += "|" + widths.enumerated().map { i, w in
        rightAligned.contains(i) ? String(repeating: "-", count: w + 1) + ":" : String(repeating: "-", count: w + 2)
    }.joined(separator: "|") + "|\n"
    for r in rows { out += line(r) + "\n" }
    return out
}

func fmt(_ v: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", v) }

/// What the report says about the machine.
struct MachineInfo {
    var cpuModel = "unknown CPU"
    var cores = ProcessInfo.processInfo.activeProcessorCount
    var memoryGiB = Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30)
    var kernel = ""
    var loadAverage = ""
    var date = ""

    static func current() -> MachineInfo {
        var m = MachineInfo()
        if let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) {
            for line in cpuinfo.split(separator: "\n") where line.hasPrefix("model name") {
                if let colon = line.firstIndex(of: ":") {
                    m.cpuModel = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                break
            }
        }
        var u = utsname()
        uname(&u)
        m.kernel = withUnsafePointer(to: &u.sysname) { a in String(cString: UnsafeRawPointer(a).assumingMemoryBound(to: CChar.self)) }
            + " " + withUnsafePointer(to: &u.release) { a in String(cString: UnsafeRawPointer(a).assumingMemoryBound(to: CChar.self)) }
        if let la = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
            m.loadAverage = la.split(separator: " ").prefix(3).joined(separator: " ")
        }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        m.date = f.string(from: Date())
        return m
    }

    var summary: String {
        "\(cpuModel), \(cores) cores (nproc), \(fmt(memoryGiB)) GiB RAM, \(kernel); load average at start: \(loadAverage)"
    }
}
