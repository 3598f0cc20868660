import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt privacy`: personal-data checks and the register of processing, from the column lineage.
struct PrivacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy", abstract: "Check and report where personal data goes.",
        subcommands: [PrivacyCheckCommand.self, PrivacyReportCommand.self])
}

/// `sqlt privacy check`: exit 1 when a model column holds personal data it does not declare, or that its
/// model's `meta.privacy.allow` list does not allow.
struct PrivacyCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Fail when personal data reaches a column that does not declare or allow it.",
        discussion: """
            A model column whose inputs bring personal data of some class (computed from the meta.pii of seed \
            and source columns, through masking functions) must declare meta.pii of that class or a higher one \
            (none < indirect < sensitive < direct). When a model has meta.privacy.allow, every column holding \
            personal data must have its class in the list. Exit 0 when both hold, 1 otherwise.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let session = try ProjectSession.open(global)
        let compiled = try session.compile(
            target: session.targetInfo(try session.resolveConnection()), warnError: false)
        let lineage = LineageArtifacts.build(session, compiled, printWarnings: true)
        try? LineageArtifacts.write(lineage, to: session.targetDir)
        let findings = PrivacyAudit.check(lineage, manifest: compiled.manifest, fileSystem: session.fs)
        let models = lineage.nodes.values.filter { $0.resourceType == "model" }
        let personal = models.flatMap(\.columns).filter { $0.privacyClass > .none }.count
        if findings.isEmpty {
            Console.print(
                "Privacy check passed: \(models.count) models, \(personal) columns holding personal data, all declared and allowed."
            )
            return
        }
        let diagnostics = findings.map { finding in
            Diagnostic.error("privacy.\(finding.rule.rawValue)", finding.message, at: finding.location)
        }
        ErrorReporting.printDiagnostics(diagnostics, projectRoot: session.root)
        Console.error(
            "Privacy check failed: \(findings.count) problem\(findings.count == 1 ? "" : "s") in \(Set(findings.map(\.model)).count) model\(Set(findings.map(\.model)).count == 1 ? "" : "s")."
        )
        throw ExitCode(1)
    }
}

/// `sqlt privacy report`: the register of processing, per model: personal data held, origins, purpose, retention.
struct PrivacyReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print the register of processing (markdown or json).")

    enum Format: String, ExpressibleByArgument { case markdown, json }

    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("format"), help: "markdown (default) or json.") var format: Format = .markdown

    func run() throws {
        let session = try ProjectSession.open(global)
        let compiled = try session.compile(
            target: session.targetInfo(try session.resolveConnection()), warnError: false)
        let lineage = LineageArtifacts.buildAndWrite(session, compiled)
        let register = ProcessingRegister(
            lineage: lineage, manifest: compiled.manifest, project: session.project.name)
        switch format {
        case .json:
            Console.print(String(decoding: try JSONEncoder.artifacts().encode(register), as: UTF8.self))
        case .markdown:
            Console.print(register.markdown)
        }
    }
}
