// The dashboard page: hash routes (#/, #/workflow/<id>, #/execution/<id>/<start>, #/run/<run>/<workflow>), built with DOM
// calls and textContent only, so a value from the database is never parsed as HTML.
/* global wmCharts, wmReadable, wmBeats, wmTimeline */
'use strict';
(() => {
  const view = document.getElementById('view');
  const filters = { priority: '', tag: '' };
  /** The data version the current view shows (the overview says which; other views: when drawn). */
  let version = null;
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
    document.getElementById('daemon').textContent =
      `daemon: ${s.status || 'unknown'} · last tick ${ago(s.lastTickAt)} · database ${s.databaseReachable === false ? 'unreachable' : 'ok'} · running ${s.runningInvocations ?? s.running ?? 0}${spool}${dead}`;
    showProblems(s.problems || []);
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

  async function showOverview() {
    const data = await api('/api/overview');
    version = data.version;
    await showDaemon(data.daemon || {});
    const tags = [...new Set(data.workflows.flatMap((w) => w.tags))].sort();
    const shown = data.workflows.filter(
      (w) => (!filters.priority || w.priority === filters.priority) && (!filters.tag || w.tags.includes(filters.tag)),
    );
    const select = (name, values) =>
      el(
        'select',
        {
          'aria-label': name,
          onchange: (e) => {
            filters[name] = e.target.value;
            render();
          },
        },
        el('option', { value: '' }, `all ${name === 'priority' ? 'priorities' : 'tags'}`),
        values.map((v) => el('option', { value: v, selected: filters[name] === v ? 'selected' : null }, v)),
      );
    const tiles = shown.map((w) =>
      el(
        'div',
        {
          class: `tile ${w.state}`,
          'data-workflow': w.id,
          role: 'link',
          tabindex: 0,
          onclick: () => {
            location.hash = `#/workflow/${encodeURIComponent(w.id)}`;
          },
        },
        el(
          'div',
          {},
          el('span', { class: 'name' }, w.name),
          ' ',
          el('span', { class: `badge ${w.state}` }, stateText(w)),
          ' ',
          el('span', { class: `badge ${w.priority}` }, w.priority),
        ),
        el(
          'div',
          { class: 'meta' },
          w.schedule ? w.schedule.description : 'no schedule',
          w.since && w.state !== 'failing' ? ` · ${w.state} since ${ago(w.since)}` : '',
        ),
        el(
          'div',
          { class: 'figures' },
          el(
            'div',
            {},
            el('b', {}, pct(w.successRate24h)),
            el('span', { class: 'muted' }, `success 24 h${w.flaky24h ? ` · ${w.flaky24h} flaky` : ''}`),
          ),
          el('div', {}, el('b', {}, pct(w.successRate7d)), el('span', { class: 'muted' }, 'success 7 d')),
          el('div', {}, el('b', {}, ms(w.p95Ms24h)), el('span', { class: 'muted' }, 'p95 24 h')),
        ),
        sparkline(w.sparkline),
        wmBeats.bar(el, w.beats || []),
        el(
          'div',
          { class: 'meta' },
          w.last
            ? `last run ${ago(w.last.startedAt)}: ${w.last.status}${w.last.failedStep ? ` at "${w.last.failedStep}"` : ''}`
            : 'has not run yet',
        ),
      ),
    );
    const [logs, reports] = await Promise.all([api('/api/notifications'), api('/api/reports')]);
    show(
      el('h1', {}, 'Workflows'),
      el('div', { class: 'filters' }, select('priority', ['critical', 'high', 'medium', 'low']), select('tag', tags)),
      shown.length ? el('div', { class: 'tiles' }, tiles) : el('div', { class: 'empty' }, 'No workflow has run yet.'),
      el('h2', {}, 'Notifications'),
      logs.length
        ? el(
            'table',
            { id: 'notifications' },
            el(
              'tr',
              {},
              ['time', 'channel', 'kind', 'title', 'result'].map((h) => el('th', {}, h)),
            ),
            logs
              .slice(0, 20)
              .map((n) =>
                el(
                  'tr',
                  {},
                  el('td', {}, ago(n.createdAt)),
                  el('td', {}, n.channel),
                  el('td', {}, n.kind),
                  el('td', {}, n.title),
                  el('td', {}, n.throttled ? 'throttled' : n.sent ? 'sent' : `failed: ${n.error ?? ''}`),
                ),
              ),
          )
        : el('div', { class: 'empty' }, 'No notifications yet.'),
      el('h2', {}, 'Reports'),
      reports.length
        ? el(
            'table',
            { id: 'reports' },
            el(
              'tr',
              {},
              ['period', 'kind', 'executions', 'success', 'p95', 'recommendations'].map((h) => el('th', {}, h)),
            ),
            reports.map((r) =>
              el(
                'tr',
                {},
                el('td', {}, new Date(r.periodStart).toLocaleString()),
                el('td', {}, r.kind),
                el('td', {}, r.totalExecutions),
                el('td', {}, pct(r.successRate)),
                el('td', {}, ms(r.p95DurationMs)),
                el(
                  'td',
                  {},
                  el(
                    'ul',
                    { class: 'recommendations' },
                    (r.recommendations || []).slice(0, 5).map((x) => wmReadable.recommendation(el, x)),
                  ),
                ),
              ),
            ),
          )
        : el('div', { class: 'empty' }, 'No reports yet (hourly and daily).'),
    );
  }

  async function showWorkflow(id, hours) {
    const [data, incidents] = await Promise.all([
      api(`/api/workflow?id=${encodeURIComponent(id)}&hours=${hours}`),
      api(`/api/incidents?workflow=${encodeURIComponent(id)}`),
      showDaemon(),
    ]);
    const span = [new Date(data.since).getTime() / 1000, new Date(data.until).getTime() / 1000];
    const attempts = [...data.executions].reverse();
    const runs = attempts.filter((e) => e.final);
    let passed = 0;
    const rate = runs.map((e, i) => {
      passed += e.status === 'passed' ? 1 : 0;
      return (passed / (i + 1)) * 100;
    });
    const seconds = (list) => list.map((e) => new Date(e.startedAt ?? e.at).getTime() / 1000);
    const label = (h) => (h < 48 ? `${h} h` : `${h / 24} d`);
    show(
      el('h1', {}, data.name, ' ', el('span', { class: 'muted' }, id)),
      el(
        'div',
        { class: 'filters' },
        'window: ',
        [1, 24, 168, 720].map((h) =>
          el('a', { href: `#/workflow/${encodeURIComponent(id)}/${h}` }, h === hours ? `[${label(h)}]` : label(h)),
        ),
      ),
      chart(
        'duration (ms), every attempt',
        seconds(attempts),
        [{ label: 'duration ms', color: '#2b6cb0', values: attempts.map((e) => e.durationMs) }],
        span,
      ),
      chart(
        'success rate (%, runs by final outcome, cumulative over the window)',
        seconds(runs),
        [{ label: 'success %', color: '#1f9d55', values: rate }],
        span,
        [0, 100],
        160,
      ),
      chart(
        'web vitals (ms)',
        seconds(data.vitals),
        [
          { label: 'LCP', color: '#805ad5', values: data.vitals.map((v) => v.lcpMs) },
          { label: 'TTFB', color: '#dd6b20', values: data.vitals.map((v) => v.ttfbMs) },
        ],
        span,
        null,
        160,
      ),
      wmTimeline.section(el, incidents),
      el('h2', {}, 'Steps'),
      el(
        'table',
        { id: 'steps' },
        el(
          'tr',
          {},
          ['step', 'avg', 'p95', 'failures'].map((h) => el('th', {}, h)),
        ),
        data.steps.map((s) =>
          el(
            'tr',
            {},
            el('td', {}, s.title),
            el('td', {}, ms(s.avgMs)),
            el('td', {}, ms(s.p95Ms)),
            el('td', {}, s.failures),
          ),
        ),
      ),
      el('h2', {}, 'Recent executions'),
      el(
        'table',
        { id: 'executions' },
        el(
          'tr',
          {},
          ['time', 'status', 'duration', 'failed step', 'error'].map((h) => el('th', {}, h)),
        ),
        data.executions.slice(0, 100).map((e) =>
          el(
            'tr',
            {
              class: 'link',
              'data-status': e.status,
              onclick: () => {
                location.hash = `#/execution/${e.id}/${encodeURIComponent(e.startedAt)}`;
              },
            },
            el('td', {}, new Date(e.startedAt).toLocaleString()),
            el('td', {}, el('span', { class: `badge ${e.status}` }, e.status)),
            el('td', {}, ms(e.durationMs)),
            el('td', {}, e.failedStep ?? ''),
            el('td', {}, (e.error ?? '').split('\n')[0].slice(0, 160)),
          ),
        ),
      ),
    );
  }

  /** One evidence record (fixtures/evidence.ts) as the failure view lists it. */
  const evidenceKinds = {
    'page-error': 'page error',
    'console-error': 'console error',
    'request-failed': 'request failed',
    'http-status': 'HTTP status',
    navigation: 'navigation',
  };
  function evidenceDetail(r) {
    const request = `${r.method || 'GET'} ${r.path || ''}`;
    const took = r.durationMs === undefined ? '' : ` (${ms(r.durationMs)})`;
    if (r.kind === 'http-status') return `${request} answered ${r.status}${took}`;
    if (r.kind === 'request-failed') return `${request} failed: ${r.message || r.failure}${took}`;
    if (r.kind === 'navigation') return `${r.path}${r.status ? ` answered ${r.status}${took}` : ' (client-side)'}`;
    return `${r.message || ''}${r.path ? ` at ${r.path}` : ''}`;
  }
  function evidenceTable(evidence, failedStep) {
    if (!evidence.length) return null;
    return el(
      'div',
      {},
      el('h2', {}, 'Evidence'),
      el(
        'table',
        { id: 'evidence' },
        el(
          'tr',
          {},
          ['time', 'step', 'what', 'detail'].map((h) => el('th', {}, h)),
        ),
        evidence.map((r) =>
          el(
            'tr',
            { class: `evidence ${r.kind}${r.step && r.step === failedStep ? ' in-failed-step' : ''}` },
            el('td', {}, new Date(r.at).toLocaleTimeString()),
            el('td', {}, r.step || '–'),
            el('td', {}, evidenceKinds[r.kind] || r.kind),
            el('td', { class: 'detail' }, evidenceDetail(r)),
          ),
        ),
      ),
    );
  }

  /** query: `id=..&at=..`, or `run=..&workflow=..` (the links in alerts: #/run/<run>/<workflow>). */
  async function showExecution(query) {
    const [{ execution: e, steps, health, cause, causeLine, evidence = [] }] = await Promise.all([
      api(`/api/execution?${query}`),
      showDaemon(),
    ]);
    const artifact = (kind) => `/api/artifact?id=${e.id}&at=${encodeURIComponent(e.startedAt)}&kind=${kind}`;
    show(
      el('h1', {}, `${e.name} `, el('span', { class: `badge ${e.status}` }, e.status)),
      el(
        'p',
        { class: 'muted' },
        `${new Date(e.startedAt).toLocaleString()} · ${ms(e.durationMs)} · run ${e.runId} · retry ${e.retry} · `,
        el('a', { href: `#/workflow/${encodeURIComponent(e.workflowId)}` }, 'all runs of this workflow'),
      ),
      causeLine
        ? el('p', { class: 'cause', id: 'cause' }, el('span', { class: 'badge cause' }, cause), ' ', causeLine)
        : null,
      e.failedStep ? el('p', {}, 'failed step: ', el('b', { id: 'failed-step' }, e.failedStep)) : null,
      e.error ? el('pre', { class: 'error', id: 'error' }, e.error) : null,
      e.hasScreenshot
        ? el(
            'div',
            {},
            el('h2', {}, 'Screenshot'),
            el('img', {
              class: 'screenshot',
              id: 'screenshot',
              alt: 'screenshot at the failure',
              src: artifact('screenshot'),
            }),
          )
        : null,
      e.hasTrace
        ? el(
            'p',
            {},
            el(
              'a',
              {
                id: 'trace-viewer',
                href: `/trace-viewer/index.html?trace=${encodeURIComponent(artifact('trace'))}`,
                target: '_blank',
                rel: 'noopener',
              },
              'Open the trace',
            ),
            " in Playwright's trace viewer · ",
            el('a', { id: 'trace', href: artifact('trace'), download: `trace-${e.id}.zip` }, 'download it'),
            ' · or ',
            el('code', {}, `npx workflow-monitor trace ${e.id}`),
          )
        : null,
      evidenceTable(evidence, e.failedStep),
      el('h2', {}, 'Steps'),
      el(
        'table',
        {},
        el(
          'tr',
          {},
          ['#', 'step', 'duration', 'error'].map((h) => el('th', {}, h)),
        ),
        steps.map((s) =>
          el(
            'tr',
            {},
            el('td', {}, s.index + 1),
            el('td', {}, s.title),
            el('td', {}, ms(s.durationMs)),
            el('td', {}, (s.error ?? '').split('\n')[0]),
          ),
        ),
      ),
      health ? el('div', {}, el('h2', {}, 'Health check'), wmReadable.health(el, health)) : null,
    );
  }

  async function render(polled) {
    clearCharts();
    version = polled ?? version;
    const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    try {
      if (parts[0] === 'workflow' && parts[1]) await showWorkflow(parts[1], Number(parts[2]) || 24);
      else if (parts[0] === 'execution' && parts[1])
        await showExecution(`id=${encodeURIComponent(parts[1])}&at=${encodeURIComponent(parts[2] || '')}`);
      else if (parts[0] === 'run' && parts[2])
        await showExecution(`run=${encodeURIComponent(parts[1])}&workflow=${encodeURIComponent(parts[2])}`);
      else await showOverview();
      document.getElementById('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      show(el('div', { class: 'empty' }, `Could not load: ${error.message}`));
    }
  }

  // Live: a new attempt changes the version; the current view is redrawn without a reload, and
  // again at the next poll while the overview it got is older than the version (it is computed
  // in the background on the server).
  async function poll() {
    try {
      const { version: now } = await api('/api/version');
      if (version === null) version = now;
      else if (now !== version) await render(now);
    } catch {
      /* the next poll tries again */
    }
    setTimeout(poll, 3000);
  }
  window.addEventListener('hashchange', render);
  render().then(poll);
})();
