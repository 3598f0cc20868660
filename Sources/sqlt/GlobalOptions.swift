import ArgumentParser
import Foundation
import ModelRunner

/// Options every command that touches a project accepts: sqlt's own and dbt's global flags with
/// dbt's meaning (accepted before or after the subcommand, see `GlobalFlagOrder`), each falling
/// back to dbt's environment variable (`DBT_PROJECT_DIR`, `DBT_TARGET`, ...) when not given.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("project-dir"),
        help: "The project folder (default: DBT_PROJECT_DIR, else the current folder).")
    var projectDir: String?

    @Option(
        name: .customLong("profiles-dir"),
        help: "Folder holding profiles.yml (also SQLT_PROFILES_DIR, DBT_PROFILES_DIR).")
    var profilesDir: String?

    @Option(
        name: [.customShort("t"), .customLong("target")],
        help: "The profile target to use (default: DBT_TARGET, else the profile's target).")
    var target: String?

    @Option(
        name: .customLong("profile"),
        help: "The profile to use instead of the project file's 'profile:' (also DBT_PROFILE).")
    var profile: String?

    @Option(name: .customLong("vars"), help: "Project variables as YAML or JSON text.")
    var vars: String?

    @Option(name: .customLong("threads"), help: "How many models to build at once.")
    var threads: Int?

    @Option(name: .customLong("database-url"), help: "A postgresql:// URL; overrides every profile.")
    var databaseURL: String?

    @Option(
        name: .customLong("target-path"),
        help: "Folder for artifacts instead of the project's target-path (also DBT_TARGET_PATH).")
    var targetPath: String?

    @Option(
        name: .customLong("log-path"),
        help: "Folder of the log file sqlt.log (default: logs/ in the project; also DBT_LOG_PATH).")
    var logPath: String?

    @Option(
        name: .customLong("log-format"),
        help: "Console log format: text (default), json (one dbt event per line) or debug.")
    var logFormat: String?

    @Option(
        name: .customLong("log-level"),
        help: "Lowest level shown on the console: debug, info (default), warn, error or none.")
    var logLevel: String?

    @Flag(
        name: [.customShort("q"), .customLong("quiet")],
        help: "Show only errors on the console (and `sqlt show` results).")
    var quiet = false

    @Flag(name: [.customShort("d"), .customLong("debug")], help: "Show debug events on the console.")
    var debug = false

    @Flag(
        name: .customLong("use-colors"), inversion: .prefixedNo,
        help: "Colour the console output (default: when it is a terminal and NO_COLOR is unset).")
    var useColors: Bool?

    @Flag(
        name: .customLong("partial-parse"), inversion: .prefixedNo,
        help: "Accepted for dbt's scripts: sqlt always parses the whole project.")
    var partialParse = true

    @Flag(
        name: .customLong("version-check"), inversion: .prefixedNo,
        help: "Accepted for dbt's scripts: sqlt checks no require-dbt-version.")
    var versionCheck = true

    @Flag(
        name: .customLong("print"), inversion: .prefixedNo,
        help: "Accepted for dbt's scripts (sqlt's templates have no print()).")
    var print = true

    /// The environment the fallbacks read.
    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func env(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The absolute project folder.
    var projectURL: URL {
        let path = projectDir ?? env("DBT_PROJECT_DIR") ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    /// `--target`, else `DBT_TARGET`.
    var targetName: String? { target ?? env("DBT_TARGET") }

    /// `--profile`, else `DBT_PROFILE`.
    var profileName: String? { profile ?? env("DBT_PROFILE") }

    /// `--target-path`, else `DBT_TARGET_PATH` (relative to the project folder).
    var targetPathOverride: String? { targetPath ?? env("DBT_TARGET_PATH") }

    /// The console settings of `--log-format`, `--log-level`, `--quiet`, `--debug` and their
    /// `DBT_*` variables.
    func logSettings() throws -> (format: LogOutput.Format, level: LogEvent.Level) {
        let formatName = logFormat ?? env("DBT_LOG_FORMAT") ?? "text"
        let format: LogOutput.Format
        if formatName == "default" {
            format = .text
        } else {
            guard let parsed = LogOutput.Format(rawValue: formatName) else {
                throw ValidationError("--log-format must be text, json or debug, not '\(formatName)'")
            }
            format = parsed
        }
        let levelName = logLevel ?? env("DBT_LOG_LEVEL") ?? "info"
        guard var level = LogEvent.Level(rawValue: levelName == "warning" ? "warn" : levelName) else {
            throw ValidationError("--log-level must be debug, info, warn, error or none, not '\(levelName)'")
        }
        if debug || ["1", "true"].contains(env("DBT_DEBUG")?.lowercased() ?? "") { level = .debug }
        if quiet || ["1", "true"].contains(env("DBT_QUIET")?.lowercased() ?? "") { level = .error }
        return (format, level)
    }

    /// Whether to colour: `--use-colors`/`--no-use-colors`, else `DBT_USE_COLORS`, else a terminal.
    var colors: Bool {
        if let useColors { return useColors }
        if let value = env("DBT_USE_COLORS")?.lowercased() { return ["1", "true"].contains(value) }
        return isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil
    }

    /// The log file: `<log-path>/sqlt.log`, by default `logs/sqlt.log` in the project.
    var logFileURL: URL {
        let folder = logPath ?? env("DBT_LOG_PATH")
        let base = projectURL
        return
            (folder.map { URL(fileURLWithPath: $0, relativeTo: base).standardizedFileURL }
            ?? base.appendingPathComponent("logs"))
            .appendingPathComponent("sqlt.log")
    }

    /// Checks the log flags and sets up the console and log file from them.
    mutating func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
        try Console.configure(self)
    }
}

extension GlobalOptions {
    /// The connection options of these flags. A relative `--profiles-dir` is taken from the current
    /// folder, as dbt takes it, for every command alike.
    func connectionOptions(profileName: String?) -> ConnectionOptions {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        return ConnectionOptions(
            databaseURL: databaseURL,
            profilesDir: profilesDir.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path },
            target: targetName, profileName: self.profileName ?? profileName, projectDir: projectURL.path)
    }
}
