// The dashboard's shared pieces: DOM building (textContent only, so a value from the database is
// never parsed as HTML), number and time formats, the JSON API, charts, the daemon line and the
// problems banner, and the page's state (data version, filters, how to redraw).
/* global wmCharts */
'use strict';
window.wmUi = (() => {
  const view = document.getElementById('view');
  /** The data version the current view shows, the overview's filters, and the router's redraw. */
  const state = { version: null, filters: { priority: '', tag: '' }, rerender: () => {} };
  let charts = [];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children.flat())
      if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }
  /** A table: one row of `headers`, then `rows` (tr elements). */
  const table = (attrs, headers, rows) =>
    el(
      'table',
      attrs,
      el(
        'tr',
        {},
        headers.map((h) => el('th', {}, h)),
      ),
      rows,
    );
  /** Replaces the view; absent parts (null) are left out rather than printed. */
  const show = (...nodes) => view.replaceChildren(...nodes.filter((n) => n !== null && n !== undefined));
  const ms = (v) =>
    v === null || v === undefined ? '–' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`;
  const pct = (v) => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);
  const ago = (iso) => {
    if (!iso) return 'never';
    const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
    return s < 90
      ? `${s} s ago`
      : s < 5400
        ? `${Math.round(s / 60)} min ago`
        : s < 172800
          ? `${Math.round(s / 3600)} h ago`
          : `${Math.round(s / 86400)} d ago`;
  };
  async function api(path) {
    const res = await fetch(path, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
    return res.json();
  }
  function sparkline(points) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 200 36');
    svg.setAttribute('class', 'sparkline');
    svg.setAttribute('width', '100%');
    svg.setAttribute('height', '36');
    if (points.length === 0) return svg;
    const max = Math.max(...points.map((p) => p.ms), 1);
    const step = points.length > 1 ? 196 / (points.length - 1) : 0;
    const xy = points.map((p, i) => [2 + i * step, 34 - (p.ms / max) * 30]);
    const line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#4a5568');
    line.setAttribute('stroke-width', '1.5');
    svg.append(line);
    points.forEach((p, i) => {
      if (p.status === 'passed') return;
      const dot = document.createElementNS(ns, 'circle');
      dot.setAttribute('cx', String(xy[i][0]));
      dot.setAttribute('cy', String(xy[i][1]));
      dot.setAttribute('r', '2.5');
      dot.setAttribute('fill', '#d64545');
      svg.append(dot);
    });
    return svg;
  }
  function chart(title, xs, series, span, y, height = 200) {
    const { box, plot } = wmCharts.chart(el, {
      title,
      xs,
      series,
      window: span,
      y,
      height,
      width: Math.min(1200, view.clientWidth - 40),
    });
    if (plot) charts.push(plot);
    return box;
  }
  async function showDaemon(d) {
    const s = d ?? (await api('/api/daemon'));
    const spool = s.spoolBacklog ? ` · ${s.spoolBacklog} row(s) waiting in the outbox` : '';
    const dead = s.deadLetters ? ` · ${s.deadLetters} dead letter(s) in outbox/dead/` : '';
    const cap = s.capacity ? ` · due work ${s.capacity.ratio.toFixed(2)}x capacity` : '';
    // The runner registry (issue 16): where the monitoring runs from and when each place was last seen.
    const places = (s.locations || []).filter((l) => l.location !== 'local' || s.locations.length > 1);
    const where = places.length
      ? ` · locations: ${places.map((l) => `${l.location} ${l.offline ? 'OFFLINE, ' : ''}seen ${ago(l.lastSeenAt)}`).join(', ')}`
      : '';
    document.getElementById('daemon').textContent =
      `daemon: ${s.status || 'unknown'} · last tick ${ago(s.lastTickAt)} · database ${s.databaseReachable === false ? 'unreachable' : 'ok'} · running ${s.runningInvocations ?? s.running ?? 0}${spool}${dead}${cap}${where}`;
    // A schedule that cannot be met (capacity) is a warning in the same banner as a broken spec.
    const capacity = s.capacity && s.capacity.warning ? [`Capacity: ${s.capacity.warning}`] : [];
    showProblems([...(s.problems || []), ...capacity]);
  }
  /** "UP", "DOWN", or for a failing run short of the alert threshold "1 failure, alert after 2". */
  function stateText(w) {
    if (w.state !== 'failing') return w.state;
    const n = w.consecutiveFailures ?? 1;
    return `${n} failure${n === 1 ? '' : 's'}${w.alertAfterFailures ? `, alert after ${w.alertAfterFailures}` : ''}`;
  }
  function clearCharts() {
    for (const c of charts) c.destroy();
    charts = [];
  }

  // The daemon's problems (a spec file that does not load): a banner above every page.
  function showProblems(problems) {
    const box = document.getElementById('problems');
    box.replaceChildren(...problems.map((p) => el('div', {}, `⚠ ${p}`)));
    box.hidden = problems.length === 0;
  }

  return {
    view,
    el,
    table,
    show,
    ms,
    pct,
    ago,
    api,
    sparkline,
    chart,
    stateText,
    clearCharts,
    showProblems,
    showDaemon,
    state,
  };
})();
