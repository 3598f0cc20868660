import Foundation

/// Finds PostgreSQL's server programs (`initdb`, `pg_ctl`): on PATH, else the newest
/// `/usr/lib/postgresql/<version>/bin` (Debian's layout).
public struct PostgresBinaries: Sendable {
    public let initdb: String
    public let pgCtl: String

    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresBinaries {
        let fm = FileManager.default
        var folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let versions = try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            let sorted = versions.compactMap { v -> (Int, String)? in Int(v).map { ($0, v) } }.sorted { $0.0 > $1.0 }
            folders += sorted.map { "/usr/lib/postgresql/\($0.1)/bin" }
        }
        for folder in folders {
            let initdb = folder + "/initdb", pgCtl = folder + "/pg_ctl"
            if fm.isExecutableFile(atPath: initdb), fm.isExecutableFile(atPath: pgCtl) {
                return PostgresBinaries(initdb: initdb, pgCtl: pgCtl)
            }
        }
        throw EmbeddedPostgresError(
            """
            the PostgreSQL server programs (initdb, pg_ctl) are not installed, so sqlt cannot start its embedded database
            install them with: apt-get install -y postgresql   (Debian/Ubuntu)
            or point sqlt at an existing server with --database-url postgresql://user@host/db or a profiles.yml
            """)
    }
}

/// An error of the embedded server, with what to do about it.
public struct EmbeddedPostgresError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
