import CLibPQ
import Foundation

/// One libpq connection. Used by one worker at a time (never shared between tasks); `cancel()`
/// alone may be called from another thread.
public final class PostgresConnection: DatabaseSession, @unchecked Sendable {
    private var connection: OpaquePointer?
    private let cancelHandle: OpaquePointer?
    private let cancelLock = NSLock()
    public let settings: ConnectionSettings

    /// Connects; a failure names host, port, user and database, never the password.
    public init(settings: ConnectionSettings) throws(DatabaseError) {
        self.settings = settings
        let pairs = settings.libpqParameters
        let keywords: [UnsafeMutablePointer<CChar>?] = pairs.map { strdup($0.0) }
        let values: [UnsafeMutablePointer<CChar>?] = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywords.map { $0.map { UnsafePointer($0) } } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { $0.map { UnsafePointer($0) } } + [nil]
        let conn = PQconnectdbParams(&keywordPointers, &valuePointers, 0)
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let reason = conn.map { String(cString: PQerrorMessage($0)).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "out of memory"
            if let conn { PQfinish(conn) }
            let target = "host \(settings.host ?? "(default)"), port \(settings.port.map(String.init) ?? "(default)"), user \(settings.user ?? "(default)"), database \(settings.dbname ?? "(default)")"
            throw DatabaseError(sqlState: "08001", message: "cannot connect to PostgreSQL (\(target)): \(reason)")
        }
        connection = conn
        cancelHandle = PQgetCancel(conn)
        // Server notices ("schema already exists, skipping") are not errors: keep them off the terminal.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
        ActiveConnections.shared.register(self)
    }

    deinit {
        ActiveConnections.shared.unregister(self)
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        if let connection { PQfinish(connection) }
    }

    /// The server's version, for example `15.18`.
    public var serverVersion: String {
        guard let connection, let value = PQparameterStatus(connection, "server_version") else { return "unknown" }
        return String(cString: value)
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?]) throws(DatabaseError) -> QueryResult {
        let conn = try live(sql)
        let copies: [UnsafeMutablePointer<CChar>?] = parameters.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let result = pointers.withUnsafeBufferPointer { buffer in
            PQexecParams(conn, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        return try consume(result, query: sql)
    }

    @discardableResult
    public func executeScript(_ sql: String) throws(DatabaseError) -> QueryResult {
        let conn = try live(sql)
        guard PQsendQuery(conn, sql) == 1 else { throw connectionError(sql) }
        var last = QueryResult()
        var failure: DatabaseError?
        while let result = PQgetResult(conn) {
            do throws(DatabaseError) {
                let value = try consume(result, query: sql)
                if failure == nil { last = value }
            } catch {
                if failure == nil { failure = error }
            }
        }
        if let failure { throw failure }
        return last
    }

    public func copyIn(_ copySQL: String, chunks: () throws -> [UInt8]?) throws -> Int {
        let conn = try live(copySQL)
        let start = PQexec(conn, copySQL)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try consume(start, query: copySQL)
            throw DatabaseError(message: "COPY did not start", query: copySQL)
        }
        PQclear(start)
        var producerError: Error?
        while true {
            let chunk: [UInt8]?
            do { chunk = try chunks() } catch {
                producerError = error
                break
            }
            guard let chunk else { break }
            if chunk.isEmpty { continue }
            let sent = chunk.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    PQputCopyData(conn, $0, Int32(buffer.count))
                }
            }
            if sent != 1 { break }
        }
        if let producerError {
            PQputCopyEnd(conn, "aborted by sqlt: \(producerError)")
        } else {
            PQputCopyEnd(conn, nil)
        }
        var rows = 0
        var failure: DatabaseError?
        while let result = PQgetResult(conn) {
            do throws(DatabaseError) {
                let value = try consume(result, query: copySQL)
                rows = value.rowsAffected ?? rows
            } catch {
                if failure == nil { failure = error }
            }
        }
        if let producerError { throw producerError }
        if let failure { throw failure }
        return rows
    }

    /// Asks the server to cancel the running statement. Safe from any thread.
    public func cancel() {
        cancelLock.withLock {
            guard let cancelHandle else { return }
            var buffer = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
        }
    }

    // MARK: - Results and errors

    private func live(_ query: String) throws(DatabaseError) -> OpaquePointer {
        guard let connection else { throw DatabaseError(message: "the connection is closed", query: query) }
        if PQstatus(connection) != CONNECTION_OK {
            PQreset(connection)
            if PQstatus(connection) != CONNECTION_OK { throw connectionError(query) }
        }
        return connection
    }

    private func connectionError(_ query: String) -> DatabaseError {
        let text = connection.map { String(cString: PQerrorMessage($0)) } ?? "no connection"
        return DatabaseError(sqlState: "08006", message: text.trimmingCharacters(in: .whitespacesAndNewlines), query: query)
    }

    /// Turns a libpq result into a `QueryResult` or a `DatabaseError`, and frees it.
    private func consume(_ result: OpaquePointer?, query: String) throws(DatabaseError) -> QueryResult {
        guard let result else { throw connectionError(query) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE, PGRES_COPY_IN:
            break
        default:
            func field(_ code: UInt8) -> String? {
                PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
            }
            let message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result))
            var error = DatabaseError(
                sqlState: field(UInt8(ascii: "C")), severity: field(UInt8(ascii: "V")),
                message: message.trimmingCharacters(in: .whitespacesAndNewlines), detail: field(UInt8(ascii: "D")),
                hint: field(UInt8(ascii: "H")), position: field(UInt8(ascii: "P")).flatMap { Int($0) }, query: query)
            error.context = field(UInt8(ascii: "W"))
            throw error
        }
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        var columns: [QueryResult.Column] = []
        columns.reserveCapacity(columnCount)
        for c in 0..<columnCount {
            columns.append(.init(name: String(cString: PQfname(result, Int32(c))), typeOID: UInt32(PQftype(result, Int32(c)))))
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var row: [String?] = []
            row.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                row.append(PQgetisnull(result, Int32(r), Int32(c)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(r), Int32(c))))
            }
            rows.append(row)
        }
        let tag = String(cString: PQcmdStatus(result))
        let tuples = String(cString: PQcmdTuples(result))
        return QueryResult(columns: columns, rows: rows, commandTag: tag, rowsAffected: Int(tuples))
    }
}

/// Every open connection of the process, so Ctrl-C or SIGTERM can cancel running queries.
public final class ActiveConnections: @unchecked Sendable {
    public static let shared = ActiveConnections()
    private let lock = NSLock()
    private var connections: [ObjectIdentifier: Weak] = [:]

    private struct Weak { weak var connection: PostgresConnection? }

    func register(_ connection: PostgresConnection) {
        lock.withLock { connections[ObjectIdentifier(connection)] = Weak(connection: connection) }
    }

    func unregister(_ connection: PostgresConnection) {
        lock.withLock { _ = connections.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    /// Cancels the running statement of every open connection.
    public func cancelAll() {
        let open = lock.withLock { connections.values.compactMap(\.connection) }
        for connection in open { connection.cancel() }
    }
}
