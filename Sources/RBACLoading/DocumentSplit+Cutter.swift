#if canImport(Glibc)
import Glibc
#endif

extension DocumentSplit {
    /// The shapes of input a ``Cutter`` looks for.
    struct Shapes: OptionSet {
        let rawValue: Int
        /// A multi-document stream, cut at `---` lines.
        static let stream = Shapes(rawValue: 1)
        /// A kubectl-style `kind: List` (``ListSplit``), cut at its item lines.
        static let list = Shapes(rawValue: 2)
    }

    /// What a ``Cutter`` found, piece by piece, front to back.
    enum Piece: Equatable {
        /// The input is not cut: parse it in one piece.
        case whole
        /// A part of a stream; `last` runs to the end of the input.
        case streamPart(Part, last: Bool)
        /// A run of items of a List (more follow, then ``listEnd(_:)``).
        case listItems(Part)
        /// The end of a List's items: its head and tail, or nil when the scan found, after
        /// the items it handed out, that the input is not a List it can cut (then the whole
        /// input is to be parsed in line).
        case listEnd(ListSplit?)
    }

    /// Scans an input front to back and hands out its parts one at a time, as soon as each is
    /// known: a loader starts parsing the first part while the rest is still being scanned.
    ///
    /// It decides the shape from the input (``Shapes``): the first cut it can make decides.
    /// A stream cut at a `---` line starting at least `minimumBytes` after the part's start;
    /// a List cut at an item line as far after the first item. Until then nothing is handed
    /// out; when the input ends first, or something makes a cut unsure (see
    /// ``DocumentSplit``), the answer is ``Piece/whole``. Something unsure after the first
    /// cut ends a stream with one last part to the end of the input (every cut before it is
    /// still safe: only the line breaks before a cut count, and a directive belongs to the
    /// document after it) and a List with `listEnd(nil)`.
    struct Cutter {
        private let base: UnsafePointer<UInt8>?
        private let n: Int
        private let minimumBytes: Int
        private let window: Int
        private var shapes: Shapes
        /// The start of the line to look at next, and its 0-based number.
        private var p = 0
        private var line = 0
        /// Line breaks starting before this offset were checked (``linesAreCountable``).
        private var checked = 0
        private var committed: Shapes = []
        private var finished = false
        // The stream shape: the current part.
        private var partStart = 0
        private var partLine = 0
        // The List shape.
        private enum ListState { case head, afterItemsKey, items, tail }
        private var listState = ListState.head
        private var itemsStart = 0
        private var itemsStartLine = 0
        private var itemsEnd = 0
        private var itemsEndLine = -1
        private var itemPartStart = 0
        private var itemPartLine = 0
        /// The List's end, handed out after its last items.
        private var pendingEnd: ListSplit?

        /// - Parameter bytes: the input; it must stay valid while the cutter is used.
        init(_ bytes: UnsafeRawBufferPointer, minimumBytes: Int, window: Int = 8 << 20, shapes: Shapes = [.stream, .list]) {
            base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            n = bytes.count
            self.minimumBytes = max(minimumBytes, 1)
            self.window = max(window, 4096)
            self.shapes = shapes
            itemsEnd = n
            if n < 2 * self.minimumBytes || base == nil { self.shapes = [] }
            if let base, n > 0, base[0] == 0xFE || base[0] == 0xFF || base[0] == 0 { self.shapes = [] }
        }

        /// The next piece, or nil after the last one. `done(end)` is called when no byte
        /// before `end` will be read again (a mapped file can drop those pages).
        mutating func next(done: (Int) -> Void = { _ in }) -> Piece? {
            if finished { return nil }
            if let end = pendingEnd { return finish(.listEnd(end)) }
            guard let base, !shapes.isEmpty else { return finish(.whole) }
            while p < n {
                if p >= checked {
                    let to = min(n, checked + window)
                    if !linesAreCountable(base, from: checked, to: to, count: n) { return unsure() }
                    checked = to
                    done(p)
                }
                let lineStart = p
                if base[p] == UInt8(ascii: "%") { return unsure() }
                var piece: Piece? = nil
                if shapes.contains(.stream) {
                    piece = streamLine(base, lineStart)
                }
                if piece == nil, shapes.contains(.list) {
                    switch listLine(base, lineStart) {
                    case .fine: break
                    case .notAList:
                        if committed.contains(.list) { return finish(.listEnd(nil)) }
                        shapes.remove(.list)
                        if shapes.isEmpty { return finish(.whole) }
                    case .cut(let part): piece = .listItems(part)
                    }
                }
                if let nl = memchr(base + p, 0x0A, n - p) {
                    p = base.distance(to: nl.assumingMemoryBound(to: UInt8.self)) + 1
                    line += 1
                } else {
                    p = n
                }
                skipLines(base)
                if let piece { return piece }
            }
            done(n)
            return atEnd()
        }

        /// Whether the line starting with `c` can matter to the shapes still possible: one
        /// starting with a space never does (no document marker, directive, item or key at
        /// column 0), and to a stream only `---` and `%` lines do.
        @inline(__always)
        private func mayMatter(_ c: UInt8) -> Bool {
            shapes == .stream ? c == 0x2D || c == 0x25 : c != 0x20
        }

        /// Moves `p` (a line start) past the lines that cannot matter (``mayMatter(_:)``),
        /// counting them, 16 bytes at a time: to the first line that may matter, or else to
        /// the last line start before `checked` (the lines after it are not checked yet).
        private mutating func skipLines(_ base: UnsafePointer<UInt8>) {
            let end = min(checked, n)
            guard p < end, !mayMatter(base[p]) else { return }
            var q = p
            var lines = 0
            let raw = UnsafeRawPointer(base)
            let feed = SIMD16<UInt8>(repeating: 0x0A), space = SIMD16<UInt8>(repeating: 0x20)
            let dash = SIMD16<UInt8>(repeating: 0x2D), percent = SIMD16<UInt8>(repeating: 0x25)
            let streamOnly = shapes == .stream
            // Line feeds counted per byte lane (each lane at most 255 before it is added up).
            var counts = SIMD16<UInt8>()
            var blocks = 0
            // `x`: 16 bytes; `y`: the byte after each, the first byte of a line when `x`'s is a feed.
            while q + 17 <= end {
                let x = raw.loadUnaligned(fromByteOffset: q, as: SIMD16<UInt8>.self)
                let y = raw.loadUnaligned(fromByteOffset: q + 1, as: SIMD16<UInt8>.self)
                let feeds = x .== feed
                let matters = streamOnly ? feeds .& ((y .== dash) .| (y .== percent)) : feeds .& (y .!= space)
                let bits = unsafeBitCast(matters, to: SIMD2<UInt64>.self)
                if bits[0] | bits[1] != 0 { break }
                counts &-= unsafeBitCast(feeds, to: SIMD16<UInt8>.self)  // a feed's lane is all ones: -1
                blocks += 1
                if blocks == 255 {
                    lines += Int(SIMD16<UInt16>(truncatingIfNeeded: counts).wrappedSum())
                    counts = SIMD16<UInt8>()
                    blocks = 0
                }
                q += 16
            }
            lines += Int(SIMD16<UInt16>(truncatingIfNeeded: counts).wrappedSum())
            // The rest byte by byte, up to the line that matters (or the end).
            var lastStart = -1
            while q + 1 < end {
                if base[q] == 0x0A {
                    lines += 1
                    lastStart = q + 1
                    if mayMatter(base[q + 1]) { break }
                }
                q += 1
            }
            if lastStart < 0 {
                // No feed byte by byte: the last line start is that of the blocks, if any.
                guard lines > 0 else { return }
                var i = q - 1
                while base[i] != 0x0A { i -= 1 }
                lastStart = i + 1
            }
            p = lastStart
            line += lines
        }

        private mutating func finish(_ piece: Piece) -> Piece {
            finished = true
            return piece
        }

        /// Something makes further cuts unsure.
        private mutating func unsure() -> Piece {
            if committed.contains(.stream) { return finish(.streamPart(Part(start: partStart, end: n, line: partLine), last: true)) }
            if committed.contains(.list) { return finish(.listEnd(nil)) }
            return finish(.whole)
        }

        private mutating func atEnd() -> Piece {
            if committed.contains(.stream) { return finish(.streamPart(Part(start: partStart, end: n, line: partLine), last: true)) }
            if committed.contains(.list) {
                guard listState == .items || listState == .tail else { return finish(.listEnd(nil)) }
                if itemsEndLine < 0 { itemsEndLine = line }
                // The last items, then the end (handed out by the next call).
                let last = Part(start: itemPartStart, end: itemsEnd, line: itemPartLine)
                let split = ListSplit(itemsStart: itemsStart, itemsEnd: itemsEnd, itemLines: itemsEndLine - itemsStartLine, parts: [])
                pendingEnd = split
                return .listItems(last)
            }
            return finish(.whole)
        }

        /// The stream shape at the line starting at `p`: a cut, when one is due.
        private mutating func streamLine(_ base: UnsafePointer<UInt8>, _ p: Int) -> Piece? {
            guard p > 0, p - partStart >= minimumBytes, DocumentSplit.isDocumentStart(base, p, n) else { return nil }
            let part = Part(start: partStart, end: p, line: partLine)
            partStart = p
            partLine = line
            committed = .stream
            shapes = .stream
            return .streamPart(part, last: false)
        }

        private enum ListLine { case fine, notAList, cut(Part) }

        /// The List shape at the line starting at `p`.
        private mutating func listLine(_ base: UnsafePointer<UInt8>, _ p: Int) -> ListLine {
            let c = base[p]
            if c == 0x09 || DocumentSplit.isDocumentStart(base, p, n) { return .notAList }
            if c == 0x2E, p + 3 <= n, base[p + 1] == 0x2E, base[p + 2] == 0x2E { return .notAList }  // `...`
            let blankOrComment = c == 0x20 || c == 0x0A || c == 0x0D || c == UInt8(ascii: "#")
            switch listState {
            case .head:
                if isItemStart(base, p) { return .notAList }  // a top-level sequence
                if isItemsKey(base, p) { listState = .afterItemsKey }
            case .afterItemsKey:
                if isItemStart(base, p) {
                    listState = .items
                    itemsStart = p
                    itemsStartLine = line
                    itemPartStart = p
                    itemPartLine = line
                } else if !blankOrComment {
                    return .notAList  // `items:` with no item lines
                }
            case .items:
                if isItemStart(base, p) {
                    if p - itemPartStart >= minimumBytes {
                        let part = Part(start: itemPartStart, end: p, line: itemPartLine)
                        itemPartStart = p
                        itemPartLine = line
                        committed = .list
                        shapes = .list
                        return .cut(part)
                    }
                } else if !blankOrComment {
                    listState = .tail
                    itemsEnd = p
                    itemsEndLine = line
                }
            case .tail:
                if isItemStart(base, p) || isItemsKey(base, p) { return .notAList }
            }
            return .fine
        }

        private func isItemStart(_ base: UnsafePointer<UInt8>, _ p: Int) -> Bool {
            guard base[p] == 0x2D else { return false }
            if p + 1 == n { return true }
            let c = base[p + 1]
            return c == 0x20 || c == 0x0A || c == 0x0D
        }

        private func isItemsKey(_ base: UnsafePointer<UInt8>, _ p: Int) -> Bool {
            let key: StaticString = "items:"
            let k = key.utf8CodeUnitCount
            guard p + k <= n, memcmp(base + p, key.utf8Start, k) == 0 else { return false }
            var q = p + k
            while q < n && base[q] == 0x20 { q += 1 }
            return q == n || base[q] == 0x0A || (base[q] == 0x0D && q + 1 < n && base[q + 1] == 0x0A)
        }
    }
}
