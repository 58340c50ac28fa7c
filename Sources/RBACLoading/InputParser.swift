import RBACCore

#if canImport(Glibc)
import Glibc
#endif

/// What parsing an input produces, in stream order. The parse itself touches no state of the
/// load: a session applies the items in order (``ManifestLoader/Session/apply(_:)``), so a
/// part of an input parsed on another thread gives exactly what parsing it in line would.
enum ParsedItem {
    case diagnostic(LoadDiagnostic)
    /// An object, prepared (``ManifestLoader/Session/prepare(_:defaultKind:options:)``) as soon
    /// as its draft was complete: the draft is dropped there, not kept until its turn.
    case object(PreparedObject)
    /// A document started.
    case document
    /// A document that is no Kubernetes object was skipped.
    case skippedDocument
    case listContinue(String)
    /// Bytes of the input read so far (for the progress handler).
    case progress(Int)
}

/// How the parse of one input (or of one part of it) ended.
struct InputParseEnd {
    /// The offset just past the last byte handed to libyaml.
    var fedTotal: Int
    /// Fatal YAML errors met (the parse went on from the next document start after each).
    var fatalErrors: Int
}

/// Parses one input (or the part of one from `start`): documents, with resynchronisation at the
/// next `---` line after a fatal YAML error. Stateless: everything it finds goes to `emit`.
struct InputParser {
    var name: String
    var options: ManifestLoader.Options
    /// The kind of objects that name none (``ManifestLoader/Session/defaultKind``).
    var defaultKind: String? = nil
    /// The buffers of the reader (reused from input to input by a caller that parses many).
    var buffers: ReaderBuffers? = nil

    /// - Parameters:
    ///   - start: the offset to start at; `open` and `lines` take offsets in the same terms.
    ///   - lineBase: the 0-based line at `start`.
    func parse(
        start: Int = 0, lineBase startLine: Int = 0, open: (Int) -> InputFeeder?, lines: (Int) -> LineScanner?,
        emit: (consuming ParsedItem) throws(LoadError) -> Void
    ) throws(LoadError) -> InputParseEnd {
        var offset = start
        var lineBase = startLine
        var fedTotal = start
        var fatalErrors = 0
        while true {
            guard let feeder = open(offset) else {
                let reason = String(cString: strerror(errno))
                try emit(.diagnostic(LoadDiagnostic(severity: .error, location: SourceLocation(file: name), message: "cannot read: \(reason)")))
                return InputParseEnd(fedTotal: fedTotal, fatalErrors: fatalErrors + 1)
            }
            let reader = YAMLEventReader(
                feeder: feeder, maxDepth: options.maxDepth, maxAliasEvents: options.maxAliasEvents, buffers: buffers)
            let decoder = ManifestDecoder(reader: reader, file: name, lineBase: lineBase)
            decoder.itemKind = defaultKind
            let failure = try parseStream(decoder, offset: offset, emit: emit)
            fedTotal = offset + feeder.bytesFed
            guard let failure else { break }
            fatalErrors += 1
            let errorLine = lineBase + failure.line
            try emit(.diagnostic(LoadDiagnostic(
                severity: .error, location: SourceLocation(file: name, line: errorLine + 1, column: failure.column + 1),
                message: failure.message(lineBase: lineBase))))
            // Resynchronise at the next document start.
            guard var scanner = lines(offset),
                let next = scanner.nextDocumentStart(firstLine: lineBase, atOrAfter: max(errorLine, lineBase + 1))
            else { break }
            offset = next.offset
            lineBase = next.line
        }
        return InputParseEnd(fedTotal: fedTotal, fatalErrors: fatalErrors)
    }

    /// Why the document loop stops: the stream broke (reported; loading resumes at the next
    /// document) or a load error ends the load (`--strict`).
    private enum ParseStop: Error {
        case stream(YAMLStreamError)
        case load(LoadError)
    }

    /// Decodes documents until the end of the stream or a fatal error, which it returns.
    private func parseStream(
        _ decoder: ManifestDecoder, offset: Int, emit: (consuming ParsedItem) throws(LoadError) -> Void
    ) throws(LoadError) -> YAMLStreamError? {
        let reader = decoder.reader
        // A List's items, prepared as each is complete (a draft is large; what it becomes is
        // not), added once the document ends: field errors come first, as in any document.
        var pending: [PreparedObject] = []
        var inDocument = false
        // Issues up to here belong to complete objects; those after it, to a document a
        // fatal error cut short, whose error explains them.
        var issuesKept = 0
        // The loop's steps, their errors as a ParseStop.
        func advance() throws(ParseStop) {
            do throws(YAMLStreamError) { try reader.advance() } catch { throw .stream(error) }
        }
        func put(_ item: consuming ParsedItem) throws(ParseStop) {
            do throws(LoadError) { try emit(item) } catch { throw .load(error) }
        }
        func flush() throws(ParseStop) {
            do throws(LoadError) { try flushIssues(decoder, emit) } catch { throw .load(error) }
        }
        do throws(ParseStop) {
            try advance()  // stream start
            while true {
                try advance()
                switch reader.kind {
                case .streamEnd:
                    try flush()
                    return nil
                case .documentStart:
                    inDocument = true
                    issuesKept = decoder.issues.count
                    decoder.topLevelKind = nil
                    try put(.document)
                    try advance()
                    pending = []
                    let issuesBefore = decoder.issues.count
                    let draft: ObjectDraft?
                    do throws(YAMLStreamError) {
                        draft = try decoder.decodeObject(topLevel: true) { item in
                            pending.append(prepare(item))
                            issuesKept = decoder.issues.count
                        }
                    } catch { throw .stream(error) }
                    if let draft, Self.isNotAnObject(draft), pending.isEmpty {
                        // A Chart.yaml, values.yaml, kustomization file: its fields mean
                        // nothing to Kubernetes, so neither do their shapes.
                        decoder.issues.removeLast(decoder.issues.count - issuesBefore)
                        try put(.skippedDocument)
                        try put(.diagnostic(LoadDiagnostic(
                            severity: .note, location: draft.location, message: "not a Kubernetes object (no kind): skipped")))
                        inDocument = false
                        try put(.progress(offset + reader.bytesFed))
                        continue
                    }
                    // Field errors first: the object errors below refer to them.
                    try flush()
                    issuesKept = 0
                    if let draft {
                        if let c = draft.listContinue, !c.isEmpty { try put(.listContinue(c)) }
                        if pending.isEmpty && !Self.isList(draft.kind) {
                            try put(.object(prepare(draft)))
                        } else if let k = draft.kind, !Self.isList(k) {
                            try put(.diagnostic(LoadDiagnostic(
                                severity: .warning, location: draft.location, message: "\(k) has items: loading them as a List too")))
                            try put(.object(prepare(draft)))
                        }
                    }
                    // Each item moved out in turn: none is copied, each is freed once added
                    // (reversed in place through the buffer: swaps that move, not copy).
                    pending.withUnsafeMutableBufferPointer { $0.reverse() }
                    while let item = pending.popLast() { try put(.object(consume item)) }
                    // Now at the document end.
                    inDocument = false
                    try flush()
                    try put(.progress(offset + reader.bytesFed))
                default:
                    break
                }
            }
        } catch {
            switch error {
            case .load(let e): throw e
            case .stream(let e):
                // Keep the complete items of a List cut short by the error.
                if inDocument {
                    if decoder.issues.count > issuesKept { decoder.issues.removeLast(decoder.issues.count - issuesKept) }
                    try flushIssues(decoder, emit)
                    if decoder.topLevelKind == nil || Self.isList(decoder.topLevelKind) {
                        pending.withUnsafeMutableBufferPointer { $0.reverse() }
                        while let item = pending.popLast() { try emit(.object(consume item)) }
                    }
                }
                try flushIssues(decoder, emit)
                return e
            }
        }
    }

    /// A document that has neither a kind nor a name is no Kubernetes object (one that
    /// names itself but lacks its kind is a broken one: an error).
    static func isNotAnObject(_ d: ObjectDraft) -> Bool {
        (d.kind ?? "").isEmpty && d.name == nil && d.namespace == nil
            && !(d.apiVersion ?? "").contains(".k8s.io/")
    }

    /// The object a draft describes, checked and built (the draft is not kept).
    private func prepare(_ draft: ObjectDraft) -> PreparedObject {
        ManifestLoader.Session.prepare(draft, defaultKind: defaultKind, options: options)
    }

    static func isList(_ kind: String?) -> Bool {
        guard let kind else { return false }
        return kind.hasSuffix("List")
    }

    private func flushIssues(_ decoder: ManifestDecoder, _ emit: (consuming ParsedItem) throws(LoadError) -> Void) throws(LoadError) {
        decoder.reportDuplicateKeys()
        let issues = decoder.issues
        decoder.issues = []
        for d in issues { try emit(.diagnostic(d)) }
    }
}
