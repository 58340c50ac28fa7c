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
    /// Bytes that may still be read from the source: the input ends there (a part of a file).
    private var remaining: Int
    /// The scan that hands libyaml empty lines for values the loader never reads
    /// (``UnreadValueScan``); nil: the bytes are handed out as they are.
    private var prescan: Prescan?

    /// - Parameter prescan: replace the values the loader never reads by empty lines
    ///   (``UnreadValueScan``; not for a ``Source/stream``, which is read as it arrives).
    init(source: Source, maxEventBytes: Int, limit: Int = .max, prescan: Bool = false) {
        self.source = source
        self.maxEventBytes = maxEventBytes
        remaining = max(limit, 0)
        switch source {
        case .stream: break
        case .file, .memory: if prescan { self.prescan = Prescan() }
        }
    }

    /// Bytes of the input whose values the scan replaced (counted in the input's bytes).
    var bytesReplaced: Int { prescan?.scan.removedBytes ?? 0 }

    deinit {
        if case .file(let f) = source { fclose(f) }
    }

    /// Opens `path` at byte `offset`.
    /// Opens `path` at byte `offset`; with a `limit`, the input ends after that many bytes.
    static func open(path: String, offset: Int, maxEventBytes: Int, limit: Int = .max, prescan: Bool = false) -> InputFeeder? {
        guard let f = fopen(path, "rb") else { return nil }
        if offset > 0, fseeko(f, off_t(offset), SEEK_SET) != 0 {
            fclose(f)
            return nil
        }
        return InputFeeder(source: .file(f), maxEventBytes: maxEventBytes, limit: limit, prescan: prescan)
    }

    /// A whole file opened for its parse, after the binary test (``FileSystem/looksBinary(fd:)``)
    /// on the same descriptor: one open a file, not one for the test and one for the parse
    /// (a folder of thousands of small files), and the bytes of a pipe (`-f <(…)`) are all
    /// parsed instead of the test's 8 KiB being read away first.
    enum FileStart {
        /// It looks binary: not to be parsed.
        case binary
        /// Its bytes, read once, whole: a file of at most `wholeUpTo` bytes (one `read` into an
        /// array of its size, where a `FILE` would `fstat` and `fcntl` again and read 4 KiB at a
        /// time — a folder of thousands of small files spends much of its time there), or
        /// what is not a regular file (a named pipe), so that the parse can resume after a
        /// syntax error as in any file.
        case contents([UInt8])
        /// Ready to parse from its start; `take(at:)` hands it over once.
        case ready(InputFeeder)
        /// Not opened (or handed over already): `open(path:offset:…)` it, which reports why.
        case none

        init(path: String, maxEventBytes: Int, prescan: Bool = false, wholeUpTo: Int = 0) {
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
            // (Size 0 may be a file the kernel makes up: read as before.)
            if st.st_size > 0, Int(st.st_size) <= wholeUpTo, let bytes = FileSystem.readWhole(fd: fd, size: Int(st.st_size)) {
                close(fd)
                self = .contents(bytes)
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
            self = .ready(InputFeeder(source: .file(f), maxEventBytes: maxEventBytes, prescan: prescan))
        }

        /// The feeder for a parse from `offset`: the one opened already for offset 0 (once),
        /// else a new one.
        mutating func take(path: String, offset: Int, maxEventBytes: Int, prescan: Bool = false) -> InputFeeder? {
            if offset == 0, case .ready(let feeder) = self {
                self = .none
                return feeder
            }
            return InputFeeder.open(path: path, offset: offset, maxEventBytes: maxEventBytes, prescan: prescan)
        }
    }

    /// Hands libyaml the next bytes. Every read ends at or before the next multiple of
    /// ``UnreadValueScan/chunkBytes`` of the input (counted from the feeder's start), with the
    /// scan or without: libyaml then reads the same spans of the input at the same moments
    /// either way (what the scan's exactness rests on).
    func read(into buffer: UnsafeMutablePointer<UInt8>, size wanted: Int) -> Int? {
        if bytesFed - bytesAtEventStart > maxEventBytes {
            tokenTooLarge = true
            return nil
        }
        let chunk = UnreadValueScan.chunkBytes
        let spanEnd = (bytesFed / chunk + 1) * chunk
        let size = min(wanted, spanEnd - bytesFed)
        if size <= 0 { return 0 }
        guard let prescan else {
            guard let n = readSource(into: buffer, size: size) else { return nil }
            bytesFed += n
            return n
        }
        // The span from the scan's window, its replaced values as their line feeds.
        prescan.prepare(through: spanEnd, feeder: self)
        let end = min(bytesFed + size, prescan.windowEnd)
        if end <= bytesFed {
            if let e = prescan.error { ioError = e; return nil }
            return 0
        }
        let n = prescan.copy(from: bytesFed, to: end, into: buffer)
        bytesFed = end
        prescan.drop(before: end)
        return n
    }

    /// Reads up to `size` bytes of the source (within the limit).
    fileprivate func readSource(into buffer: UnsafeMutablePointer<UInt8>, size wanted: Int) -> Int? {
        let size = min(wanted, remaining)
        if size <= 0 { return 0 }
        switch source {
        case .file(let f):
            let n = fread(buffer, 1, size, f)
            if n == 0, ferror(f) != 0 {
                ioError = String(cString: strerror(errno))
                return nil
            }
            remaining -= n
            return n
        case .memory(let bytes, let position):
            let n = min(size, bytes.count - position)
            if n > 0 {
                bytes.withUnsafeBufferPointer { src in
                    if let base = src.baseAddress { buffer.update(from: base + position, count: n) }
                }
            }
            source = .memory(bytes, position: position + n)
            remaining -= n
            return n
        case .stream(let stream):
            switch stream.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size)) {
            case .bytes(let n):
                remaining -= n
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

extension InputFeeder {
    /// The input read ahead of libyaml for ``UnreadValueScan``: a window of the input's bytes,
    /// scanned line by line up to the end of the span being handed out.
    final class Prescan {
        var scan = UnreadValueScan()
        private var buffer: UnsafeMutablePointer<UInt8>
        private var capacity = 1 << 17
        /// The input offset of `buffer[0]`, and the bytes held.
        private var origin = 0
        private var count = 0
        private var atEnd = false
        private(set) var error: String?
        /// The next line to scan (an input offset).
        private var scanAt = 0
        /// Input offsets before this were checked for line breaks other than line feeds.
        private var checked = 0
        /// The first line break that is not a line feed (a lone CR, U+0085, U+2028,
        /// U+2029): libyaml counts lines differently from there, so the scan stops before it.
        private var stopAt = Int.max
        /// Replacements not yet handed out entirely, oldest first.
        private var removals: [UnreadValueScan.Removal] = []
        private var nextRemoval = 0

        init() {
            buffer = .allocate(capacity: capacity)
        }

        deinit { buffer.deallocate() }

        /// The input offset just past the bytes read.
        var windowEnd: Int { origin + count }

        /// Reads and scans so that the lines starting before `spanEnd` are scanned.
        func prepare(through spanEnd: Int, feeder: InputFeeder) {
            fill(to: spanEnd + 4096, feeder: feeder)
            while scan.active, scanAt < spanEnd {
                if scanAt >= windowEnd {
                    if atEnd { return }
                    fill(to: windowEnd + (1 << 16), feeder: feeder)
                    continue
                }
                let s = scanAt - origin
                let lineEnd = UnreadValueScan.lineEnd(window, s)
                if let e = lineEnd, origin + e >= stopAt {
                    // libyaml counts a line break here that the scan does not: stop.
                    stopScan()
                    return
                }
                guard let e = lineEnd, origin + e <= checked || stopAt != .max else {
                    // Read on to the line's end (a line of over 4 MiB: stop the scan).
                    if count - s > 4 << 20 || atEnd {
                        stopScan()
                        return
                    }
                    fill(to: windowEnd + max(count, 1 << 16), feeder: feeder)
                    continue
                }
                let next = scan.line(window, s, e)
                scanAt = origin + next
                if !scan.removals.isEmpty {
                    removals.append(contentsOf: scan.removals)
                    scan.removals.removeAll(keepingCapacity: true)
                }
            }
        }

        private func stopScan() {
            scan.stop()
            scanAt = .max
        }

        private var window: UnreadValueScan.Window {
            UnreadValueScan.Window(base: UnsafePointer(buffer), count: count, origin: origin, atEnd: atEnd)
        }

        /// Reads the input until the window reaches offset `end` (or the input ends).
        private func fill(to end: Int, feeder: InputFeeder) {
            while !atEnd && windowEnd < end {
                let want = min(end - windowEnd, 1 << 16)
                if count + want > capacity {
                    capacity = max(capacity * 2, count + want)
                    let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
                    grown.update(from: buffer, count: count)
                    buffer.deallocate()
                    buffer = grown
                }
                guard let n = feeder.readSource(into: buffer + count, size: want) else {
                    error = feeder.ioError ?? "read error"
                    atEnd = true
                    break
                }
                if n == 0 {
                    atEnd = true
                    break
                }
                count += n
            }
            checkLineBreaks()
        }

        /// Finds the first line break libyaml counts that is not a line feed (CR LF is one).
        private func checkLineBreaks() {
            guard stopAt == .max else { return }
            // Leave the last two bytes for the next fill unless the input ends.
            let to = atEnd ? windowEnd : windowEnd - 2
            var p = max(checked, origin)
            let raw = UnsafeRawPointer(buffer)
            let cr = SIMD16<UInt8>(repeating: 0x0D), c2 = SIMD16<UInt8>(repeating: 0xC2), e2 = SIMD16<UInt8>(repeating: 0xE2)
            while p < to {
                // 16 bytes at a time while none is a CR or the lead byte of U+0085, U+2028, U+2029.
                if p + 16 <= to {
                    let x = raw.loadUnaligned(fromByteOffset: p - origin, as: SIMD16<UInt8>.self)
                    if !any((x .== cr) .| (x .== c2) .| (x .== e2)) {
                        p += 16
                        continue
                    }
                }
                let c = buffer[p - origin]
                if c == 0x0D {
                    if p + 1 >= windowEnd || buffer[p + 1 - origin] != 0x0A {
                        stopAt = p
                        return
                    }
                } else if c == 0xC2 {
                    if p + 1 < windowEnd && buffer[p + 1 - origin] == 0x85 {
                        stopAt = p
                        return
                    }
                } else if c == 0xE2 {
                    if p + 2 < windowEnd && buffer[p + 1 - origin] == 0x80 && (buffer[p + 2 - origin] | 1) == 0xA9 {
                        stopAt = p
                        return
                    }
                }
                p += 1
            }
            checked = max(checked, to)
        }

        /// Copies the input `from..<to` into `out`, each replaced value as its line feeds.
        /// - Returns: the bytes written.
        func copy(from: Int, to: Int, into out: UnsafeMutablePointer<UInt8>) -> Int {
            var n = 0
            var p = from
            while nextRemoval < removals.count, removals[nextRemoval].end <= p { nextRemoval += 1 }
            var r = nextRemoval
            while p < to {
                let stop = r < removals.count ? min(removals[r].start, to) : to
                if stop > p {
                    (out + n).update(from: buffer + (p - origin), count: stop - p)
                    n += stop - p
                    p = stop
                }
                guard p < to, r < removals.count else { break }
                let end = min(removals[r].end, to)
                if p == removals[r].start && end == removals[r].end {
                    // The whole value (as always in practice: values lie inside a span).
                    (out + n).initialize(repeating: 0x0A, count: removals[r].lines)
                    n += removals[r].lines
                } else {
                    var q = p
                    while q < end {
                        if buffer[q - origin] == 0x0A {
                            out[n] = 0x0A
                            n += 1
                        }
                        q += 1
                    }
                }
                p = end
                if end == removals[r].end { r += 1 }
            }
            return n
        }

        /// Forgets the bytes before `offset` (handed out, and scanned).
        func drop(before offset: Int) {
            while nextRemoval < removals.count, removals[nextRemoval].end <= offset { nextRemoval += 1 }
            if nextRemoval > 64 {
                removals.removeFirst(nextRemoval)
                nextRemoval = 0
            }
            let keep = min(offset, scan.active ? scanAt : offset)
            let drop = keep - origin
            guard drop > capacity / 2 else { return }
            memmove(buffer, buffer + drop, count - drop)
            origin += drop
            count -= drop
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
