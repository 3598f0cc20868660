/// A native object: fixed attributes, optional dynamic lookup, optional call, optional printed text.
public struct TemplateObject: Sendable {
    /// Type name shown in messages.
    public var name: String
    /// Fixed attributes by name.
    public var attributes: [String: TemplateValue]
    /// Consulted for attributes not in `attributes`.
    public var lookup: (@Sendable (String) -> TemplateValue?)?
    /// Makes the object callable.
    public var call: TemplateFunction?
    /// What `{{ object }}` prints (for example a quoted relation name).
    public var text: String?

    /// An object with the given attributes, printed text, call and lookup.
    public init(
        name: String, attributes: [String: TemplateValue] = [:], text: String? = nil,
        call: TemplateFunction? = nil, lookup: (@Sendable (String) -> TemplateValue?)? = nil
    ) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.call = call
        self.lookup = lookup
    }

    /// The attribute, or nil.
    public func attribute(_ key: String) -> TemplateValue? { attributes[key] ?? lookup?(key) }
}
