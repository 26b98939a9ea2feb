// The overview (#/): tiles per workflow with state, beat bar and sparkline, filters by priority and tag,
// a page of tiles at a time (the server filters and pages: /api/overview?page=&priority=&tag=).
// Built with DOM calls and textContent only (wmUi.el), so a value from the database is never parsed as HTML.
/* global wmUi, wmReadable, wmBeats */
'use strict';
window.wmOverview = (() => {
  const { el, table, show, ms, pct, ago, api, sparkline, stateText, showDaemon, state } = wmUi;
  let page = 1;

  // Beats arrive as [id, started at (epoch ms), duration ms, status], oldest first.
  const beatsOf = (w) =>
    (w.beats || []).map(([id, at, ms, status]) => ({ id, at: new Date(at).toISOString(), ms, status }));

  function pager(data) {
    if (data.pages <= 1) return null;
    const go = (n) => () => {
      page = n;
      state.rerender();
    };
    const button = (label, n, disabled) =>
      el(
        'button',
        { type: 'button', class: 'pager-button', disabled: disabled ? 'disabled' : null, onclick: go(n) },
        label,
      );
    const first = (data.page - 1) * data.pageSize + 1;
    return el(
      'div',
      { class: 'pager', role: 'navigation', 'aria-label': 'tile pages' },
      button('‹ previous', data.page - 1, data.page <= 1),
      el(
        'span',
        { class: 'muted' },
        `page ${data.page} of ${data.pages} · workflows ${first}–${first + data.workflows.length - 1} of ${data.matching}`,
      ),
      button('next ›', data.page + 1, data.page >= data.pages),
    );
  }

  async function showOverview() {
    const query = new URLSearchParams({ page: String(page), ...state.filters });
    const data = await api(`/api/overview?${query}`);
    page = data.page;
    state.version = data.version;
    await showDaemon(data.daemon);
    const tags = data.tags;
    const shown = data.workflows;
    const select = (name, values) =>
      el(
        'select',
        {
          'aria-label': name,
          onchange: (e) => {
            state.filters[name] = e.target.value;
            page = 1;
            state.rerender();
          },
        },
        el('option', { value: '' }, `all ${name === 'priority' ? 'priorities' : 'tags'}`),
        values.map((v) => el('option', { value: v, selected: state.filters[name] === v ? 'selected' : null }, v)),
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
        w.locations
          ? el(
              'div',
              { class: 'locations', 'aria-label': 'locations' },
              w.locations.map((l) =>
                el(
                  'span',
                  { class: `loc ${l.status === 'passed' ? 'up' : 'failing'}`, title: `last run ${l.startedAt}` },
                  `${l.status === 'passed' ? '✓' : '✗'} ${l.location} · ${ago(l.startedAt)}`,
                ),
              ),
            )
          : null,
        sparkline(beatsOf(w).slice(-20)),
        wmBeats.bar(el, beatsOf(w)),
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
      shown.length
        ? el('div', { class: 'tile-pages' }, pager(data), el('div', { class: 'tiles' }, tiles), pager(data))
        : el('div', { class: 'empty' }, data.total ? 'No workflow matches the filters.' : 'No workflow has run yet.'),
      el('h2', {}, 'Notifications'),
      logs.length
        ? table(
            { id: 'notifications' },
            ['time', 'channel', 'kind', 'title', 'result'],
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
        ? table(
            { id: 'reports' },
            ['period', 'kind', 'executions', 'success', 'p95', 'recommendations'],
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

  return { show: showOverview };
})();
