/// A mutable, shared dictionary of template values that keeps insertion order.
public final class TemplateDict: Sendable {
    private struct Contents {
        var keys: [String] = []
        var values: [String: TemplateValue] = [:]
    }
    private let storage: LockedStorage<Contents>
    /// Made by `namespace()`: the only dict whose attributes `{% set ns.x = ... %}` may assign.
    public let isNamespace: Bool

    /// A dict holding `pairs` in order (later duplicates replace earlier ones).
    public init(_ pairs: [(String, TemplateValue)] = [], isNamespace: Bool = false) {
        var contents = Contents()
        for (k, v) in pairs {
            if contents.values.updateValue(v, forKey: k) == nil { contents.keys.append(k) }
        }
        storage = LockedStorage(contents)
        self.isNamespace = isNamespace
    }

    /// The number of elements.
    public var count: Int { storage.read { $0.keys.count } }
    /// Keys in insertion order.
    public var keys: [String] { storage.read { $0.keys } }
    /// Key/value pairs in insertion order.
    public var pairs: [(String, TemplateValue)] { storage.read { c in c.keys.map { ($0, c.values[$0]!) } } }
    /// The value for a key; assigning nil removes it.
    public subscript(key: String) -> TemplateValue? {
        get { storage.read { $0.values[key] } }
        set {
            storage.write { c in
                if let newValue {
                    if c.values.updateValue(newValue, forKey: key) == nil { c.keys.append(key) }
                } else if c.values.removeValue(forKey: key) != nil {
                    c.keys.removeAll { $0 == key }
                }
            }
        }
    }
}
