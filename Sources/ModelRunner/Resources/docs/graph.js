const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}
const PALETTE = ['#2f855a', '#b8733e', '#7b8794', '#c9a227', '#805ad5', '#d53f8c', '#319795', '#dd6b20'];
function layerColor(name) {
  const lower = name.toLowerCase();
  if (lower.includes('bronze')) return 'var(--bronze)';
  if (lower.includes('silver')) return 'var(--silver)';
  if (lower.includes('gold')) return 'var(--gold)';
  if (lower.includes('seed') || lower.includes('source')) return 'var(--source)';
  const index = DATA.layers.findIndex(l => l.name === name);
  return PALETTE[(index < 0 ? 0 : index) % PALETTE.length];
}

// Draws the graph of `ids` (all nodes when omitted) into `container`; `focus` is highlighted.
function drawGraph(container, ids, focus) {
  const shown = new Set(ids || DATA.nodes.map(n => n.id));
  const nodes = DATA.nodes.filter(n => shown.has(n.id));
  if (!nodes.length) {
    container.append(Object.assign(document.createElement('div'), { className: 'empty-state', textContent: 'No models, seeds or sources yet.' }));
    return null;
  }
  const used = [...new Set(nodes.map(n => n.column))].sort((a, b) => a - b);
  const colIndex = new Map(used.map((c, i) => [c, i]));
  const columns = used.map(() => []);
  nodes.forEach(n => columns[colIndex.get(n.column)].push(n));
  columns.forEach(col => col.sort((a, b) => a.name.localeCompare(b.name)));
  const pos = new Map();
  const index = () => columns.forEach(col => col.forEach((n, i) => pos.set(n.id, i - (col.length - 1) / 2)));
  index();
  const parentsOf = n => n.parents.filter(p => shown.has(p));
  const childrenOf = n => (CHILDREN.get(n.id) || []).filter(c => shown.has(c));
  const mean = list => list.length ? list.reduce((s, id) => s + pos.get(id), 0) / list.length : null;
  for (let sweep = 0; sweep < 6; sweep++) {
    const order = sweep % 2 === 0 ? columns : [...columns].reverse();
    for (const col of order) {
      const key = new Map(col.map(n => [n.id, mean(sweep % 2 === 0 ? parentsOf(n) : childrenOf(n)) ?? pos.get(n.id)]));
      col.sort((a, b) => key.get(a.id) - key.get(b.id) || a.name.localeCompare(b.name));
      index();
    }
  }
  const H = 40, GX = 40, GY = 14, PAD = 18, TOP = 44, MIN_W = 150, MAX_W = 250;
  // Each column is as wide as its longest name needs (within bounds), measured off-screen.
  const probe = svg('svg', { width: 0, height: 0, style: 'position:absolute;visibility:hidden' });
  const text = svg('text', { style: 'font-size:12px' });
  probe.appendChild(text);
  document.body.appendChild(probe);
  const widths = columns.map(col => Math.min(MAX_W, Math.max(MIN_W, ...col.map(n => {
    text.textContent = n.name;
    return Math.ceil(text.getComputedTextLength()) + 26;
  }))));
  probe.remove();
  const left = [];
  widths.reduce((x, w, i) => { left[i] = x; return x + w + GX; }, PAD);
  const tallest = Math.max(1, ...columns.map(c => c.length));
  const height = TOP + tallest * (H + GY) - GY + PAD;
  const width = left[left.length - 1] + widths[widths.length - 1] + PAD;
  const root = svg('svg', { class: 'graph', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    style: 'max-width:100%;height:auto', 'aria-label': 'Project graph' });
  const xy = new Map();
  columns.forEach((col, ci) => {
    const offset = (tallest - col.length) * (H + GY) / 2;
    col.forEach((n, i) => xy.set(n.id, { x: left[ci], y: TOP + offset + i * (H + GY), w: widths[ci] }));
  });
  // Layer bands: one per layer over the columns it uses.
  for (const layer of DATA.layers) {
    const cols = used.map((c, i) => [c, i]).filter(([c]) => c >= layer.firstColumn && c < layer.firstColumn + layer.columnCount);
    if (!cols.length) continue;
    const last = cols[cols.length - 1][1];
    const x0 = left[cols[0][1]] - 10, x1 = left[last] + widths[last] + 10;
    root.appendChild(svg('rect', { class: 'band', x: x0, y: 6, width: x1 - x0, height: height - 12, rx: 10 }));
    const label = svg('text', { class: 'band-label', x: x0 + 12, y: 26 });
    label.textContent = layer.name;
    root.appendChild(label);
    root.appendChild(svg('rect', { x: x0 + 12, y: 30, width: 28, height: 3, rx: 1.5, fill: layerColor(layer.name) }));
  }
  const edges = [];
  for (const n of nodes) for (const p of parentsOf(n)) {
    const a = xy.get(p), b = xy.get(n.id);
    const x1 = a.x + a.w, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
    const dx = Math.max(30, (x2 - x1) / 2);
    const path = svg('path', { class: 'edge', d: `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`,
      'data-from': p, 'data-to': n.id });
    edges.push(path);
    root.appendChild(path);
  }
  const groups = new Map();
  const labels = [];
  for (const n of nodes) {
    const { x, y, w: W } = xy.get(n.id);
    const g = svg('g', { class: 'node' + (n.id === focus ? ' focus' : ''), 'data-id': n.id, transform: `translate(${x},${y})` });
    const title = svg('title');
    title.textContent = `${n.type} ${n.name}` + (n.relation ? `\n${n.relation}` : '');
    g.appendChild(title);
    g.appendChild(svg('rect', { class: 'box', width: W, height: H, rx: 7 }));
    g.appendChild(svg('rect', { class: 'stripe', width: 5, height: H - 2, x: 1, y: 1, rx: 2, fill: layerColor(n.layer) }));
    const label = svg('text', { class: 'name', x: 14, y: 18 });
    label.textContent = n.name;
    g.appendChild(label);
    labels.push([label, W - 22]);
    const sub = svg('text', { class: 'sub', x: 14, y: 31 });
    sub.textContent = n.type === 'model' ? (n.materialized || 'model') + ' · ' + n.columns.length + ' columns'
      : n.type + ' · ' + n.columns.length + ' columns';
    g.appendChild(sub);
    g.addEventListener('click', () => { location.hash = nodeHref(n.id); });
    g.addEventListener('mouseenter', () => highlight(n.id, true));
    g.addEventListener('mouseleave', () => highlight(n.id, false));
    groups.set(n.id, g);
    root.appendChild(g);
  }
  function highlight(id, on) {
    for (const e of edges) {
      if (e.dataset.from === id || e.dataset.to === id) {
        e.classList.toggle('hot', on);
        groups.get(e.dataset.from === id ? e.dataset.to : e.dataset.from).classList.toggle('hot', on);
      }
    }
  }
  root.filterBy = matches => {
    for (const [id, g] of groups) g.classList.toggle('dim', matches !== null && !matches.has(id));
    for (const e of edges) e.classList.toggle('dim', matches !== null && !(matches.has(e.dataset.from) && matches.has(e.dataset.to)));
  };
  container.appendChild(root);
  // Long names: a slightly smaller font first, then an ellipsis (the full name is in the tooltip).
  for (const [label, room] of labels) {
    let size = 12;
    while (label.getComputedTextLength() > room && size > 10) label.style.fontSize = (size -= 0.5) + 'px';
    let text = label.textContent;
    while (label.getComputedTextLength() > room && text.length > 4) {
      text = text.slice(0, -1);
      label.textContent = text + '…';
    }
  }
  return root;
}
