// Kubernetes compares strings as Go does: byte for byte. Swift's `==`, `hasPrefix` and
// `Hashable` follow Unicode canonical equivalence ("é" == "e\u{301}") and grapheme
// boundaries, which would let `café` (NFC) match `café` (NFD) and keep `/x/e*` from matching
// `/x/e\u{301}`. Every comparison with RBAC meaning goes through these helpers instead.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Byte-for-byte equality of the UTF-8 forms (Go's `==`): one `memcmp` when both strings
    /// are contiguous UTF-8 (native Swift strings, small or not), which every dictionary
    /// lookup of a byte-exact key (``ExactKey``, the access graph's indexes) compares with.
    public func isExactly(_ other: String) -> Bool {
        let equal: Bool?? = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in
                guard a.count == b.count else { return false }
                guard let pa = a.baseAddress, let pb = b.baseAddress, a.count > 0 else { return true }
                return memcmp(pa, pb, a.count) == 0
            }
        }
        if let equal, let equal { return equal }
        return utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }

    /// Byte order of the UTF-8 forms (Go's `<` on strings): one `memcmp` when both strings
    /// are contiguous UTF-8, as sorting thousands of file paths wants.
    public func precedesExactly(_ other: String) -> Bool {
        let order: Bool?? = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in
                let n = min(a.count, b.count)
                if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
                    let c = memcmp(pa, pb, n)
                    if c != 0 { return c < 0 }
                }
                return a.count < b.count
            }
        }
        if let order, let order { return order }
        return utf8.lexicographicallyPrecedes(other.utf8)
    }
}

extension StringProtocol {
    /// Byte-for-byte equality of the UTF-8 forms (Go's `==`).
    @inlinable
    public func isExactly<S: StringProtocol>(_ other: S) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }

    /// Byte prefix test (Go's `strings.HasPrefix`).
    @inlinable
    public func hasExactPrefix<S: StringProtocol>(_ prefix: S) -> Bool {
        utf8.starts(with: prefix.utf8)
    }

    /// Byte suffix test (Go's `strings.HasSuffix`).
    @inlinable
    public func hasExactSuffix<S: StringProtocol>(_ suffix: S) -> Bool {
        let n = suffix.utf8.count
        guard utf8.count >= n else { return false }
        return utf8.dropFirst(utf8.count - n).elementsEqual(suffix.utf8)
    }

    /// Feeds the UTF-8 bytes (and a terminator) to `hasher`, for byte-exact `Hashable`.
    @inlinable
    public func hashExactly(into hasher: inout Hasher) {
        // The bytes in one call when they are contiguous (native strings, small or not): the
        // same byte stream as one `combine` per byte, a tenth of the work.
        let done: Void? = utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil {
            for b in utf8 { hasher.combine(b) }
        }
        hasher.combine(0xFF as UInt8)  // never in UTF-8: separates consecutive strings
    }
}

extension Sequence where Element: StringProtocol {
    /// Whether some element is byte-for-byte equal to `value`.
    @inlinable
    public func containsExactly<S: StringProtocol>(_ value: S) -> Bool {
        contains { $0.isExactly(value) }
    }
}

/// Byte-exact equality and hashing of string lists (Go's `reflect.DeepEqual` on `[]string`).
@inlinable
func exactlyEqual(_ a: [String], _ b: [String]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.isExactly($1) }
}

@inlinable
func hashExactly(_ list: [String], into hasher: inout Hasher) {
    hasher.combine(list.count)
    for s in list { s.hashExactly(into: &hasher) }
}

extension Sequence where Element == String {
    /// The distinct strings byte for byte (as a Go `map[string]` keeps them: `zoë` composed and
    /// decomposed are two), sorted by Swift's order and, among spellings it calls equal, by bytes.
    func exactlyDistinctSorted() -> [String] {
        Set(map(ExactKey.init)).map(\.string).sorted { a, b in
            a < b || (!(b < a) && a.utf8.lexicographicallyPrecedes(b.utf8))
        }
    }
}

/// A string as a byte-exact dictionary key.
struct ExactKey: Hashable, Sendable {
    let string: String
    init(_ s: String) { string = s }
    static func == (a: ExactKey, b: ExactKey) -> Bool { a.string.isExactly(b.string) }
    func hash(into h: inout Hasher) { string.hashExactly(into: &h) }
}
