import Foundation

/// Where `initdb` and `pg_ctl` live: the first folder on PATH holding both, else the highest
/// version under `/usr/lib/postgresql/*/bin`.
public struct PostgresBinaries: Sendable, Equatable {
    /// The folder holding `initdb`, `pg_ctl` and `postgres` (symbolic links resolved).
    public var folder: String

    /// The binaries in `folder`.
    public init(folder: String) {
        self.folder = folder
    }

    /// The `initdb` executable.
    public var initdb: String { folder + "/initdb" }
    /// The `pg_ctl` executable.
    public var pgCtl: String { folder + "/pg_ctl" }

    /// Finds the binaries, or throws a message saying how to install them or use another server.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(EmbeddedPostgresError) -> PostgresBinaries {
        let fileManager = FileManager.default
        var candidates: [String] = []
        for folder in (environment["PATH"] ?? "").split(separator: ":") where !folder.isEmpty {
            let pgCtl = String(folder) + "/pg_ctl"
            if fileManager.isExecutableFile(atPath: pgCtl),
                fileManager.isExecutableFile(atPath: String(folder) + "/initdb")
            {
                let resolved = URL(fileURLWithPath: pgCtl).resolvingSymlinksInPath().deletingLastPathComponent().path
                candidates.append(resolved)
            }
        }
        let versions = ((try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap { name -> (Int, String)? in Int(name).map { ($0, name) } }
            .sorted { $0.0 > $1.0 }
        candidates += versions.map { "/usr/lib/postgresql/\($0.1)/bin" }
        for folder in candidates {
            let binaries = PostgresBinaries(folder: folder)
            if fileManager.isExecutableFile(atPath: binaries.initdb),
                fileManager.isExecutableFile(atPath: binaries.pgCtl)
            {
                return binaries
            }
        }
        throw EmbeddedPostgresError(
            "PostgreSQL server programs (initdb, pg_ctl) were not found on PATH nor in /usr/lib/postgresql/*/bin; "
                + "install them (Debian/Ubuntu: apt-get install -y postgresql) or point sqlt at an existing server "
                + "with --database-url postgresql://user:password@host:5432/dbname")
    }
}

/// A failure of the embedded PostgreSQL server (binaries, initdb, start, stop).
public struct EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    /// Lowercase, no final period; may end with the tail of the server log on its own lines.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
