import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Independent pieces of work spread over the machine's cores.
enum Parallel {
    /// The cores to use: the online processors (at most 8), or `RBACGRAPH_THREADS`.
    static var threads: Int {
        if let v = getenv("RBACGRAPH_THREADS"), let n = Int(String(cString: v)), n >= 1 { return min(n, 64) }
        return max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// `transform` of every element of `items`, in their order. The elements are taken one at
    /// a time by whichever thread is free (the calling one among them), so that a few costly
    /// elements do not leave a thread idle; on one core, a plain loop.
    static func map<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
        let threads = min(Self.threads, items.count)
        if threads <= 1 { return items.map(transform) }
        let work = Work<R>(count: items.count)
        withoutActuallyEscaping(transform) { transform in
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while let i = work.claim() { work.store(transform(items[i]), at: i) }
            }
        }
        return work.results.map { $0! }
    }

    /// The results by index, and the next index to claim, under a lock.
    private final class Work<R>: @unchecked Sendable {
        private let lock = Lock()
        private var next = 0
        private(set) var results: [R?]

        init(count: Int) { results = [R?](repeating: nil, count: count) }

        func claim() -> Int? {
            lock.withLock {
                guard next < results.count else { return nil }
                defer { next += 1 }
                return next
            }
        }

        func store(_ r: R, at i: Int) { lock.withLock { results[i] = r } }
    }
}
