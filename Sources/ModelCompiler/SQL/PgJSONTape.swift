/// libpg_query's JSON parse tree as a flat tape of tokens over the JSON bytes.
///
/// One pass fills a single token array (no allocation per value); strings are materialised only
/// when the tree decoder asks for them. Each token knows where its subtree ends, so skipping a
/// value is O(1). This type stays internal to the SQL folder.
struct PgJSONTape {
    enum Kind: UInt8 { case object, array, string, number, boolTrue, boolFalse, null }

    struct Token {
        var kind: Kind
        /// For strings, true when the text holds backslash escapes.
        var escaped: Bool
        /// Byte range of a string's text (without quotes) or of a number.
        var start: Int32
        var length: Int32
        /// Index of the first token after this value (and its subtree).
        var next: Int32
    }

    struct Failure: Error { var offset: Int }

    let bytes: [UInt8]
    private(set) var tokens: [Token]

    /// Reads one JSON document.
    init(_ source: UnsafeBufferPointer<UInt8>) throws(Failure) {
        bytes = Array(source)
        tokens = []
        tokens.reserveCapacity(source.count / 8)
        var reader = Reader(tape: self)
        let end = try reader.read()
        tokens = reader.tokens
        guard end == bytes.count else { throw Failure(offset: end) }
    }

    // MARK: Access

    var root: Int { 0 }

    func kind(_ index: Int) -> Kind { tokens[index].kind }

    /// The value of `key` in the object at `index`.
    func field(_ index: Int, _ key: StaticString) -> Int? {
        guard tokens[index].kind == .object else { return nil }
        var cursor = index + 1
        let end = Int(tokens[index].next)
        while cursor < end {
            let value = cursor + 1
            if matches(cursor, key) { return value }
            cursor = Int(tokens[value].next)
        }
        return nil
    }

    /// For a parse-tree node `{"SelectStmt": {...}}`: the index of the type key and of the body.
    func node(_ index: Int) -> (type: Int, body: Int)? {
        let token = tokens[index]
        guard token.kind == .object, Int(token.next) > index + 1 else { return nil }
        let key = index + 1
        let value = key + 1
        guard Int(tokens[value].next) == Int(token.next) else { return nil }  // exactly one field
        let first = bytes[Int(tokens[key].start)]
        guard first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { return nil }
        return (key, value)
    }

    /// The elements of the array at `index` (empty for anything else).
    func items(_ index: Int?) -> [Int] {
        guard let index, tokens[index].kind == .array else { return [] }
        var result: [Int] = []
        var cursor = index + 1
        let end = Int(tokens[index].next)
        while cursor < end {
            result.append(cursor)
            cursor = Int(tokens[cursor].next)
        }
        return result
    }

    /// The fields of the object at `index`: key token and value token.
    func fields(_ index: Int) -> [(key: Int, value: Int)] {
        guard tokens[index].kind == .object else { return [] }
        var result: [(Int, Int)] = []
        var cursor = index + 1
        let end = Int(tokens[index].next)
        while cursor < end {
            result.append((cursor, cursor + 1))
            cursor = Int(tokens[cursor + 1].next)
        }
        return result
    }

    func matches(_ index: Int, _ text: StaticString) -> Bool {
        let token = tokens[index]
        guard token.kind == .string, Int(token.length) == text.utf8CodeUnitCount else { return false }
        let start = Int(token.start)
        let pointer = text.utf8Start
        for offset in 0..<Int(token.length) where bytes[start + offset] != pointer[offset] { return false }
        return true
    }

    func string(_ index: Int?) -> String? {
        guard let index, tokens[index].kind == .string else { return nil }
        let token = tokens[index]
        let range = Int(token.start)..<Int(token.start + token.length)
        if !token.escaped { return String(decoding: bytes[range], as: UTF8.self) }
        return Self.unescape(bytes[range])
    }

    func int(_ index: Int?) -> Int? {
        guard let index, tokens[index].kind == .number else { return nil }
        let token = tokens[index]
        var value = 0
        var negative = false
        for byte in bytes[Int(token.start)..<Int(token.start + token.length)] {
            if byte == UInt8(ascii: "-") {
                negative = true
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                value = value &* 10 &+ Int(byte - UInt8(ascii: "0"))
            } else {
                return nil
            }
        }
        return negative ? -value : value
    }

    func bool(_ index: Int?) -> Bool {
        guard let index else { return false }
        return tokens[index].kind == .boolTrue
    }

    private static func unescape(_ text: ArraySlice<UInt8>) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(text.count)
        var index = text.startIndex
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= text.endIndex else { return nil }
            var value: UInt32 = 0
            for byte in text[at..<at + 4] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value * 16 + UInt32(digit)
            }
            return value
        }
        while index < text.endIndex {
            let byte = text[index]
            index += 1
            guard byte == UInt8(ascii: "\\"), index < text.endIndex else {
                buffer.append(byte)
                continue
            }
            let escaped = text[index]
            index += 1
            switch escaped {
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(index) else { continue }
                index += 4
                if scalar >= 0xD800, scalar < 0xDC00, index + 1 < text.endIndex, text[index] == UInt8(ascii: "\\"),
                    text[index + 1] == UInt8(ascii: "u"), let low = hex4(index + 2)
                {
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00)
                }
                buffer.append(contentsOf: Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8))
            default: buffer.append(escaped)
            }
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    // MARK: Reading

    private struct Reader {
        let bytes: [UInt8]
        var tokens: [Token]
        var index = 0

        init(tape: PgJSONTape) {
            bytes = tape.bytes
            tokens = tape.tokens
        }

        mutating func read() throws(Failure) -> Int {
            try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
                try value(buffer)
                skipSpace(buffer)
                return index
            }
        }

        private mutating func skipSpace(_ bytes: UnsafeBufferPointer<UInt8>) {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        private mutating func push(_ kind: Kind, start: Int = 0, length: Int = 0, escaped: Bool = false) -> Int {
            tokens.append(Token(kind: kind, escaped: escaped, start: Int32(start), length: Int32(length), next: 0))
            return tokens.count - 1
        }

        private mutating func close(_ token: Int) {
            tokens[token].next = Int32(tokens.count)
        }

        /// Reads one value without recursion (parse trees of long expressions nest thousands deep).
        private mutating func value(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
            var open: [(token: Int, isObject: Bool)] = []
            while true {
                // A value starts here.
                skipSpace(bytes)
                guard index < bytes.count else { throw Failure(offset: index) }
                var finished = true
                switch bytes[index] {
                case UInt8(ascii: "{"):
                    let token = push(.object)
                    index += 1
                    skipSpace(bytes)
                    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                        index += 1
                        close(token)
                    } else {
                        open.append((token, true))
                        try key(bytes)
                        finished = false
                    }
                case UInt8(ascii: "["):
                    let token = push(.array)
                    index += 1
                    skipSpace(bytes)
                    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                        index += 1
                        close(token)
                    } else {
                        open.append((token, false))
                        finished = false
                    }
                case UInt8(ascii: "\""):
                    try string(bytes)
                case UInt8(ascii: "t"):
                    try literal(bytes, 4)
                    close(push(.boolTrue))
                case UInt8(ascii: "f"):
                    try literal(bytes, 5)
                    close(push(.boolFalse))
                case UInt8(ascii: "n"):
                    try literal(bytes, 4)
                    close(push(.null))
                default:
                    try number(bytes)
                }
                if !finished { continue }
                // After a value: a separator, or the end of enclosing containers.
                while let container = open.last {
                    skipSpace(bytes)
                    guard index < bytes.count else { throw Failure(offset: index) }
                    let byte = bytes[index]
                    if byte == UInt8(ascii: ",") {
                        index += 1
                        if container.isObject { try key(bytes) }
                        break
                    }
                    guard byte == (container.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                        throw Failure(offset: index)
                    }
                    index += 1
                    close(container.token)
                    open.removeLast()
                }
                if open.isEmpty { return }
            }
        }

        /// An object key and its colon.
        private mutating func key(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
            skipSpace(bytes)
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Failure(offset: index) }
            try string(bytes)
            skipSpace(bytes)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Failure(offset: index) }
            index += 1
        }

        private mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
            let start = index
            scan: while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                    UInt8(ascii: "e"), UInt8(ascii: "E"):
                    index += 1
                default:
                    break scan
                }
            }
            guard index > start else { throw Failure(offset: start) }
            close(push(.number, start: start, length: index - start))
        }

        private mutating func literal(_ bytes: UnsafeBufferPointer<UInt8>, _ length: Int) throws(Failure) {
            guard index + length <= bytes.count else { throw Failure(offset: index) }
            index += length
        }

        private mutating func string(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) {
            index += 1
            let start = index
            var escaped = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    close(push(.string, start: start, length: index - start, escaped: escaped))
                    index += 1
                    return
                }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 2
                } else {
                    index += 1
                }
            }
            throw Failure(offset: index)
        }
    }
}
