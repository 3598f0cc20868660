import CLibPQ
import Foundation
import ModelCompiler

/// A PostgreSQL connection through libpq: text parameters and results, blocking calls.
///
/// A connection is used by one worker at a time: every call that talks to the server holds a
/// lock, so a second thread waits rather than corrupting the protocol. `cancel()` does not take
/// that lock and is safe from any thread while a statement runs.
public final class PostgresConnection: DatabaseSession, @unchecked Sendable {
    /// The settings this connection was opened with.
    public let settings: ConnectionSettings
    /// The server's version number, for example `15.18`.
    public let serverVersion: String

    private var connection: OpaquePointer?
    private let lock = NSLock()
    private let canceller: QueryCanceller

    /// Opens a connection with `PQconnectdbParams`; the error names host, port, user and database.
    public init(settings: ConnectionSettings) throws(DatabaseError) {
        self.settings = settings
        let parameters = settings.libpqParameters
        let keywords = parameters.map { strdup($0.keyword) }
        let values = parameters.map { strdup($0.value) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        let connection = keywordPointers.withUnsafeMutableBufferPointer { keywordBuffer in
            valuePointers.withUnsafeMutableBufferPointer { valueBuffer in
                PQconnectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 0)
            }
        }
        guard let connection else {
            throw DatabaseError(
                kind: .connectFailed, message: "could not connect to PostgreSQL: libpq is out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let error = Self.connectError(connection, settings)
            PQfinish(connection)
            throw error
        }
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        self.connection = connection
        let version = PQparameterStatus(connection, "server_version").map { String(cString: $0) } ?? ""
        self.serverVersion = String(version.split(separator: " ").first ?? "")
        self.canceller = QueryCanceller(PQgetCancel(connection))
        ActiveConnections.register(canceller)
    }

    deinit {
        close()
    }

    /// Closes the connection (`PQfinish`); later calls fail with a clear error.
    public func close() {
        canceller.invalidate()
        ActiveConnections.unregister(canceller)
        lock.lock()
        defer { lock.unlock() }
        if let connection {
            PQfinish(connection)
            self.connection = nil
        }
    }

    /// True while the connection is open and healthy.
    public var isOpen: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let connection else { return false }
        return PQstatus(connection) == CONNECTION_OK
    }

    /// False once the server ended the connection: the socket is polled without waiting, and
    /// whatever arrived is read (`PQconsumeInput` fails on end of file). Not for a connection
    /// running a statement on another thread (it waits for the statement's lock).
    public var isAlive: Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let connection, PQstatus(connection) == CONNECTION_OK else { return false }
        let socket = PQsocket(connection)
        guard socket >= 0 else { return false }
        // Up to twice: a terminated backend's last message and the end of file can arrive apart.
        for _ in 0..<2 {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else { return true }
            if PQconsumeInput(connection) == 0 || PQstatus(connection) != CONNECTION_OK { return false }
            while let notice = PQnotifies(connection) { PQfreemem(notice) }
        }
        return PQstatus(connection) == CONNECTION_OK
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?]) throws(DatabaseError) -> QueryResult {
        try withConnection { (connection) throws(DatabaseError) in
            let copies = parameters.map { $0.map { strdup($0) } ?? nil }
            defer { copies.forEach { free($0) } }
            let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
            let result = pointers.withUnsafeBufferPointer { buffer in
                PQexecParams(connection, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
            }
            return try Self.consume(result, connection: connection, query: sql)
        }
    }

    @discardableResult
    public func executeScript(_ sql: String) throws(DatabaseError) -> QueryResult {
        try withConnection { (connection) throws(DatabaseError) in
            try Self.consume(PQexec(connection, sql), connection: connection, query: sql)
        }
    }

    /// Joins the statements with `\n;\n` (a statement ending in a `--` comment keeps its `;`) into
    /// one `PQsendQuery`, then reads one result per statement until the server's error.
    public func executeBatch(_ statements: [String]) throws(DatabaseError) -> [QueryResult] {
        guard statements.count > 1 else {
            guard let statement = statements.first else { return [] }
            do { return [try executeScript(statement)] } catch {
                var located = error
                located.statementIndex = 0
                throw located
            }
        }
        let separator = "\n;\n"
        var text = ""
        // 0-based offsets of each statement in `text`, in characters as the server counts them.
        var starts: [Int] = []
        var offset = 0
        for (index, statement) in statements.enumerated() {
            if index > 0 {
                text += separator
                offset += separator.unicodeScalars.count
            }
            starts.append(offset)
            text += statement
            offset += statement.unicodeScalars.count
        }
        return try withConnection { (connection) throws(DatabaseError) -> [QueryResult] in
            guard PQsendQuery(connection, text) == 1 else { throw Self.connectionError(connection, query: text) }
            var results: [QueryResult] = []
            var failure: DatabaseError?
            while let result = PQgetResult(connection) {
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                    if failure == nil { results.append(Self.read(result)) }
                case PGRES_EMPTY_QUERY:
                    break
                case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                    if failure == nil {
                        failure = DatabaseError(
                            kind: .unexpectedResult, message: "a batch of statements cannot run COPY", query: text)
                    }
                    if PQresultStatus(result) == PGRES_COPY_IN { PQputCopyEnd(connection, "copy aborted by sqlt") }
                default:
                    if failure == nil { failure = Self.resultError(result, connection: connection, query: text) }
                }
            }
            if failure == nil, results.count < statements.count {
                failure = Self.connectionError(connection, query: text)
            }
            guard var failure else { return results }
            // Each statement gives one result: the first without one is the one that failed.
            let index = min(results.count, statements.count - 1)
            failure.statementIndex = index
            failure.query = statements[index]
            if let position = failure.position {
                let local = position - starts[index]
                failure.position = local >= 1 && local <= statements[index].unicodeScalars.count + 1 ? local : nil
            }
            throw failure
        }
    }

    public func copyIn(_ copySQL: String, chunks: () throws -> [UInt8]?) throws -> Int {
        var chunkError: (any Error)?
        let rows = try withConnection { (connection) throws(DatabaseError) -> Int in
            let start = PQexec(connection, copySQL)
            guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
                let status = start.map { PQresultStatus($0) }
                _ = try Self.consume(start, connection: connection, query: copySQL)
                Self.drain(connection)
                throw DatabaseError(
                    kind: .unexpectedResult,
                    message:
                        "expected COPY ... FROM STDIN, the statement returned \(status.map { String(cString: PQresStatus($0)) } ?? "nothing")",
                    query: copySQL)
            }
            PQclear(start)
            var failure: DatabaseError?
            while true {
                let chunk: [UInt8]?
                do {
                    chunk = try chunks()
                } catch {
                    chunkError = error
                    PQputCopyEnd(connection, "copy aborted by sqlt: \(error)")
                    break
                }
                guard let chunk else {
                    if PQputCopyEnd(connection, nil) != 1 {
                        failure = Self.connectionError(connection, query: copySQL)
                    }
                    break
                }
                if chunk.isEmpty { continue }
                let sent = chunk.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) {
                        PQputCopyData(connection, $0.baseAddress, Int32($0.count))
                    }
                }
                if sent != 1 {
                    failure = Self.connectionError(connection, query: copySQL)
                    break
                }
            }
            var rows = 0
            var serverError: DatabaseError?
            while let result = PQgetResult(connection) {
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK:
                    rows = Int(String(cString: PQcmdTuples(result))) ?? 0
                case PGRES_COPY_IN:
                    PQputCopyEnd(connection, "copy aborted by sqlt")
                default:
                    if serverError == nil {
                        serverError = Self.resultError(result, connection: connection, query: copySQL)
                    }
                }
                PQclear(result)
            }
            if let failure { throw failure }
            if let serverError, chunkError == nil { throw serverError }
            return rows
        }
        if let chunkError { throw chunkError }
        return rows
    }

    /// Asks the server to cancel the running statement; a no-op when nothing runs.
    public func cancel() {
        canceller.cancel()
    }

    private func withConnection<T>(_ body: (OpaquePointer) throws(DatabaseError) -> T) throws(DatabaseError) -> T {
        lock.lock()
        defer { lock.unlock() }
        guard let connection else {
            throw DatabaseError(kind: .connectionClosed, message: "the connection to PostgreSQL is closed")
        }
        return try body(connection)
    }

    /// Reads a result (and clears it); throws the server's error for a failed statement.
    private static func consume(
        _ result: OpaquePointer?, connection: OpaquePointer, query: String
    ) throws(DatabaseError) -> QueryResult {
        guard let result else { throw connectionError(connection, query: query) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return read(result)
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            return read(result)
        default:
            throw resultError(result, connection: connection, query: query)
        }
    }

    private static func read(_ result: OpaquePointer) -> QueryResult {
        let fieldCount = PQnfields(result)
        let rowCount = PQntuples(result)
        var columns: [QueryResult.Column] = []
        columns.reserveCapacity(Int(fieldCount))
        for field in 0..<fieldCount {
            columns.append(
                QueryResult.Column(name: String(cString: PQfname(result, field)), typeOID: PQftype(result, field)))
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(Int(fieldCount))
            for field in 0..<fieldCount {
                values.append(
                    PQgetisnull(result, row, field) == 1 ? nil : String(cString: PQgetvalue(result, row, field)))
            }
            rows.append(values)
        }
        let tag = String(cString: PQcmdStatus(result))
        let affected = String(cString: PQcmdTuples(result))
        return QueryResult(columns: columns, rows: rows, commandTag: tag, rowsAffected: Int(affected))
    }

    private static func resultError(_ result: OpaquePointer, connection: OpaquePointer, query: String) -> DatabaseError
    {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        let primary =
            field(Int32(UInt8(ascii: "M")))
            ?? String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
        let sqlState = field(Int32(UInt8(ascii: "C")))
        return DatabaseError(
            kind: sqlState == nil && PQstatus(connection) == CONNECTION_BAD ? .connectionLost : nil,
            sqlState: sqlState,
            severity: field(Int32(UInt8(ascii: "V"))) ?? field(Int32(UInt8(ascii: "S"))),
            message: primary.isEmpty ? connectionMessage(connection) : primary,
            detail: field(Int32(UInt8(ascii: "D"))),
            hint: field(Int32(UInt8(ascii: "H"))),
            position: field(Int32(UInt8(ascii: "P"))).flatMap { Int($0) },
            query: query,
            context: field(Int32(UInt8(ascii: "W"))))
    }

    private static func connectionError(_ connection: OpaquePointer, query: String?) -> DatabaseError {
        DatabaseError(
            kind: PQstatus(connection) == CONNECTION_BAD ? .connectionLost : .client,
            message: connectionMessage(connection), query: query)
    }

    private static func connectionMessage(_ connection: OpaquePointer) -> String {
        let text = String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "the connection to PostgreSQL failed" : text
    }

    private static func drain(_ connection: OpaquePointer) {
        while let result = PQgetResult(connection) { PQclear(result) }
    }

    private static func connectError(_ connection: OpaquePointer, _ settings: ConnectionSettings) -> DatabaseError {
        func value(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
            guard let pointer else { return nil }
            let text = String(cString: pointer)
            return text.isEmpty ? nil : text
        }
        let host = settings.host ?? value(PQhost(connection)) ?? "the default socket"
        let place = host.hasPrefix("/") ? "socket folder \(host)" : "host \(host)"
        let port = settings.port.map(String.init) ?? value(PQport(connection)) ?? "5432"
        let user = settings.user ?? value(PQuser(connection)) ?? "(default)"
        let dbname = settings.dbname ?? value(PQdb(connection)) ?? user
        let reason = connectionMessage(connection)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
        return DatabaseError(
            kind: .connectFailed,
            message:
                "could not connect to PostgreSQL at \(place), port \(port), user \(user), database \(dbname): \(reason)"
        )
    }
}
