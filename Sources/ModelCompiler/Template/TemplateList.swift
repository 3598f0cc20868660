import Foundation
import Synchronization

/// A mutable, shared list (or tuple) of template values.
public final class TemplateList: Sendable {
    private let storage: LockedStorage<[TemplateValue]>
    /// Tuples print with parentheses.
    public let isTuple: Bool
    /// Attribute names of a named tuple's fields (`grouper`, `list` for `groupby` results).
    public let fieldNames: [String]?

    /// A list (or tuple) holding `items`.
    public init(_ items: [TemplateValue] = [], isTuple: Bool = false, fieldNames: [String]? = nil) {
        storage = LockedStorage(items)
        self.isTuple = isTuple || fieldNames != nil
        self.fieldNames = fieldNames
    }

    /// A snapshot of the items.
    public var items: [TemplateValue] { storage.read { $0 } }
    /// The number of elements.
    public var count: Int { storage.read { $0.count } }
    /// Appends in place, visible to every holder.
    public func append(_ value: TemplateValue) { storage.write { $0.append(value) } }
    /// Edits the items in place.
    public func mutate<R>(_ body: (inout [TemplateValue]) throws -> R) rethrows -> R { try storage.write(body) }
}

/// A value guarded by a lock, so shared template containers stay `Sendable`. A `Mutex` lives
/// inline (a futex word), where an `NSLock` was one more allocated object per list and dict: a
/// compile creates hundreds of thousands of them.
final class LockedStorage<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func read<R>(_ body: (Value) throws -> R) rethrows -> R {
        try mutex.withLock { value in try body(value) }
    }
    func write<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try mutex.withLock { value in try body(&value) }
    }
}
