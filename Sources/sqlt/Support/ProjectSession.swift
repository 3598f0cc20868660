import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// One invocation's view of a project: its folder, project file, vars, connection and target.
struct ProjectSession {
    let global: GlobalOptions
    let root: URL
    let fs: DiskFileSystem
    let project: ProjectConfig
    let vars: [String: JSONValue]
    let invocationId = UUID().uuidString.lowercased()
    let startedAt = Date()

    /// The project of `--project-dir`; a bad project file or `--vars` is a diagnostic (exit 2).
    static func open(_ global: GlobalOptions) throws -> ProjectSession {
        let root = global.projectURL
        let fs = DiskFileSystem(root: root)
        let project = try ProjectConfig.load(from: fs)
        var vars: [String: JSONValue] = [:]
        if let text = global.vars, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let node = try YAMLNode.parse(text, file: "--vars")
            guard let object = node.json.objectValue else {
                throw Diagnostic.error("vars.invalid", "--vars must be a YAML or JSON mapping, such as '{year: 2025}'")
            }
            vars = object
        }
        return ProjectSession(global: global, root: root, fs: fs, project: project, vars: vars)
    }

    /// `--target-path` (or `DBT_TARGET_PATH`), else the project's `target-path`.
    var targetDir: URL {
        guard let override = global.targetPathOverride else { return root.appendingPathComponent(project.targetPath) }
        return URL(fileURLWithPath: override, relativeTo: root).standardizedFileURL
    }

    /// Where the connection comes from, without connecting or starting anything. The password
    /// becomes a secret (`SecretEnvVars.register`): masked in everything written after this.
    func resolveConnection() throws -> ConnectionResolution {
        let resolved = try ConnectionResolver.live.resolve(global.connectionOptions(profileName: project.profile))
        if case .settings(let settings) = resolved.connection { SecretEnvVars.register(settings.password) }
        return resolved
    }

    /// The target as templates see it.
    func targetInfo(_ resolved: ConnectionResolution) -> TargetInfo {
        let settings: ConnectionSettings
        switch resolved.connection {
        case .settings(let configured): settings = configured
        case .embedded:
            let server = EmbeddedPostgres(projectDir: root.path)
            settings = ConnectionSettings(
                host: server.folder, user: server.user, dbname: server.database, threads: 4, origin: "embedded")
        }
        return TargetInfo(
            name: resolved.targetName ?? "dev",
            profileName: resolved.profileName ?? global.profileName ?? project.profile ?? project.name,
            schema: settings.schema, type: "postgres", threads: global.threads ?? settings.threads,
            dbname: settings.dbname ?? "postgres", user: settings.user ?? "postgres",
            host: settings.host ?? "localhost", port: settings.port ?? 5432)
    }

    /// Settings to connect with, starting the embedded server when nothing else is configured.
    func connect(_ resolved: ConnectionResolution) throws -> ConnectionSettings {
        switch resolved.connection {
        case .settings(let settings): return settings
        case .embedded:
            var settings = try EmbeddedPostgres(projectDir: root.path).start()
            settings.threads = max(settings.threads, 4)
            return settings
        }
    }

    /// Parses and compiles the project; prints warnings; throws all errors together.
    func compile(target: TargetInfo, warnError: Bool, checkSQL: Bool = true) throws -> CompiledProject {
        var options = CompileOptions(
            target: target, vars: vars, invocationId: invocationId, runStartedAt: startedAt, warnError: warnError,
            checkSQL: checkSQL)
        options.command = SqltMain.invocation.which
        options.invocationCommand = SqltMain.invocation.command
        let compiled = try ProjectLoader.compile(fs: fs, options: options)
        ProcessLifetime.keep(compiled)
        if !compiled.warnings.isEmpty { ErrorReporting.printDiagnostics(compiled.warnings, projectRoot: root) }
        return compiled
    }

    /// SQL syntax errors: those of the nodes the command executes fail it (exit 2) before any
    /// database work; the others are printed as warnings (errors with `--warn-error`), since dbt
    /// never rejects a project for the SQL of a node it does not run.
    func checkSyntax(_ compiled: CompiledProject, executing ids: Set<String>, warnError: Bool) throws {
        let (errors, warnings) = compiled.syntaxDiagnostics(executing: ids)
        if warnError, !warnings.isEmpty {
            throw DiagnosticsError(
                errors
                    + warnings.map { warning in
                        var error = warning
                        error.severity = .error
                        return error
                    })
        }
        if !warnings.isEmpty { ErrorReporting.printDiagnostics(warnings, projectRoot: root) }
        if !errors.isEmpty { throw DiagnosticsError(errors) }
    }

    /// For `source_status:` selectors: the load times of `target/sources.json` and of the
    /// `--state` folder's sources.json.
    func sourceFreshness(_ selection: SelectionOptions) throws -> SourceFreshnessStates? {
        guard (selection.select + selection.exclude).contains(where: { $0.contains("source_status:") }) else {
            return nil
        }
        guard let stateFolder = selection.state else {
            throw Diagnostic.error(
                "state.missing", "source_status: compares with an earlier run's sources.json",
                hint: "pass --state with the folder of that sources.json")
        }
        func read(_ url: URL) throws -> [String: String] {
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw Diagnostic.error(
                    "state.no-sources", "source_status: needs \(url.path), which does not exist",
                    hint:
                        "run sqlt source freshness first (and pass --state the folder of an earlier run's sources.json)"
                )
            }
            return SourceFreshness.maxLoadedAt(inArtifact: data)
        }
        let current = try read(ArtifactPaths.sourcesURL(targetPath: targetDir))
        let previous = try read(
            ArtifactPaths.sourcesURL(targetPath: URL(fileURLWithPath: stateFolder, relativeTo: root)))
        return SourceFreshnessStates(current: current, previous: previous)
    }

    /// Resolves `--select`/`--exclude` for the resource types a command handles.
    /// With `warnError`, a selection warning (a criterion matching nothing) is an error.
    func select(
        _ selection: SelectionOptions, in compiled: CompiledProject, types: Set<ResourceType>, warnError: Bool = false
    ) throws -> Set<String> {
        let state = try selection.state.map {
            try ManifestArtifacts.readManifest(in: URL(fileURLWithPath: $0, relativeTo: root))
        }
        let selector = try NodeSelector(select: selection.select, exclude: selection.exclude)
        let freshness = try sourceFreshness(selection)
        let result = try selector.select(
            in: compiled.manifest, graph: compiled.graph, state: state, resourceTypes: types, freshness: freshness)
        if warnError, !result.warnings.isEmpty {
            throw DiagnosticsError(
                result.warnings.map {
                    var d = $0; d.severity = .error; return d
                })
        }
        if !result.warnings.isEmpty { ErrorReporting.printDiagnostics(result.warnings, projectRoot: root) }
        return result.nodes
    }
}
