import ArgumentParser
import Foundation

/// `sqlt`'s entry point: global flags accepted before the subcommand, dbt's first and last
/// events (`MainReportVersion`, `CommandCompleted`) around the command, then the exit code.
enum SqltMain {
    static func main() async {
        let arguments = GlobalFlagOrder.normalized(Array(CommandLine.arguments.dropFirst()))
        var command: ParsableCommand
        do {
            command = try Sqlt.parseAsRoot(arguments)
        } catch {
            Sqlt.exit(withError: error)
        }
        let name = type(of: command).configuration.commandName ?? "sqlt"
        Console.begin()
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Console.completed(command: name, success: true)
            Sqlt.exit()
        } catch {
            let success = (error as? ExitCode).map { $0.rawValue == 0 } ?? false
            Console.completed(command: name, success: success)
            Sqlt.exit(withError: error)
        }
    }
}
