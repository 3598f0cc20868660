/// A native function callable from templates.
public struct TemplateFunction: Sendable {
    /// The name shown in messages.
    public let name: String
    let body: @Sendable (CallArguments) throws -> TemplateValue

    /// A function named `name` running `body`.
    public init(name: String, _ body: @escaping @Sendable (CallArguments) throws -> TemplateValue) {
        self.name = name
        self.body = body
    }

    /// Calls the function directly (for example from another native function).
    public func callAsFunction(_ arguments: CallArguments) throws -> TemplateValue { try body(arguments) }
}
