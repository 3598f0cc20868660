/// A filter: `value | name(arguments)`.
public struct TemplateFilter: Sendable {
    /// The name shown in messages.
    public let name: String
    let body: @Sendable (TemplateValue, CallArguments) throws -> TemplateValue
    /// A filter named `name` running `body` on the filtered value.
    public init(name: String, _ body: @escaping @Sendable (TemplateValue, CallArguments) throws -> TemplateValue) {
        self.name = name
        self.body = body
    }
}
