import Foundation

/// Re-writes a seed's data records for `COPY` when PostgreSQL would not read some raw values as
/// the ones dbt-postgres loads: a `null` cell becomes NULL, a number is written as PostgreSQL
/// reads it (`1,234` → `1234`, `1.0` and `1e5` in an integer column → `1` and `100000`, `$5` → `5`),
/// `tr,ue` becomes `true`. Every other value is sent quoted, byte for byte. One output record per
/// data record, so `COPY`'s `line N` is still data record N.
struct SeedRecordRewriter {
    private var reader: CSVReader
    /// The column's PostgreSQL type, for the columns rewritten (nil: sent as written).
    private let rewrittenTypes: [String?]
    private let delimiter: UInt8
    private var remaining: Int
    private let chunkSize: Int
    private var record = CSVRecord()
    private var started = false

    /// `reader` at the start of the file (the header is skipped here); `types` the planned column
    /// types; `rows` the data records to send (trailing blank lines are not).
    init(reader: CSVReader, types: [String], rewritten: [Bool], rows: Int, chunkSize: Int) {
        self.reader = reader
        self.rewrittenTypes = zip(types, rewritten).map { type, rewrite in rewrite ? type.lowercased() : nil }
        self.delimiter = reader.delimiter
        self.remaining = rows
        self.chunkSize = chunkSize
    }

    /// The next bytes of rewritten CSV, nil at the end.
    mutating func nextChunk() throws -> [UInt8]? {
        if !started {
            started = true
            guard try reader.next(into: &record) else { return nil }
        }
        guard remaining > 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + 4096)
        while remaining > 0, out.count < chunkSize, try reader.next(into: &record) {
            remaining -= 1
            for column in 0..<record.count {
                if column > 0 { out.append(delimiter) }
                let range = record.range(column)
                if range.isEmpty { continue }
                let type = column < rewrittenTypes.count ? rewrittenTypes[column] : nil
                if let type {
                    let value = record.bytes.withUnsafeBufferPointer { bytes in
                        Self.rewritten(UnsafeBufferPointer(rebasing: bytes[range]), type: type)
                    }
                    if let value {
                        out += value
                        continue
                    }
                }
                Self.appendQuoted(record.bytes[range], to: &out)
            }
            out.append(0x0A)
        }
        return out.isEmpty ? nil : out
    }

    /// The value to send for a rewritten column's cell: empty (NULL) for `null`, a number or
    /// boolean as PostgreSQL reads it; nil to send the cell as written.
    static func rewritten(_ bytes: UnsafeBufferPointer<UInt8>, type: String) -> [UInt8]? {
        let value = SeedValueClass.of(bytes)
        if value.kind == .null { return [] }
        switch type {
        case "integer", "bigint", "double precision":
            guard value.kind == .integer || value.kind == .bigint || value.kind == .float,
                let number = SeedNumber.parse(bytes)
            else { return nil }
            return number.canonicalText
        case "boolean":
            guard value.kind == .boolean else { return nil }
            let word = String(decoding: bytes.filter { $0 != UInt8(ascii: ",") }, as: UTF8.self)
                .trimmingCharacters(in: .whitespaces).lowercased()
            return word == "true" || word == "false" ? Array(word.utf8) : []
        default:
            return nil
        }
    }

    static func appendQuoted(_ bytes: ArraySlice<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { out.append(byte) }
            out.append(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
