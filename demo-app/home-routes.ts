// The landing page, where a successful sign-in lands (TARGET.md).
import { html } from './html.ts';
import { sendHtml } from './http.ts';
import { renderPage } from './layout.ts';
import type { RequestContext, Route } from './router.ts';
import { formatPrice } from './store.ts';

function home(ctx: RequestContext): void {
  const store = ctx.app.store;
  const featured = [...store.products.values()].slice(0, 4);
  const user = ctx.user;
  const main = html`<section class="hero">
  <h1>Fresh Food from Local Farms</h1>
  <p class="subtitle">Buy seasonal produce directly from the farmers who grow it.</p>
  ${user ? html`<p class="welcome">Welcome back, ${user.name}!</p>` : ''}
  <p class="hero-actions">
    <a class="button button-large" href="/products">Browse Products</a>
    ${
      user?.role === 'FARMER'
        ? html`<a class="button button-large button-ghost" href="/farmer/dashboard">Farmer Dashboard</a>`
        : user
          ? ''
          : html`<a class="button button-large button-ghost" href="/signup?role=farmer">Sell on the market</a>`
    }
  </p>
</section>
<section>
  <h2>Featured this week</h2>
  <ul class="featured-list">${featured.map(
    (p) => html`<li class="card">
    <a href="/products/${p.slug}">${p.name}</a>
    <span class="muted">${formatPrice(p.priceCents)} / ${p.unit} · ${store.farmOf(p).name}</span>
  </li>`,
  )}</ul>
</section>`;
  sendHtml(ctx.res, 200, renderPage(ctx, { title: 'Home', main }));
}

export const homeRoutes: Route[] = [{ methods: ['GET'], path: '/', kind: 'page', handler: home }];
