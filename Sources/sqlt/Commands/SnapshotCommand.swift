import ArgumentParser
import ModelRunner

/// `sqlt snapshot`: runs the selected snapshots (SCD type 2 history tables) in dependency order.
struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Record the changes of the selected snapshots' sources (SCD type 2), each in one transaction.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var selection: SelectionOptions
    @OptionGroup var flags: RunFlags
    func run() throws { try RunInvocation.execute(.snapshot, global: global, selection: selection, flags: flags) }
}
