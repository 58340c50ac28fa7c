internal import CYAML

/// A fatal problem in a YAML stream: the current document cannot be read further.
struct YAMLStreamError: Error {
    enum Kind {
        case syntax
        case tooDeep
        case aliasBomb
        case scalarTooLarge
        case io
    }
    var kind: Kind
    var problem: String
    /// 0-based, relative to the start of the parse.
    var line: Int
    var column: Int
    /// libyaml's context of a syntax error (`while parsing a flow sequence`) and where it
    /// started (0-based, relative to the start of the parse).
    var context: (text: String, line: Int, column: Int)?

    init(kind: Kind, message: String, line: Int, column: Int, context: (text: String, line: Int, column: Int)? = nil) {
        self.kind = kind
        problem = message
        self.line = line
        self.column = column
        self.context = context
    }

    /// The message, with the context's line counted from the start of the input when the
    /// parse started at line `lineBase` of it.
    func message(lineBase: Int) -> String {
        guard let context else { return problem }
        return "\(problem) (\(context.text) at line \(lineBase + context.line + 1), column \(context.column + 1))"
    }

    /// The message of a parse that started at the input's start.
    var message: String { message(lineBase: 0) }
}

/// The memory a ``YAMLEventReader`` works in besides libyaml's: the duplicate-key tracker's
/// buffers and the ``StringInterner``'s table (about 24 KB, more than many a small manifest).
/// A load of many files reuses one instead of allocating and clearing them per file; the
/// interner's strings then carry over from file to file (still compared byte for byte).
final class ReaderBuffers {
    let keys: UnsafeMutablePointer<DuplicateKeyTracker>
    let interner: UnsafeMutablePointer<StringInterner>

    init() {
        keys = .allocate(capacity: 1)
        keys.initialize(to: DuplicateKeyTracker())
        interner = .allocate(capacity: 1)
        interner.initialize(to: StringInterner())
    }

    deinit {
        keys.pointee.deallocate()
        keys.deinitialize(count: 1)
        keys.deallocate()
        interner.pointee.deallocate()
        interner.deinitialize(count: 1)
        interner.deallocate()
    }
}

/// Pull-based access to libyaml's events, with alias replay and the safety bounds.
///
/// The current event is inspected through ``kind``, ``line``, ``column`` and the scalar
/// accessors; scalar text is turned into a Swift `String` only when asked for, so skipped
/// subtrees cost no allocation. Aliases are returned as `.alias` events; a decoder that wants
/// their content calls ``expandAlias()`` and reads the anchored node's events again.
///
/// Bounds: nesting deeper than `maxDepth`, more than `maxAliasEvents` replayed events in a
/// document (alias bombs), and a single token larger than the feeder's `maxEventBytes` all
/// throw ``YAMLStreamError``.
final class YAMLEventReader {
    enum Kind: Equatable {
        case streamStart, streamEnd, documentStart, documentEnd
        case mappingStart, mappingEnd, sequenceStart, sequenceEnd
        case scalar, alias
    }

    private struct Recorded {
        var kind: Kind
        var value: String?
        var plain: Bool
        var alias: String?
        var line: Int
        var column: Int
    }

    private enum Anchor {
        case events([Recorded])
        /// The anchored node contained content the decoder skipped without reading (e.g. a
        /// Secret's data): it was not kept, so it cannot be replayed.
        case unavailable
    }

    private struct Recording {
        var name: String
        var depth: Int
        var events: [Recorded]
        var poisoned: Bool
    }

    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let event: UnsafeMutablePointer<yaml_event_t>
    private var hasEvent = false
    private let feeder: InputFeeder

    let maxDepth: Int
    let maxAliasEvents: Int

    private(set) var kind: Kind = .streamStart
    /// Whether an anchor or an alias was read (the parse of a part of a document is only
    /// the parse in line when none was).
    private(set) var sawAnchorOrAlias = false
    /// Bytes handed to libyaml so far.
    var bytesFed: Int { feeder.bytesFed }
    /// 0-based position of the current event's start, relative to the parse start.
    private(set) var line = 0
    private(set) var column = 0

    private var replayStack: [(events: [Recorded], index: Int)] = []
    private var current: Recorded? = nil  // set while the current event is replayed
    private var replaying = false
    private var anchors: [String: Anchor] = [:]
    private var recordings: [Recording] = []
    private var rawDepth = 0
    private var depth = 0
    private var replayedEvents = 0
    /// Nesting of ``beginSkip()`` calls.
    private var skipping = 0
    /// The anchor of the current scalar: recorded when the reader moves past the scalar,
    /// unless ``skipSensitiveNode()`` skipped it.
    private var pendingScalarAnchor: String?
    /// The buffers below, owned for as long as this reader uses them.
    private let buffers: ReaderBuffers
    /// Mapping keys of the document so far (through a pointer: no exclusivity check per event).
    private let keys: UnsafeMutablePointer<DuplicateKeyTracker>
    /// Scalars made into strings lately: a repeated one shares its storage.
    private let interner: UnsafeMutablePointer<StringInterner>

    /// - Parameter buffers: the duplicate-key tracker and the string cache, reused from one
    ///   reader to the next by a caller that parses many inputs one after the other (a
    ///   folder of small files); `nil`: buffers of its own. One reader at a time uses them.
    init(feeder: InputFeeder, maxDepth: Int, maxAliasEvents: Int, buffers: ReaderBuffers? = nil) {
        self.feeder = feeder
        self.maxDepth = maxDepth
        self.maxAliasEvents = maxAliasEvents
        parser = .allocate(capacity: 1)
        event = .allocate(capacity: 1)
        let b = buffers ?? ReaderBuffers()
        self.buffers = b
        keys = b.keys
        interner = b.interner
        keys.pointee.reset()
        _ = keys.pointee.takeDuplicates()
        yaml_parser_initialize(parser)
        yaml_parser_set_input(parser, inputFeederRead, Unmanaged.passUnretained(feeder).toOpaque())
    }

    deinit {
        if hasEvent { yaml_event_delete(event) }
        yaml_parser_delete(parser)
        parser.deallocate()
        event.deallocate()
    }

    /// Whether a mapping key defined twice was found since the last ``takeDuplicateKeys()``.
    var hasDuplicateKeys: Bool { !keys.pointee.duplicates.isEmpty }

    /// The keys defined twice found so far (each once), oldest first.
    func takeDuplicateKeys() -> [DuplicateKeyTracker.Duplicate] { keys.pointee.takeDuplicates() }

    // MARK: Advancing

    /// Moves to the next event.
    func advance() throws(YAMLStreamError) {
        if let name = pendingScalarAnchor {
            anchors[name] = .events([snapshot()])
            pendingScalarAnchor = nil
        }
        if !replayStack.isEmpty {
            try advanceReplay()
            return
        }
        if replaying {
            current = nil
            replaying = false
        }
        if hasEvent {
            yaml_event_delete(event)
            hasEvent = false
        }
        feeder.bytesAtEventStart = feeder.bytesFed
        if yaml_parser_parse(parser, event) == 0 {
            throw streamError()
        }
        hasEvent = true
        let e = event  // read through the pointer: no copy of the whole event
        line = Int(e.pointee.start_mark.line)
        column = Int(e.pointee.start_mark.column)
        var anchorName: UnsafeMutablePointer<yaml_char_t>? = nil
        switch e.pointee.type {
        case YAML_STREAM_START_EVENT: kind = .streamStart
        case YAML_STREAM_END_EVENT: kind = .streamEnd
        case YAML_DOCUMENT_START_EVENT:
            kind = .documentStart
            anchors.removeAll(keepingCapacity: true)
            recordings.removeAll()
            replayedEvents = 0
            rawDepth = 0
            depth = 0
            keys.pointee.reset()
        case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
        case YAML_MAPPING_START_EVENT:
            kind = .mappingStart
            anchorName = e.pointee.data.mapping_start.anchor
            keys.pointee.open(mapping: true)
            try opened()
        case YAML_SEQUENCE_START_EVENT:
            kind = .sequenceStart
            anchorName = e.pointee.data.sequence_start.anchor
            keys.pointee.open(mapping: false)
            try opened()
        case YAML_MAPPING_END_EVENT:
            kind = .mappingEnd
            keys.pointee.close()
            depth -= 1
        case YAML_SEQUENCE_END_EVENT:
            kind = .sequenceEnd
            keys.pointee.close()
            depth -= 1
        case YAML_SCALAR_EVENT:
            kind = .scalar
            anchorName = e.pointee.data.scalar.anchor
            keys.pointee.scalar(
                UnsafeBufferPointer(start: e.pointee.data.scalar.value, count: e.pointee.data.scalar.length),
                plain: e.pointee.data.scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line, column: column)
        case YAML_ALIAS_EVENT:
            kind = .alias
            sawAnchorOrAlias = true
            keys.pointee.node()
        default: kind = .streamEnd
        }
        // The common case, inline: no anchor here and none being recorded.
        if anchorName == nil && recordings.isEmpty {
            if kind == .mappingEnd || kind == .sequenceEnd { rawDepth -= 1 }
            return
        }
        try record(anchorName: anchorName)
    }

    /// A mapping or sequence was parsed (not replayed): one level deeper.
    @inline(__always)
    private func opened() throws(YAMLStreamError) {
        depth += 1
        rawDepth += 1
        if depth > maxDepth {
            throw YAMLStreamError(
                kind: .tooDeep, message: "nesting deeper than \(maxDepth) levels", line: line, column: column)
        }
    }

    private func advanceReplay() throws(YAMLStreamError) {
        var top = replayStack.removeLast()
        let r = top.events[top.index]
        top.index += 1
        if top.index < top.events.count { replayStack.append(top) }
        replayedEvents += 1
        if replayedEvents > maxAliasEvents {
            throw YAMLStreamError(
                kind: .aliasBomb,
                message: "aliases expand to more than \(maxAliasEvents) events in one document (an alias bomb?)",
                line: r.line, column: r.column)
        }
        current = r
        replaying = true
        kind = r.kind
        line = r.line
        column = r.column
        // Replayed content was checked for duplicate keys when it was read.
        switch kind {
        case .mappingStart: keys.pointee.open(mapping: true)
        case .sequenceStart: keys.pointee.open(mapping: false)
        case .mappingEnd, .sequenceEnd: keys.pointee.close()
        default: keys.pointee.node()
        }
        if kind == .mappingStart || kind == .sequenceStart {
            depth += 1
            if depth > maxDepth {
                throw YAMLStreamError(
                    kind: .tooDeep, message: "nesting deeper than \(maxDepth) levels (through aliases)",
                    line: line, column: column)
            }
        } else if kind == .mappingEnd || kind == .sequenceEnd {
            depth -= 1
        }
    }

    /// Keeps the events of anchored nodes, so that aliases to them can be replayed.
    /// Called after `rawDepth` counted an opening event, before it counts a closing one.
    private func record(anchorName: UnsafeMutablePointer<yaml_char_t>?) throws(YAMLStreamError) {
        let opens = kind == .mappingStart || kind == .sequenceStart
        let closes = kind == .mappingEnd || kind == .sequenceEnd
        if !recordings.isEmpty && skipping == 0 {
            let r = snapshot()
            for i in recordings.indices where !recordings[i].poisoned {
                recordings[i].events.append(r)
                replayedEvents += 1  // recorded events count against the same budget
            }
            if replayedEvents > maxAliasEvents {
                throw YAMLStreamError(
                    kind: .aliasBomb, message: "anchored content larger than \(maxAliasEvents) events",
                    line: line, column: column)
            }
        }
        if let anchorName {
            sawAnchorOrAlias = true
            let name = String(cString: anchorName)
            if skipping > 0 {
                anchors[name] = .unavailable
            } else if opens {
                recordings.append(Recording(name: name, depth: rawDepth, events: [snapshot()], poisoned: false))
            } else {
                // Kept when the reader moves on, unless skipped as sensitive first.
                anchors[name] = .unavailable
                pendingScalarAnchor = name
            }
        }
        if closes {
            while let last = recordings.last, last.depth == rawDepth {
                recordings.removeLast()
                anchors[last.name] = last.poisoned ? .unavailable : .events(last.events)
            }
            rawDepth -= 1
        }
    }

    private func snapshot() -> Recorded {
        Recorded(
            kind: kind, value: kind == .scalar ? scalarString() : nil, plain: kind == .scalar ? isPlainScalar : false,
            alias: kind == .alias ? aliasName : nil, line: line, column: column)
    }

    // MARK: Current event

    var isPlainScalar: Bool {
        if let current { return current.plain }
        return event.pointee.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
    }

    /// The anchor an `.alias` event refers to.
    var aliasName: String {
        if let current { return current.alias ?? "" }
        guard let a = event.pointee.data.alias.anchor else { return "" }
        return String(cString: a)
    }

    /// The text of the current scalar (the same storage as an equal scalar read shortly
    /// before: ``StringInterner``).
    func scalarString() -> String {
        if let current { return current.value ?? "" }
        let s = event.pointee.data.scalar
        return interner.pointee.string(UnsafeBufferPointer(start: s.value, count: s.length))
    }

    /// The ``Field`` the current scalar names (a mapping key), read from its bytes: no
    /// `String` is made.
    var scalarField: Field {
        if replaying {
            var v = current?.value ?? ""
            return v.withUTF8 { Field.named($0) }
        }
        let s = event.pointee.data.scalar
        return Field.named(UnsafeBufferPointer(start: s.value, count: s.length))
    }

    /// Whether the current scalar is a YAML null: plain `~`, `null`, `Null`, `NULL` or empty.
    var scalarIsNull: Bool {
        guard isPlainScalar else { return false }
        if let current {
            let v = current.value ?? ""
            return v.isEmpty || v == "~" || v == "null" || v == "Null" || v == "NULL"
        }
        let s = event.pointee.data.scalar
        switch s.length {
        case 0: return true
        case 1: return s.value[0] == UInt8(ascii: "~")
        case 4:
            let v = scalarString()
            return v == "null" || v == "Null" || v == "NULL"
        default: return false
        }
    }

    // MARK: Aliases and skipping

    enum AliasProblem: Error {
        case undefined(String)
        case unavailable(String)
    }

    /// Replaces the current `.alias` event by the first event of the anchored node.
    func expandAlias() throws(YAMLStreamError) -> AliasProblem? {
        let name = aliasName
        switch anchors[name] {
        case nil: return .undefined(name)
        case .unavailable: return .unavailable(name)
        case .events(let events):
            keys.pointee.uncount()  // the alias counted as a node: the replayed node takes its place
            replayStack.append((events, 0))
            try advanceReplay()
            return nil
        }
    }

    /// Marks the start of content read without keeping it: anchors opened inside, and anchors
    /// whose content includes it, cannot be replayed.
    func beginSkip() {
        skipping += 1
        poisonRecordings()
    }

    func endSkip() { skipping -= 1 }

    /// Skips the current node (a scalar, an alias, or a whole mapping or sequence) without
    /// converting any scalar, and moves past it. Anchored nodes around it stay replayable.
    func skipNode() throws(YAMLStreamError) {
        try skip(sensitive: false)
    }

    /// Skips a node that may hold secret values (a Secret's `data`): nothing of it is kept,
    /// not even for anchors. Anchors on it, in it and around it become unavailable to aliases.
    func skipSensitiveNode() throws(YAMLStreamError) {
        try skip(sensitive: true)
    }

    private func skip(sensitive: Bool) throws(YAMLStreamError) {
        switch kind {
        case .mappingStart, .sequenceStart:
            if sensitive { beginSkip() }
            defer { if sensitive { endSkip() } }
            var level = 1
            while level > 0 {
                try advance()
                switch kind {
                case .mappingStart, .sequenceStart: level += 1
                case .mappingEnd, .sequenceEnd: level -= 1
                case .streamEnd, .documentEnd: return
                default: break
                }
            }
            try advance()
        default:
            if sensitive {
                pendingScalarAnchor = nil  // its anchor stays unavailable
                poisonRecordings()
            }
            try advance()
        }
    }

    private func poisonRecordings() {
        for i in recordings.indices {
            recordings[i].poisoned = true
            recordings[i].events = []
        }
    }

    // MARK: Errors

    private func streamError() -> YAMLStreamError {
        if feeder.tokenTooLarge {
            return YAMLStreamError(
                kind: .scalarTooLarge,
                message: "a single YAML token is larger than \(feeder.maxEventBytes) bytes",
                line: Int(parser.pointee.mark.line), column: Int(parser.pointee.mark.column))
        }
        if let io = feeder.ioError {
            return YAMLStreamError(kind: .io, message: "read error: \(io)", line: 0, column: 0)
        }
        let p = parser.pointee
        let message = p.problem.map { String(cString: $0) } ?? "invalid YAML"
        let context = p.context.map { (text: String(cString: $0), line: Int(p.context_mark.line), column: Int(p.context_mark.column)) }
        let mark = p.error == YAML_READER_ERROR ? p.mark : p.problem_mark
        return YAMLStreamError(kind: .syntax, message: message, line: Int(mark.line), column: Int(mark.column), context: context)
    }
}
