import Dispatch
import RBACCore
import RBACLoading

extension RBACGraphCommand.Diff {
    /// One side of the diff, as far as the comparison needs it: the loader's result (the
    /// cluster as read, its diagnostics) is dropped once the graph is built.
    struct Side {
        var graph: AccessGraph
        /// Whether anything failed to load (exit 3 after the answer).
        var hasErrors: Bool
    }

    /// Reads both sides at once, each on a thread of its own, with one built-in policy for
    /// both; then prints the base side's messages and the head side's, in that order, and
    /// builds the graphs. A side that is a cluster (`context:NAME`) prints as it reads: then
    /// the sides are read one after the other (``load(_:)``).
    func loadSides() throws -> (base: Side, head: Side) {
        if [base, head].contains(where: { $0.contains { $0.hasPrefix(Self.contextPrefix) } }) {
            let b = try load(base)
            let baseSide = Side(graph: b.graph, hasErrors: b.result.hasErrors)
            let h = try load(head)
            return (baseSide, Side(graph: h.graph, hasErrors: h.result.hasErrors))
        }
        let policy = try input.builtinPolicy()
        let input = self.input, basePaths = base, headPaths = head
        var reads: [InputOptions.FileRead?] = Concurrently.both(
            { input.readFiles(basePaths, builtinPolicy: policy, progress: false) },
            { input.readFiles(headPaths, builtinPolicy: policy, progress: false) }
        ).map { $0 }
        func side(_ i: Int) throws -> Side {
            // The read is released as soon as its graph is built.
            guard let read = reads[i] else { fatalError("side \(i) finished twice") }
            reads[i] = nil
            let (graph, result) = try input.finishLoad(read)
            return Side(graph: graph, hasErrors: result.hasErrors)
        }
        let baseSide = try side(0)
        return (baseSide, try side(1))
    }
}

/// Two pieces of work at once: the second on another thread, the first on this one.
enum Concurrently {
    static func both<T: Sendable>(_ first: @Sendable () -> T, _ second: @escaping @Sendable () -> T) -> [T] {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            box.value = second()
            done.signal()
        }
        let a = first()
        done.wait()
        return [a, box.value!]
    }

    private final class Box<T>: @unchecked Sendable { var value: T? }
}
