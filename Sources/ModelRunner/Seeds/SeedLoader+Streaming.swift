import Foundation

extension SeedLoader {
    /// Data records typed before the load starts; the rest of the file is scanned while it streams.
    static let sampleRows = 1000

    /// How `loadWhileScanning` ended.
    enum StreamedLoad {
        /// Copied with the types the whole file gives: the transaction is open, ready to swap.
        case loaded(SeedLoadPlan, SeedFileScan, rows: Int)
        /// The whole file is scanned but nothing is loaded (the sample typed it otherwise, it needs
        /// rewriting, or the sample was the whole file): load it with this scan.
        case scanned(SeedFileScan)
        /// Nothing done (the file's end could not be found): scan and load as usual.
        case notStarted
    }

    /// Types the first `sampleRows` records, then streams the file's bytes to `COPY` with those
    /// types while another thread scans the whole file (two cores: the read and the type
    /// inference cost no wall time). When the scan fails, that error is thrown (the file's first
    /// problem, as a scan-first load reports it) and the transaction rolled back; when it types the
    /// file as the sample did, a `COPY` error is mapped to its line with the full scan.
    func loadWhileScanning(session: any DatabaseSession, runId: String) throws(SeedLoadError) -> StreamedLoad {
        let sample: SeedFileScan
        do {
            let handle = try openFile()
            defer { try? handle.close() }
            var reader = CSVReader(fileHandle: handle, delimiter: configuration.delimiter, chunkSize: 1 << 16)
            sample = try SeedFileScan.scan(&reader, overrides: configuration.columnTypes, limit: Self.sampleRows)
        } catch let error as SeedLoadError {
            throw error
        } catch let error as CSVError {
            throw fail(error.message, line: error.line, column: error.column)
        } catch {
            throw fail("cannot read seed file: \(error)")
        }
        // Fewer records than the sample's limit: the sample is the whole file.
        if sample.rowCount < Self.sampleRows { return .scanned(sample) }
        guard !sample.rewrites, let end = endOfData(after: sample.dataStart) else { return .notStarted }

        let waiter = ScanWaiter()
        let loader = self
        let thread = Thread {
            do throws(SeedLoadError) {
                waiter.finish(.success(try loader.scan()))
            } catch {
                waiter.finish(.failure(error))
            }
        }
        thread.start()

        let plan: SeedLoadPlan
        do {
            plan = try prepare(scan: sample, session: session, runId: runId)
        } catch {
            if case .failure(let scanError) = waiter.wait() { throw scanError }
            throw error
        }
        var copyError: (any Error)?
        var rows = 0
        do {
            rows = try copyBytes(plan: plan, from: sample.dataStart, to: end, session: session)
        } catch {
            copyError = error
        }
        let full: SeedFileScan
        switch waiter.wait() {
        case .failure(let error):
            rollback(session)
            throw error
        case .success(let scan):
            full = scan
        }
        guard full.inferredTypes == sample.inferredTypes, !full.rewrites, full.dataStart == sample.dataStart else {
            rollback(session)
            return .scanned(full)
        }
        if let copyError {
            rollback(session)
            if let error = copyError as? SeedLoadError { throw error }
            if let error = copyError as? DatabaseError {
                throw mapCopyError(error, plan: plan, scan: full, session: session)
            }
            throw fail("copy failed: \(copyError)")
        }
        guard rows == full.rowCount else {
            rollback(session)
            return .scanned(full)
        }
        return .loaded(plan, full, rows: rows)
    }

    /// The file's size less its trailing line ends (blank lines at the end are not data); nil when
    /// the file cannot be read or ends in more blank lines than one read holds.
    func endOfData(after start: Int) -> Int? {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size >= UInt64(start) else { return nil }
        let tail = min(Int(size) - start, 1 << 16)
        guard tail > 0 else { return start }
        guard (try? handle.seek(toOffset: size - UInt64(tail))) != nil,
            let data = try? handle.read(upToCount: tail), data.count == tail
        else { return nil }
        let bytes = [UInt8](data)
        guard let last = bytes.lastIndex(where: { $0 != 0x0A && $0 != 0x0D }) else {
            return tail == Int(size) - start ? start : nil
        }
        return Int(size) - tail + last + 1
    }
}

/// The background scan's result, waited for by the loading thread.
final class ScanWaiter: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<SeedFileScan, SeedLoadError>?

    func finish(_ value: Result<SeedFileScan, SeedLoadError>) {
        condition.lock()
        result = value
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> Result<SeedFileScan, SeedLoadError> {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
