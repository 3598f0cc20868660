import Foundation
import ModelCompiler

extension SeedLoader {
    /// Finds the data record (1-based, as `COPY` counts them) the server rejects, when its error
    /// carries no `COPY …, line N` context: copies halves of the file into a scratch table inside
    /// savepoints of a transaction that is rolled back, narrowing to one record. Only for data
    /// errors (SQLSTATE class 22), which depend on one record alone. Nothing is left behind.
    func locateRejectedRecord(plan: SeedLoadPlan, scan: SeedFileScan, session: any DatabaseSession) -> Int? {
        guard scan.rowCount > 0, let offsets = recordOffsets(scan: scan), offsets.count == scan.rowCount,
            let handle = try? FileHandle(forReadingFrom: file)
        else { return nil }
        defer { try? handle.close() }
        func end(_ record: Int) -> Int { record < offsets.count ? offsets[record] : scan.dataEnd }
        /// Whether records `from..<to` (0-based) copy without error.
        func copies(_ from: Int, _ to: Int) -> Bool? {
            do {
                try session.executeScript("savepoint sqlt_locate")
                try handle.seek(toOffset: UInt64(offsets[from]))
                var remaining = end(to) - offsets[from]
                let size = chunkSize
                var succeeded = true
                do {
                    _ = try session.copyIn(plan.copyStatement) {
                        guard remaining > 0 else { return nil }
                        guard let data = try handle.read(upToCount: min(size, remaining)), !data.isEmpty else {
                            return nil
                        }
                        remaining -= data.count
                        return [UInt8](data)
                    }
                } catch let error as DatabaseError where error.sqlState?.hasPrefix("22") == true {
                    succeeded = false
                }
                try session.executeScript("rollback to savepoint sqlt_locate")
                return succeeded
            } catch {
                return nil
            }
        }
        do {
            try session.executeScript("begin")
            try session.executeScript(plan.createTableStatement)
        } catch {
            _ = try? session.executeScript("rollback")
            return nil
        }
        defer { _ = try? session.executeScript("rollback") }
        var low = 0
        var high = offsets.count
        while high - low > 1 {
            let middle = (low + high) / 2
            guard let firstHalfCopies = copies(low, middle) else { return nil }
            if firstHalfCopies { low = middle } else { high = middle }
        }
        return copies(low, low + 1) == false ? low + 1 : nil
    }

    /// Byte offset of every data record, read again from the file.
    private func recordOffsets(scan: SeedFileScan) -> [Int]? {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return nil }
        defer { try? handle.close() }
        var reader = CSVReader(fileHandle: handle, delimiter: configuration.delimiter, chunkSize: chunkSize)
        var record = CSVRecord()
        var offsets: [Int] = []
        offsets.reserveCapacity(scan.rowCount)
        do {
            guard try reader.next(into: &record) else { return nil }
            while offsets.count < scan.rowCount, try reader.next(into: &record) { offsets.append(record.offset) }
        } catch {
            return nil
        }
        return offsets
    }
}
