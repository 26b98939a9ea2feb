// A tile's beat bar: one cell per execution (oldest left), coloured by outcome, its time,
// duration and outcome as the hover title, a click opening the execution. Text only.
'use strict';
window.wmBeats = (() => {
  const duration = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
  function bar(el, beats) {
    const cells = beats.map((b) =>
      el('a', {
        class: `beat ${b.status}`,
        href: `#/execution/${b.id}/${encodeURIComponent(b.at)}`,
        'data-status': b.status,
        title: `${new Date(b.at).toLocaleString()} · ${duration(b.ms)} · ${b.status}`,
        'aria-label': `${b.status} ${new Date(b.at).toLocaleString()}`,
        onclick: (e) => e.stopPropagation(),
      }),
    );
    return el('div', { class: 'beats', 'aria-label': `last ${beats.length} executions` }, cells);
  }
  return { bar };
})();
