// An execution's page (#/execution/<id>/<start>, #/run/<run>/<workflow>): steps, cause, evidence, artifacts, health.
// Built with DOM calls and textContent only (wmUi.el), so a value from the database is never parsed as HTML.
/* global wmUi, wmReadable */
'use strict';
window.wmExecutionView = (() => {
  const { el, table, show, ms, api, showDaemon } = wmUi;

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
      table(
        { id: 'evidence' },
        ['time', 'step', 'what', 'detail'],
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
      table(
        {},
        ['#', 'step', 'duration', 'error'],
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

  return { show: showExecution };
})();
