import CLibPQ
import Foundation

/// The `PGcancel` of one connection, usable from any thread until the connection closes.
final class QueryCanceller: @unchecked Sendable {
    private let lock = NSLock()
    private var handle: OpaquePointer?

    init(_ handle: OpaquePointer?) {
        self.handle = handle
    }

    deinit {
        invalidate()
    }

    /// Sends a cancel request for the running statement (`PQcancel`); false when it could not.
    @discardableResult
    func cancel() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard let handle else { return false }
        var buffer = [CChar](repeating: 0, count: 256)
        return PQcancel(handle, &buffer, Int32(buffer.count)) == 1
    }

    /// Frees the handle; later `cancel()` calls do nothing.
    func invalidate() {
        lock.lock()
        defer { lock.unlock() }
        if let handle { PQfreeCancel(handle) }
        handle = nil
    }
}
