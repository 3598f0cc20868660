import Foundation

/// The value type of templates: what expressions evaluate to and what globals hold.
public enum TemplateValue: Sendable {
    /// Python's `None`.
    case none
    /// A name that is not defined; prints as empty text and is falsy.
    case undefined(String)
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// A list or tuple with reference semantics, so `xs.append(1)` is seen by every holder.
    case list(TemplateList)
    /// An ordered dictionary with reference semantics, so `d.update(...)` is seen by every holder.
    case dict(TemplateDict)
    /// A native function.
    case function(TemplateFunction)
    /// A native object with attributes and an optional call (`target`, `this`, `exceptions`).
    case object(TemplateObject)
    /// A template macro (also `caller`).
    case macro(MacroValue)

    /// A new list value.
    public static func list(_ items: [TemplateValue]) -> TemplateValue { .list(TemplateList(items)) }
    /// A new dict value, keys in the given order.
    public static func dict(_ pairs: [(String, TemplateValue)]) -> TemplateValue { .dict(TemplateDict(pairs)) }

    /// Converts plain data; objects become dicts with sorted keys.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .list(TemplateList(a.map(TemplateValue.init)))
        case .object(let o):
            self = .dict(TemplateDict(o.keys.sorted().map { ($0, TemplateValue(o[$0]!)) }))
        }
    }

    /// Plain data, or nil for functions, objects, macros and undefined values.
    public var jsonValue: JSONValue? {
        switch self {
        case .none: return .null
        case .undefined, .function, .object, .macro: return nil
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .list(let l):
            var out: [JSONValue] = []
            for item in l.items {
                guard let j = item.jsonValue else { return nil }
                out.append(j)
            }
            return .array(out)
        case .dict(let d):
            var out: [String: JSONValue] = [:]
            for (k, v) in d.pairs {
                guard let j = v.jsonValue else { return nil }
                out[k] = j
            }
            return .object(out)
        }
    }

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .none, .undefined: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return l.count > 0
        case .dict(let d): return d.count > 0
        case .function, .object, .macro: return true
        }
    }

    /// Whether the value is defined (anything but `.undefined`).
    public var isDefined: Bool { if case .undefined = self { return false }; return true }
    /// Whether the value is `None`.
    public var isNone: Bool { if case .none = self { return true }; return false }

    /// The string, or nil for other values.
    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    /// The value as an integer (bools and finite floats convert), or nil.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d): return d.isFinite ? Int(exactly: d.rounded(.towardZero)) : nil
        default: return nil
        }
    }
    /// The value as a double, or nil.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    /// The elements when iterating: list items, dict keys, string characters.
    public var iterationItems: [TemplateValue]? {
        switch self {
        case .list(let l): return l.items
        case .dict(let d): return d.keys.map { .string($0) }
        case .string(let s): return s.map { .string(String($0)) }
        case .undefined: return []
        // A native sequence (an agate table iterates its rows) lists its items as `__iter__`.
        case .object(let o): if case .list(let l)? = o.attribute("__iter__") { return l.items }; return nil
        default: return nil
        }
    }

    /// The Python type name, for messages.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .undefined: return "Undefined"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list(let l): return l.isTuple ? "tuple" : "list"
        case .dict: return "dict"
        case .function: return "function"
        case .object(let o): return o.name
        case .macro: return "Macro"
        }
    }
}

extension TemplateValue: CustomStringConvertible {
    /// The text Jinja prints for `{{ value }}`.
    public var description: String {
        switch self {
        case .none: return "None"
        case .undefined: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return TemplateValue.pythonFloat(d)
        case .string(let s): return s
        case .list, .dict: return repr
        case .function(let f): return "<function \(f.name)>"
        case .object(let o): return o.text ?? "<\(o.name)>"
        case .macro(let m): return "<Macro '\(m.definition.name)'>"
        }
    }

    /// Python's `repr`: strings quoted, containers recursively; a container inside itself prints `[...]`
    /// like Python, and printing stops once the text is past `TemplateLimits.maximumTextBytes` (the
    /// renderer then reports the size).
    public var repr: String {
        var out = ""
        var open: Set<ObjectIdentifier> = []
        writeRepr(into: &out, open: &open)
        return out
    }

    private func writeRepr(into out: inout String, open: inout Set<ObjectIdentifier>) {
        guard out.utf8.count <= TemplateLimits.maximumTextBytes else { return }
        switch self {
        case .string(let s): out += TemplateValue.pythonRepr(s)
        case .list(let l):
            let id = ObjectIdentifier(l)
            guard open.count < TemplateLimits.maximumValueDepth, open.insert(id).inserted else {
                out += l.isTuple ? "(...)" : "[...]"
                return
            }
            defer { open.remove(id) }
            let items = l.items
            out += l.isTuple ? "(" : "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                item.writeRepr(into: &out, open: &open)
            }
            out += l.isTuple ? (items.count == 1 ? ",)" : ")") : "]"
        case .dict(let d):
            let id = ObjectIdentifier(d)
            guard open.count < TemplateLimits.maximumValueDepth, open.insert(id).inserted else {
                out += "{...}"
                return
            }
            defer { open.remove(id) }
            out += d.isNamespace ? "<Namespace {" : "{"
            for (i, (k, v)) in d.pairs.enumerated() {
                if i > 0 { out += ", " }
                out += TemplateValue.pythonRepr(k) + ": "
                v.writeRepr(into: &out, open: &open)
            }
            out += d.isNamespace ? "}>" : "}"
        case .undefined: out += "Undefined"
        default: out += description
        }
    }

    /// Formats a double like Python's `repr(float)`.
    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        var s = "\(d)"
        if let e = s.firstIndex(of: "e") {
            // Swift prints 1e-05 / 1e+16 like Python; ensure mantissa without ".0"
            let mantissa = s[..<e]
            if mantissa.hasSuffix(".0") { s = String(mantissa.dropLast(2)) + s[e...] }
            return s
        }
        return s
    }

    /// Quotes a string like Python's `repr(str)`.
    static func pythonRepr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case quote: out += "\\\(quote)"
            default: out.append(ch)
            }
        }
        out.append(quote)
        return out
    }
}

extension TemplateValue: Equatable {
    /// Python equality: `1 == 1.0`, containers compared by content.
    public static func == (lhs: TemplateValue, rhs: TemplateValue) -> Bool {
        equal(lhs, rhs, depth: 0)
    }

    /// Equality that gives up (unequal) past `TemplateLimits.maximumValueDepth`, where Python raises
    /// `RecursionError`: two lists that contain themselves would otherwise recurse without end.
    private static func equal(_ lhs: TemplateValue, _ rhs: TemplateValue, depth: Int) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): return true
        case (.undefined, .undefined): return true
        case (.string(let a), .string(let b)): return a == b
        case (.list(let a), .list(let b)):
            if a === b { return true }
            let xs = a.items, ys = b.items
            guard xs.count == ys.count, depth < TemplateLimits.maximumValueDepth else { return false }
            return zip(xs, ys).allSatisfy { equal($0, $1, depth: depth + 1) }
        case (.dict(let a), .dict(let b)):
            if a === b { return true }
            let pa = a.pairs, pb = b.pairs
            guard pa.count == pb.count, depth < TemplateLimits.maximumValueDepth else { return false }
            let db = Dictionary(pb, uniquingKeysWith: { $1 })
            return pa.allSatisfy { p in db[p.0].map { equal(p.1, $0, depth: depth + 1) } ?? false }
        case (.function(let a), .function(let b)): return a.name == b.name
        case (.object(let a), .object(let b)): return a.name == b.name && a.text == b.text
        case (.macro(let a), .macro(let b)): return a.definition.name == b.definition.name
        default:
            if let a = lhs.numericValue, let b = rhs.numericValue {
                switch (a, b) {
                case (.int(let x), .int(let y)): return x == y
                default: return a.doubleValue! == b.doubleValue!
                }
            }
            return false
        }
    }

    /// The value as a number (bools count as numbers like in Python), or nil.
    var numericValue: TemplateValue? {
        switch self {
        case .int, .double: return self
        case .bool(let b): return .int(b ? 1 : 0)
        default: return nil
        }
    }
}
