import Foundation

/// The private PostgreSQL sqlt starts for a project when nothing else is configured: a data
/// folder under `<project>/.sqlt/postgres/`, a unix socket inside that folder (no TCP port), and
/// a database named `sqlt`. Later invocations reuse the running server. As root the server runs as
/// the `postgres` system user, since initdb refuses root. An exclusive lock on
/// `.sqlt/postgres.lock` makes sure two sqlt processes never start two servers on one folder.
public struct EmbeddedPostgres: Sendable {
    public enum Status: Sendable, Equatable {
        case running(pid: Int)
        case stopped
        case notInitialized
    }

    public let folder: String
    public let databaseName: String
    /// The socket "port" (the socket file is `.s.PGSQL.<port>`).
    public let port: Int
    public static let superuser = "sqlt"

    /// The embedded server of a project folder.
    public init(projectDir: String, databaseName: String = "sqlt", port: Int = 5432) {
        self.init(folder: projectDir + "/.sqlt/postgres", databaseName: databaseName, port: port)
    }

    /// An embedded server in any folder (the test harness uses a temporary one).
    public init(folder: String, databaseName: String = "sqlt", port: Int = 5432) {
        self.folder = URL(fileURLWithPath: folder).standardizedFileURL.path
        self.databaseName = databaseName
        self.port = port
    }

    var dataDir: String { folder + "/data" }
    var logFile: String { folder + "/server.log" }
    var lockFile: String { folder + ".lock" }

    /// The folder of the unix socket: inside the server folder, or a short one under /tmp when
    /// that path would exceed the 107-byte limit of socket paths.
    public var socketDir: String {
        let inside = folder + "/run"
        if (inside + "/.s.PGSQL.\(port)").utf8.count < 100 { return inside }
        return "/tmp/sqlt-" + StableHashShort.of(folder)
    }

    /// Connection settings for the running server (whether or not it is running).
    public var settings: ConnectionSettings {
        ConnectionSettings(
            host: socketDir, port: port, user: Self.superuser, dbname: databaseName, schema: "public",
            origin: "embedded PostgreSQL at \(folder)")
    }

    /// Settings for a project's embedded server, without starting it.
    public static func defaultSettings(projectDir: String) -> ConnectionSettings {
        EmbeddedPostgres(projectDir: projectDir).settings
    }

    public var url: String { settings.url() }

    /// Starts the server if needed (initialising it the first time) and returns its settings.
    @discardableResult
    public func start() throws -> ConnectionSettings {
        try withLock {
            let binaries = try PostgresBinaries.locate()
            try prepareFolders()
            if !FileManager.default.fileExists(atPath: dataDir + "/PG_VERSION") {
                try initialize(binaries)
            }
            if case .running = try status(binaries) {
                try ensureDatabase()
                return settings
            }
            let options = "-c listen_addresses='' -c unix_socket_directories='\(socketDir)' -p \(port) -c synchronous_commit=off -c max_connections=100"
            let result = try run(binaries.pgCtl, ["-D", dataDir, "-l", logFile, "-o", options, "-w", "-t", "60", "start"])
            guard result.status == 0 else {
                throw EmbeddedPostgresError("the embedded PostgreSQL did not start: \(result.output)\n\(logTail())")
            }
            try ensureDatabase()
            return settings
        }
    }

    /// Stops the server (fast shutdown); stopping a stopped server is fine.
    public func stop() throws {
        try withLock {
            guard FileManager.default.fileExists(atPath: dataDir + "/PG_VERSION") else { return }
            let binaries = try PostgresBinaries.locate()
            guard case .running = try status(binaries) else { return }
            let result = try run(binaries.pgCtl, ["-D", dataDir, "-m", "fast", "-w", "-t", "60", "stop"])
            guard result.status == 0 else { throw EmbeddedPostgresError("the embedded PostgreSQL did not stop: \(result.output)") }
        }
    }

    /// Whether the server is running, stopped, or was never initialised.
    public func status() throws -> Status {
        guard FileManager.default.fileExists(atPath: dataDir + "/PG_VERSION") else { return .notInitialized }
        return try status(try PostgresBinaries.locate())
    }

    private func status(_ binaries: PostgresBinaries) throws -> Status {
        let result = try run(binaries.pgCtl, ["-D", dataDir, "status"])
        if result.status == 0 {
            let pid = result.output.split(separator: "PID: ").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
            return .running(pid: pid)
        }
        return .stopped
    }

    // MARK: - Steps

    private var runsAsRoot: Bool { getuid() == 0 }

    private func prepareFolders() throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: socketDir, withIntermediateDirectories: true)
        if runsAsRoot {
            for path in [folder, socketDir] {
                _ = try run("/bin/chown", ["-R", "postgres:postgres", path], asServerUser: false)
                _ = try run("/bin/chmod", ["700", path], asServerUser: false)
            }
            // The server user must be able to reach the folder.
            let probe = try run("/usr/bin/test", ["-w", folder])
            guard probe.status == 0 else {
                throw EmbeddedPostgresError(
                    "the postgres system user cannot reach \(folder) (a parent folder is not traversable); move the project, or pass --database-url")
            }
        }
    }

    private func initialize(_ binaries: PostgresBinaries) throws {
        let result = try run(
            binaries.initdb,
            ["-D", dataDir, "--auth=trust", "--username=\(Self.superuser)", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
        guard result.status == 0 else {
            throw EmbeddedPostgresError("initdb failed for the embedded PostgreSQL:\n\(result.output)")
        }
    }

    private func ensureDatabase() throws {
        var admin = settings
        admin.dbname = "postgres"
        let connection = try PostgresConnection(settings: admin)
        let exists = try connection.execute("select 1 from pg_database where datname = $1", [databaseName]).rows.count == 1
        if !exists {
            // Another process may create it at the same moment: check again rather than fail.
            _ = try? connection.executeScript("create database \(quoteIdentifier(databaseName))")
            let created = try connection.execute("select 1 from pg_database where datname = $1", [databaseName]).rows.count == 1
            guard created else { throw EmbeddedPostgresError("cannot create the database '\(databaseName)' in the embedded PostgreSQL") }
        }
    }

    private func logTail() -> String {
        guard let data = FileManager.default.contents(atPath: logFile) else { return "" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(15)
        return "server log (\(logFile)):\n" + lines.joined(separator: "\n")
    }

    /// Runs `body` holding an exclusive lock on the folder's lock file.
    private func withLock<T>(_ body: () throws -> T) throws -> T {
        let fd = try lock()
        let result = Result { try body() }
        flock(fd, LOCK_UN)
        close(fd)
        return try result.get()
    }

    private func lock() throws -> Int32 {
        try FileManager.default.createDirectory(atPath: (lockFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let fd = open(lockFile, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { throw EmbeddedPostgresError("cannot open lock file \(lockFile)") }
        guard flock(fd, LOCK_EX) == 0 else {
            close(fd)
            throw EmbeddedPostgresError("cannot lock \(lockFile)")
        }
        return fd
    }

    /// Runs a program (as the `postgres` system user when sqlt runs as root) and captures its output.
    private func run(_ program: String, _ arguments: [String], asServerUser: Bool = true) throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C.UTF-8"
        if runsAsRoot && asServerUser {
            return try Subprocess.run("/usr/sbin/runuser", ["-u", "postgres", "--", program] + arguments, environment: environment)
        }
        return try Subprocess.run(program, arguments, environment: environment)
    }
}

/// A short stable hex digest of a path, for socket folder names.
enum StableHashShort {
    static func of(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return String(String(hash, radix: 16).prefix(12))
    }
}
