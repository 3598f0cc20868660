import CYAML

/// Why a YAML text could not be read, with where: libyaml's syntax errors, an undefined alias, a
/// second document, a key written twice in one mapping, or a merge key `<<` that names no mapping.
public struct YAMLError: Error, Sendable {
    public enum Kind: Sendable {
        case syntax, duplicateKey, merge
    }

    public var kind: Kind
    /// What libyaml was reading, such as `while parsing a flow sequence`, when it says.
    public var context: String?
    /// What is wrong, such as `did not find expected ',' or ']'`.
    public var problem: String
    public var location: SourceLocation

    /// `yaml.syntax` "invalid YAML: <context>: <problem>", `yaml.duplicate-key` or `yaml.merge`.
    public var diagnostic: Diagnostic {
        switch kind {
        case .syntax:
            let text = [context, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .error("yaml.syntax", "invalid YAML: \(text)", at: location)
        case .duplicateKey:
            return .error("yaml.duplicate-key", problem, at: location)
        case .merge:
            return .error("yaml.merge", problem, at: location)
        }
    }
}

/// Builds a `YAMLNode` from libyaml's parser events in one pass: the mappings and sequences not
/// yet closed are kept on a stack, and each finished node goes into the collection below it.
///
/// Aliases yield the anchored node; merge keys `<<` (an alias or a list of aliases) copy the
/// merged mappings' entries that the mapping does not set itself, earlier mappings of a list
/// winning; a key written twice in one mapping is an error; the text holds at most one document.
struct YAMLComposer {
    let file: String
    let typing: YAMLNode.ScalarTyping

    /// A mapping or sequence whose end event has not come yet.
    private struct OpenCollection {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        /// The items of a sequence.
        var items: [YAMLNode] = []
        /// The entries of a mapping, in the order written (merge keys included until the end).
        var entries: [YAMLEntry] = []
        /// The mapping's key whose value comes next.
        var key: Key?
        /// The indexes in `entries` of merge keys (`<<`).
        var merges: [Int] = []
        /// The indexes in `entries` of keys that are mappings or sequences (their `key` is empty).
        var complexKeys: [Int] = []
    }

    /// A mapping key waiting for its value.
    private struct Key {
        var text: String?
        var location: SourceLocation
        var isMerge: Bool
    }

    /// An anchored node, with its text when it is a scalar (in case it is used as a key).
    private struct Anchored {
        var node: YAMLNode
        var text: String?
    }

    private var stack: [OpenCollection] = []
    private var anchors: [String: Anchored] = [:]
    private var root: YAMLNode?

    init(file: String, typing: YAMLNode.ScalarTyping) {
        self.file = file
        self.typing = typing
    }

    /// The first document of `text`, nil when there is none.
    mutating func compose(_ text: String) throws(YAMLError) -> YAMLNode? {
        var text = text
        let result = text.withUTF8 { text -> Result<YAMLNode?, YAMLError> in
            // libyaml skips a byte order mark only when it guesses the encoding, which it need not.
            let bytes = text.starts(with: [0xEF, 0xBB, 0xBF]) ? UnsafeBufferPointer(rebasing: text.dropFirst(3)) : text
            // libyaml asserts on a null input pointer, which an empty buffer may have.
            guard bytes.baseAddress != nil, !bytes.isEmpty else { return .success(nil) }
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                return .failure(
                    YAMLError(kind: .syntax, problem: "out of memory", location: location(line: 1, column: 1)))
            }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
            do throws(YAMLError) { return .success(try run(parser, bytes)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private mutating func run(
        _ parser: UnsafeMutablePointer<yaml_parser_t>, _ input: UnsafeBufferPointer<UInt8>
    ) throws(YAMLError) -> YAMLNode? {
        var event = yaml_event_t()
        var documents = 0
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError(parser.pointee, input) }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw YAMLError(
                        kind: .syntax, context: "expected a single document in the stream",
                        problem: "but found another document", location: location(event.start_mark))
                }
            case YAML_SCALAR_EVENT:
                scalar(event)
            case YAML_ALIAS_EVENT:
                let name = String(cString: event.data.alias.anchor)
                guard let anchored = anchors[name] else {
                    throw YAMLError(
                        kind: .syntax, problem: "found undefined alias", location: location(event.start_mark))
                }
                add(anchored.node, text: anchored.text, isMergeKey: false)
            case YAML_SEQUENCE_START_EVENT:
                stack.append(
                    OpenCollection(
                        isMapping: false, location: location(event.start_mark),
                        anchor: anchorName(event.data.sequence_start.anchor)))
            case YAML_MAPPING_START_EVENT:
                stack.append(
                    OpenCollection(
                        isMapping: true, location: location(event.start_mark),
                        anchor: anchorName(event.data.mapping_start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                let collection = stack.removeLast()
                let node =
                    try collection.isMapping ? mapping(collection) : .sequence(collection.items, collection.location)
                if let anchor = collection.anchor { anchors[anchor] = Anchored(node: node, text: nil) }
                add(node, text: nil, isMergeKey: false)
            default:
                break  // stream start, document end
            }
        }
    }

    /// A scalar event: a mapping key (kept as its text) or a value (typed).
    private mutating func scalar(_ event: yaml_event_t) {
        let data = event.data.scalar
        let bytes = UnsafeBufferPointer(start: data.value, count: data.length)
        let at = location(event.start_mark)
        let isPlain = data.style == YAML_PLAIN_SCALAR_STYLE
        let anchor = anchorName(data.anchor)
        if anchor == nil, let last = stack.indices.last, stack[last].isMapping, stack[last].key == nil {
            let text = String(decoding: bytes, as: UTF8.self)
            stack[last].key = Key(text: text, location: at, isMerge: isPlain && data.tag == nil && text == "<<")
            return
        }
        let value: JSONValue
        if typing == .yaml11, isPlain, data.tag == nil || !isStringTag(data.tag) {
            value = YAMLScalar.value(plain: bytes)
        } else {
            value = .string(String(decoding: bytes, as: UTF8.self))
        }
        let node = YAMLNode.scalar(value, at)
        // Only an anchored scalar can still be a key here; its text is kept for when it is.
        var text: String?
        if let anchor {
            text = String(decoding: bytes, as: UTF8.self)
            anchors[anchor] = Anchored(node: node, text: text)
        }
        add(node, text: text, isMergeKey: isPlain && data.tag == nil && text == "<<")
    }

    /// Puts a finished node into the open collection: the next item of a sequence, or a mapping's
    /// key or value. With no open collection it is the document's root.
    private mutating func add(_ node: YAMLNode, text: String?, isMergeKey: Bool) {
        guard let last = stack.indices.last else {
            root = node
            return
        }
        guard stack[last].isMapping else {
            stack[last].items.append(node)
            return
        }
        guard let key = stack[last].key else {
            stack[last].key = Key(text: text, location: node.location, isMerge: isMergeKey)
            return
        }
        if key.isMerge { stack[last].merges.append(stack[last].entries.count) }
        if key.text == nil { stack[last].complexKeys.append(stack[last].entries.count) }
        stack[last].entries.append(YAMLEntry(key: key.text ?? "", keyLocation: key.location, value: node))
        stack[last].key = nil
    }

    /// A closed mapping, checked for repeated keys, with its merge keys replaced by what they merge.
    private func mapping(_ collection: OpenCollection) throws(YAMLError) -> YAMLNode {
        try checkDuplicates(collection)
        guard !collection.merges.isEmpty else { return .mapping(collection.entries, collection.location) }
        let own = Set(
            collection.entries.indices.filter { !collection.merges.contains($0) }.map { collection.entries[$0].key })
        var merged: Set<String> = []
        var entries: [YAMLEntry] = []
        for (index, entry) in collection.entries.enumerated() {
            guard collection.merges.contains(index) else {
                entries.append(entry)
                continue
            }
            let sources: [YAMLNode]
            switch entry.value {
            case .mapping: sources = [entry.value]
            case .sequence(let items, _): sources = items
            case .scalar: sources = [entry.value]
            }
            for source in sources {
                guard case .mapping(let sourceEntries, _) = source else {
                    throw YAMLError(
                        kind: .merge, problem: "merge key '<<' needs a mapping or a list of mappings",
                        location: source.location)
                }
                for sourceEntry in sourceEntries where !own.contains(sourceEntry.key) {
                    if merged.insert(sourceEntry.key).inserted { entries.append(sourceEntry) }
                }
            }
        }
        return .mapping(entries, collection.location)
    }

    /// Throws `duplicate key 'a', 'b' in mapping` at the first place the first of them is written
    /// (keys sorted), as sqlt always reported it. Keys that are mappings or sequences are not compared.
    private func checkDuplicates(_ collection: OpenCollection) throws(YAMLError) {
        let entries = collection.entries
        guard entries.count > 1 else { return }
        let compared = { (index: Int) in !collection.complexKeys.contains(index) }
        /// The index of the first entry of each key written more than once.
        var repeated: [String: Int] = [:]
        if entries.count <= 8 {
            // Few keys, the common case: compare pairs rather than hash every key.
            for index in 1..<entries.count where compared(index) && repeated[entries[index].key] == nil {
                let key = entries[index].key
                if let earlier = (0..<index).first(where: { compared($0) && entries[$0].key == key }) {
                    repeated[key] = earlier
                }
            }
        } else {
            var first: [String: Int] = [:]
            for index in entries.indices where compared(index) {
                let key = entries[index].key
                if let earlier = first[key] {
                    if repeated[key] == nil { repeated[key] = earlier }
                } else {
                    first[key] = index
                }
            }
        }
        guard let name = repeated.keys.min(), let index = repeated[name] else { return }
        let names = repeated.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
        throw YAMLError(
            kind: .duplicateKey, problem: "duplicate key \(names) in mapping", location: entries[index].keyLocation)
    }

    // MARK: Helpers

    private func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// `!!str` or the non-specific `!`: the scalar is a string whatever it looks like.
    private func isStringTag(_ tag: UnsafeMutablePointer<yaml_char_t>) -> Bool {
        let text = String(cString: tag)
        return text == "tag:yaml.org,2002:str" || text == "!"
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        location(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line, column: column)
    }

    /// libyaml's error. Reader errors (a control character, invalid UTF-8) have a byte offset,
    /// turned here into a line and column; the others have a mark.
    private func syntaxError(_ parser: yaml_parser_t, _ input: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        let context = parser.context.map { String(cString: $0) }
        guard parser.error == YAML_READER_ERROR else {
            return YAMLError(kind: .syntax, context: context, problem: problem, location: location(parser.problem_mark))
        }
        var line = 1
        var column = 1
        for byte in input.prefix(Int(parser.problem_offset)) where byte & 0xC0 != 0x80 {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return YAMLError(
            kind: .syntax, context: context, problem: problem, location: location(line: line, column: column))
    }
}
