import Foundation

/// Every open `PostgresConnection` of the process, so an interrupt can cancel their queries.
public enum ActiveConnections {
    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var cancellers: [ObjectIdentifier: QueryCanceller] = [:]
    }

    private static let registry = Registry()

    static func register(_ canceller: QueryCanceller) {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        registry.cancellers[ObjectIdentifier(canceller)] = canceller
    }

    static func unregister(_ canceller: QueryCanceller) {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        registry.cancellers[ObjectIdentifier(canceller)] = nil
    }

    /// How many connections are open right now.
    public static var count: Int {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        return registry.cancellers.count
    }

    /// Sends a cancel request for the running statement of every open connection; returns how
    /// many requests were sent.
    @discardableResult
    public static func cancelAll() -> Int {
        registry.lock.lock()
        let cancellers = Array(registry.cancellers.values)
        registry.lock.unlock()
        return cancellers.reduce(0) { $0 + ($1.cancel() ? 1 : 0) }
    }
}
