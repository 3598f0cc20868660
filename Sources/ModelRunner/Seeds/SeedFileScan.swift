import Foundation

/// The first pass over a seed file: header, inferred column types, row count, the byte range of
/// the data records (what is streamed to `COPY`), and every structural error with its file line.
public struct SeedFileScan: Sendable, Equatable {
    /// Column names from the header, in order.
    public var columns: [String]
    /// The inferred PostgreSQL type of each column (before `column_types` overrides).
    public var inferredTypes: [String]
    /// Data records (not counting the header or trailing blank lines).
    public var rowCount: Int
    /// Byte offset of the first data record (after the byte order mark and the header).
    public var dataStart: Int
    /// Byte offset just after the last data record.
    public var dataEnd: Int
    /// The file line of the first data record.
    public var firstDataLine: Int
    /// Per column: whether its values are rewritten before `COPY` (see `SeedRecordRewriter`),
    /// because PostgreSQL would not read the raw text as the value dbt loads (`null`, `1,234`).
    public var rewritten: [Bool] = []

    /// Whether any column is rewritten.
    public var rewrites: Bool { rewritten.contains(true) }

    /// Reads the whole input once. `overrides` (column name to type) are checked for the types
    /// sqlt recognises, so a bad value is reported with its line before anything reaches the server.
    /// With `limit`, stops after that many data records (a sample: what the load starts with
    /// while the whole file is scanned).
    public static func scan(
        _ reader: inout CSVReader, overrides: [String: String] = [:], limit: Int? = nil
    ) throws(CSVError) -> SeedFileScan {
        do {
            return try scanThrowing(&reader, overrides: overrides, limit: limit ?? Int.max)
        } catch let error as CSVError {
            throw error
        } catch {
            throw CSVError("cannot read file: \(error.localizedDescription)", line: reader.line)
        }
    }

    private static func scanThrowing(
        _ reader: inout CSVReader, overrides: [String: String], limit: Int
    ) throws -> SeedFileScan {
        var record = CSVRecord()
        guard try reader.next(into: &record), !(record.count == 1 && record.fieldEnds[0] == 0 && !record.quoted[0])
        else { throw CSVError("seed file has no header row", line: 1) }
        let columns = record.strings
        var seen: Set<String> = []
        for name in columns {
            if name.isEmpty { throw CSVError("empty column name in header", line: record.line) }
            if !seen.insert(name).inserted {
                throw CSVError("duplicate column name '\(name)' in header", line: record.line)
            }
        }
        let dataStart = reader.offset
        let firstDataLine = reader.line
        let width = columns.count
        var inference = [ColumnTypeInference](repeating: ColumnTypeInference(), count: width)
        let checks: [OverrideCheck?] = columns.map { name in overrides[name].flatMap(OverrideCheck.init) }
        let anyCheck = checks.contains { $0 != nil }
        var rowCount = 0
        var dataEnd = dataStart
        // Blank lines are held back: at the end of the file they are dropped, before a record
        // they are rows (a NULL for a one-column seed, an error otherwise).
        var pendingBlankLines: [Int] = []
        while rowCount < limit, try reader.next(into: &record) {
            let blank = record.count == 1 && record.fieldEnds[0] == 0 && !record.quoted[0]
            if blank {
                pendingBlankLines.append(record.line)
                continue
            }
            for blankLine in pendingBlankLines {
                if width != 1 { throw CSVError("expected \(width) fields, found a blank line", line: blankLine) }
                rowCount += 1
            }
            pendingBlankLines.removeAll()
            guard record.count == width else {
                throw CSVError("expected \(width) fields, found \(record.count)", line: record.line)
            }
            if width == 1, !record.quoted[0], record.bytes == [UInt8(ascii: "\\"), UInt8(ascii: ".")] {
                throw CSVError("a line holding only '\\.' ends COPY data early: quote it", line: record.line)
            }
            record.bytes.withUnsafeBufferPointer { bytes in
                for column in 0..<width {
                    let range = record.range(column)
                    inference[column].add(SeedValueClass.of(UnsafeBufferPointer(rebasing: bytes[range])))
                }
            }
            if anyCheck {
                for column in 0..<width {
                    guard let check = checks[column] else { continue }
                    if !check.accepts(record.bytes[record.range(column)]) {
                        throw CSVError(
                            "value '\(record.string(column))' of column '\(columns[column])' is not a valid \(check.typeName)",
                            line: record.line, column: column)
                    }
                }
            }
            rowCount += 1
            dataEnd = reader.offset
        }
        return SeedFileScan(
            columns: columns, inferredTypes: inference.map(\.type), rowCount: rowCount, dataStart: dataStart,
            dataEnd: dataEnd, firstDataLine: firstDataLine,
            rewritten: zip(columns, inference).map { name, column in
                // A `column_types` column is read as text by dbt: only its `null` cells change.
                overrides[name] == nil ? column.needsRewrite : column.sawNullWord
            })
    }

    /// The file line where data record `number` (1-based, as `COPY` counts them) starts.
    public static func lineOfDataRecord(_ number: Int, reader: inout CSVReader) -> Int? {
        var record = CSVRecord()
        do {
            guard try reader.next(into: &record) else { return nil }
            var count = 0
            while try reader.next(into: &record) {
                count += 1
                if count == number { return record.line }
            }
        } catch {
            return nil
        }
        return nil
    }
}

/// A `column_types` override whose values sqlt can check itself while scanning.
struct OverrideCheck: Sendable {
    enum Family { case integer, bigint, smallint, numeric }
    let family: Family
    let typeName: String

    init?(_ type: String) {
        let normalized = type.trimmingCharacters(in: .whitespaces).lowercased()
        let base = normalized.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? normalized
        switch base {
        case "integer", "int", "int4": family = .integer
        case "bigint", "int8": family = .bigint
        case "smallint", "int2": family = .smallint
        case "numeric", "decimal", "real", "float4", "float8", "double precision", "float": family = .numeric
        default: return nil
        }
        typeName = normalized
    }

    /// Whether the server will accept the value (surrounding spaces and, for floating and
    /// numeric types, `NaN` and infinities included).
    func accepts(_ value: ArraySlice<UInt8>) -> Bool {
        var trimmed = value
        while let first = trimmed.first, first == 0x20 || first == 0x09 { trimmed.removeFirst() }
        while let last = trimmed.last, last == 0x20 || last == 0x09 { trimmed.removeLast() }
        if trimmed.isEmpty { return value.isEmpty }
        let parsed = SeedValueClass.of(trimmed)
        if parsed.kind == .null { return true }  // loaded as NULL
        if family == .numeric,
            ["nan", "infinity", "+infinity", "-infinity", "inf", "+inf", "-inf"].contains(
                String(decoding: trimmed, as: UTF8.self).lowercased())
        {
            return true
        }
        switch (family, parsed.kind) {
        case (.integer, .integer), (.bigint, .integer), (.bigint, .bigint): return parsed.digitsOnly
        case (.smallint, .integer): return parsed.digitsOnly  // the server checks the narrower range
        case (.numeric, .integer), (.numeric, .bigint), (.numeric, .float): return parsed.plain
        default: return false
        }
    }
}
