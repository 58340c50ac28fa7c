import Foundation
import NIOCore
import RBACLoading

/// Carries a response body from the network to the parsing thread, a bounded amount at a
/// time: the producer waits while `capacity` bytes are queued, so a 100 MB list is never
/// held in memory, only decoded as it passes.
final class ByteQueue: ByteSource, @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [ByteBuffer] = []
    private var queued = 0
    private var finished = false
    private var failure: String?
    private var waiting: [CheckedContinuation<Void, Never>] = []
    /// The consumer stopped: later chunks are dropped.
    private var discarded = false
    let capacity: Int

    init(capacity: Int = 4 << 20) { self.capacity = capacity }

    /// Adds a chunk; suspends while the queue is full.
    func push(_ chunk: ByteBuffer) async {
        guard enqueue(chunk) else { return }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            if !waitIfFull(c) { c.resume() }
        }
    }

    /// - Returns: whether the queue is now full.
    private func enqueue(_ chunk: ByteBuffer) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if discarded { return false }
        chunks.append(chunk)
        queued += chunk.readableBytes
        condition.signal()
        return queued >= capacity
    }

    /// Parks `c` until the consumer drains the queue; `false` when it already has.
    private func waitIfFull(_ c: CheckedContinuation<Void, Never>) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard queued >= capacity / 2, !discarded else { return false }
        waiting.append(c)
        return true
    }

    /// Ends the stream, normally (`failure == nil`) or broken off.
    func finish(failure: String? = nil) {
        condition.lock()
        finished = true
        self.failure = failure
        condition.broadcast()
        condition.unlock()
    }

    /// Called on the parsing thread.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ByteSourceRead {
        condition.lock()
        while chunks.isEmpty && !finished { condition.wait() }
        guard !chunks.isEmpty else {
            let f = failure
            condition.unlock()
            return f.map { .failed($0) } ?? .end
        }
        let n = min(buffer.count, chunks[0].readableBytes)
        chunks[0].withUnsafeReadableBytes { src in
            if n > 0, let to = buffer.baseAddress, let from = src.baseAddress { to.copyMemory(from: from, byteCount: n) }
        }
        chunks[0].moveReaderIndex(forwardBy: n)
        if chunks[0].readableBytes == 0 { chunks.removeFirst() }
        queued -= n
        var resume: [CheckedContinuation<Void, Never>] = []
        if queued < capacity / 2 {
            resume = waiting
            waiting = []
        }
        condition.unlock()
        for c in resume { c.resume() }
        return .bytes(n)
    }

    /// Unblocks a producer waiting on a consumer that stopped reading (the parse ended early).
    func drainAndDiscard() {
        condition.lock()
        chunks = []
        queued = 0
        finished = true
        discarded = true
        let resume = waiting
        waiting = []
        condition.unlock()
        for c in resume { c.resume() }
    }
}

/// Runs blocking work on a thread of its own (never on the cooperative pool, whose few
/// threads the network side needs to keep bytes flowing).
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { c in
        let t = Thread {
            c.resume(returning: work())
        }
        t.stackSize = 8 << 20
        t.start()
    }
}

extension ManifestLoader {
    /// Decodes a response body as it streams, with the loader `-f` uses.
    func load(body: any ResponseBody, name: String, itemKind: String?) async throws -> (Result, bytes: Int) {
        let queue = ByteQueue()
        let loader = self
        let parse = Task {
            await onOwnThread { () -> Swift.Result<Result, LoadError> in
                defer { queue.drainAndDiscard() }
                do throws(LoadError) {
                    return .success(try loader.load(stream: queue, name: name, itemKind: itemKind))
                } catch {
                    return .failure(error)
                }
            }
        }
        var bytes = 0
        do {
            while let chunk = try await body.next() {
                bytes += chunk.readableBytes
                await queue.push(chunk)
            }
            queue.finish()
        } catch {
            queue.finish(failure: "\(error)")
            _ = await parse.value
            throw error
        }
        switch await parse.value {
        case .success(let r): return (r, bytes)
        case .failure(let e): throw e
        }
    }
}
