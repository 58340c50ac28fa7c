/// A small, fast, seedable generator (SplitMix64): the dumps and the query sets are the same
/// for the same seed on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A generator for one independent stream (a namespace, a query set…).
    init(seed: UInt64, stream: UInt64) {
        var g = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = g.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0 ..< n.
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// lo ... hi.
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + int(hi - lo + 1) }

    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }

    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }

    /// `count` distinct elements of `a` (fewer when `a` is smaller), in `a`'s order.
    mutating func sample<T>(_ a: [T], _ count: Int) -> [T] {
        if count >= a.count { return a }
        var chosen = Set<Int>()
        while chosen.count < count { chosen.insert(int(a.count)) }
        return chosen.sorted().map { a[$0] }
    }
}
