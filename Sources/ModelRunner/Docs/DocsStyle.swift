/// The documentation page's stylesheet (inlined into `index.html`).
enum DocsStyle {
    static let css = #"""
    :root {
      --bg: #f6f7f9; --panel: #ffffff; --ink: #1f2430; --muted: #5f6b7a; --line: #e2e6ec; --accent: #2563eb;
      --accent-soft: #e8f0fe; --code: #0f172a; --bronze: #b8733e; --silver: #7b8794; --gold: #c9a227;
      --source: #2f855a; --seed: #2b6cb0; --other: #805ad5;
      font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    }
    * { box-sizing: border-box; }
    body { margin: 0; background: var(--bg); color: var(--ink); font-size: 14px; line-height: 1.5; }
    a { color: var(--accent); text-decoration: none; }
    a:hover { text-decoration: underline; }
    header.top { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 16px; height: 52px;
      padding: 0 20px; background: #111827; color: #e5e7eb; }
    header.top .brand { color: #fff; font-weight: 700; font-size: 16px; letter-spacing: .2px; }
    header.top .brand span { color: #93c5fd; font-weight: 500; }
    header.top .project { color: #cbd5e1; font-size: 13px; padding: 2px 8px; border: 1px solid #374151; border-radius: 999px; }
    header.top .search-box { position: relative; flex: 1; max-width: 520px; margin-left: auto; }
    #search { width: 100%; padding: 7px 12px; border-radius: 8px; border: 1px solid #374151; background: #1f2937;
      color: #f9fafb; font-size: 14px; outline: none; }
    #search:focus { border-color: #60a5fa; background: #111827; }
    header.top .stamp { color: #9ca3af; font-size: 12px; white-space: nowrap; }
    #results { position: absolute; top: 38px; left: 0; right: 0; max-height: 420px; overflow: auto; background: #fff;
      color: var(--ink); border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 10px 30px rgba(0,0,0,.18); }
    #results a { display: flex; gap: 8px; align-items: baseline; padding: 7px 12px; color: var(--ink); border-bottom: 1px solid #f1f3f6; }
    #results a:hover, #results a.active { background: var(--accent-soft); text-decoration: none; }
    #results .kind { font-size: 11px; color: var(--muted); min-width: 52px; text-transform: uppercase; letter-spacing: .4px; }
    #results .empty { padding: 10px 12px; color: var(--muted); }
    .layout { display: flex; min-height: calc(100vh - 52px); }
    nav#sidebar { width: 288px; flex: none; padding: 14px 10px 30px; border-right: 1px solid var(--line); background: #fbfcfd;
      overflow: auto; max-height: calc(100vh - 52px); position: sticky; top: 52px; }
    nav#sidebar h3 { margin: 14px 8px 4px; font-size: 11px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); }
    nav#sidebar a { display: flex; align-items: center; gap: 8px; padding: 3px 8px; border-radius: 6px; color: var(--ink);
      font-size: 12.5px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    nav#sidebar a:hover { background: #eef1f5; text-decoration: none; }
    nav#sidebar a.active { background: var(--accent-soft); color: #1d4ed8; font-weight: 600; }
    nav#sidebar a.overview { font-weight: 600; margin-bottom: 4px; }
    .dot { width: 8px; height: 8px; border-radius: 50%; flex: none; display: inline-block; }
    main#main { flex: 1; min-width: 0; padding: 22px 24px 60px; }
    h1 { font-size: 22px; margin: 4px 0 6px; font-weight: 650; }
    h2 { font-size: 15px; margin: 26px 0 10px; font-weight: 650; }
    .card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; }
    .summary { display: flex; gap: 12px; flex-wrap: wrap; margin: 10px 0 16px; }
    .summary .card { padding: 10px 16px; min-width: 120px; }
    .summary b { display: block; font-size: 20px; }
    .summary span { color: var(--muted); font-size: 12px; }
    .note { background: #fff8e6; border: 1px solid #f5d58a; color: #7a5300; border-radius: 8px; padding: 8px 12px; margin: 8px 0 14px; }
    .badges { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
    .badge { display: inline-block; font-size: 11px; line-height: 18px; padding: 0 7px; border-radius: 999px; background: #eef1f5;
      color: #374151; border: 1px solid #e1e5eb; white-space: nowrap; }
    .badge.type { color: #fff; border: none; text-transform: uppercase; letter-spacing: .4px; font-weight: 600; }
    .privacy-direct { background: #fde2e1; color: #9b1c1c; border-color: #f8b4b4; }
    .privacy-sensitive { background: #feecdc; color: #8a2c0d; border-color: #fdba8c; }
    .privacy-indirect { background: #fdf6b2; color: #723b13; border-color: #f3e08a; }
    .privacy-none { background: #f3f4f6; color: #6b7280; }
    .test { background: #e6f4ea; color: #1e6b3a; border-color: #bfe3cb; }
    .meta-line { color: var(--muted); font-size: 13px; margin: 4px 0 10px; display: flex; gap: 14px; flex-wrap: wrap; }
    .meta-line code { color: var(--ink); }
    .description { white-space: pre-line; max-width: 900px; }
    .description p { margin: 0 0 8px; }
    .description ul { margin: 0 0 8px; padding-left: 20px; white-space: normal; }
    .description h3 { font-size: 14px; margin: 8px 0 4px; }
    .description code, td code { background: #eef1f5; padding: 0 4px; border-radius: 4px; }
    .muted { color: var(--muted); }
    .privacy-summary { margin: -4px 0 16px; }
    code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
    pre.sql { background: var(--code); color: #e2e8f0; padding: 14px 16px; border-radius: 10px; overflow: auto; max-height: 560px; margin: 0; }
    .tabs { display: flex; gap: 4px; margin-bottom: 8px; }
    .tabs button { border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; font-size: 12px; }
    .tabs button.on { background: var(--accent); border-color: var(--accent); color: #fff; }
    table.columns { width: 100%; border-collapse: collapse; background: var(--panel); border: 1px solid var(--line); border-radius: 10px; overflow: hidden; }
    table.columns th { text-align: left; font-size: 11px; text-transform: uppercase; letter-spacing: .5px; color: var(--muted);
      background: #f8fafc; padding: 8px 12px; border-bottom: 1px solid var(--line); }
    table.columns td { padding: 8px 12px; border-bottom: 1px solid #f0f2f5; vertical-align: top; }
    table.columns tr.col-row { cursor: pointer; }
    table.columns tr.col-row:hover td { background: #f8fafc; }
    table.columns tr.selected td { background: var(--accent-soft); }
    table.columns td.name { font-weight: 600; white-space: nowrap; }
    table.columns td.type { color: var(--muted); white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
    tr.lineage-row > td { background: #fbfdff; padding: 12px 16px 16px; }
    .lineage { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
    .lineage h4 { margin: 0 0 6px; font-size: 12px; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); }
    .lineage ul { list-style: none; margin: 0; padding-left: 14px; border-left: 1px dashed #cfd6e0; }
    .lineage > div > ul { padding-left: 0; border-left: none; }
    .lineage li { margin: 3px 0; }
    .lineage .ref { display: inline-flex; align-items: center; gap: 6px; flex-wrap: wrap; }
    .lineage .ref a { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; }
    .chip { font-size: 10px; padding: 0 5px; border-radius: 4px; background: #eef2ff; color: #3730a3; letter-spacing: .3px; }
    .chip.indirect { background: #f3f4f6; color: #6b7280; }
    .chip.mask { background: #dcfce7; color: #166534; }
    .graph-wrap { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; overflow: auto; }
    svg.graph { display: block; }
    svg.graph .band { fill: #f8fafc; stroke: #edf0f4; }
    svg.graph .band-label { font-size: 11px; font-weight: 700; fill: #64748b; text-transform: uppercase; letter-spacing: 1px; }
    svg.graph .edge { fill: none; stroke: #b6c0cd; stroke-width: 1.4; }
    svg.graph .edge.hot { stroke: var(--accent); stroke-width: 2.2; }
    svg.graph .node { cursor: pointer; }
    svg.graph .node rect { fill: #fff; stroke: #cbd3dd; stroke-width: 1.2; }
    svg.graph .node rect.stripe { stroke: none; }
    svg.graph .node text { font-size: 12px; fill: #1f2430; }
    svg.graph .node text.sub { font-size: 10px; fill: #6b7280; }
    svg.graph .node:hover rect.box, svg.graph .node.hot rect.box { stroke: var(--accent); stroke-width: 2; }
    svg.graph .node.focus rect.box { stroke: var(--accent); stroke-width: 2.4; fill: var(--accent-soft); }
    svg.graph .node.dim { opacity: .25; }
    svg.graph .edge.dim { opacity: .15; }
    .links { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
    .links ul { margin: 0; padding-left: 18px; }
    .empty-state { color: var(--muted); font-style: italic; }
    """#
}
