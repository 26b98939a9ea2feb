// A workflow's page (#/workflow/<id>/<hours>): its charts, incidents and executions.
// Built with DOM calls and textContent only (wmUi.el), so a value from the database is never parsed as HTML.
/* global wmUi, wmTimeline */
'use strict';
window.wmWorkflowView = (() => {
  const { el, table, show, ms, api, chart, showDaemon } = wmUi;

  async function showWorkflow(id, hours) {
    const [data, incidents] = await Promise.all([
      api(`/api/workflow?id=${encodeURIComponent(id)}&hours=${hours}`),
      api(`/api/incidents?workflow=${encodeURIComponent(id)}`),
      showDaemon(),
    ]);
    const span = [new Date(data.since).getTime() / 1000, new Date(data.until).getTime() / 1000];
    const attempts = [...data.executions].reverse();
    const runs = attempts.filter((e) => e.final);
    // Run from several locations: one line per location (null where another location's attempt
    // stands), so a location that is slow or failing shows as its own line.
    const locations = data.locations && data.locations.length > 1 ? data.locations : null;
    const palette = ['#2b6cb0', '#dd6b20', '#805ad5', '#1f9d55', '#c53030', '#319795', '#b7791f', '#d53f8c'];
    const byLocation = (list, label, color, value) =>
      locations
        ? locations.map((l, i) => ({
            label: `${label} · ${l}`,
            color: palette[i % palette.length],
            values: list.map((e) => (e.location === l ? value(e) : null)),
          }))
        : [{ label, color, values: list.map(value) }];
    // Success rate so far, by final outcome: per location when split, else over every run.
    const tally = new Map();
    const rate = (e) => {
      const key = locations ? e.location : '';
      const t = tally.get(key) ?? { passed: 0, runs: 0 };
      t.passed += e.status === 'passed' ? 1 : 0;
      t.runs += 1;
      tally.set(key, t);
      return (t.passed / t.runs) * 100;
    };
    const rates = runs.map((e) => ({ location: e.location, value: rate(e) }));
    const seconds = (list) => list.map((e) => new Date(e.startedAt ?? e.at).getTime() / 1000);
    const label = (h) => (h < 48 ? `${h} h` : `${h / 24} d`);
    const where = locations ? `, by location (${locations.join(', ')})` : '';
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
        `duration (ms), every attempt${where}`,
        seconds(attempts),
        byLocation(attempts, 'duration ms', '#2b6cb0', (e) => e.durationMs),
        span,
      ),
      chart(
        `success rate (%, runs by final outcome, cumulative over the window${where})`,
        seconds(runs),
        byLocation(rates, 'success %', '#1f9d55', (r) => r.value),
        span,
        [0, 100],
        160,
      ),
      chart(
        `web vitals (ms)${where}`,
        seconds(data.vitals),
        locations
          ? byLocation(data.vitals, 'LCP', '#805ad5', (v) => v.lcpMs)
          : [
              { label: 'LCP', color: '#805ad5', values: data.vitals.map((v) => v.lcpMs) },
              { label: 'TTFB', color: '#dd6b20', values: data.vitals.map((v) => v.ttfbMs) },
            ],
        span,
        null,
        160,
      ),
      wmTimeline.section(el, incidents),
      el('h2', {}, 'Steps'),
      table(
        { id: 'steps' },
        ['step', 'avg', 'p95', 'failures'],
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
      table(
        { id: 'executions' },
        ['time', ...(locations ? ['location'] : []), 'status', 'duration', 'failed step', 'error'],
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
            locations ? el('td', {}, e.location) : null,
            el('td', {}, el('span', { class: `badge ${e.status}` }, e.status)),
            el('td', {}, ms(e.durationMs)),
            el('td', {}, e.failedStep ?? ''),
            el('td', {}, (e.error ?? '').split('\n')[0].slice(0, 160)),
          ),
        ),
      ),
    );
  }

  return { show: showWorkflow };
})();
