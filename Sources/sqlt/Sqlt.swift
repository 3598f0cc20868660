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
