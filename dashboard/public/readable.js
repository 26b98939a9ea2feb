// Stored JSON shown as text a person reads: report recommendations ("[warning] User Login failed
// 4 of 12 runs. Look at ..."), and a health check's payload as a table of checks with their
// figures. Values are always set as text, never parsed as HTML.
'use strict';
window.wmReadable = (() => {
  const words = (key) =>
    key
      .replace(/_/g, ' ')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
  const unitOf = { latency: ' ms', responseTime: ' ms', response_time_ms: ' ms', uptime: ' s', percentage: ' %' };
  /** "latency 69 ms, memory used 72 / total 102 (70.65 %)" for one check's figures. */
  function figures(value, key = '') {
    if (value === null || value === undefined) return '–';
    if (typeof value !== 'object') return `${value}${unitOf[key] ?? ''}`;
    if (Array.isArray(value)) return value.map((v) => figures(v)).join(', ');
    return Object.entries(value)
      .map(([k, v]) => `${words(k)} ${figures(v, k)}`)
      .join(', ');
  }

  function recommendation(el, r) {
    if (typeof r === 'string') return el('li', {}, r);
    if (!r || typeof r !== 'object') return el('li', {}, String(r));
    const text = [r.subject, r.finding].filter(Boolean).join(' ') || r.message || r.title || figures(r);
    return el(
      'li',
      {},
      r.severity ? el('span', { class: `badge ${r.severity}` }, r.severity) : null,
      ' ',
      text,
      r.action ? el('div', { class: 'muted' }, `→ ${r.action}`) : null,
    );
  }

  const verdict = (b) => (b === true ? 'healthy' : b === false ? 'unhealthy' : 'not reported');

  /** The health check row (healthy, status, response_time_ms, *_healthy, payload) as text. */
  function health(el, h) {
    const payload = h.payload && typeof h.payload === 'object' ? h.payload : {};
    const checks = payload.checks && typeof payload.checks === 'object' ? payload.checks : {};
    const rows = Object.entries(checks).map(([name, c]) => {
      const { status, message, ...rest } = c && typeof c === 'object' ? c : { status: c };
      return el(
        'tr',
        {},
        el('td', {}, name),
        el('td', {}, el('span', { class: `badge ${status}` }, String(status ?? '–'))),
        el('td', {}, [message, Object.keys(rest).length ? figures(rest) : null].filter(Boolean).join(' · ')),
      );
    });
    const others = Object.entries(payload)
      .filter(([k]) => k !== 'checks' && k !== 'status')
      .map(([k, v]) => `${words(k)} ${figures(v, k)}`);
    return el(
      'div',
      { id: 'health' },
      el(
        'p',
        {},
        `Overall ${h.healthy ? 'healthy' : 'unhealthy'} (the target said "${h.status}") in ${h.response_time_ms ?? '–'} ms. `,
        `Database ${verdict(h.database_healthy)}, API ${verdict(h.api_healthy)}, cache ${verdict(h.cache_healthy)}.`,
      ),
      rows.length
        ? el(
            'table',
            {},
            el(
              'tr',
              {},
              ['check', 'status', 'details'].map((x) => el('th', {}, x)),
            ),
            rows,
          )
        : null,
      others.length ? el('p', { class: 'muted' }, others.join(' · ')) : null,
    );
  }
  return { recommendation, health };
})();
