import Foundation
import ModelCompiler

/// A PostgreSQL server private to one project, kept in `<project>/.sqlt/postgres/`
/// (data folder, server log, unix-socket folder). It listens on a unix socket only, unless
/// TCP is asked for.
public struct EmbeddedPostgres: Sendable {
    /// Unix socket paths are limited to 107 bytes (`sun_path` less its terminating zero).
    static let maximumSocketPathLength = 107

    /// The project folder.
    public let projectDir: String
    /// `<project>/.sqlt/postgres`.
    public let folder: String
    /// The port: the TCP port when `listenTCP`, and the suffix of the socket file name.
    public let port: Int
    /// Whether the server also listens on TCP (localhost).
    public let listenTCP: Bool
    /// Extra server settings written to the configuration (for example `fsync: off` for tests).
    public let serverSettings: [String: String]
    /// The database sqlt builds in.
    public let database = "sqlt"
    /// The superuser `initdb` creates and sqlt connects as.
    public let user = "postgres"

    let process: ServerProcess

    /// A server for `projectDir`; nothing happens until `start()`.
    public init(projectDir: String, port: Int = 5432, listenTCP: Bool = false, serverSettings: [String: String] = [:]) {
        let project = URL(fileURLWithPath: projectDir).standardizedFileURL.path
        self.projectDir = project
        self.folder = project + "/.sqlt/postgres"
        self.port = port
        self.listenTCP = listenTCP
        self.serverSettings = serverSettings
        self.process = .current()
    }

    /// The data folder.
    public var dataFolder: String { folder + "/data" }
    /// The server log.
    public var logFile: String { folder + "/server.log" }
    /// The lock file taken around start and stop.
    public var lockFile: String { projectDir + "/.sqlt/postgres.lock" }

    /// The socket folder: `<folder>/socket`, or `/tmp/sqlt-<hash of the folder>` when that path
    /// would make the socket path longer than the system allows.
    public var socketFolder: String {
        let preferred = folder + "/socket"
        if (preferred + "/.s.PGSQL.\(port)").utf8.count <= Self.maximumSocketPathLength { return preferred }
        return "/tmp/sqlt-" + Self.stableHash(folder)
    }

    /// True when the socket folder is the short one under /tmp.
    public var usesShortSocketFolder: Bool { !socketFolder.hasPrefix(folder) }

    /// The settings to reach the server (whether or not it runs).
    public var settings: ConnectionSettings {
        ConnectionSettings(
            host: socketFolder, port: port, user: user, dbname: database,
            origin: "embedded PostgreSQL at \(folder)")
    }

    /// The server as a `postgresql://` URL (with the socket and port it runs on, when it runs).
    public var url: String { (runningServer().map(settingsFor) ?? settings).url() }

    /// Starts the server (creating it first when needed) and returns the settings to reach it.
    /// A server already running on the folder is reused. Start and stop take an exclusive lock,
    /// so two sqlt processes never start two servers on one folder.
    @discardableResult
    public func start() throws -> ConnectionSettings {
        let binaries = try PostgresBinaries.locate()
        try FileManager.default.createDirectory(atPath: projectDir + "/.sqlt", withIntermediateDirectories: true)
        return try FileLock(path: lockFile).withLock {
            if let running = runningServer(), let settings = try? connectable(running) {
                try ensureDatabase(settings)
                return settings
            }
            try prepareFolders()
            if !FileManager.default.fileExists(atPath: dataFolder + "/PG_VERSION") {
                try initialise(binaries)
            }
            try writeConfiguration()
            let outcome = try process.run(
                binaries.pgCtl, ["-D", dataFolder, "-l", logFile, "-w", "-t", "120", "-s", "start"], in: folder)
            guard outcome.status == 0 else {
                throw EmbeddedPostgresError(
                    "could not start the embedded PostgreSQL in \(folder): \(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))"
                        + logTail())
            }
            let settings = runningServer().map(settingsFor) ?? self.settings
            try ensureDatabase(settings)
            return settings
        }
    }

    /// Stops the server (fast shutdown: running statements are cancelled); returns whether it was running.
    @discardableResult
    public func stop() throws -> Bool {
        guard FileManager.default.fileExists(atPath: dataFolder + "/PG_VERSION") else { return false }
        let binaries = try PostgresBinaries.locate()
        return try FileLock(path: lockFile).withLock {
            guard runningServer() != nil else { return false }
            let outcome = try process.run(
                binaries.pgCtl, ["-D", dataFolder, "-m", "fast", "-w", "-t", "120", "-s", "stop"], in: folder)
            guard outcome.status == 0 else {
                throw EmbeddedPostgresError(
                    "could not stop the embedded PostgreSQL in \(folder): \(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))"
                        + logTail())
            }
            return true
        }
    }

    /// Whether the server runs, with its pid and socket folder.
    public func status() -> EmbeddedPostgresStatus {
        guard FileManager.default.fileExists(atPath: dataFolder + "/PG_VERSION") else {
            return EmbeddedPostgresStatus(
                state: .notInitialised, folder: folder, socketFolder: socketFolder, port: port,
                shortSocketFolder: usesShortSocketFolder)
        }
        guard let running = runningServer() else {
            return EmbeddedPostgresStatus(
                state: .stopped, folder: folder, socketFolder: socketFolder, port: port,
                shortSocketFolder: usesShortSocketFolder)
        }
        return EmbeddedPostgresStatus(
            state: .running(pid: running.pid), folder: folder, socketFolder: running.socketFolder ?? socketFolder,
            port: running.port ?? port, shortSocketFolder: usesShortSocketFolder)
    }

    // MARK: - Steps

    struct RunningServer {
        var pid: Int32
        var port: Int?
        var socketFolder: String?
    }

    /// The server named by `postmaster.pid`, when that process is alive.
    func runningServer() -> RunningServer? {
        guard let text = try? String(contentsOfFile: dataFolder + "/postmaster.pid", encoding: .utf8) else {
            return nil
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, let pid = Int32(first.trimmingCharacters(in: .whitespaces)), pid > 0 else {
            return nil
        }
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        let port = lines.count > 3 ? Int(lines[3].trimmingCharacters(in: .whitespaces)) : nil
        let socket = lines.count > 4 ? lines[4].trimmingCharacters(in: .whitespaces) : ""
        return RunningServer(pid: pid, port: port, socketFolder: socket.isEmpty ? nil : socket)
    }

    func settingsFor(_ running: RunningServer) -> ConnectionSettings {
        var settings = self.settings
        if let socket = running.socketFolder { settings.host = socket }
        if let port = running.port { settings.port = port }
        return settings
    }

    /// The settings of a running server when a connection to it works.
    private func connectable(_ running: RunningServer) throws -> ConnectionSettings {
        var settings = settingsFor(running)
        settings.dbname = "postgres"
        settings.connectTimeout = 10
        let connection = try PostgresConnection(settings: settings)
        connection.close()
        return settingsFor(running)
    }

    private func prepareFolders() throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(
            atPath: folder, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try fileManager.createDirectory(
            atPath: socketFolder, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        if !fileManager.fileExists(atPath: logFile) { _ = fileManager.createFile(atPath: logFile, contents: nil) }
        try process.makeTraversable(folder)
        try process.takeOwnership(of: folder)
        try process.takeOwnership(of: logFile)
        try process.takeOwnership(of: socketFolder)
    }

    private func initialise(_ binaries: PostgresBinaries) throws {
        var lastOutput = ""
        for locale in ["C.UTF-8", "C"] {
            try? FileManager.default.removeItem(atPath: dataFolder)
            let outcome = try process.run(
                binaries.initdb,
                [
                    "-D", dataFolder, "-U", user, "--auth=trust", "--encoding=UTF8", "--locale=\(locale)", "--no-sync",
                    "--no-instructions",
                ],
                in: folder)
            if outcome.status == 0 { return }
            lastOutput = outcome.output
        }
        try? FileManager.default.removeItem(atPath: dataFolder)
        throw EmbeddedPostgresError(
            "initdb could not create the embedded PostgreSQL in \(dataFolder): \(lastOutput.trimmingCharacters(in: .whitespacesAndNewlines))"
        )
    }

    /// Writes `sqlt.conf` (socket, TCP, port, extra settings) and includes it from `postgresql.conf`.
    private func writeConfiguration() throws {
        let quoted = quoteLiteral
        var lines = [
            "# written by sqlt at every start; edit postgresql.conf for your own settings",
            "listen_addresses = \(quoted(listenTCP ? "localhost" : ""))",
            "unix_socket_directories = \(quoted(socketFolder))",
            "port = \(port)",
        ]
        for (name, value) in serverSettings.sorted(by: { $0.key < $1.key }) {
            lines.append("\(name) = \(quoted(value))")
        }
        let configuration = dataFolder + "/sqlt.conf"
        try (lines.joined(separator: "\n") + "\n").write(toFile: configuration, atomically: false, encoding: .utf8)
        try process.takeOwnership(of: configuration)
        let main = dataFolder + "/postgresql.conf"
        let include = "include_if_exists = 'sqlt.conf'"
        let text = try String(contentsOfFile: main, encoding: .utf8)
        if !text.contains(include) {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: main))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(("\n" + include + "\n").utf8))
        }
    }

    /// Creates the `sqlt` database when it is missing.
    private func ensureDatabase(_ settings: ConnectionSettings) throws {
        var maintenance = settings
        maintenance.dbname = "postgres"
        let connection = try PostgresConnection(settings: maintenance)
        defer { connection.close() }
        let exists = try connection.execute("SELECT 1 FROM pg_database WHERE datname = $1", [database])
        if exists.rows.isEmpty {
            try connection.execute("CREATE DATABASE \(quoteIdentifier(database))")
        }
    }

    /// The last lines of the server log, as text starting with a newline (empty when there are none).
    func logTail(lines count: Int = 20) -> String {
        guard let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n").suffix(count)
        if lines.isEmpty { return "" }
        return "\nlast lines of \(logFile):\n" + lines.joined(separator: "\n")
    }

    /// FNV-1a, so the short socket folder is the same in every process.
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
