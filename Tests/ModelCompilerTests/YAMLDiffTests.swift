import Foundation
import Testing

@testable import ModelCompiler

// TEMPORARY: compares the libyaml parser with the Yams one over many inputs; deleted with Yams.
@Suite struct YAMLDiffTests {
    static func dump(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let v, let l): return "\(v)@\(l.line):\(l.column)"
        case .sequence(let items, let l): return "[\(items.map(dump).joined(separator: ", "))]@\(l.line):\(l.column)"
        case .mapping(let entries, let l):
            return "{\(entries.map { "\($0.key)@\($0.keyLocation.line):\($0.keyLocation.column): \(dump($0.value))" }.joined(separator: ", "))}@\(l.line):\(l.column)"
        }
    }

    static func outcome(_ parse: () throws(DiagnosticsError) -> YAMLNode) -> String {
        do { return dump(try parse()) } catch { return error.diagnostics.map { "\($0.id) \($0.message) @\($0.location!.line):\($0.location!.column)" }.joined() }
    }

    static var corpus: [(String, String)] {
        var files: [(String, String)] = []
        for root in ["/work/wt-yaml", "/tmp/yaml-p10k", "/tmp/yaml-corpus"] {
            guard let e = FileManager.default.enumerator(atPath: root) else { continue }
            for case let path as String in e where (path.hasSuffix(".yml") || path.hasSuffix(".yaml")) && !path.hasPrefix(".build") {
                if let text = try? String(contentsOfFile: root + "/" + path, encoding: .utf8) { files.append((root + "/" + path, text)) }
            }
        }
        return files
    }

    @Test func sameAsYams() {
        var differences = 0
        let files = Self.corpus
        for (path, text) in files {
            let new = Self.outcome { () throws(DiagnosticsError) in try YAMLNode.parse(text, file: "f") }
            let old = Self.outcome { () throws(DiagnosticsError) in try YAMLNode.parseWithYams(text, file: "f") }
            if new != old {
                differences += 1
                if let n = try? YAMLNode.parse(text, file: "f"), let o = try? YAMLNode.parseWithYams(text, file: "f"), let ne = n.entries, let oe = o.entries, ne.count == oe.count {
                    for (a, b) in zip(ne, oe) where Self.dump(a.value) != Self.dump(b.value) { print("  \(a.key): new \(Self.dump(a.value)) old \(Self.dump(b.value)) text \(text.split(separator: "\n").first { $0.hasPrefix(a.key + ":") } ?? "")") }
                }
                if differences < 40 { print("DIFF \(path)\n  new: \(new.prefix(600))\n  old: \(old.prefix(600))") }
            }
        }
        print("compared \(files.count) files, \(differences) differences")
    }
}
