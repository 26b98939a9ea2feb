// Error answers: JSON under /api, a full page (header included) everywhere else, as a
// Next.js app renders its not-found and error boundaries.
import { html } from './html.ts';
import { sendHtml, sendJson } from './http.ts';
import { renderPage } from './layout.ts';
import type { RequestContext } from './router.ts';

function wantsJson(ctx: RequestContext): boolean {
  return ctx.url.pathname.startsWith('/api/') || ctx.url.pathname.startsWith('/__demo/');
}

export function notFound(ctx: RequestContext): void {
  if (wantsJson(ctx)) {
    sendJson(ctx.res, 404, { success: false, error: 'Not found' });
    return;
  }
  const main = html`<section class="error-page">
    <h1>Page Not Found</h1>
    <p>We couldn't find the page you were looking for.</p>
    <p><a class="button" href="/products">Browse products</a></p>
  </section>`;
  sendHtml(ctx.res, 404, renderPage(ctx, { title: 'Not Found', main }));
}

export function serverError(ctx: RequestContext): void {
  if (ctx.res.headersSent) {
    ctx.res.destroy();
    return;
  }
  if (wantsJson(ctx)) {
    sendJson(ctx.res, 500, { success: false, error: 'Internal server error' });
    return;
  }
  const main = html`<section class="error-page">
    <h1>Something went wrong</h1>
    <p>An unexpected error occurred. Please try again in a moment.</p>
    <p><a class="button" href="/">Go home</a></p>
  </section>`;
  sendHtml(ctx.res, 500, renderPage(ctx, { title: 'Error', main }));
}

export function methodNotAllowed(ctx: RequestContext): void {
  sendJson(ctx.res, 405, { success: false, error: `Method ${ctx.req.method ?? ''} not allowed` });
}
