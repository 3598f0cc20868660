/// Thrown by native functions, filters and tests; the renderer reports it at the call's location.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// The message reported at the call location.
    public let message: String
    /// An error with a message.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
