#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The little file-system access the loader needs, straight from libc (no Foundation: it
/// roughly doubles a process's resident memory). Public for the command-line tool.
public enum FileSystem {
    enum Kind { case file, directory, missing }

    static func kind(of path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    static func size(of path: String) -> Int {
        var st = stat()
        guard stat(path, &st) == 0 else { return 0 }
        return Int(st.st_size)
    }

    /// Regular files under `dir` whose names end in one of `extensions` (case-insensitive),
    /// recursively, hidden entries skipped, sorted by path. Paths start with `dir` as given.
    static func files(under dir: String, extensions: [String]) -> [String] {
        var out: [String] = []
        let root = dir.hasSuffix("/") && dir.count > 1 ? String(dir.dropLast()) : dir
        walk(root, extensions: extensions.map { "." + $0.lowercased() }, into: &out, depth: 0)
        return out.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    private static func walk(_ dir: String, extensions: [String], into out: inout [String], depth: Int) {
        guard depth < 64, let d = opendir(dir) else { return }
        defer { closedir(d) }
        while let entry = readdir(d) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let path = dir + "/" + name
            var st = stat()
            guard stat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                walk(path, extensions: extensions, into: &out, depth: depth + 1)
            } else if (st.st_mode & S_IFMT) == S_IFREG {
                let lower = name.lowercased()
                if extensions.contains(where: { lower.hasSuffix($0) }) { out.append(path) }
            }
        }
    }

    /// Everything readable from a file descriptor (standard input).
    public static func readAll(fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// The bytes of a file (or of any path the kernel can read, such as `/dev/null`), or nil.
    public static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd: fd)
    }

    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
