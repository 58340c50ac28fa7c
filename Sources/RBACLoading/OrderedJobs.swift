import Dispatch

#if canImport(Glibc)
import Glibc
#endif

/// Runs jobs on several threads and hands their results over in job order, on the calling
/// thread, each as soon as it and every job before it are done. The calling thread works
/// too: while the next result in order is not ready, it runs a job itself.
///
/// Jobs are planned as they are needed, by whichever thread is free (one at a time): `plan`
/// returns the next job, or nil when there are no more. Planning can so take time (scanning
/// a file for where to cut it) without holding the other threads up.
///
/// At most `window` jobs are claimed beyond the last one handed over, which bounds the
/// results held at once.
final class OrderedJobs<Job, Result>: @unchecked Sendable {
    private let window: Int
    private let plan: () -> Job?
    private let job: (Job) -> Result
    // Guarded by `mutex`. Jobs and results by index, from `base` on (earlier ones handed over).
    private var jobs: [Job] = []
    private var results: [Result?] = []
    private var base = 0
    private var next = 0
    private var consumed = 0
    private var planning = false
    private var planned = false  // `plan` returned nil
    private var cancelled = false
    private var runningWorkers = 0
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// - Parameters:
    ///   - plan: the next job; called on any thread, never on two at once.
    ///   - job: runs one job; called on any thread.
    init(window: Int, plan: @escaping () -> Job?, job: @escaping (Job) -> Result) {
        self.window = max(window, 1)
        self.plan = plan
        self.job = job
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
    /// job and its result in job order. The result is the only copy, `consume`'s to change
    /// (to move out of it what it keeps). When `consume` throws, no job starts any more, the
    /// running ones finish, and the error is rethrown.
    func run<E: Error>(threads: Int, consume: (Job, inout Result) throws(E) -> Void) throws(E) {
        let workers = max(threads - 1, 0)
        runningWorkers = workers
        for _ in 0..<workers {
            DispatchQueue.global().async { self.work() }
        }
        defer { finish() }
        while case (let j, var r)? = takeOrRun() {
            try consume(j, &r)
        }
    }

    /// What a free thread does next (decided with the mutex held).
    private enum Step {
        case run(Int, Job)
        case plan
        case wait
        case stop
    }

    private func step() -> Step {
        if cancelled { return .stop }
        // Keep one job planned ahead of the threads, so that none waits for a scan.
        if !planned, !planning, jobs.count - next < 2, base + jobs.count < consumed + window + 1 {
            planning = true
            return .plan
        }
        if next < base + jobs.count, next < consumed + window {
            defer { next += 1 }
            return .run(next, jobs[next - base])
        }
        if planned && !planning && next >= base + jobs.count { return .stop }
        return .wait
    }

    /// Plans one job (called without the mutex, returns with it held).
    private func planOne() {
        let j = plan()
        pthread_mutex_lock(mutex)
        planning = false
        if let j {
            jobs.append(j)
            results.append(nil)
        } else {
            planned = true
        }
        pthread_cond_broadcast(condition)
    }

    /// Runs job `i` (called without the mutex, returns with it held).
    private func runOne(_ i: Int, _ j: Job) {
        let r = job(j)
        pthread_mutex_lock(mutex)
        results[i - base] = r
        pthread_cond_broadcast(condition)
    }

    /// The next job in order and its result: waits for it, running or planning other jobs
    /// meanwhile; nil after the last.
    private func takeOrRun() -> (Job, Result)? {
        pthread_mutex_lock(mutex)
        while true {
            let i = consumed
            if i < base + jobs.count, let r = results[i - base] {
                let j = jobs[i - base]
                results[i - base] = nil
                consumed = i + 1
                compact()
                pthread_cond_broadcast(condition)
                pthread_mutex_unlock(mutex)
                return (j, r)
            }
            if planned && !planning && i >= base + jobs.count {
                pthread_mutex_unlock(mutex)
                return nil
            }
            // Nothing for this thread to do while its next result is not ready: wait.
            if !workOnce() { pthread_cond_wait(condition, mutex) }
        }
    }

    /// Takes one step of a free thread's work (called and returning with the mutex held):
    /// runs or plans a job, or waits for a change.
    /// - Returns: `false` when there is no work left to do (``Step/stop``).
    private func workOnce() -> Bool {
        switch step() {
        case .run(let k, let j):
            pthread_mutex_unlock(mutex)
            runOne(k, j)
        case .plan:
            pthread_mutex_unlock(mutex)
            planOne()
        case .wait:
            pthread_cond_wait(condition, mutex)
        case .stop:
            return false
        }
        return true
    }

    /// Drops the jobs handed over, now and then (called with the mutex held).
    private func compact() {
        let drop = consumed - base
        guard drop >= 64, drop * 2 >= jobs.count else { return }
        jobs.removeFirst(drop)
        results.removeFirst(drop)
        base = consumed
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while workOnce() {}
        runningWorkers -= 1
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Stops handing out jobs and waits for the workers to leave.
    private func finish() {
        pthread_mutex_lock(mutex)
        cancelled = true
        pthread_cond_broadcast(condition)
        while runningWorkers > 0 || planning { pthread_cond_wait(condition, mutex) }
        jobs = []
        results = []
        pthread_mutex_unlock(mutex)
    }
}
