import ArgumentParser
import ModelCompiler
import ModelRunner

/// The `sqlt` command: one subcommand per type, each in its own file (started by `main.swift`).
struct Sqlt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sqlt",
        abstract: "Declarative SQL transformations for PostgreSQL, in the family of dbt.",
        version: SqltVersion.current,
        subcommands: [
            RunCommand.self, SeedCommand.self, SnapshotCommand.self, TestCommand.self, BuildCommand.self,
            RetryCommand.self,
            ParseCommand.self, CompileCommand.self, ListCommand.self, DocsCommand.self, LineageCommand.self,
            PrivacyCommand.self, RgpdCommand.self, DebugCommand.self, DbCommand.self, DepsCommand.self,
            ShowCommand.self, SourceCommand.self, RunOperationCommand.self, CleanCommand.self, InitCommand.self,
            NotifyCommand.self,
        ]
    )

    static func main() async { await SqltMain.main() }
}

// The commands whose errors `SqltMain` reports against their project folder (`init` has none yet).
extension RunCommand: ProjectCommand {}
extension SeedCommand: ProjectCommand {}
extension SnapshotCommand: ProjectCommand {}
extension TestCommand: ProjectCommand {}
extension BuildCommand: ProjectCommand {}
extension RetryCommand: ProjectCommand {}
extension ParseCommand: ProjectCommand {}
extension CompileCommand: ProjectCommand {}
extension ListCommand: ProjectCommand {}
extension DocsGenerateCommand: ProjectCommand {}
extension DocsServeCommand: ProjectCommand {}
extension LineageCommand: ProjectCommand {}
extension PrivacyCheckCommand: ProjectCommand {}
extension PrivacyReportCommand: ProjectCommand {}
extension RgpdCommand.Export: ProjectCommand {}
extension RgpdCommand.Forget: ProjectCommand {}
extension RgpdCommand.Reapply: ProjectCommand {}
extension RgpdCommand.Retention: ProjectCommand {}
extension DebugCommand: ProjectCommand {}
extension DbCommand.Start: ProjectCommand {}
extension DbCommand.Stop: ProjectCommand {}
extension DbCommand.Status: ProjectCommand {}
extension DbCommand.URLCommand: ProjectCommand {}
extension DepsCommand: ProjectCommand {}
extension ShowCommand: ProjectCommand {}
extension SourceFreshnessCommand: ProjectCommand {}
extension RunOperationCommand: ProjectCommand {}
extension CleanCommand: ProjectCommand {}
extension NotifySlackCommand: ProjectCommand {}
