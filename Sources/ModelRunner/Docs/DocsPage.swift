import Foundation
import Synchronization

/// Renders the single self-contained `index.html`: inline CSS, inline scripts, and the site data
/// as one JSON blob in a `<script type="application/json">` element.
public enum DocsPage {
    /// The complete HTML page for `data`.
    public static func render(_ data: DocsSiteData) throws -> String {
        let title = escapeHTML("\(data.project) · sqlt docs")
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="sqlt \(escapeHTML(data.sqltVersion))">
            <title>\(title)</title>
            <style>
            \(DocsAssets.style)
            </style>
            </head>
            <body>
            <header class="top">
              <a class="brand" href="#!/">sqlt <span>docs</span></a>
              <span class="project">\(escapeHTML(data.project))</span>
              <div class="search-box">
                <input id="search" type="search" placeholder="Search models, seeds, sources and columns" autocomplete="off" spellcheck="false">
                <div id="results" hidden></div>
              </div>
              <span class="stamp">\(escapeHTML(data.generatedAt))</span>
            </header>
            <div class="layout">
              <nav id="sidebar"></nav>
              <main id="main"><noscript>This documentation needs JavaScript.</noscript></main>
            </div>
            <script type="application/json" id="sqlt-data">\(try embeddedJSON(data))</script>
            <script>
            'use strict';
            \(DocsAssets.graphScript)
            \(DocsAssets.appScript)
            </script>
            </body>
            </html>

            """
    }

    /// The data as JSON safe inside a `<script>` element: `</` (and `<!--`) can never close or
    /// confuse it, because every `<` is written as `\u003c`, which `JSON.parse` reads back as `<`.
    public static func embeddedJSON(_ data: DocsSiteData) throws -> String {
        // The nodes (nearly all of it) are encoded on every core and put between the brackets of
        // an empty `nodes` array in the rest's JSON: keys are sorted, so that array follows
        // `lineageAvailable` at the top level. Same bytes as one encoder over everything.
        var rest = data
        rest.nodes = []
        let head = try JSONEncoder.artifacts().encode(rest)
        let marker = Array("\"lineageAvailable\":\(data.lineageAvailable),\"nodes\":[".utf8)
        guard let split = head.firstRange(of: marker)?.upperBound else {
            throw CocoaError(
                .coderInvalidValue, userInfo: [NSDebugDescriptionErrorKey: "documentation data without a nodes array"])
        }
        let nodes = data.nodes
        let sliceSize = 256
        let slices = (nodes.count + sliceSize - 1) / sliceSize
        let encoded = Mutex<[Int: Result<[UInt8], any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            let result = Result { () throws -> [UInt8] in
                let encoder = JSONEncoder.artifacts()
                var out: [UInt8] = []
                for index in slice * sliceSize..<min(nodes.count, (slice + 1) * sliceSize) {
                    if index > 0 { out.append(UInt8(ascii: ",")) }
                    out += try encoder.encode(nodes[index])
                }
                return out
            }
            encoded.withLock { $0[slice] = result }
        }
        var json = [UInt8](head[..<split])
        for slice in 0..<slices { json += try encoded.withLock { $0[slice]! }.get() }
        json += head[split...]
        return String(decoding: scriptSafe(json), as: UTF8.self)
    }

    /// JSON that can sit inside `<script>`: `<` as `\u003c`, and U+2028/U+2029 (line breaks to
    /// JavaScript) escaped, in one pass over the bytes.
    static func scriptSafe(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + json.count / 64)
        var index = 0
        while index < json.count {
            let byte = json[index]
            if byte == UInt8(ascii: "<") {
                out += Array("\\u003c".utf8)
            } else if byte == 0xE2, index + 2 < json.count, json[index + 1] == 0x80,
                json[index + 2] == 0xA8 || json[index + 2] == 0xA9
            {
                out += Array((json[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                index += 2
            } else {
                out.append(byte)
            }
            index += 1
        }
        return out
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
