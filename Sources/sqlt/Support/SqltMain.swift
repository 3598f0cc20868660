import ArgumentParser
import Foundation

/// `sqlt`'s entry point (run by `main.swift`): global flags accepted before the subcommand, dbt's first and last
/// events (`MainReportVersion`, `CommandCompleted`) around the command, then the exit code: the one
/// place a command's error is printed and mapped (`ErrorReporting`); commands only throw.
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
        } catch let error where error is ValidationError || error is CleanExit {
            // swift-argument-parser's own: usage or help, its exit code
            Console.completed(command: name, success: false)
            Sqlt.exit(withError: error)
        } catch {
            // every other error is printed here alone, then becomes the exit code
            let exit = ErrorReporting.report(error, projectRoot: (command as? any ProjectCommand)?.global.projectURL)
            Console.completed(command: name, success: exit.rawValue == 0)
            Sqlt.exit(withError: exit)
        }
    }
}
