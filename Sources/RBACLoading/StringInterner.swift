#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The strings a parse made lately, found again by their bytes: a scalar read a second time
/// (`rbac.authorization.k8s.io/v1`, `ClusterRoleBinding`, a label key, an API group) shares
/// the first one's storage instead of allocating its own.
///
/// Only strings of 16 to 64 bytes go through it: shorter ones are stored inline in the
/// `String` (no allocation to save), longer ones are rarely repeated. A direct-mapped cache:
/// a string a new one of the same slot replaced is made again the next time, so an input of
/// unique names costs one hash and one comparison per string, and never a wrong result (a hit
/// needs the same bytes).
struct StringInterner {
    private static let slotCount = 1024  // a power of two
    /// The hash of each slot's string (0: empty).
    private let hashes: UnsafeMutablePointer<UInt64>
    private var strings: ContiguousArray<String>

    init() {
        hashes = .allocate(capacity: Self.slotCount)
        hashes.initialize(repeating: 0, count: Self.slotCount)
        strings = ContiguousArray(repeating: "", count: Self.slotCount)
    }

    /// Frees the table (its owner calls it once).
    func deallocate() { hashes.deallocate() }

    /// The string of `bytes` (UTF-8; invalid sequences are repaired as `String(decoding:as:)`
    /// repairs them).
    @inline(__always)
    mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.count > 15, bytes.count <= 64, let base = bytes.baseAddress else {
            return String(decoding: bytes, as: UTF8.self)
        }
        return lookup(base, bytes.count)
    }

    private mutating func lookup(_ base: UnsafePointer<UInt8>, _ count: Int) -> String {
        // FNV-1a, 8 bytes at a time (as DuplicateKeyTracker hashes keys).
        let raw = UnsafeRawPointer(base)
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(count)
        var i = 0
        while i + 8 <= count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x100_0000_01b3
            h ^= h >> 29
            i += 8
        }
        while i < count {
            h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3
            i += 1
        }
        h |= 1
        let slot = Int(truncatingIfNeeded: (h ^ (h >> 32))) & (Self.slotCount - 1)
        if hashes[slot] == h {
            let same: Bool? = strings[slot].utf8.withContiguousStorageIfAvailable { s in
                s.count == count && memcmp(s.baseAddress!, base, count) == 0
            }
            if same == true { return strings[slot] }
        }
        let s = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
        hashes[slot] = h
        strings[slot] = s
        return s
    }
}
