import Foundation

/// Serializes template values like Python's `json.dumps(sort_keys=True)` (Jinja's `tojson`).
enum JSONText {
    /// The JSON text; an error for a cycle, nesting past `TemplateLimits.maximumValueDepth` or a text past the size limit.
    static func encode(_ v: TemplateValue, indent: Int? = nil, htmlSafe: Bool) throws -> String {
        var out = ""
        // Python's json.dumps indents by `" " * indent`: nothing for a negative indent
        try write(v, into: &out, indent: indent.map { max(0, $0) }, level: 0)
        guard htmlSafe else { return out }
        return out.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026").replacingOccurrences(of: "'", with: "\\u0027")
    }

    static func write(_ v: TemplateValue, into out: inout String, indent: Int?, level: Int) throws {
        guard level <= TemplateLimits.maximumValueDepth else {
            throw TemplateError(
                "circular reference detected (or lists and dicts nested deeper than \(TemplateLimits.maximumValueDepth))"
            )
        }
        try TemplateLimits.checkText(out.utf8.count)
        func newline(_ n: Int) throws -> String {
            guard let indent else { return "" }
            let (width, overflow) = indent.multipliedReportingOverflow(by: n)
            try TemplateLimits.checkText(overflow ? Int.max : out.utf8.count + width)
            return "\n" + String(repeating: " ", count: width)
        }
        let itemSeparator = indent == nil ? ", " : ","
        switch v {
        case .none, .undefined: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            out += d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : TemplateValue.pythonFloat(d)
        case .string(let s): quote(s, into: &out)
        case .list(let l):
            let items = l.items
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += itemSeparator }
                out += try newline(level + 1)
                try write(item, into: &out, indent: indent, level: level + 1)
            }
            out += try newline(level) + "]"
        case .dict(let d):
            let pairs = d.pairs.sorted { $0.0 < $1.0 }
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (k, value)) in pairs.enumerated() {
                if i > 0 { out += itemSeparator }
                out += try newline(level + 1)
                quote(k, into: &out)
                out += ": "
                try write(value, into: &out, indent: indent, level: level + 1)
            }
            out += try newline(level) + "}"
        case .function, .object, .macro: quote(v.description, into: &out)
        }
    }

    /// A JSON string with `ensure_ascii` escaping.
    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value > 0x7E {
                    for unit in String(scalar).utf16 { out += String(format: "\\u%04x", unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
