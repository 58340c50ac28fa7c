internal import CYAML

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes for libyaml, from a file or from memory, with the bookkeeping the limits need: how
/// many bytes were handed to the parser, and how many during the current event.
final class InputFeeder {
    enum Source {
        case file(UnsafeMutablePointer<FILE>)
        case memory([UInt8], position: Int)
        /// Bytes as they arrive (a live API response): read once, front to back.
        case stream(any ByteSource)
    }

    private var source: Source
    /// Bytes handed to libyaml so far (from the start offset).
    private(set) var bytesFed = 0
    /// `bytesFed` when the current `yaml_parser_parse` call started.
    var bytesAtEventStart = 0
    /// The most bytes one event may consume: a bound on scalar size.
    let maxEventBytes: Int
    /// Set when the handler refused to read more because one token grew past the bound.
    private(set) var tokenTooLarge = false
    private(set) var ioError: String?
    /// Bytes that may still be handed out: the input ends there (a part of a file).
    private var remaining: Int

    init(source: Source, maxEventBytes: Int, limit: Int = .max) {
        self.source = source
        self.maxEventBytes = maxEventBytes
        remaining = max(limit, 0)
    }

    deinit {
        if case .file(let f) = source { fclose(f) }
    }

    /// Opens `path` at byte `offset`.
    /// Opens `path` at byte `offset`; with a `limit`, the input ends after that many bytes.
    static func open(path: String, offset: Int, maxEventBytes: Int, limit: Int = .max) -> InputFeeder? {
        guard let f = fopen(path, "rb") else { return nil }
        if offset > 0, fseeko(f, off_t(offset), SEEK_SET) != 0 {
            fclose(f)
            return nil
        }
        return InputFeeder(source: .file(f), maxEventBytes: maxEventBytes, limit: limit)
    }

    /// A whole file opened for its parse, after the binary test (``FileSystem/looksBinary(fd:)``)
    /// on the same descriptor: one open a file, not one for the test and one for the parse
    /// (a folder of thousands of small files), and the bytes of a pipe (`-f <(…)`) are all
    /// parsed instead of the test's 8 KiB being read away first.
    enum FileStart {
        /// It looks binary: not to be parsed.
        case binary
        /// Not a regular file (a named pipe): its bytes, read once, whole, so that the parse
        /// can resume after a syntax error as in any file.
        case contents([UInt8])
        /// Ready to parse from its start; `take(at:)` hands it over once.
        case ready(InputFeeder)
        /// Not opened (or handed over already): `open(path:offset:…)` it, which reports why.
        case none

        init(path: String, maxEventBytes: Int) {
            let fd = FileSystem.openForReading(path)
            guard fd >= 0 else {
                self = .none
                return
            }
            var st = stat()
            if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG {
                self = .contents(FileSystem.readAll(fd: fd))
                close(fd)
                return
            }
            if FileSystem.looksBinary(fd: fd) == true {
                close(fd)
                self = .binary
                return
            }
            guard let f = fdopen(fd, "rb") else {
                close(fd)
                self = .none
                return
            }
            self = .ready(InputFeeder(source: .file(f), maxEventBytes: maxEventBytes))
        }

        /// The feeder for a parse from `offset`: the one opened already for offset 0 (once),
        /// else a new one.
        mutating func take(path: String, offset: Int, maxEventBytes: Int) -> InputFeeder? {
            if offset == 0, case .ready(let feeder) = self {
                self = .none
                return feeder
            }
            return InputFeeder.open(path: path, offset: offset, maxEventBytes: maxEventBytes)
        }
    }

    func read(into buffer: UnsafeMutablePointer<UInt8>, size wanted: Int) -> Int? {
        if bytesFed - bytesAtEventStart > maxEventBytes {
            tokenTooLarge = true
            return nil
        }
        let size = min(wanted, remaining)
        if size <= 0 { return 0 }
        let fedBefore = bytesFed
        defer { remaining -= bytesFed - fedBefore }
        switch source {
        case .file(let f):
            let n = fread(buffer, 1, size, f)
            if n == 0, ferror(f) != 0 {
                ioError = String(cString: strerror(errno))
                return nil
            }
            bytesFed += n
            return n
        case .memory(let bytes, let position):
            let n = min(size, bytes.count - position)
            if n > 0 {
                bytes.withUnsafeBufferPointer { src in
                    if let base = src.baseAddress { buffer.update(from: base + position, count: n) }
                }
            }
            source = .memory(bytes, position: position + n)
            bytesFed += n
            return n
        case .stream(let stream):
            switch stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size)) {
            case .bytes(let n):
                bytesFed += n
                return n
            case .end:
                return 0
            case .failed(let reason):
                ioError = reason
                return nil
            }
        }
    }
}

/// libyaml's read callback: `data` is an unretained `InputFeeder`.
func inputFeederRead(
    _ data: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<UInt8>?, _ size: Int,
    _ sizeRead: UnsafeMutablePointer<Int>?
) -> Int32 {
    guard let data, let buffer, let sizeRead else { return 0 }
    let feeder = Unmanaged<InputFeeder>.fromOpaque(data).takeUnretainedValue()
    guard let n = feeder.read(into: buffer, size: size) else { return 0 }
    sizeRead.pointee = n
    return 1
}
