import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Runs jobs on several threads and hands their results over in job order, on the calling
/// thread, each as soon as it and every job before it are done. The calling thread works
/// too: while the next result in order is not ready, it runs a job itself.
///
/// At most `window` jobs are claimed beyond the last one handed over, which bounds the
/// results held at once.
final class OrderedJobs<Result>: @unchecked Sendable {
    private let count: Int
    private let window: Int
    private let job: @Sendable (Int) -> Result
    // Guarded by `mutex`.
    private var results: [Result?]
    private var next = 0
    private var consumed = 0
    private var cancelled = false
    private var runningWorkers = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(count: Int, window: Int, job: @escaping @Sendable (Int) -> Result) {
        self.count = count
        self.window = max(window, 1)
        self.job = job
        results = Array(repeating: nil, count: count)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    /// Runs every job on `threads` threads (this one included) and calls `consume` with each
    /// result in job order. When `consume` throws, the jobs not started are dropped, the
    /// running ones finish, and the error is rethrown.
    func run<E: Error>(threads: Int, consume: (Int, Result) throws(E) -> Void) throws(E) {
        let workers = min(max(threads - 1, 0), count)
        runningWorkers = workers
        for _ in 0..<workers {
            DispatchQueue.global().async { self.work() }
        }
        defer { finish() }
        for i in 0..<count {
            let r = takeOrRun(i)
            try consume(i, r)
        }
    }

    /// The result of job `i`: waits for it, running other jobs meanwhile.
    private func takeOrRun(_ i: Int) -> Result {
        pthread_mutex_lock(mutex)
        while true {
            if let r = results[i] {
                results[i] = nil
                consumed = i + 1
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
                return r
            }
            if let j = claim() {
                pthread_mutex_unlock(mutex)
                let r = job(j)
                pthread_mutex_lock(mutex)
                results[j] = r
                pthread_cond_broadcast(condition)
                continue
            }
            pthread_cond_wait(condition, mutex)
        }
    }

    /// The next job to run, if one may start (called with the mutex held).
    private func claim() -> Int? {
        guard !cancelled, next < count, next < consumed + window else { return nil }
        defer { next += 1 }
        return next
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            if cancelled || next >= count { break }
            guard let j = claim() else {
                pthread_cond_wait(condition, mutex)
                continue
            }
            pthread_mutex_unlock(mutex)
            let r = job(j)
            pthread_mutex_lock(mutex)
            results[j] = r
            pthread_cond_broadcast(condition)
        }
        runningWorkers -= 1
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Stops handing out jobs and waits for the workers to leave.
    private func finish() {
        pthread_mutex_lock(mutex)
        cancelled = true
        pthread_cond_broadcast(condition)
        while runningWorkers > 0 { pthread_cond_wait(condition, mutex) }
        results = []
        pthread_mutex_unlock(mutex)
    }
}
