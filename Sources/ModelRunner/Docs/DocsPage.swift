import Foundation

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
            \(DocsStyle.css)
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
            \(DocsGraphScript.javascript)
            \(DocsScript.javascript)
            </script>
            </body>
            </html>

            """
    }

    /// The data as JSON safe inside a `<script>` element: `</` (and `<!--`) can never close or
    /// confuse it, because every `<` is written as `\u003c`, which `JSON.parse` reads back as `<`.
    public static func embeddedJSON(_ data: DocsSiteData) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(data), as: UTF8.self)
        return json.replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: "\u{2028}", with: "\\u2028").replacingOccurrences(of: "\u{2029}", with: "\\u2029")
    }

    static func escapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
