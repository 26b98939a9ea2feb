// The workflow page's uPlot charts. The x axis covers exactly the chosen window whatever the data
// (one point does not stretch it to years); y ranges are fixed where the unit has bounds
// (success 0-100 %) and start at 0 otherwise. Each chart's box carries its scales as data
// attributes (data-x-min, data-x-max, data-y-min, data-y-max, unix seconds / values) for tests.
/* global uPlot */
'use strict';
window.wmCharts = (() => {
  /** series: [{ label, color, values }] (null values: a gap the line spans, e.g. another location's attempt); window: [fromSeconds, toSeconds]; y: [min, max] or null (0..auto). */
  function chart(el, { title, xs, series, window: [from, to], y = null, height = 200, width }) {
    const box = el('div', { class: 'chart' }, el('div', { class: 'muted' }, title));
    if (xs.length === 0 || typeof uPlot === 'undefined') {
      box.append(el('div', { class: 'empty' }, 'no data in this window'));
      return { box, plot: null };
    }
    const record = (u) => {
      for (const key of ['x', 'y']) {
        box.dataset[`${key}Min`] = String(u.scales[key].min);
        box.dataset[`${key}Max`] = String(u.scales[key].max);
      }
    };
    const opts = {
      width,
      height,
      scales: {
        x: { time: true, range: () => [from, to] },
        y: { range: (_u, _min, max) => y ?? [0, max > 0 ? max * 1.1 : 1] },
      },
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          spanGaps: true,
          points: { show: xs.length < 60 },
        })),
      ],
      axes: [{}, { size: 60 }],
      hooks: { setScale: [record], ready: [record] },
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)], box);
    record(plot);
    return { box, plot };
  }
  return { chart };
})();
