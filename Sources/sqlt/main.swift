import ArgumentParser
import ModelRunner

// Signals first: one that arrives while the rest of the process starts is kept, not lost.
SignalHandling.install()
do {
    var command = try Sqlt.parseAsRoot()
    if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
    } else {
        try command.run()
    }
} catch {
    Sqlt.exit(withError: error)
}
