import Foundation
import ModelCompiler

/// What the command line and project say about the connection.
public struct ConnectionOptions: Sendable, Equatable {
    /// `--database-url`.
    public var databaseURL: String?
    /// `--profiles-dir`.
    public var profilesDir: String?
    /// `--target`.
    public var target: String?
    /// The project file's `profile:` key.
    public var profileName: String?
    /// The absolute project folder.
    public var projectDir: String

    /// Options as the command line gives them; `profilesDir` should be absolute or relative to the project.
    public init(
        databaseURL: String? = nil, profilesDir: String? = nil, target: String? = nil, profileName: String? = nil,
        projectDir: String
    ) {
        self.databaseURL = databaseURL
        self.profilesDir = profilesDir
        self.target = target
        self.profileName = profileName
        self.projectDir = projectDir
    }
}

/// Where the connection comes from: explicit settings, or the project's embedded server.
public enum ResolvedConnection: Sendable, Equatable {
    case settings(ConnectionSettings)
    /// No setting anywhere: use `EmbeddedPostgres(projectDir:)`.
    case embedded
}

/// The outcome of `ConnectionResolver.resolve`.
public struct ConnectionResolution: Sendable, Equatable {
    public var connection: ResolvedConnection
    /// The profile used, when a profiles.yml was.
    public var profileName: String?
    /// The target used, when a profiles.yml was.
    public var targetName: String?
    /// The profiles.yml used, if any.
    public var profilesPath: String?
}

/// Decides the connection, first hit wins:
/// 1. `--database-url`; 2. `SQLT_DATABASE_URL`; 3. `profiles.yml` (when the project names a
/// profile) from `--profiles-dir`, `SQLT_PROFILES_DIR`, the project folder, `~/.sqlt/`, then
/// `~/.dbt/` (last, where a dbt user keeps it); 4. libpq's environment (`PGHOST`, `PGPORT`,
/// `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`, any set); 5. the embedded server.
/// Pure: the environment, home folder and file reading are given.
public struct ConnectionResolver: Sendable {
    public var environment: [String: String]
    public var homeDir: String
    /// Returns a file's text, or nil when it does not exist.
    public var readFile: @Sendable (String) -> String?

    /// A resolver over the given environment, home folder and file reader.
    public init(environment: [String: String], homeDir: String, readFile: @escaping @Sendable (String) -> String?) {
        self.environment = environment
        self.homeDir = homeDir
        self.readFile = readFile
    }

    /// The resolver of this process: its environment, home folder and file system.
    public static var live: ConnectionResolver {
        ConnectionResolver(
            environment: ProcessInfo.processInfo.environment,
            homeDir: FileManager.default.homeDirectoryForCurrentUser.path,
            readFile: { path in try? String(contentsOfFile: path, encoding: .utf8) })
    }

    /// The connection for `options`, by the precedence above.
    public func resolve(_ options: ConnectionOptions) throws(Diagnostic) -> ConnectionResolution {
        if let url = options.databaseURL, !url.isEmpty {
            return ConnectionResolution(
                connection: .settings(try ConnectionSettings(url: url, origin: "--database-url")))
        }
        if let url = environment["SQLT_DATABASE_URL"], !url.isEmpty {
            return ConnectionResolution(
                connection: .settings(try ConnectionSettings(url: url, origin: "SQLT_DATABASE_URL")))
        }
        if let profileName = options.profileName, let (path, text) = try profilesFile(options) {
            let file = try ProfilesFile(text: text, path: path)
            if let target = file.embeddedTarget(profile: profileName, target: options.target) {
                return ConnectionResolution(
                    connection: .embedded, profileName: profileName, targetName: target, profilesPath: path)
            }
            let (settings, target) = try file.settings(
                profile: profileName, target: options.target, environment: environment)
            return ConnectionResolution(
                connection: .settings(settings), profileName: profileName, targetName: target, profilesPath: path)
        }
        let libpqNames = ["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE"]
        let present = libpqNames.filter { !(environment[$0] ?? "").isEmpty }
        if !present.isEmpty {
            var port: Int?
            if let text = environment["PGPORT"], !text.isEmpty {
                guard let value = Int(text) else {
                    throw Diagnostic.error("connection.environment", "PGPORT must be a whole number, not '\(text)'")
                }
                port = value
            }
            let settings = ConnectionSettings(
                host: environment["PGHOST"].flatMap { $0.isEmpty ? nil : $0 }, port: port,
                user: environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 },
                password: environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 },
                dbname: environment["PGDATABASE"].flatMap { $0.isEmpty ? nil : $0 },
                sslmode: environment["PGSSLMODE"].flatMap { $0.isEmpty ? nil : $0 },
                origin: "libpq environment (\(present.joined(separator: ", ")))")
            return ConnectionResolution(connection: .settings(settings))
        }
        return ConnectionResolution(connection: .embedded, profileName: options.profileName)
    }

    /// The folders searched for profiles.yml, in order, each with why it is searched.
    public func profilesFolders(_ options: ConnectionOptions) -> [(folder: String, explicit: Bool)] {
        var folders: [(String, Bool)] = []
        if let dir = options.profilesDir, !dir.isEmpty { folders.append((absolute(dir, options.projectDir), true)) }
        if let dir = environment["SQLT_PROFILES_DIR"], !dir.isEmpty {
            folders.append((absolute(dir, options.projectDir), true))
        } else if let dir = environment["DBT_PROFILES_DIR"], !dir.isEmpty {
            folders.append((absolute(dir, options.projectDir), true))
        }
        folders.append((options.projectDir, false))
        folders.append((homeDir + "/.sqlt", false))
        folders.append((homeDir + "/.dbt", false))
        return folders
    }

    /// The first profiles.yml found; an explicit folder without one is an error.
    private func profilesFile(_ options: ConnectionOptions) throws(Diagnostic) -> (String, String)? {
        for (folder, explicit) in profilesFolders(options) {
            let path = folder + "/profiles.yml"
            if let text = readFile(path) { return (path, text) }
            if explicit {
                throw Diagnostic.error("profiles.missing", "no profiles.yml in \(folder)")
            }
        }
        return nil
    }

    private func absolute(_ path: String, _ base: String) -> String {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") { expanded = homeDir + expanded.dropFirst() }
        if expanded.hasPrefix("/") { return expanded }
        return URL(fileURLWithPath: expanded, relativeTo: URL(fileURLWithPath: base, isDirectory: true))
            .standardizedFileURL.path
    }
}
