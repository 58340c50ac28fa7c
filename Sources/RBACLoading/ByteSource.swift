/// What one read from a ``ByteSource`` gave.
public enum ByteSourceRead: Sendable {
    /// This many bytes (at least one) were written to the buffer.
    case bytes(Int)
    /// The input ended normally.
    case end
    /// The input broke off (a dropped connection, a truncated response): the reason.
    case failed(String)
}

/// Bytes that arrive over time, read front to back once: a live API response as it streams.
///
/// ``read(into:)`` blocks until at least one byte is there, the input ends, or it fails. The
/// loader calls it from the thread that parses, never from an event loop.
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ByteSourceRead
}

extension ManifestLoader {
    /// Loads one YAML or JSON stream (an API server's list response, page by page) without
    /// holding it: objects are decoded as the bytes arrive.
    ///
    /// - Parameters:
    ///   - name: the name used in source locations and diagnostics.
    ///   - itemKind: the kind of items that name none. An API server's `RoleList` items carry
    ///     no `kind` of their own; the client knows what it listed.
    /// - Returns: what was loaded. A stream that broke off ends with an error diagnostic and
    ///   keeps the items complete before the break; callers that need all or nothing (a live
    ///   read) check ``Result/hasErrors``.
    /// - Throws: ``LoadError/strict(_:)`` in strict mode only.
    public func load(stream: any ByteSource, name: String, itemKind: String? = nil) throws(LoadError) -> Result {
        var session = Session(options: options, progress: progress)
        session.defaultKind = itemKind
        let start = FileSystem.now()
        let max = options.maxScalarBytes
        var opened = false
        try session.load(name: name) { offset in
            // A stream cannot be rewound: no second attempt after an error.
            if opened || offset != 0 { return nil }
            opened = true
            return InputFeeder(source: .stream(stream), maxEventBytes: max)
        } lines: { _ in
            nil
        }
        session.statistics.seconds = FileSystem.now() - start
        return session.result
    }
}
