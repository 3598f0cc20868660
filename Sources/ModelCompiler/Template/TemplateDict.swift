/// A mutable, shared dictionary of template values that keeps insertion order.
public final class TemplateDict: Sendable {
    private struct Contents: Sendable {
        var keys: [String] = []
        var values: [String: TemplateValue] = [:]
        /// Builds the pairs on first use (see `init(lazy:)`).
        var pending: (@Sendable () -> [(String, TemplateValue)])?

        init(_ pairs: [(String, TemplateValue)]) {
            keys.reserveCapacity(pairs.count)
            values.reserveCapacity(pairs.count)
            for (k, v) in pairs {
                if values.updateValue(v, forKey: k) == nil { keys.append(k) }
            }
        }

        mutating func materialize() {
            guard let make = pending else { return }
            pending = nil
            self = Contents(make())
        }
    }
    private let storage: LockedStorage<Contents>
    /// Made by `namespace()`: the only dict whose attributes `{% set ns.x = ... %}` may assign.
    public let isNamespace: Bool

    /// A dict holding `pairs` in order (later duplicates replace earlier ones).
    public init(_ pairs: [(String, TemplateValue)] = [], isNamespace: Bool = false) {
        storage = LockedStorage(Contents(pairs))
        self.isNamespace = isNamespace
    }

    /// A dict whose pairs are built the first time anything reads or writes it: for values every
    /// render offers but few templates use, such as `model`.
    public init(lazy make: @escaping @Sendable () -> [(String, TemplateValue)]) {
        var contents = Contents([])
        contents.pending = make
        storage = LockedStorage(contents)
        isNamespace = false
    }

    /// The number of elements.
    public var count: Int { read { $0.keys.count } }
    /// Keys in insertion order.
    public var keys: [String] { read { $0.keys } }
    /// Key/value pairs in insertion order.
    public var pairs: [(String, TemplateValue)] { read { c in c.keys.map { ($0, c.values[$0]!) } } }
    /// The value for a key; assigning nil removes it.
    public subscript(key: String) -> TemplateValue? {
        get { read { $0.values[key] } }
        set {
            storage.write { c in
                c.materialize()
                if let newValue {
                    if c.values.updateValue(newValue, forKey: key) == nil { c.keys.append(key) }
                } else if c.values.removeValue(forKey: key) != nil {
                    c.keys.removeAll { $0 == key }
                }
            }
        }
    }

    private func read<R>(_ body: (Contents) -> R) -> R {
        storage.write { c in
            c.materialize()
            return body(c)
        }
    }
}
