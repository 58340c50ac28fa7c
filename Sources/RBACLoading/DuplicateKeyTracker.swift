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
        /// Where this mapping's keys start in the arrays below.
        var keysStart: Int
        /// Hash to key index, built once the mapping has many keys.
        var index: [UInt64: Int]?
    }

    private var frames: [Frame] = []
    private var hashes: [UInt64] = []
    private var lines: [Int] = []
    private var starts: [Int] = []
    private var bytes: [UInt8] = []
    /// Found since the last ``takeDuplicates()``.
    private(set) var duplicates: [Duplicate] = []

    /// Beyond this many keys a mapping is searched through a hash table.
    private static let linearLimit = 16

    /// A new document.
    mutating func reset() {
        frames.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func takeDuplicates() -> [Duplicate] {
        defer { duplicates = [] }
        return duplicates
    }

    /// A node that is not compared (an alias, or a replayed scalar) takes its place.
    @inline(__always)
    mutating func node() {
        if !frames.isEmpty { frames[frames.count - 1].children += 1 }
    }

    /// An alias that was counted by ``node()`` is replaced by the node it refers to.
    mutating func uncount() {
        if !frames.isEmpty { frames[frames.count - 1].children -= 1 }
    }

    /// A mapping or a sequence starts.
    mutating func open(mapping: Bool) {
        node()
        frames.append(Frame(isMapping: mapping, children: 0, keysStart: hashes.count, index: nil))
    }

    /// The innermost mapping or sequence ends.
    mutating func close() {
        guard let f = frames.popLast() else { return }
        let n = hashes.count - f.keysStart
        if n > 0 {
            bytes.removeLast(bytes.count - starts[f.keysStart])
            hashes.removeLast(n)
            lines.removeLast(n)
            starts.removeLast(n)
        }
    }

    /// A scalar: compared with the mapping's earlier keys when it is a key.
    @inline(__always)
    mutating func scalar(_ value: UnsafeBufferPointer<UInt8>, plain: Bool, line: Int, column: Int) {
        guard !frames.isEmpty else { return }
        let top = frames.count - 1
        let isKey = frames[top].isMapping && frames[top].children & 1 == 0
        frames[top].children += 1
        if isKey { key(value, plain: plain, line: line, column: column, frame: top) }
    }

    private mutating func key(_ value: UnsafeBufferPointer<UInt8>, plain: Bool, line: Int, column: Int, frame top: Int) {
        // FNV-1a over the text, then whether it is a plain non-string.
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in value { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        if plain && Self.resolvesToNonString(value) { h = (h ^ 0xff) &* 0x100_0000_01b3 }
        let first = frames[top].keysStart
        var match: Int? = nil
        if let index = frames[top].index {
            if let j = index[h], equal(j, value) {
                match = j
            } else if index[h] != nil {
                match = linearSearch(h, value, from: first)  // a hash collision: look at every key
            }
        } else {
            match = linearSearch(h, value, from: first)
        }
        if let j = match {
            duplicates.append(Duplicate(
                key: String(decoding: value, as: UTF8.self), line: line, column: column, firstLine: lines[j]))
            return
        }
        hashes.append(h)
        lines.append(line)
        starts.append(bytes.count)
        bytes.append(contentsOf: value)
        let count = hashes.count - first
        if frames[top].index != nil {
            if frames[top].index![h] == nil { frames[top].index![h] = hashes.count - 1 }
        } else if count > Self.linearLimit {
            var index: [UInt64: Int] = [:]
            index.reserveCapacity(count * 2)
            for j in first..<hashes.count where index[hashes[j]] == nil { index[hashes[j]] = j }
            frames[top].index = index
        }
    }

    private func linearSearch(_ h: UInt64, _ value: UnsafeBufferPointer<UInt8>, from first: Int) -> Int? {
        var j = first
        while j < hashes.count {
            if hashes[j] == h && equal(j, value) { return j }
            j += 1
        }
        return nil
    }

    private func equal(_ j: Int, _ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[j]
        let end = j + 1 < starts.count ? starts[j + 1] : bytes.count
        guard end - start == value.count else { return false }
        var i = 0
        while i < value.count {
            if bytes[start + i] != value[i] { return false }
            i += 1
        }
        return true
    }

    /// Whether a plain scalar resolves to null, a boolean or a number (YAML 1.1, as the Go
    /// YAML decoder kubectl uses reads keys): such a key differs from the quoted string.
    static func resolvesToNonString(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        if v.isEmpty { return true }
        let c = v[0]
        if (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2D || c == 0x2E {  // digit + - .
            return v.allSatisfy { numberBytes.contains($0) } && v.contains { $0 >= 0x30 && $0 <= 0x39 || $0 == 0x69 || $0 == 0x49 || $0 == 0x6E || $0 == 0x4E }
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

    private static let numberBytes: Set<UInt8> = Set("0123456789+-._:eExXoObBaAcCdDfFiInN".utf8)

    /// By length (0…5).
    private static let nonStrings: [[[UInt8]]] = {
        let words = [
            "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
            "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
        ]
        return (0...5).map { n in words.filter { $0.utf8.count == n }.map { Array($0.utf8) } }
    }()
}
