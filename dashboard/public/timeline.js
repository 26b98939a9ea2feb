// The workflow page's incident timeline: one row per DOWN episode, newest first, with the alerts
// sent for it. Text only.
'use strict';
window.wmTimeline = (() => {
  const span = (ms) => {
    const m = Math.max(1, Math.round(ms / 60_000));
    return m < 60
      ? `${m} min`
      : m < 2880
        ? `${Math.floor(m / 60)} h ${m % 60} min`
        : `${Math.floor(m / 1440)} d ${Math.floor(m / 60) % 24} h`;
  };
  function section(el, incidents) {
    return el(
      'div',
      { id: 'incidents' },
      el('h2', {}, 'Incidents (90 days)'),
      incidents.length === 0
        ? el('div', { class: 'empty' }, 'No incident: this workflow was not DOWN in the last 90 days.')
        : el(
            'table',
            {},
            el(
              'tr',
              {},
              ['start', 'end', 'duration', 'cause', 'alerts sent'].map((h) => el('th', {}, h)),
            ),
            incidents.map((i) =>
              el(
                'tr',
                { 'data-open': i.end ? null : 'true' },
                el('td', {}, new Date(i.start).toLocaleString()),
                el('td', {}, i.end ? new Date(i.end).toLocaleString() : 'ongoing'),
                el('td', {}, span(i.durationMs)),
                el('td', {}, i.cause),
                el(
                  'td',
                  {},
                  i.alerts.length === 0
                    ? 'none'
                    : el(
                        'ul',
                        { class: 'recommendations' },
                        i.alerts.map((a) =>
                          el(
                            'li',
                            {},
                            `${new Date(a.at).toLocaleTimeString()} ${a.kind} via ${a.channel}: ${a.result}`,
                          ),
                        ),
                      ),
                ),
              ),
            ),
          ),
    );
  }
  return { section };
})();
