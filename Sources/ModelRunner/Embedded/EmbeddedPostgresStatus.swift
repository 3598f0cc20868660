/// What `sqlt db status` reports about a project's embedded server.
public struct EmbeddedPostgresStatus: Sendable, Equatable, CustomStringConvertible {
    /// Running (with the postmaster's pid), stopped, or never created.
    public enum State: Sendable, Equatable {
        case running(pid: Int32)
        case stopped
        case notInitialised
    }

    public var state: State
    /// `<project>/.sqlt/postgres`.
    public var folder: String
    /// Where the server's socket is (or will be).
    public var socketFolder: String
    public var port: Int
    /// True when the socket lives under /tmp because the project path is too long for a socket.
    public var shortSocketFolder: Bool

    /// True when the server runs.
    public var isRunning: Bool {
        if case .running = state { return true }
        return false
    }

    /// One or two lines: the state, the pid and socket when running, and the /tmp note.
    public var description: String {
        var text: String
        switch state {
        case .running(let pid):
            text = "running (pid \(pid)), socket \(socketFolder)/.s.PGSQL.\(port), data \(folder)/data"
        case .stopped:
            text = "stopped, data \(folder)/data"
        case .notInitialised:
            text = "stopped (not initialised: \(folder)/data does not exist yet)"
        }
        if shortSocketFolder {
            text += "\nthe socket folder is \(socketFolder) because the project path is too long for a unix socket"
        }
        return text
    }
}
