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
    /// returns nil when the input cannot be cut safely or is too small to be worth it. The
    /// bytes are read window by window, front to back; `done(end)` is called when no byte
    /// before `end` will be read again (a mapped file can drop those pages).
    static func parts(
        of bytes: UnsafeRawBufferPointer, minimumBytes: Int, window: Int = 8 << 20, done: (Int) -> Void = { _ in }
    ) -> [Part]? {
        let n = bytes.count
        guard n >= 2 * max(minimumBytes, 1), let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        if base[0] == 0xFE || base[0] == 0xFF || base[0] == 0 { return nil }
        var parts: [Part] = []
        var partStart = 0
        var partLine = 0
        var line = 0
        var p = 0  // the start of the current line
        var windowStart = 0
        while windowStart < n {
            let windowEnd = min(n, windowStart + max(window, 4096))
            // Line breaks starting in this window (the checks look up to 2 bytes beyond it).
            if !linesAreCountable(base, from: windowStart, to: windowEnd, count: n) { return nil }
            // Lines starting in this window.
            while p < windowEnd {
                if base[p] == UInt8(ascii: "%") { return nil }
                if p > 0 && p - partStart >= minimumBytes && isDocumentStart(base, p, n) {
                    parts.append(Part(start: partStart, end: p, line: partLine))
                    partStart = p
                    partLine = line
                }
                guard let nl = memchr(base + p, 0x0A, n - p) else {
                    p = n
                    break
                }
                p = base.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1
                line += 1
            }
            done(min(windowEnd, p))
            windowStart = windowEnd
        }
        if parts.isEmpty { return nil }
        parts.append(Part(start: partStart, end: n, line: partLine))
        return parts
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

    /// The parts of a file (see ``parts(of:minimumBytes:window:done:)``), read through a
    /// read-only mapping whose pages are dropped as the scan passes them.
    static func parts(ofFile path: String, minimumBytes: Int) -> [Part]? {
        withMapping(path, minimumBytes: minimumBytes) { bytes, done in
            parts(of: bytes, minimumBytes: minimumBytes, done: done)
        } ?? nil
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
    /// returns nil when the input is not one such document or cannot be cut safely (the same
    /// conditions as ``parts(of:minimumBytes:window:done:)``, plus: no document marker at all,
    /// and nothing at column 0 among the items but item starts, comments and blank lines).
    /// The parts are only a proposal: the loader checks the head and every part as it parses
    /// them (``ManifestLoader/Session``) and parses the whole document in line when anything
    /// is unusual.
    static func listParts(
        of bytes: UnsafeRawBufferPointer, minimumBytes: Int, window: Int = 8 << 20, done: (Int) -> Void = { _ in }
    ) -> ListSplit? {
        let n = bytes.count
        guard n >= 2 * max(minimumBytes, 1), let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        if base[0] == 0xFE || base[0] == 0xFF || base[0] == 0 { return nil }
        enum State { case head, afterItemsKey, items, tail }
        var state = State.head
        var parts: [Part] = []
        var partStart = 0
        var partLine = 0
        var itemsStart = 0
        var itemsStartLine = 0
        var itemsEnd = n
        var itemsEndLine = -1
        var line = 0
        var p = 0
        var windowStart = 0
        func isItemStart(_ p: Int) -> Bool {
            guard base[p] == 0x2D else { return false }
            if p + 1 == n { return true }
            let c = base[p + 1]
            return c == 0x20 || c == 0x0A || c == 0x0D
        }
        func isItemsKey(_ p: Int) -> Bool {
            let key: [UInt8] = Array("items:".utf8)
            guard p + key.count <= n else { return false }
            for k in 0..<key.count where base[p + k] != key[k] { return false }
            var q = p + key.count
            while q < n && base[q] == 0x20 { q += 1 }
            return q == n || base[q] == 0x0A || (base[q] == 0x0D && q + 1 < n && base[q + 1] == 0x0A)
        }
        while windowStart < n {
            let windowEnd = min(n, windowStart + max(window, 4096))
            if !linesAreCountable(base, from: windowStart, to: windowEnd, count: n) { return nil }
            while p < windowEnd {
                let c = base[p]
                if c == UInt8(ascii: "%") || c == 0x09 { return nil }
                if isDocumentStart(base, p, n) { return nil }
                if c == 0x2E, p + 3 <= n, base[p + 1] == 0x2E, base[p + 2] == 0x2E { return nil }  // `...`
                let blankOrComment = c == 0x20 || c == 0x0A || c == 0x0D || c == UInt8(ascii: "#")
                switch state {
                case .head:
                    if isItemStart(p) { return nil }  // a top-level sequence
                    if isItemsKey(p) { state = .afterItemsKey }
                case .afterItemsKey:
                    if isItemStart(p) {
                        state = .items
                        itemsStart = p
                        itemsStartLine = line
                        partStart = p
                        partLine = line
                    } else if !blankOrComment {
                        return nil  // `items:` with no item lines
                    }
                case .items:
                    if isItemStart(p) {
                        if p - partStart >= minimumBytes {
                            parts.append(Part(start: partStart, end: p, line: partLine))
                            partStart = p
                            partLine = line
                        }
                    } else if !blankOrComment {
                        state = .tail
                        itemsEnd = p
                        itemsEndLine = line
                    }
                case .tail:
                    if isItemStart(p) || isItemsKey(p) { return nil }
                }
                guard let nl = memchr(base + p, 0x0A, n - p) else {
                    p = n
                    break
                }
                p = base.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1
                line += 1
            }
            done(min(windowEnd, p))
            windowStart = windowEnd
        }
        guard state == .items || state == .tail, !parts.isEmpty else { return nil }
        parts.append(Part(start: partStart, end: itemsEnd, line: partLine))
        if itemsEndLine < 0 { itemsEndLine = line }
        return ListSplit(itemsStart: itemsStart, itemsEnd: itemsEnd, itemLines: itemsEndLine - itemsStartLine, parts: parts)
    }

    /// ``listParts(of:minimumBytes:window:done:)`` of a file, read as ``parts(ofFile:minimumBytes:)`` reads it.
    static func listParts(ofFile path: String, minimumBytes: Int) -> ListSplit? {
        withMapping(path, minimumBytes: minimumBytes) { bytes, done in
            listParts(of: bytes, minimumBytes: minimumBytes, done: done)
        } ?? nil
    }

    /// Runs `body` on a read-only mapping of the file whose pages are dropped as `body`'s
    /// scan reports them done; nil when the file cannot be mapped or is too small.
    static func withMapping<T>(
        _ path: String, minimumBytes: Int, _ body: (UnsafeRawBufferPointer, (Int) -> Void) -> T
    ) -> T? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        guard size >= 2 * max(minimumBytes, 1) else { return nil }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else { return nil }
        defer { munmap(map, size) }
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)
        var dropped = 0
        return body(UnsafeRawBufferPointer(start: map, count: size)) { end in
            let upTo = end / page * page
            if upTo > dropped {
                madvise(map + dropped, upTo - dropped, MADV_DONTNEED)
                dropped = upTo
            }
        }
    }
}
