import Foundation

/// A malformed CSV file: what is wrong and the 1-based file line where it happened.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var line: Int
    /// The 0-based field the error is about, when it is about one.
    public var column: Int?
    public init(_ message: String, line: Int, column: Int? = nil) {
        self.message = message
        self.line = line
        self.column = column
    }
    public var description: String { "line \(line): \(message)" }
}

/// One record of a CSV file: its unescaped fields as bytes, and where it starts in the file.
public struct CSVRecord: Sendable {
    /// 1-based line of the file where the record starts.
    public var line: Int
    /// Byte offset of the record's first byte in the file.
    public var offset: Int
    /// Unescaped contents of every field, concatenated.
    public var bytes: [UInt8] = []
    /// End index in `bytes` of each field.
    public var fieldEnds: [Int] = []
    /// Whether each field was quoted.
    public var quoted: [Bool] = []

    public init(line: Int = 0, offset: Int = 0) {
        self.line = line
        self.offset = offset
    }

    public var count: Int { fieldEnds.count }

    /// The byte range of field `index` in `bytes`.
    @inline(__always)
    public func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]
    }

    /// Field `index` decoded as UTF-8.
    public func string(_ index: Int) -> String {
        String(decoding: bytes[range(index)], as: UTF8.self)
    }

    /// Every field decoded as UTF-8.
    public var strings: [String] { (0..<count).map(string) }

    mutating func reset(line: Int, offset: Int) {
        self.line = line
        self.offset = offset
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
    }
}

/// A streaming RFC 4180 reader over bytes: quoted fields, doubled quotes, embedded newlines and
/// delimiters, CRLF, LF or CR line ends (one style per file, as PostgreSQL's COPY requires), an
/// optional UTF-8 byte order mark. Reads in large chunks and never holds the whole file.
///
/// It is stricter than RFC 4180 where PostgreSQL's COPY would read the bytes differently: a quote
/// inside an unquoted field and text after a closing quote are errors.
public struct CSVReader {
    /// Where bytes come from: returns up to `maximum` bytes, or an empty array at the end.
    public typealias Source = (_ maximum: Int) throws -> [UInt8]

    private enum LineEnd: Equatable { case lf, crlf, cr }

    public let delimiter: UInt8
    private let quote = UInt8(ascii: "\"")
    private let source: Source
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var index = 0
    /// File offset of `buffer[0]`.
    private var bufferOffset = 0
    private var atEnd = false
    private var started = false
    private var lineEnd: LineEnd?
    /// Current 1-based line.
    private(set) public var line = 1
    /// Byte length of the byte order mark skipped at the start (0 or 3).
    private(set) public var bomLength = 0
    /// File offset just after the last record returned (including its line end).
    private(set) public var offset = 0

    /// Reads from a custom source.
    public init(delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 1 << 20, source: @escaping Source) {
        self.delimiter = delimiter
        self.chunkSize = chunkSize
        self.source = source
    }

    /// Reads bytes held in memory (tests, small inputs).
    public init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 1 << 20) {
        var position = 0
        self.init(delimiter: delimiter, chunkSize: chunkSize) { maximum in
            let end = min(bytes.count, position + maximum)
            defer { position = end }
            return Array(bytes[position..<end])
        }
    }

    /// Reads a file in chunks.
    public init(fileHandle: FileHandle, delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 1 << 20) {
        self.init(delimiter: delimiter, chunkSize: chunkSize) { maximum in
            [UInt8](try fileHandle.read(upToCount: maximum) ?? Data())
        }
    }

    @inline(__always)
    private mutating func peek() throws -> UInt8? {
        if index < buffer.count { return buffer[index] }
        if atEnd { return nil }
        try refill()
        return index < buffer.count ? buffer[index] : nil
    }

    private mutating func refill() throws {
        bufferOffset += buffer.count
        buffer = try source(chunkSize)
        index = 0
        if buffer.isEmpty { atEnd = true }
    }

    @inline(__always)
    private var position: Int { bufferOffset + index }

    private mutating func skipBOM() throws {
        started = true
        guard try peek() == 0xEF else { return }
        // The three bytes may straddle a chunk boundary: gather them.
        var head: [UInt8] = []
        while head.count < 3, let byte = try peek() {
            head.append(byte)
            index += 1
        }
        if head == [0xEF, 0xBB, 0xBF] {
            bomLength = 3
            offset = 3
        } else {
            // Not a BOM: put the bytes back in front of the rest of the buffer.
            buffer = head + buffer[index...]
            bufferOffset = 0
            index = 0
        }
    }

    /// Checks that a line end is of the file's style (the first one seen).
    private mutating func noteLineEnd(_ kind: LineEnd, at line: Int) throws(CSVError) {
        if let lineEnd, lineEnd != kind {
            throw CSVError("mixed line endings (\(Self.name(kind)) after \(Self.name(lineEnd)))", line: line)
        }
        lineEnd = kind
    }

    private static func name(_ kind: LineEnd) -> String {
        switch kind {
        case .lf: return "LF"
        case .crlf: return "CRLF"
        case .cr: return "CR"
        }
    }

    /// Reads the next record into `record` (reusing its storage); false at the end of the input.
    public mutating func next(into record: inout CSVRecord) throws -> Bool {
        if !started { try skipBOM() }
        guard try peek() != nil else { return false }
        record.reset(line: line, offset: position)
        var fieldQuoted = false
        var fieldStart = true
        while true {
            guard let byte = try peek() else {
                // End of input ends the record.
                record.fieldEnds.append(record.bytes.count)
                record.quoted.append(fieldQuoted)
                offset = position
                return true
            }
            if fieldStart && byte == quote {
                fieldQuoted = true
                fieldStart = false
                index += 1
                try readQuoted(into: &record)
                // After the closing quote: a delimiter, a line end or the end of input.
                if let after = try peek(), after != delimiter, after != 0x0A, after != 0x0D {
                    throw CSVError("unexpected character after closing quote", line: line)
                }
                continue
            }
            fieldStart = false
            if byte == delimiter {
                record.fieldEnds.append(record.bytes.count)
                record.quoted.append(fieldQuoted)
                fieldQuoted = false
                fieldStart = true
                index += 1
                continue
            }
            if byte == 0x0A || byte == 0x0D {
                index += 1
                var kind = LineEnd.lf
                if byte == 0x0D {
                    kind = .cr
                    if try peek() == 0x0A {
                        index += 1
                        kind = .crlf
                    }
                }
                try noteLineEnd(kind, at: line)
                line += 1
                record.fieldEnds.append(record.bytes.count)
                record.quoted.append(fieldQuoted)
                offset = position
                return true
            }
            if byte == quote {
                throw CSVError("quote inside an unquoted field", line: line)
            }
            // Fast path: copy a run of plain bytes from the buffer at once.
            let start = index
            var end = index + 1
            while end < buffer.count {
                let b = buffer[end]
                if b == delimiter || b == 0x0A || b == 0x0D || b == quote { break }
                end += 1
            }
            record.bytes.append(contentsOf: buffer[start..<end])
            index = end
        }
    }

    /// Reads a quoted field's contents after its opening quote, through its closing quote.
    private mutating func readQuoted(into record: inout CSVRecord) throws {
        let startLine = line
        while true {
            guard let byte = try peek() else {
                throw CSVError("unterminated quoted field", line: startLine)
            }
            index += 1
            if byte == quote {
                if try peek() == quote {
                    record.bytes.append(quote)
                    index += 1
                    continue
                }
                return
            }
            if byte == 0x0A {
                line += 1
            } else if byte == 0x0D, try peek() != 0x0A {
                line += 1
            }
            record.bytes.append(byte)
        }
    }

    /// Every record decoded as strings (tests and small files).
    public mutating func readAll() throws -> [[String]] {
        var record = CSVRecord()
        var rows: [[String]] = []
        while try next(into: &record) { rows.append(record.strings) }
        return rows
    }
}
