#if canImport(Glibc)
import Glibc
#endif

/// The keys of the open mappings of a YAML document, to find a key defined twice in one
/// mapping: kubectl refuses such a document (`line 9: mapping key "subjects" already defined
/// at line 5`), so an object that has one never reaches a cluster, and the value a lenient
/// reader keeps (the last) may hide a grant from a reviewer.
///
/// Fed every event of the document by ``YAMLEventReader``, decoded or skipped alike. Keys are
/// compared as the YAML decoder compares them: by their text, a plain key that resolves to
/// something other than a string (`1`, `true`, `null`) apart from the quoted string of the
/// same text (a limitation: two spellings of one number, `1` and `0x1`, are not recognised as
/// the same key). Keys that are aliases or collections are not compared.
struct DuplicateKeyTracker {
    /// A key found a second time in the same mapping (0-based positions).
    struct Duplicate {
        var key: String
        var line: Int
        var column: Int
        var firstLine: Int
    }

    private struct Frame {
        var isMapping: Bool
        /// Nodes so far: in a mapping, even counts are at a key.
        var children: Int
        /// Where this mapping's keys start in `keys`.
        var keysStart: Int
        /// Where this mapping's hash index is in `indexes` (built once the mapping has many
        /// keys), or -1.
        var index: Int
    }

    /// A key of an open mapping: its text is `bytes[start..<start + count]`.
    private struct Key {
        var hash: UInt64
        var line: Int
        var start: Int
        var count: Int
        /// Whether the key was a plain scalar (`1` and `"1"` are different keys).
        var plain: Bool
    }

    // The open mappings, their keys and the keys' bytes live in buffers that only grow: a
    // mapping's end just moves the counts back (no allocation, no reference counting per event).
    private var frames = GrowingBuffer<Frame>()
    /// Hash to key index of the open mappings that have many keys, innermost last.
    private var indexes: [[UInt64: Int]] = []
    private var keys = GrowingBuffer<Key>()
    private var bytes = GrowingBuffer<UInt8>()
    /// Found since the last ``takeDuplicates()``.
    private(set) var duplicates: [Duplicate] = []

    /// Beyond this many keys a mapping is searched through a hash table.
    private static let linearLimit = 16

    /// Frees the buffers (the tracker's owner calls it once).
    mutating func deallocate() {
        frames.deallocate()
        keys.deallocate()
        bytes.deallocate()
    }

    /// A new document.
    mutating func reset() {
        frames.count = 0
        indexes.removeAll(keepingCapacity: true)
        keys.count = 0
        bytes.count = 0
    }

    mutating func takeDuplicates() -> [Duplicate] {
        defer { duplicates = [] }
        return duplicates
    }

    /// A node that is not compared (an alias, or a replayed scalar) takes its place.
    @inline(__always)
    mutating func node() {
        if frames.count > 0 { frames.pointer[frames.count - 1].children += 1 }
    }

    /// An alias that was counted by ``node()`` is replaced by the node it refers to.
    mutating func uncount() {
        if frames.count > 0 { frames.pointer[frames.count - 1].children -= 1 }
    }

    /// A mapping or a sequence starts.
    @inline(__always)
    mutating func open(mapping: Bool) {
        node()
        frames.append(Frame(isMapping: mapping, children: 0, keysStart: keys.count, index: -1))
    }

    /// The innermost mapping or sequence ends.
    @inline(__always)
    mutating func close() {
        guard frames.count > 0 else { return }
        frames.count -= 1
        let f = frames[frames.count]
        if f.index >= 0 { indexes.removeLast() }
        if keys.count > f.keysStart {
            bytes.count = keys[f.keysStart].start
            keys.count = f.keysStart
        }
    }

    /// A scalar: compared with the mapping's earlier keys when it is a key.
    @inline(__always)
    mutating func scalar(_ value: UnsafeBufferPointer<UInt8>, plain: Bool, line: Int, column: Int) {
        guard frames.count > 0 else { return }
        let top = frames.pointer + (frames.count - 1)
        let isKey = top.pointee.isMapping && top.pointee.children & 1 == 0
        top.pointee.children += 1
        if isKey { key(value, plain: plain, line: line, column: column, frame: frames.count - 1) }
    }

    private mutating func key(_ value: UnsafeBufferPointer<UInt8>, plain: Bool, line: Int, column: Int, frame top: Int) {
        // FNV-1a over the text, 8 bytes at a time. A plain `1` and a quoted `"1"` hash alike:
        // `same` tells them apart, only for keys of equal text (nearly never).
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(value.count)
        if let base = value.baseAddress {
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i + 8 <= value.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01b3
                h ^= h >> 29
                i += 8
            }
            while i < value.count {
                h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3
                i += 1
            }
        }
        let first = frames[top].keysStart
        let indexSlot = frames[top].index
        var match: Int? = nil
        if indexSlot >= 0 {
            if let j = indexes[indexSlot][h] {
                // Another key of the same hash (a collision, or `1` against `"1"`): look at every key.
                match = same(j, value, plain: plain) ? j : linearSearch(h, value, plain: plain, from: first)
            }
        } else {
            match = linearSearch(h, value, plain: plain, from: first)
        }
        if let j = match {
            duplicates.append(Duplicate(
                key: String(decoding: value, as: UTF8.self), line: line, column: column, firstLine: keys[j].line))
            return
        }
        keys.append(Key(hash: h, line: line, start: bytes.count, count: value.count, plain: plain))
        bytes.append(value)
        let count = keys.count - first
        if indexSlot >= 0 {
            if indexes[indexSlot][h] == nil { indexes[indexSlot][h] = keys.count - 1 }
        } else if count > Self.linearLimit {
            var index: [UInt64: Int] = [:]
            index.reserveCapacity(count * 2)
            for j in first..<keys.count where index[keys[j].hash] == nil { index[keys[j].hash] = j }
            indexes.append(index)
            frames.pointer[top].index = indexes.count - 1
        }
    }

    private func linearSearch(_ h: UInt64, _ value: UnsafeBufferPointer<UInt8>, plain: Bool, from first: Int) -> Int? {
        var j = first
        while j < keys.count {
            if keys[j].hash == h && same(j, value, plain: plain) { return j }
            j += 1
        }
        return nil
    }

    /// Whether key `j` is the same key as `value`: the same text, and not one a plain scalar
    /// that resolves to null, a boolean or a number while the other is a string.
    private func same(_ j: Int, _ value: UnsafeBufferPointer<UInt8>, plain: Bool) -> Bool {
        let k = keys[j]
        guard k.count == value.count else { return false }
        if let base = value.baseAddress, k.count > 0, memcmp(bytes.pointer + k.start, base, k.count) != 0 { return false }
        let stored = UnsafeBufferPointer(start: bytes.pointer + k.start, count: k.count)
        return (k.plain && Self.resolvesToNonString(stored)) == (plain && Self.resolvesToNonString(value))
    }

    /// Whether a plain scalar resolves to null, a boolean or a number (YAML 1.1, as the Go
    /// YAML decoder kubectl uses reads keys): such a key differs from the quoted string.
    static func resolvesToNonString(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        if v.isEmpty { return true }
        let c = v[0]
        if (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2D || c == 0x2E {  // digit + - .
            var digitOrInfNaN = false
            for b in v {
                guard isNumberByte(b) else { return false }
                if (b >= 0x30 && b <= 0x39) || b == 0x69 || b == 0x49 || b == 0x6E || b == 0x4E { digitOrInfNaN = true }
            }
            return digitOrInfNaN
        }
        // Most keys (`kind`, `name`, `verbs`) fail on length or first letter without a lookup.
        guard v.count <= 5 else { return false }
        switch c {
        case 0x7E, 0x6E, 0x4E, 0x79, 0x59, 0x74, 0x54, 0x66, 0x46, 0x6F, 0x4F: break  // ~ n N y Y t T f F o O
        default: return false
        }
        for word in nonStrings[v.count] where word.elementsEqual(v) { return true }
        return false
    }

    /// The bytes a number can be written with: `0123456789+-._:eExXoObBaAcCdDfFiInN`.
    @inline(__always)
    private static func isNumberByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x2B, 0x2D, 0x2E, 0x5F, 0x3A: return true  // digits + - . _ :
        case 0x65, 0x45, 0x78, 0x58, 0x6F, 0x4F, 0x62, 0x42, 0x61, 0x41, 0x63, 0x43, 0x64, 0x44, 0x66, 0x46, 0x69, 0x49, 0x6E, 0x4E:
            return true  // e E x X o O b B a A c C d D f F i I n N
        default: return false
        }
    }

    /// By length (0…5).
    private static let nonStrings: [[[UInt8]]] = {
        let words = [
            "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        ]
        return (0...5).map { n in words.filter { $0.utf8.count == n }.map { Array($0.utf8) } }
    }()
}

/// A buffer of trivial values that only grows: `count` may be set back freely.
struct GrowingBuffer<Element: BitwiseCopyable> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private var capacity: Int
    var count = 0

    init() {
        capacity = 64
        pointer = .allocate(capacity: capacity)
    }

    func deallocate() { pointer.deallocate() }

    subscript(i: Int) -> Element {
        @inline(__always) get { pointer[i] }
    }

    @inline(__always)
    mutating func append(_ e: Element) {
        if count == capacity { grow(to: count + 1) }
        (pointer + count).initialize(to: e)
        count += 1
    }

    @inline(__always)
    mutating func append(_ elements: UnsafeBufferPointer<Element>) {
        guard let base = elements.baseAddress, !elements.isEmpty else { return }
        if count + elements.count > capacity { grow(to: count + elements.count) }
        (pointer + count).initialize(from: base, count: elements.count)
        count += elements.count
    }

    private mutating func grow(to minimum: Int) {
        var c = capacity * 2
        while c < minimum { c *= 2 }
        let p = UnsafeMutablePointer<Element>.allocate(capacity: c)
        p.initialize(from: pointer, count: count)
        pointer.deallocate()
        pointer = p
        capacity = c
    }
}
