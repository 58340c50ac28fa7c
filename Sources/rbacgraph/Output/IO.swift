import RBACLoading

#if canImport(Glibc)
import Glibc
#endif

/// Plain libc I/O for the CLI (no Foundation: it roughly doubles resident memory).
enum IO {
    /// The bytes of a file (or of any path the kernel can read, such as `/dev/null`).
    static func readFile(_ path: String) -> [UInt8]? { FileSystem.readFile(path) }

    static func readAll(_ fd: Int32) -> [UInt8] { FileSystem.readAll(fd: fd) }

    /// Writes a string to standard output, unbuffered.
    static func writeStdout(_ s: String) {
        var bytes = Array(s.utf8)
        bytes.withUnsafeMutableBytes { buf in
            var off = 0
            while off < buf.count {
                let n = write(1, buf.baseAddress! + off, buf.count - off)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                off += n
            }
        }
    }

    /// Writes a file (created or truncated).
    static func writeFile(_ path: String, _ s: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes = Array(s.utf8)
        return bytes.withUnsafeMutableBytes { buf in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                off += n
            }
            return true
        }
    }

    /// The working directory.
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        return getcwd(&buffer, buffer.count) != nil ? String(cString: buffer) : "."
    }

    /// Nanoseconds on a monotonic clock.
    static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// This process's peak resident memory in bytes (`VmHWM` of /proc/self/status, which,
    /// unlike `getrusage`, does not carry over the parent's memory across `exec`); nil where
    /// /proc is unavailable.
    static func peakResidentBytes() -> Int? {
        guard let bytes = readFile("/proc/self/status") else { return nil }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kb = Int(fields[1]) { return kb * 1024 }
        }
        return nil
    }

    /// `value` with `digits` digits after the point (`%.Nf`).
    static func fixed(_ value: Double, _ digits: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(digits)f", $0) }
        return String(cString: buffer)
    }
}

/// `--output FILE` for text formats: standard output goes to the file from here on.
enum Redirect {
    static func stdout(to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw OutputFile.WriteError(path: path, reason: String(cString: strerror(errno))) }
        dup2(fd, 1)
        close(fd)
    }
}
