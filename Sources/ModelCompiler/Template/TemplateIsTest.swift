/// A test: `value is name(arguments)`.
public struct TemplateIsTest: Sendable {
    /// The name shown in messages.
    public let name: String
    let body: @Sendable (TemplateValue, CallArguments) throws -> Bool
    /// A test named `name` running `body` on the tested value.
    public init(name: String, _ body: @escaping @Sendable (TemplateValue, CallArguments) throws -> Bool) {
        self.name = name
        self.body = body
    }
}
