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
    static func writeStdout(_ s: String) { _ = writeAll(Array(s.utf8), to: 1) }

    /// Writes every byte to `fd`, again after an interruption: the one write loop of the CLI.
    /// - Returns: `nil` when all was written, else the `errno` of the write that failed.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return errno }
            offset += n
        }
        return nil
    }

    /// The bytes of a file; `what` names it in the error ("the baseline").
    static func readFile(_ path: String, what: String) throws(RuntimeError) -> [UInt8] {
        guard let bytes = FileSystem.readFile(path) else {
            throw .cannotRead(what, path: path, reason: RuntimeError.reason(errno))
        }
        return bytes
    }

    /// The working directory.
    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        return getcwd(&buffer, buffer.count) != nil ? string(nulTerminated: buffer) : "."
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
        return string(nulTerminated: buffer)
    }

    /// The text of a C buffer up to its first NUL.
    static func string(nulTerminated buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// `--output FILE` for text formats: standard output goes to the file from here on.
enum Redirect {
    static func stdout(to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw RuntimeError.cannotWrite(path: path, reason: RuntimeError.reason(errno)) }
        dup2(fd, 1)
        close(fd)
    }
}

/// A failure while running: a file that cannot be read or written. Unlike `ValidationError`
/// (a command line that cannot run), it exits 1 with its message and no usage text.
enum RuntimeError: Error, CustomStringConvertible {
    /// `what` names the file's role: "the baseline", "the queries file".
    case cannotRead(_ what: String, path: String, reason: String)
    case cannotWrite(path: String, reason: String)

    var description: String {
        switch self {
        case .cannotRead(let what, let path, let reason): return "cannot read \(what) \(path): \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }

    /// The system's words for an `errno` value.
    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
