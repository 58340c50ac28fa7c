// Runs inside a page in headless Chromium (scripts/check-pictures.sh): every label of every
// Graphviz node and namespace cluster of the page's inline SVGs must lie inside its shape as
// the browser lays the text out (Graphviz sized the shapes with its own font metrics):
//   - each corner of the text's box is inside the shape's outline (its first polygon, ellipse
//     or path: SVGGeometryElement.isPointInFill, whatever the fill colour);
//   - no line of the shape (polygon and polyline edges: the arrow of a ServiceAccount, the
//     depth of a box3d) crosses the text's box.
// The result goes into <pre id="check-pictures-result">: one line per label that does not fit,
// then "checked N labels, M outside their shapes".
(function () {
  const inset = 0.75; // px of the text box given up to antialiasing and glyph side bearings
  const problems = [];
  let checked = 0;

  function corners(b) {
    return [[b.x + inset, b.y + inset], [b.x + b.width - inset, b.y + inset],
            [b.x + inset, b.y + b.height - inset], [b.x + b.width - inset, b.y + b.height - inset]];
  }
  function inside(shape, x, y) {
    const p = shape.ownerSVGElement.createSVGPoint();
    p.x = x; p.y = y;
    return shape.isPointInFill(p);
  }
  // Whether segment (x1,y1)-(x2,y2) crosses the box (Liang–Barsky clipping).
  function crosses(b, x1, y1, x2, y2) {
    const xmin = b.x + inset, xmax = b.x + b.width - inset, ymin = b.y + inset, ymax = b.y + b.height - inset;
    let t0 = 0, t1 = 1;
    const dx = x2 - x1, dy = y2 - y1;
    for (const [p, q] of [[-dx, x1 - xmin], [dx, xmax - x1], [-dy, y1 - ymin], [dy, ymax - y1]]) {
      if (p === 0) { if (q < 0) return false; continue; }
      const r = q / p;
      if (p < 0) { if (r > t1) return false; if (r > t0) t0 = r; }
      else { if (r < t0) return false; if (r < t1) t1 = r; }
    }
    return true;
  }
  function edges(el) {
    const pts = [...el.points].map(p => [p.x, p.y]);
    const out = [];
    for (let i = 0; i + 1 < pts.length; i++) out.push([pts[i], pts[i + 1]]);
    if (el.tagName === 'polygon' && pts.length > 2) out.push([pts[pts.length - 1], pts[0]]);
    return out;
  }

  document.querySelectorAll('svg').forEach((svg, index) => {
    svg.querySelectorAll('g.node, g.cluster').forEach(g => {
      const isCluster = g.classList.contains('cluster');
      const title = (g.querySelector('title') || {}).textContent || g.id;
      const outline = g.querySelector('polygon, ellipse, path');
      if (!outline || !outline.isPointInFill) return;
      // Lines that must not cross a label: a node's polygons and polylines; a cluster's outline.
      const lines = isCluster ? [] : [...g.querySelectorAll('polygon, polyline')];
      g.querySelectorAll('text').forEach(t => {
        if (!t.textContent.trim()) return;
        checked++;
        const b = t.getBBox();
        const why = [];
        if (!corners(b).every(([x, y]) => inside(outline, x, y))) why.push('outside the outline');
        if (lines.some(l => edges(l).some(([a, c]) => crosses(b, a[0], a[1], c[0], c[1])))) why.push('crossed by a line');
        if (why.length) {
          problems.push(`svg ${index + 1}, ${isCluster ? 'cluster' : 'node'} "${title}": "${t.textContent.trim()}" ${why.join(', ')}`);
        }
      });
    });
  });
  const pre = document.createElement('pre');
  pre.id = 'check-pictures-result';
  pre.textContent = problems.concat([`checked ${checked} labels, ${problems.length} outside their shapes`]).join('\n');
  document.body.appendChild(pre);
})();
