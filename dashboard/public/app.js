// The dashboard page's router: hash routes (#/, #/workflow/<id>, #/execution/<id>/<start>,
// #/run/<run>/<workflow>) to the views in overview.js, workflow-view.js and execution-view.js,
// and the live poll that redraws the current view when the data changes.
/* global wmUi, wmOverview, wmWorkflowView, wmExecutionView */
'use strict';
(() => {
  const { el, show, api, clearCharts, state } = wmUi;

  async function render(polled) {
    clearCharts();
    state.version = polled ?? state.version;
    const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    try {
      if (parts[0] === 'workflow' && parts[1]) await wmWorkflowView.show(parts[1], Number(parts[2]) || 24);
      else if (parts[0] === 'execution' && parts[1])
        await wmExecutionView.show(`id=${encodeURIComponent(parts[1])}&at=${encodeURIComponent(parts[2] || '')}`);
      else if (parts[0] === 'run' && parts[2])
        await wmExecutionView.show(`run=${encodeURIComponent(parts[1])}&workflow=${encodeURIComponent(parts[2])}`);
      else await wmOverview.show();
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
      if (state.version === null) state.version = now;
      else if (now !== state.version) await render(now);
    } catch {
      /* the next poll tries again */
    }
    setTimeout(poll, 3000);
  }
  state.rerender = render;
  window.addEventListener('hashchange', render);
  render().then(poll);
})();
