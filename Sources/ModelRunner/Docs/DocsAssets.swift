/// The documentation page's stylesheet and scripts, inlined into `index.html`. They are real
/// files under `Resources/docs/`, embedded at build time.
enum DocsAssets {
    /// `style.css`: the page's stylesheet.
    static let style = EmbeddedResources.files["docs/style.css"]!
    /// `graph.js`: lays out nodes in their precomputed columns, orders each column to reduce
    /// crossings (barycentre sweeps) and draws an SVG with layer bands and curved edges.
    static let graphScript = EmbeddedResources.files["docs/graph.js"]!
    /// `app.js`: data indexes, `#!/` routing, the overview, node pages with column lineage, and
    /// the search box.
    static let appScript = EmbeddedResources.files["docs/app.js"]!
}
