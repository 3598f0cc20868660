import Foundation

/// Reads a project folder into a compiled project: discovers files, parses every template and
/// property file (in parallel), builds nodes with their configuration and edges, then renders.
/// All diagnostics of one compile are collected before failing.
public struct ProjectLoader {
    let fs: any ProjectFileSystem
    let options: CompileOptions
    var diagnostics: [Diagnostic] = []

    public init(fs: any ProjectFileSystem, options: CompileOptions) {
        self.fs = fs
        self.options = options
    }

    /// Parses and compiles the whole project.
    public static func compile(
        fs: any ProjectFileSystem, options: CompileOptions
    ) throws(DiagnosticsError) -> CompiledProject {
        var loader = ProjectLoader(fs: fs, options: options)
        return try loader.run()
    }

    mutating func run() throws(DiagnosticsError) -> CompiledProject {
        var timings = PhaseTimings()
        let project = try ProjectConfig.load(from: fs)
        diagnostics += project.warnings
        let installed = InstalledPackages.discover(in: fs, project: project)
        diagnostics += installed.diagnostics

        // 1. Discover and read files.
        // Installed packages' macros (and tests/generic) and docs blocks, each file with its package.
        var packageOf: [String: String] = [:]
        var packageMacroFiles: [String] = [], packageDocFiles: [String] = []
        var packageModelFiles: [String] = [], packageSeedFiles: [String] = [], packageTestFiles: [String] = []
        var packageAnalysisFiles: [String] = [], packagePropertyFiles: [String] = []
        for package in installed.packages {
            let rooted = package.rootedConfig
            packageModelFiles += files(rooted.modelPaths, ["sql"])
            packageSeedFiles += files(rooted.seedPaths, ["csv"])
            packageTestFiles += files(rooted.testPaths, ["sql"]).filter {
                ProjectLoader.isSingularTest($0, testPaths: rooted.testPaths)
            }
            packageAnalysisFiles += files(rooted.analysisPaths, ["sql"])
            packagePropertyFiles += files(
                rooted.modelPaths + rooted.seedPaths + rooted.macroPaths + rooted.testPaths + rooted.analysisPaths,
                ["yml", "yaml"])
            for path in files(package.macroPaths, ["sql"]) where packageOf[path] == nil {
                packageOf[path] = package.name
                packageMacroFiles.append(path)
            }
            for path in files(package.docsPaths, ["md"]) where packageOf[path] == nil {
                packageOf[path] = package.name
                packageDocFiles.append(path)
            }
        }
        let modelFiles = files(project.modelPaths, ["sql"])
        let macroFiles = files(project.macroPaths, ["sql"]) + files(project.testPaths.map { $0 + "/generic" }, ["sql"])
        let testFiles = files(project.testPaths, ["sql"]).filter {
            ProjectLoader.isSingularTest($0, testPaths: project.testPaths)
        }
        let seedFiles = files(project.seedPaths, ["csv", "xlsx"]).filter {
            !($0.split(separator: "/").last ?? "").hasPrefix("~$")
        }
        let docFiles = files(project.docsPaths ?? project.modelPaths, ["md"])
        let propertyFiles =
            files(
                project.modelPaths + project.seedPaths + project.macroPaths + project.testPaths + project.analysisPaths
                    + project.snapshotPaths, ["yml", "yaml"])
            + packagePropertyFiles
        let analysisFiles = files(project.analysisPaths, ["sql"])
        let snapshotFiles = files(project.snapshotPaths, ["sql"])

        timings.mark("discover")
        // 2. Parse templates and property files on every core, in one pass so neither kind waits
        //    for the other; property files (fewer, larger) first, so the cores finish together.
        let fs = self.fs
        let templateFiles =
            modelFiles + macroFiles + testFiles + docFiles + analysisFiles + snapshotFiles + packageMacroFiles
            + packageDocFiles + packageModelFiles + packageTestFiles + packageAnalysisFiles
        enum Parsed: Sendable {
            case template(ParsedTemplate)
            case properties(PropertyFile)
        }
        let jobs =
            propertyFiles.map { (path: $0, isProperties: true) } + templateFiles.map { (path: $0, isProperties: false) }
        let results: [Parsed] = parallelMap(jobs) { job in
            job.isProperties
                ? .properties(Self.parseProperties(job.path, fs)) : .template(Self.parseTemplate(job.path, fs))
        }
        var parsed: [ParsedTemplate] = []
        var properties: [PropertyFile] = []
        parsed.reserveCapacity(templateFiles.count)
        properties.reserveCapacity(propertyFiles.count)
        for result in results {
            switch result {
            case .template(let file): parsed.append(file)
            case .properties(let file): properties.append(file)
            }
        }
        timings.mark("parse")
        var byPath: [String: ParsedTemplate] = [:]
        for file in parsed {
            byPath[file.path] = file
            diagnostics += file.diagnostics
        }
        for index in properties.indices { properties[index].loadFixtures(from: fs, testPaths: project.testPaths) }
        for file in properties { diagnostics += file.errors + file.warnings }

        // 3. Macros and docs.
        var macros = MacroLibrary()
        macros.rootPackage = project.name
        macros.dispatchSearchOrder = project.dispatchSearchOrder
        macros.add(try ProjectLoader.builtinTests.get())
        var macroDefinitions: [String: MacroDefinition] = [:]
        for path in macroFiles + docFiles + modelFiles + testFiles {
            guard let template = byPath[path]?.template else { continue }
            if macroFiles.contains(path) || !template.macros.isEmpty { macros.add(template) }
            for block in template.macros {
                let name = block.isTest ? "test_\(block.name)" : block.name
                let id = "macro.\(project.name).\(name)"
                macroDefinitions[id] = MacroDefinition(
                    uniqueId: id, name: name, packageName: project.name, originalFilePath: path,
                    macroSql: block.sourceText, arguments: block.parameters)
            }
        }
        // The root project's macros also answer to its name (`{{ my_project.my_macro() }}`).
        for path in macroFiles {
            if let template = byPath[path]?.template { macros.add(template, namespace: project.name) }
        }
        for path in packageMacroFiles {
            guard let template = byPath[path]?.template, let package = packageOf[path] else { continue }
            macros.add(template, package: package)
            for block in template.macros {
                let name = block.isTest ? "test_\(block.name)" : block.name
                let id = "macro.\(package).\(name)"
                macroDefinitions[id] = MacroDefinition(
                    uniqueId: id, name: name, packageName: package, originalFilePath: path,
                    macroSql: block.sourceText, arguments: block.parameters)
            }
        }
        var docs: [String: DocDefinition] = [:]
        for path in packageDocFiles + docFiles {
            let package = packageOf[path] ?? project.name
            for block in byPath[path]?.template?.docBlocks ?? [] {
                let id = "doc.\(package).\(block.name)"
                docs[id] = DocDefinition(
                    uniqueId: id, name: block.name, packageName: package, originalFilePath: path,
                    blockContents: block.contents)
            }
        }

        timings.mark("macros")
        var builder = NodeBuilder(
            project: project, options: options, macros: macros, docs: docs, properties: properties)
        builder.factory.projectMacroNames = Set(
            macroDefinitions.values.filter { $0.packageName == project.name }.map(\.name))
        builder.factory.packages = installed.packages
        func templated(_ type: ResourceType, _ paths: [String]) -> [TemplatedFile] {
            paths.compactMap { path in
                guard let file = byPath[path], let template = file.template else { return nil }
                return TemplatedFile(type: type, path: path, text: file.text, template: template, calls: file.calls)
            }
        }
        builder.addTemplated(
            templated(.model, modelFiles) + templated(.analysis, analysisFiles)
                + templated(.model, packageModelFiles) + templated(.analysis, packageAnalysisFiles))
        for path in seedFiles + packageSeedFiles { builder.addSeed(path: path, checksum: checksum(path)) }
        builder.addSnapshots(templated(.snapshot, snapshotFiles))
        builder.addTemplated(templated(.test, testFiles + packageTestFiles))
        timings.mark("nodes")
        builder.applyVersions()
        builder.applyProperties()
        builder.checkRelationNames()
        builder.checkMaterializations()
        builder.addSources()
        timings.mark("properties")
        builder.addGenericTests()
        builder.addUnitTests()
        timings.mark("tests")
        builder.resolveEdges()
        diagnostics += builder.diagnostics
        timings.mark("edges")

        if diagnostics.contains(where: { $0.severity == .error }) || (options.warnError && !diagnostics.isEmpty) {
            throw DiagnosticsError(failing(diagnostics))
        }

        var manifest = Manifest(
            metadata: ManifestMetadata(
                sqltVersion: SqltVersion.current, generatedAt: ISO8601DateFormatter().string(from: Date()),
                invocationId: options.invocationId, projectName: project.name),
            nodes: builder.nodes, sources: builder.sources, macros: macroDefinitions, docs: docs,
            disabled: builder.disabled)
        builder.nodes = [:]  // the manifest owns them alone, so compileAll writes compiled_code in place
        let graph: DependencyGraph
        do { graph = try DependencyGraph(manifest: manifest, edgeLocation: { builder.edgeLocation($0) }) } catch {
            throw DiagnosticsError(failing(diagnostics + error.diagnostics))
        }
        manifest.parentMap = graph.parentMap
        manifest.childMap = graph.childMap
        manifest.sortedGraphIds = graph.nodeIDs
        timings.mark("graph")

        var compiled = CompiledProject(
            config: project, manifest: manifest, graph: graph, templates: builder.templates, macros: macros,
            options: options, unitTests: builder.unitTests, warnings: diagnostics.filter { $0.severity != .error })
        manifest.nodes = [:]
        let projects = Set(installed.packages.map(\.name) + [project.name])
        for package in installed.packages {
            compiled.packageVars[package.name] = ContextGlobals.scopedVars(
                package: package, root: project.vars, projects: projects, overrides: options.vars)
        }
        let renderErrors = compiled.compileAll()
        compiled.applyTestMacroConfigs()
        if !renderErrors.isEmpty { throw DiagnosticsError(failing(diagnostics + renderErrors)) }
        timings.mark("render")
        compiled.timings = timings
        return compiled
    }

    /// A `.sql` file under a test path that is a singular test: not a generic test (`generic/`)
    /// and not a unit test fixture (`<test path>/fixtures/`), as dbt reads them.
    static func isSingularTest(_ path: String, testPaths: [String]) -> Bool {
        if path.contains("/generic/") { return false }
        return !testPaths.contains { path.hasPrefix("\($0)/fixtures/") }
    }

    /// Errors first; with --warn-error, warnings count as errors. Each diagnostic once.
    func failing(_ found: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<Diagnostic> = []
        let all = found.filter { seen.insert($0).inserted }
        guard options.warnError else { return all }
        return all.map { d in
            var copy = d
            if copy.severity == .warning { copy.severity = .error }
            return copy
        }
    }

    /// A template file, parsed, with its `ref`/`source`/`config` calls read here, on every core.
    static func parseTemplate(_ path: String, _ fs: any ProjectFileSystem) -> ParsedTemplate {
        let text: String
        do { text = try fs.read(path) } catch {
            return ParsedTemplate(path: path, text: "", template: nil, diagnostics: [Self.readError(error, path)])
        }
        do throws(DiagnosticsError) {
            let template = try Template.parse(text, file: path)
            return ParsedTemplate(
                path: path, text: text, template: template, diagnostics: SecretEnvVars.refusals(in: template),
                calls: template.staticCalls(named: NodeFactory.nodeCalls))
        } catch {
            return ParsedTemplate(path: path, text: text, template: nil, diagnostics: error.diagnostics)
        }
    }

    /// A read failure as a diagnostic: the file system's own (not UTF-8...) or "cannot read".
    static func readError(_ error: any Error, _ path: String) -> Diagnostic {
        (error as? Diagnostic) ?? .error("file.unreadable", "cannot read '\(path)'")
    }

    static func parseProperties(_ path: String, _ fs: any ProjectFileSystem) -> PropertyFile {
        let text: String
        do { text = try fs.read(path) } catch {
            var file = PropertyFile(file: path)
            file.errors = [readError(error, path)]
            return file
        }
        return PropertyFile.parse(text, file: path)
    }

    func files(_ folders: [String], _ extensions: Set<String>) -> [String] {
        var seen = Set<String>()
        return folders.flatMap { fs.files(under: $0, extensions: extensions) }.filter { seen.insert($0).inserted }
    }

    func checksum(_ path: String) -> String {
        (try? fs.read(path)).map(StableHash.hex) ?? ""
    }
}

extension ProjectLoader {
    /// The built-in generic tests, parsed once per process.
    static let builtinTests: Result<Template, DiagnosticsError> = Result { () throws(DiagnosticsError) in
        try Template.parse(BuiltinGenericTests.source, file: "<sqlt built-in tests>")
    }
}

struct ParsedTemplate: Sendable {
    var path: String
    var text: String
    var template: Template?
    var diagnostics: [Diagnostic]
    /// `ref`, `source` and `config` calls of the template.
    var calls: [StaticCall]? = nil
}

/// How long each phase of a compile took, for `sqlt parse` to print.
public struct PhaseTimings: Sendable {
    public private(set) var phases: [(name: String, seconds: Double)] = []
    private var last = ContinuousClock.now

    mutating func mark(_ name: String) {
        let now = ContinuousClock.now
        let elapsed = now - last
        phases.append((name, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
        last = now
    }

    /// `discover 0.01s, parse 0.20s, ...`.
    public var summary: String {
        phases.map { "\($0.name) \(String(format: "%.3f", $0.seconds))s" }.joined(separator: ", ")
    }
}
