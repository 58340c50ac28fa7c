#if canImport(Glibc)
import Glibc
#endif

/// Where a multi-document YAML stream can be cut into parts that parse on their own exactly as
/// they parse in line: at lines that start a document (`---` at column 0, followed by a space,
/// a tab or the end of the line).
///
/// Why a cut there is safe: libyaml reads `---` at column 0 as a document start in every
/// context (it checks for it before anything else when it fetches a token). Inside a block
/// scalar the line is less indented than the content (block scalars need at least one
/// space), so the scalar ends there; a plain scalar ends there; inside a quoted scalar or a
/// flow collection the line is an error. In the last two cases the part before the cut ends
/// in an error of its own, and the loader then parses the rest of the input in line instead
/// (``ManifestLoader/Session``): a part is only used when every part before it parsed
/// without a fatal error.
///
/// The scan declines (returns no cut) when it cannot be sure of line numbers or of the
/// document markers: a byte order mark for UTF-16 or UTF-32, a carriage return not followed
/// by a line feed, the line breaks U+0085, U+2028 and U+2029 (libyaml counts them as lines),
/// or a line starting with `%` (a directive belongs to the document after it).
enum DocumentSplit {
    /// A part of the input: bytes `start..<end`, whose first line is `line` (0-based).
    struct Part: Equatable {
        var start: Int
        var end: Int
        var line: Int
    }

    /// Cuts `bytes` into parts of at least `minimumBytes` (the last may be shorter), or
    /// returns nil when the input cannot be cut safely or is too small to be worth it: the
    /// stream shape of ``Cutter``, run to the end. When something unsure comes after a cut,
    /// the last part runs from that cut to the end of the input.
    static func parts(
        of bytes: UnsafeRawBufferPointer, minimumBytes: Int, window: Int = 8 << 20, done: (Int) -> Void = { _ in }
    ) -> [Part]? {
        var cutter = Cutter(bytes, minimumBytes: minimumBytes, window: window, shapes: [.stream])
        var parts: [Part] = []
        while let piece = cutter.next(done: done) {
            guard case .streamPart(let part, _) = piece else { return nil }
            parts.append(part)
        }
        return parts.isEmpty ? nil : parts
    }

    /// `---` followed by a space, a tab, a line break or the end of the input.
    @inline(__always)
    static func isDocumentStart(_ b: UnsafePointer<UInt8>, _ p: Int, _ n: Int) -> Bool {
        guard p + 3 <= n, b[p] == 0x2D, b[p + 1] == 0x2D, b[p + 2] == 0x2D else { return false }
        if p + 3 == n { return true }
        let c = b[p + 3]
        return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D
    }

    /// Whether every line break that starts in `from..<to` is a line feed (or CR LF): then
    /// libyaml's line numbers are the count of line feeds.
    static func linesAreCountable(_ b: UnsafePointer<UInt8>, from: Int, to: Int, count n: Int) -> Bool {
        // A carriage return must be followed by a line feed.
        var p = from
        while p < to, let cr = memchr(b + p, 0x0D, to - p) {
            let i = b.distance(to: cr.assumingMemoryBound(to: UInt8.self))
            if i + 1 >= n || b[i + 1] != 0x0A { return false }
            p = i + 1
        }
        // U+0085 is C2 85; U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
        p = from
        while p < to, let c2 = memchr(b + p, 0xC2, to - p) {
            let i = b.distance(to: c2.assumingMemoryBound(to: UInt8.self))
            if i + 1 < n && b[i + 1] == 0x85 { return false }
            p = i + 1
        }
        p = from
        while p < to, let e2 = memchr(b + p, 0xE2, to - p) {
            let i = b.distance(to: e2.assumingMemoryBound(to: UInt8.self))
            if i + 2 < n && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9) { return false }
            p = i + 1
        }
        return true
    }
}

extension DocumentSplit {
    /// A one-document `kind: List` written as kubectl writes it (`items:` at column 0, each
    /// item a `- ` line at column 0 with its fields indented): the bytes before the items
    /// (`head`, up to `itemsStart`), the items cut into parts at item starts, and the bytes
    /// after them (from `itemsEnd`: `kind`, `metadata`).
    struct ListSplit: Equatable {
        var itemsStart: Int
        var itemsEnd: Int
        /// Line feeds between `itemsStart` and `itemsEnd`.
        var itemLines: Int
        var parts: [Part]
    }

    /// Cuts the items of a `kind: List` document into parts of at least `minimumBytes`, or
    /// returns nil when the input is not one such document or cannot be cut safely: the List
    /// shape of ``Cutter``, run to the end. The parts are only a proposal: the loader checks
    /// the head and every part as it parses them (``ManifestLoader/Session``) and parses the
    /// whole document in line when anything is unusual.
    static func listParts(
        of bytes: UnsafeRawBufferPointer, minimumBytes: Int, window: Int = 8 << 20, done: (Int) -> Void = { _ in }
    ) -> ListSplit? {
        var cutter = Cutter(bytes, minimumBytes: minimumBytes, window: window, shapes: [.list])
        var parts: [Part] = []
        while let piece = cutter.next(done: done) {
            switch piece {
            case .listItems(let part): parts.append(part)
            case .listEnd(let split?):
                var split = split
                split.parts = parts
                return split
            default: return nil
            }
        }
        return nil
    }

    /// A ``Cutter`` over a file, read through a read-only mapping whose pages are dropped as
    /// the scan passes them.
    final class FileCutter {
        private let map: UnsafeMutableRawPointer
        private let size: Int
        private var cutter: Cutter
        private let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
        private var dropped = 0

        /// Nil when the file cannot be mapped or is smaller than two parts.
        init?(path: String, minimumBytes: Int) {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var st = stat()
            guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
            size = Int(st.st_size)
            guard size >= 2 * max(minimumBytes, 1) else { return nil }
            guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else { return nil }
            self.map = map
            cutter = Cutter(UnsafeRawBufferPointer(start: map, count: size), minimumBytes: minimumBytes)
        }

        deinit { munmap(map, size) }

        /// The next piece (``Cutter/next(done:)``).
        func next() -> Piece? {
            cutter.next { end in
                let upTo = end / page * page
                if upTo > dropped {
                    madvise(map + dropped, upTo - dropped, MADV_DONTNEED)
                    dropped = upTo
                }
            }
        }
    }
}
