/// A byte-level scan, run just ahead of libyaml, that finds the values the loader never
/// reads in kubectl dumps and hands libyaml empty lines in their place: the value of an
/// object's `metadata.managedFields` and that of its `kubectl.kubernetes.io/last-applied-configuration`
/// annotation (a `|` block scalar). Every line feed is kept, so every later line and column
/// is the one of the input. libyaml then reads `managedFields:` with a null value and the
/// annotation as an empty block scalar: the decoder skips the first
/// (``ManifestDecoder/decodeMetadata(_:)``) and drops the second by its key, as it does the
/// values they replace.
///
/// **Exact, or nothing.** Loading with the scan gives what loading without it gives, for
/// every input (objects, diagnostics with their line and column, statistics). A value is left
/// in place unless all of this holds:
/// - *It is at a real key of the right mapping.* The scan follows every line of the
///   document from its start with a model of libyaml's block structure (indentation, `- `
///   entries, keys, block scalars, plain scalars that continue on the next line, quoted
///   scalars over several lines). Anything it does not model exactly (a flow collection
///   other than `{}`/`[]`, a tab where indentation is, an anchor, alias or tag, `? ` keys,
///   a directive, a byte order mark, a line break libyaml counts that is not a line feed)
///   makes it unsure: it skips nothing more until the next `---` line. The key must belong
///   to the `metadata` mapping of a document's root object, of an item of its root `items`
///   sequence, or of an entry of a root sequence (a List's items parsed on their own).
/// - *The value is well-formed, so libyaml could report nothing inside it.* A managedFields
///   value must be block mappings and sequences of one-line scalars (plain, quoted without
///   escapes, `{}`, `[]`) with no anchor, tag, alias, tab or carriage return, no key longer
///   than 1,000 bytes, no key twice in one mapping (the loader reports duplicate keys
///   anywhere), nesting at most ``maxRegionDepth`` deep, and only characters libyaml's
///   reader accepts. The annotation's block scalar must have no indentation indicator and
///   valid characters, and the line after it must end it in both readings (indented no more
///   than the annotation's key).
/// - *libyaml reads the input at the same moments.* libyaml decodes its input 16 KiB at a
///   time, and a few things depend on when (where an invalid byte further on is reported,
///   the bound on one token's size). ``InputFeeder`` hands out the input in spans that end at
///   the same offsets of the original bytes in both readings (``chunkBytes``), and a value is
///   only replaced when it, its key line, and the next token after it lie inside one span with
///   64 bytes to spare: at every span's end libyaml is at the same place in the same state.
///
/// JSON input is not scanned for anything (its root is a flow collection: the scan is unsure).
struct UnreadValueScan {
    /// The span size the feeder reads in (libyaml's raw input buffer).
    static let chunkBytes = 16384
    /// The deepest nesting inside a replaced managedFields value.
    static let maxRegionDepth = 40
    /// Bytes kept untouched at each end of a span.
    static let margin = 64

    /// A value to replace: the bytes `start..<end` (whole lines) become their `lines` line feeds.
    struct Removal: Equatable {
        var start: Int
        var end: Int
        var lines: Int
    }

    /// The input the scan reads: bytes `base[0..<count]` are the feeder's bytes from offset `origin`.
    struct Window {
        var base: UnsafePointer<UInt8>
        var count: Int
        var origin: Int
        /// Whether the input ends at `count`.
        var atEnd: Bool
    }

    private enum Role: UInt8 {
        case other
        /// A document's root mapping: an object whose `items` are objects.
        case rootObject
        /// A mapping that is an object (an item).
        case object
        /// A sequence whose entries are objects.
        case objects
        case metadata
        case annotations
    }

    private struct Block {
        var column: Int
        var isMapping: Bool
        /// A sequence at its parent key's column (`key:` then `- ` lines at the same column).
        var indentless: Bool
        var role: Role
    }

    private enum Mode {
        /// Following the document's structure.
        case normal
        /// Not sure of the structure: nothing is replaced until the next `---` line.
        case unsure
        /// Not sure of anything any more (UTF-16 input): nothing is replaced.
        case off
    }

    private enum Inside {
        case nothing
        /// A plain scalar that continues on lines indented more than `column`.
        case plain(column: Int)
        /// A block scalar: its parent's column, its content indentation (0: not known yet),
        /// and the most spaces of its leading empty lines.
        case block(parent: Int, indent: Int, leading: Int)
        /// A quoted scalar not closed on its first line.
        case quoted(single: Bool)
    }

    private var mode = Mode.normal
    private var blocks: [Block] = []
    /// A document's root was read (more root content is an error).
    private var hasRoot = false
    /// A key whose value starts on a later line: its mapping's column and the value's role.
    private var pending: (column: Int, role: Role)?
    private var inside = Inside.nothing
    private var atStreamStart = true
    private var region = RegionCheck()
    /// Removals found, oldest first (the feeder takes them).
    var removals: [Removal] = []
    /// Bytes in removals so far.
    private(set) var removedBytes = 0

    // MARK: Lines

    /// Reads the line at `s` (an index into `w`) whose line feed is at `e` (or the input ends
    /// there). Returns where the next line to read starts: past a value it replaced.
    mutating func line(_ w: Window, _ s: Int, _ e: Int) -> Int {
        let b = w.base
        let next = e + 1
        if atStreamStart {
            atStreamStart = false
            if e - s >= 2, (b[s] == 0xFE && b[s + 1] == 0xFF) || (b[s] == 0xFF && b[s + 1] == 0xFE) {
                mode = .off
            } else if e - s >= 3, b[s] == 0xEF, b[s + 1] == 0xBB, b[s + 2] == 0xBF {
                mode = .unsure
            }
        }
        if mode == .off { return next }
        // Document markers at column 0 end whatever came before (or are an error there).
        if Self.isMarker(b, s, e) {
            newDocument()
            // A marker with more on its line (`--- |`, `--- {}`, a tab) is not modelled.
            var i = s + 3
            while i < e, b[i] == 0x20 { i += 1 }
            let rest = i == e || (b[i] == 0x0D && i + 1 == e) || (b[i] == 0x23 && i > s + 3)
            if !rest || b[s] == 0x2E { mode = mode == .off ? .off : .unsure }
            return next
        }
        if mode == .unsure { return next }
        var end = e
        if end > s, b[end - 1] == 0x0D { end -= 1 }  // CR LF (a lone CR makes the feeder stop the scan)
        switch inside {
        case .block(let parent, let indent, let leading):
            var i = s
            let limit = indent == 0 ? end : min(end, s + indent)
            while i < limit, b[i] == 0x20 { i += 1 }
            if i == end {
                if indent == 0 { inside = .block(parent: parent, indent: 0, leading: max(leading, i - s)) }
                return next
            }
            if b[i] == 0x09 && (indent == 0 || i - s < indent) { return unsure(next) }
            if indent == 0 {
                let n = max(leading, parent + 1, 1)
                if i - s >= n {
                    inside = .block(parent: parent, indent: n, leading: 0)
                    return next
                }
            } else if i - s >= indent {
                return next
            }
            inside = .nothing  // the scalar ends before this line
        case .quoted(let single):
            guard let close = Self.quoteEnd(b, s, end, single: single) else { return next }
            inside = .nothing
            if !Self.restIsEmpty(b, close, end) { return unsure(next) }
            return next
        default:
            break
        }
        let shape = LineShape(b, s, end)
        switch shape.kind {
        case .blank:
            return next
        case .comment:
            if case .plain = inside { inside = .nothing }
            return next
        case .unsupported:
            return unsure(next)
        case .content:
            break
        }
        if case .plain(let column) = inside {
            if shape.indent > column { return next }  // the scalar goes on
            inside = .nothing
        }
        return content(w, shape, s, e, next)
    }

    /// `---` or `...` at column 0, followed by a space, a tab, a line break or the end.
    static func isMarker(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s >= 3, b[s] == 0x2D || b[s] == 0x2E, b[s + 1] == b[s], b[s + 2] == b[s] else { return false }
        if e - s == 3 { return true }
        let c = b[s + 3]
        return c == 0x20 || c == 0x09 || c == 0x0D
    }

    /// Whether the scan may still replace values in this input (not off for good).
    var active: Bool { mode != .off }

    /// Replaces nothing more in this input.
    mutating func stop() { mode = .off }

    private mutating func unsure(_ next: Int) -> Int {
        mode = .unsure
        return next
    }

    private mutating func newDocument() {
        if mode != .off { mode = .normal }
        blocks.removeAll(keepingCapacity: true)
        hasRoot = false
        pending = nil
        inside = .nothing
    }

    /// A line with content, in normal mode, not inside a scalar.
    private mutating func content(_ w: Window, _ shape: LineShape, _ s: Int, _ e: Int, _ next: Int) -> Int {
        let i = shape.indent
        // Where the line goes in the block structure.
        if let p = pending {
            pending = nil
            if shape.entry && i >= p.column {
                blocks.append(Block(column: i, isMapping: false, indentless: i == p.column, role: p.role == .objects ? .objects : .other))
            } else if !shape.entry && i > p.column {
                guard shape.hasKey else { return unsure(next) }  // a scalar on the lines after its key
                let role: Role = p.role == .metadata || p.role == .annotations ? p.role : .other
                blocks.append(Block(column: i, isMapping: true, indentless: false, role: role))
            } else if !place(shape) {
                return unsure(next)
            }
        } else if blocks.isEmpty {
            if hasRoot || i != 0 { return unsure(next) }
            hasRoot = true
            if shape.entry {
                blocks.append(Block(column: 0, isMapping: false, indentless: false, role: .objects))
            } else {
                guard shape.hasKey else { return unsure(next) }
                blocks.append(Block(column: 0, isMapping: true, indentless: false, role: .rootObject))
            }
        } else if !place(shape) {
            return unsure(next)
        }
        // The line's node: an entry's content, or a key and its value.
        var role = Role.other
        if shape.entry {
            let seq = blocks[blocks.count - 1]
            if shape.hasKey {
                blocks.append(Block(column: shape.body, isMapping: true, indentless: false, role: seq.role == .objects ? .object : .other))
            } else {
                return value(shape, parent: seq.column, role: .other, next)
            }
        }
        let map = blocks[blocks.count - 1]
        let b = w.base
        if shape.keyPlain {
            let k = UnsafeBufferPointer(start: b + shape.keyStart, count: shape.keyEnd - shape.keyStart)
            switch map.role {
            case .rootObject, .object:
                if Self.equals(k, "metadata") {
                    role = .metadata
                } else if map.role == .rootObject && Self.equals(k, "items") {
                    role = .objects
                }
            case .metadata:
                if Self.equals(k, "annotations") {
                    role = .annotations
                } else if Self.equals(k, "managedFields"), shape.value == .none, !shape.hasComment {
                    if let resume = managedFields(w, keyLine: s, keyColumn: map.column, from: next) { return resume }
                }
            case .annotations:
                if case .block(let digit) = shape.value, !digit, !shape.hasComment,
                    Self.equals(k, Self.lastApplied)
                {
                    if let resume = blockScalar(w, keyLine: s, keyColumn: map.column, from: next) { return resume }
                }
            default:
                break
            }
        }
        return value(shape, parent: map.column, role: role, next)
    }

    /// Where a line that starts no new block goes: it closes the blocks indented more, and
    /// must then be a key of the mapping or an entry of the sequence at its column.
    private mutating func place(_ shape: LineShape) -> Bool {
        let i = shape.indent
        while let top = blocks.last, top.column > i { blocks.removeLast() }
        if let top = blocks.last, top.indentless, top.column == i, !shape.entry { blocks.removeLast() }
        guard let top = blocks.last, top.column == i else { return false }
        return shape.entry ? !top.isMapping : (top.isMapping && shape.hasKey)
    }

    /// The value on a line (after a key, or an entry's), in a block at column `parent`.
    private mutating func value(_ shape: LineShape, parent: Int, role: Role, _ next: Int) -> Int {
        switch shape.value {
        case .none:
            if !shape.hasKey { return unsure(next) }  // a bare `-`
            pending = (parent, role)
        case .plain: inside = .plain(column: parent)
        case .closed, .emptyFlow: break
        case .open(let single): inside = .quoted(single: single)
        case .block(let digit):
            if digit { return unsure(next) }
            inside = .block(parent: parent, indent: 0, leading: 0)
        case .unsupported: return unsure(next)
        }
        return next
    }

    // MARK: Values replaced

    /// Whether `start..<end` (offsets of the window) fits in one span with the margins.
    private static func inOneSpan(_ w: Window, _ start: Int, _ end: Int) -> Bool {
        // No margin before the input's start: nothing was read before it.
        let a = max(0, w.origin + start - margin), z = w.origin + end + margin
        return a / chunkBytes == (z - 1) / chunkBytes
    }

    /// The value of `managedFields:` (a key at `keyColumn` of a metadata mapping, on the line
    /// at `keyLine`), from the line at `from`: replaced when it is well-formed (see the
    /// type's documentation), with the index of the line after it; else nil.
    private mutating func managedFields(_ w: Window, keyLine: Int, keyColumn m: Int, from: Int) -> Int? {
        let b = w.base
        region.reset()
        var p = from
        var lines = 0
        var rootIndentless = false
        var first = true
        while true {
            guard p < w.count, let e = Self.lineEnd(w, p) else { return nil }
            let shape = LineShape(b, p, e, strict: true)
            switch shape.kind {
            case .unsupported: return nil
            case .blank, .comment:
                guard Self.charactersAccepted(b, p, e, tabs: false) else { return nil }
                p = e + 1
                lines += 1
                continue
            case .content: break
            }
            let i = shape.indent
            let ends = first ? (i < m || (i == m && !shape.entry)) : (i < m || (i == m && !(rootIndentless && shape.entry)))
            if ends {
                if first { return nil }  // nothing to replace
                // An entry at the key's column would be managedFields' value once it is gone.
                if shape.entry && i == m { return nil }
                guard !shape.firstIsTab, Self.inOneSpan(w, keyLine, Self.resumeEnd(b, shape, p, e)) else { return nil }
                return replace(w, from: from, to: p, lines: lines)
            }
            guard Self.charactersAccepted(b, p, e, tabs: false) else { return nil }
            if first {
                first = false
                rootIndentless = shape.entry && i == m
            }
            guard region.add(shape, b, keyColumn: m) else { return nil }
            // Far beyond a span: it cannot be replaced.
            if e - keyLine > Self.chunkBytes { return nil }
            p = e + 1
            lines += 1
        }
    }

    /// The value of the last-applied annotation (a block scalar whose header ends the key's
    /// line at `keyLine`, at `keyColumn`), from the line at `from`.
    private mutating func blockScalar(_ w: Window, keyLine: Int, keyColumn a: Int, from: Int) -> Int? {
        let b = w.base
        var p = from
        var indent = 0
        var lines = 0
        while true {
            guard p < w.count, let e = Self.lineEnd(w, p) else { return nil }
            var i = p
            while i < e, b[i] == 0x20 { i += 1 }
            if indent == 0 {
                // The first line holds content, indented more than the key.
                guard i < e, i - p > a, b[i] != 0x09 else { return nil }
                indent = i - p
            } else if i == e || i - p >= indent {
                // An empty line or content.
            } else {
                // The first line indented less: it must end the scalar in both readings.
                guard i - p <= a, b[i] != 0x09, b[i] != 0x23, b[i] != 0x0D else { return nil }
                let shape = LineShape(b, p, e)
                guard Self.inOneSpan(w, keyLine, Self.resumeEnd(b, shape, p, e)) else { return nil }
                return replace(w, from: from, to: p, lines: lines)
            }
            guard Self.charactersAccepted(b, p, e, tabs: true) else { return nil }
            if e - keyLine > Self.chunkBytes { return nil }
            p = e + 1
            lines += 1
        }
    }

    private mutating func replace(_ w: Window, from: Int, to: Int, lines: Int) -> Int {
        removals.append(Removal(start: w.origin + from, end: w.origin + to, lines: lines))
        removedBytes += to - from
        return to
    }

    /// Where libyaml has read the first token of the line that follows a replaced value
    /// (and the `:` of its key): the end of the stretch that must lie in one span.
    private static func resumeEnd(_ b: UnsafePointer<UInt8>, _ shape: LineShape, _ s: Int, _ e: Int) -> Int {
        if shape.kind == .content, shape.hasKey, shape.keyEnd - s < 1000 { return shape.keyEnd + 8 }
        return s + 1100
    }

    /// The index of the line feed ending the line at `s`, or the window's count at the input's
    /// end; nil when the line is not all in the window.
    static func lineEnd(_ w: Window, _ s: Int) -> Int? {
        if let nl = memchr(w.base + s, 0x0A, w.count - s) {
            return w.base.distance(to: nl.assumingMemoryBound(to: UInt8.self))
        }
        return w.atEnd ? w.count : nil
    }

    /// Whether libyaml's reader accepts every character of `s..<e` (no line break it counts
    /// besides the line feed: no carriage return, U+0085, U+2028, U+2029; no byte order mark).
    static func charactersAccepted(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int, tabs: Bool) -> Bool {
        var i = s
        // Printable ASCII, 16 bytes at a time.
        let raw = UnsafeRawPointer(b)
        let low = SIMD16<UInt8>(repeating: 0x20), span = SIMD16<UInt8>(repeating: 0x5F)
        while i + 16 <= e {
            let x = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            if any((x &- low) .>= span) { break }
            i += 16
        }
        while i < e {
            let c = b[i]
            if c >= 0x20 && c < 0x7F {
                i += 1
                continue
            }
            if c == 0x09 {
                if !tabs { return false }
                i += 1
                continue
            }
            if c < 0xC2 || c > 0xF4 { return false }
            let n = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4
            guard i + n <= e else { return false }
            var v = UInt32(c) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
            for k in 1..<n {
                let t = b[i + k]
                guard t & 0xC0 == 0x80 else { return false }
                v = v << 6 | UInt32(t & 0x3F)
            }
            let shortest: UInt32 = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000
            guard v >= shortest, v <= 0x10FFFF else { return false }
            if v < 0xA0 || (v >= 0xD800 && v <= 0xDFFF) || v == 0xFFFE || v == 0xFFFF || v == 0xFEFF { return false }
            if v == 0x2028 || v == 0x2029 { return false }
            i += n
        }
        return true
    }

    static func equals(_ k: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        k.count == s.utf8CodeUnitCount && memcmp(k.baseAddress!, s.utf8Start, k.count) == 0
    }

    /// The annotation `kubectl apply` writes (``ManifestDecoder/lastAppliedAnnotation`` is this one).
    static let lastApplied: StaticString = "kubectl.kubernetes.io/last-applied-configuration"

    /// The index just past the closing quote of a quoted scalar whose text starts at `s`, or
    /// nil when it does not close before `e`.
    fileprivate static func quoteEnd(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int, single: Bool) -> Int? {
        var i = s
        while i < e {
            let c = b[i]
            if single {
                if c == 0x27 {
                    if i + 1 < e && b[i + 1] == 0x27 {
                        i += 2
                        continue
                    }
                    return i + 1
                }
            } else {
                if c == 0x5C {
                    i += 2
                    continue
                }
                if c == 0x22 { return i + 1 }
            }
            i += 1
        }
        return nil
    }

    /// Whether `s..<e` holds only spaces, or spaces then a comment.
    fileprivate static func restIsEmpty(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e, b[i] == 0x20 { i += 1 }
        return i == e || (b[i] == 0x23 && i > s)
    }
}

// MARK: - One line

/// What one line of block-style YAML holds, as far as the scan models it.
private struct LineShape {
    enum Kind { case blank, comment, content, unsupported }
    enum Value: Equatable {
        /// Nothing after the key or the entry's `-` (the value is on the next lines, or null).
        case none
        case plain
        /// A quoted scalar closed on this line.
        case closed
        /// A quoted scalar that goes on to the next lines.
        case open(single: Bool)
        /// `{}` or `[]`.
        case emptyFlow
        /// A block scalar header; `digit`: with an indentation indicator.
        case block(digit: Bool)
        case unsupported
    }

    var kind = Kind.unsupported
    var indent = 0
    var entry = false
    /// The column of the content after `- `.
    var body = 0
    var hasKey = false
    var keyPlain = false
    var keyStart = 0
    var keyEnd = 0
    var value = Value.none
    /// A comment after the value.
    var hasComment = false
    /// The first character after the indentation is a tab.
    var firstIsTab = false
    /// Strict: the line's key (of its mapping, `keyStart..<keyEnd` as text) when checked.
    var keyText: (start: Int, end: Int, quote: UInt8)? = nil

    /// - Parameter strict: a line of a value to replace: only what libyaml surely reads
    ///   without a problem (one-line scalars without escapes, no key over 1,000 bytes).
    init(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int, strict: Bool = false) {
        var i = s
        while i < e, b[i] == 0x20 { i += 1 }
        indent = i - s
        if i == e {
            kind = .blank
            return
        }
        let c = b[i]
        if c == 0x09 {
            firstIsTab = true
            kind = .unsupported
            return
        }
        if c == 0x23 {
            kind = .comment
            return
        }
        if c == 0x2D, i + 1 == e || b[i + 1] == 0x20 {
            entry = true
            i += 1
            while i < e, b[i] == 0x20 { i += 1 }
            body = i - s
            if i == e || b[i] == 0x23 {
                // A bare `-`: its value is on the next lines.
                kind = strict ? .unsupported : .content
                value = .none
                return
            }
            if b[i] == 0x2D, i + 1 == e || b[i + 1] == 0x20 { return }  // `- - `
            if strict && body != indent + 2 { return }
        }
        kind = .content
        // A key, or (after `- `) a scalar.
        let k = b[i]
        if k == 0x22 || k == 0x27 {
            guard let q = UnreadValueScan.quoteEnd(b, i + 1, e, single: k == 0x27) else {
                if entry && !strict { value = .open(single: k == 0x27) } else { kind = .unsupported }
                return
            }
            if q < e, b[q] == 0x3A, q + 1 == e || b[q + 1] == 0x20 {
                if strict {
                    if q - i > 1000 { kind = .unsupported; return }
                    if k == 0x22, memchr(b + i, 0x5C, q - i) != nil { kind = .unsupported; return }
                    keyText = (i + 1, q - 1, k)
                }
                hasKey = true
                keyStart = i
                keyEnd = q
                parseValue(b, q + 1, e, strict: strict)
            } else if entry {
                if strict, k == 0x22, memchr(b + i, 0x5C, q - i) != nil { kind = .unsupported; return }
                value = .closed
                trailing(b, q, e)
            } else {
                kind = .unsupported
            }
            return
        }
        if !Self.startsPlain(b, i, e, strict: strict) {
            if entry && !strict {
                parseValue(b, i, e, strict: false)
                if value == .none || value == .plain { kind = .unsupported }
                return
            }
            if entry {
                parseValue(b, i, e, strict: true)
                if value == .none || value == .plain { kind = .unsupported }
                return
            }
            kind = .unsupported
            return
        }
        // A plain key ends at the first `: ` or `:` at the line's end, before any ` #`.
        var j = i
        var colon = -1
        while j < e {
            let d = b[j]
            if d == 0x3A, j + 1 == e || b[j + 1] == 0x20 {
                colon = j
                break
            }
            if d == 0x23, b[j - 1] == 0x20 { break }
            if d == 0x09 && strict { kind = .unsupported; return }
            j += 1
        }
        if colon < 0 {
            // A plain scalar: an entry's value, or a line libyaml reads otherwise.
            if !entry { kind = .unsupported; return }
            value = .plain
            if strict, !Self.plainValueIsClean(b, i, e) { kind = .unsupported }
            return
        }
        if b[colon - 1] == 0x20 { kind = .unsupported; return }  // `key :`
        if strict && colon - i > 1000 { kind = .unsupported; return }
        hasKey = true
        keyPlain = true
        keyStart = i
        keyEnd = colon
        if strict { keyText = (i, colon, 0) }
        parseValue(b, colon + 1, e, strict: strict)
    }

    /// Whether a plain scalar may start at `i` (strict: only with characters that surely do).
    static func startsPlain(_ b: UnsafePointer<UInt8>, _ i: Int, _ e: Int, strict: Bool) -> Bool {
        let c = b[i]
        if (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) { return true }
        switch c {
        case 0x2E, 0x2F, 0x5F, 0x7E, 0x24, 0x5E, 0x3D, 0x28, 0x3B, 0x2B: return true  // . / _ ~ $ ^ = ( ; +
        case 0x2D, 0x3F, 0x3A:  // - ? : followed by a non-space
            return !strict && i + 1 < e && b[i + 1] != 0x20 && b[i + 1] != 0x09
        default:
            return c >= 0x80 && !(c == 0xEF && i + 2 < e && b[i + 1] == 0xBB && b[i + 2] == 0xBF)
        }
    }

    /// Strict: a one-line plain value with no `: ` and no tab, not ending in `:` (a comment
    /// after it ends it).
    static func plainValueIsClean(_ b: UnsafePointer<UInt8>, _ i: Int, _ e: Int) -> Bool {
        var end = e
        var j = i
        while j < e {
            let d = b[j]
            if d == 0x23, b[j - 1] == 0x20 {
                end = j
                break
            }
            if d == 0x09 { return false }
            j += 1
        }
        while end > i, b[end - 1] == 0x20 { end -= 1 }
        if b[end - 1] == 0x3A { return false }
        j = i
        while j + 1 < end {
            if b[j] == 0x3A, b[j + 1] == 0x20 { return false }
            j += 1
        }
        return true
    }

    /// The value after a key's `:` (or an entry's `- `), from `i`.
    private mutating func parseValue(_ b: UnsafePointer<UInt8>, _ from: Int, _ e: Int, strict: Bool) {
        defer { if value == .unsupported { kind = .unsupported } }
        var i = from
        while i < e, b[i] == 0x20 { i += 1 }
        if i == e {
            value = .none
            return
        }
        let c = b[i]
        if c == 0x23 {
            if i > from || entry {
                value = .none
                hasComment = true
            } else {
                value = .unsupported
            }
            return
        }
        if c == 0x09 {
            value = .unsupported
            return
        }
        switch c {
        case 0x22, 0x27:
            guard let q = UnreadValueScan.quoteEnd(b, i + 1, e, single: c == 0x27) else {
                value = strict ? .unsupported : .open(single: c == 0x27)
                return
            }
            if strict, c == 0x22, memchr(b + i, 0x5C, q - i) != nil {
                value = .unsupported
                return
            }
            value = .closed
            trailing(b, q, e)
        case 0x7B, 0x5B:  // {} or []
            guard i + 1 < e, b[i + 1] == (c == 0x7B ? 0x7D : 0x5D) else {
                value = .unsupported
                return
            }
            value = .emptyFlow
            trailing(b, i + 2, e)
        case 0x7C, 0x3E:  // | or >
            var j = i + 1
            var digit = false
            var chomp = false
            while j < e {
                let d = b[j]
                if (d == 0x2B || d == 0x2D) && !chomp {
                    chomp = true
                } else if d >= 0x31 && d <= 0x39 && !digit {
                    digit = true
                } else {
                    break
                }
                j += 1
            }
            if strict {
                value = .unsupported
                return
            }
            value = .block(digit: digit)
            trailing(b, j, e)
        default:
            if !Self.startsPlain(b, i, e, strict: strict) {
                value = .unsupported
                return
            }
            value = .plain
            if strict, !Self.plainValueIsClean(b, i, e) { value = .unsupported }
        }
    }

    /// After a closed scalar, `{}`, `[]` or a block header: only spaces, or a comment.
    private mutating func trailing(_ b: UnsafePointer<UInt8>, _ i: Int, _ e: Int) {
        var j = i
        while j < e, b[j] == 0x20 { j += 1 }
        if j == e { return }
        if b[j] == 0x23, j > i {
            hasComment = true
            return
        }
        value = .unsupported
        kind = .unsupported
    }
}

// MARK: - The structure of a value to replace

/// The block structure of a managedFields value, line by line: every line must be a key of
/// the mapping at its column or an entry of the sequence at its column, or open a new block
/// after a key with no value; no mapping holds a key twice. One is reused from value to value
/// (``reset()``): no allocation per line.
struct RegionCheck {
    private struct Level {
        var column: Int
        var isMapping: Bool
        var indentless: Bool
        /// Where the mapping's keys start in `keys`.
        var keysStart: Int
    }

    private var levels: [Level] = []
    /// The keys of the open mappings (offsets into the input, with their quote), innermost last.
    private var keys: [(start: Int, end: Int, quote: UInt8)] = []
    private var pending: Int? = nil

    init() {}

    mutating func reset() {
        levels.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        pending = nil
    }

    fileprivate mutating func add(_ shape: LineShape, _ b: UnsafePointer<UInt8>, keyColumn m: Int) -> Bool {
        let i = shape.indent
        if levels.isEmpty {
            pending = m
        }
        if let p = pending {
            pending = nil
            if shape.entry && i >= p {
                open(Level(column: i, isMapping: false, indentless: i == p, keysStart: keys.count))
            } else if !shape.entry && i > p && shape.hasKey {
                open(Level(column: i, isMapping: true, indentless: false, keysStart: keys.count))
            } else if levels.isEmpty {
                return false
            } else if !place(shape) {
                return false
            }
        } else if !place(shape) {
            return false
        }
        if shape.entry {
            if shape.hasKey {
                open(Level(column: shape.body, isMapping: true, indentless: false, keysStart: keys.count))
            } else {
                return shape.value != .none  // an entry's one-line scalar
            }
        }
        if levels.count > UnreadValueScan.maxRegionDepth { return false }
        guard shape.hasKey, let key = shape.keyText else { return false }
        // No key twice in one mapping (compared by text: stricter than the loader).
        let top = levels[levels.count - 1]
        var k = top.keysStart
        while k < keys.count {
            if Self.same(b, keys[k], key) { return false }
            k += 1
        }
        keys.append(key)
        if shape.value == .none {
            if shape.hasComment { return false }
            pending = top.column
        }
        return true
    }

    private mutating func open(_ level: Level) {
        levels.append(level)
    }

    private mutating func close() {
        let l = levels.removeLast()
        keys.removeSubrange(l.keysStart...)
    }

    private mutating func place(_ shape: LineShape) -> Bool {
        let i = shape.indent
        while let top = levels.last, top.column > i { close() }
        if let top = levels.last, top.indentless, top.column == i, !shape.entry { close() }
        guard let top = levels.last, top.column == i else { return false }
        return shape.entry ? !top.isMapping : (top.isMapping && shape.hasKey)
    }

    /// Whether two keys have the same text (a single-quoted key's `''` read as `'`).
    private static func same(_ b: UnsafePointer<UInt8>, _ x: (start: Int, end: Int, quote: UInt8), _ y: (start: Int, end: Int, quote: UInt8)) -> Bool {
        if x.quote != 0x27 && y.quote != 0x27 {
            return x.end - x.start == y.end - y.start && memcmp(b + x.start, b + y.start, x.end - x.start) == 0
        }
        var i = x.start, j = y.start
        while i < x.end && j < y.end {
            if b[i] != b[j] { return false }
            if x.quote == 0x27 && b[i] == 0x27 { i += 1 }
            if y.quote == 0x27 && b[j] == 0x27 { j += 1 }
            i += 1
            j += 1
        }
        return i >= x.end && j >= y.end
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
