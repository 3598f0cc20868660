import Foundation
import ModelCompiler

/// Where the connection of an invocation comes from.
public struct ResolvedConnection: Sendable {
    /// nil: nothing is configured, use the project's embedded PostgreSQL.
    public var settings: ConnectionSettings?
    public var profileName: String?
    public var targetName: String?
    /// Human description of the source.
    public var origin: String
}

/// Connection settings, first hit wins: `--database-url`; `SQLT_DATABASE_URL`; `profiles.yml`
/// (searched in `--profiles-dir`, `SQLT_PROFILES_DIR`, the project folder, `~/.sqlt/`, then
/// `~/.dbt/` as a dbt user would expect); libpq's environment (`PGHOST`, `PGPORT`, ...); else the
/// embedded PostgreSQL.
public enum ConnectionResolver {
    static let libpqVariables = ["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE", "PGHOSTADDR", "PGSERVICE"]

    public static func resolve(
        databaseURL: String?, profilesDir: String?, target: String?, profileName: String?, projectDir: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        homeDir: String = NSHomeDirectory(),
        readFile: (String) -> String? = { FileManager.default.contents(atPath: $0).map { String(decoding: $0, as: UTF8.self) } }
    ) throws -> ResolvedConnection {
        if let databaseURL, !databaseURL.isEmpty {
            let settings = try ConnectionURL.parse(databaseURL, origin: "--database-url")
            return ResolvedConnection(settings: settings, profileName: profileName, targetName: target, origin: settings.origin)
        }
        if let url = environment["SQLT_DATABASE_URL"], !url.isEmpty {
            let settings = try ConnectionURL.parse(url, origin: "SQLT_DATABASE_URL")
            return ResolvedConnection(settings: settings, profileName: profileName, targetName: target, origin: settings.origin)
        }
        var folders: [String] = []
        if let profilesDir { folders.append(absolute(profilesDir, relativeTo: FileManager.default.currentDirectoryPath)) }
        if let dir = environment["SQLT_PROFILES_DIR"], !dir.isEmpty { folders.append(dir) }
        folders += [projectDir, homeDir + "/.sqlt", homeDir + "/.dbt"]
        for folder in folders {
            let path = folder + "/profiles.yml"
            guard let text = readFile(path) else { continue }
            guard let profileName else {
                throw ConnectionError("\(path) exists but the project file names no 'profile:'")
            }
            let (settings, targetName) = try ProfilesFile.settings(
                text: text, file: path, profile: profileName, target: target, environment: environment)
            return ResolvedConnection(settings: settings, profileName: profileName, targetName: targetName, origin: settings.origin)
        }
        if let profilesDir {
            throw ConnectionError("no profiles.yml in --profiles-dir \(profilesDir)")
        }
        if libpqVariables.contains(where: { environment[$0] != nil }) {
            var settings = ConnectionSettings(origin: "libpq environment (PGHOST, PGPORT, ...)")
            settings.schema = environment["SQLT_SCHEMA"] ?? "public"
            return ResolvedConnection(settings: settings, profileName: profileName, targetName: target ?? "dev", origin: settings.origin)
        }
        return ResolvedConnection(settings: nil, profileName: profileName, targetName: target ?? "dev", origin: "embedded PostgreSQL")
    }

    static func absolute(_ path: String, relativeTo base: String) -> String {
        path.hasPrefix("/") ? path : base + "/" + path
    }
}
