internal import CGraphviz

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads DOT text into a cgraph graph whose objects are numbered in the order they are created.
///
/// cgraph's default ID discipline makes a named object's ID the *address* of its interned
/// name, and keeps subgraphs in a dictionary ordered by ID. `dot` visits clusters in that
/// order, and the order decides where the namespace boxes go. In a fresh process the names'
/// addresses happen to grow with the order of the text, so one render is stable; after other
/// renders in the same process the allocator reuses freed memory, and the same DOT text
/// came out with its clusters in a different, run-dependent order (the report's pictures, 40
/// renders in one process, differed from run to run and from `rbacgraph graph`).
///
/// Here every named object gets an even ID and every anonymous one an odd ID, both from one
/// counter that grows as the parser creates them: the order of the text, whatever the heap
/// holds. Call only under ``GraphvizSession``'s lock (cgraph's lexer is global).
enum GraphvizReading {
    /// Parses `dot` (up to its first NUL, as `agmemread` does). `nil` when the text holds no
    /// graph; errors go to the installed error function.
    static func read(_ dot: String) -> UnsafeMutablePointer<Agraph_t>? {
        var bytes = Array(dot.utf8)
        if let nul = bytes.firstIndex(of: 0) { bytes.removeSubrange(nul...) }
        let channel = Channel(bytes)
        return withExtendedLifetime(channel) {
            agread(Unmanaged.passUnretained(channel).toOpaque(), discipline)
        }
    }

    /// The text being read, handed to the lexer one line at a time as cgraph's own memory
    /// reader does.
    private final class Channel {
        let bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int32 {
            guard capacity > 0, offset < bytes.count else { return 0 }
            var n = 0
            while n < capacity, offset < bytes.count {
                let byte = bytes[offset]
                buffer[n] = CChar(bitPattern: byte)
                n += 1
                offset += 1
                if byte == UInt8(ascii: "\n") { break }
            }
            return Int32(n)
        }
    }

    /// One graph's names and the IDs handed out, from `open` to `close`.
    private final class IDs {
        var byName: [[UInt8]: IDTYPE] = [:]
        var names: [IDTYPE: UnsafeMutablePointer<CChar>] = [:]
        var created: IDTYPE = 0

        func map(_ name: UnsafeMutablePointer<CChar>?, create: Bool) -> IDTYPE? {
            guard let name else {
                created += 1
                return 2 * created + 1
            }
            let key = Array(UnsafeRawBufferPointer(start: name, count: strlen(name)))
            if let id = byName[key] { return id }
            guard create, let copy = strdup(name) else { return nil }
            created += 1
            let id = 2 * created
            byName[key] = id
            names[id] = copy
            return id
        }

        deinit { for name in names.values { free(name) } }
    }

    private static func ids(_ state: UnsafeMutableRawPointer?) -> IDs {
        Unmanaged<IDs>.fromOpaque(state!).takeUnretainedValue()
    }

    /// cgraph keeps pointers to the disciplines for each graph's life: they live as long as
    /// the process (read and written only under the session's lock).
    nonisolated(unsafe) private static let discipline: UnsafeMutablePointer<Agdisc_t> = {
        let id = UnsafeMutablePointer<Agiddisc_t>.allocate(capacity: 1)
        id.initialize(to: Agiddisc_t(
            open: { _, _ in Unmanaged.passRetained(IDs()).toOpaque() },
            map: { state, _, name, result, create in
                guard let id = GraphvizReading.ids(state).map(name, create: create != 0) else { return 0 }
                result?.pointee = id
                return 1
            },
            // Like the default discipline: no ID chosen by the caller.
            alloc: { _, _, _ in 0 },
            // Names stay until the graph is closed (a picture's graph lives for one render).
            free: { _, _, _ in },
            print: { state, _, id in GraphvizReading.ids(state).names[id] },
            close: { state in Unmanaged<IDs>.fromOpaque(state!).release() },
            idregister: { _, _, _ in }))
        let io = UnsafeMutablePointer<Agiodisc_t>.allocate(capacity: 1)
        io.initialize(to: Agiodisc_t(
            afread: { channel, buffer, size in
                guard let channel, let buffer else { return 0 }
                return Unmanaged<Channel>.fromOpaque(channel).takeUnretainedValue().read(into: buffer, capacity: Int(size))
            },
            putstr: { _, _ in -1 },  // these graphs are never written back as DOT
            flush: { _ in 0 }))
        let disc = UnsafeMutablePointer<Agdisc_t>.allocate(capacity: 1)
        disc.initialize(to: Agdisc_t(mem: nil, id: id, io: io))
        return disc
    }()
}
