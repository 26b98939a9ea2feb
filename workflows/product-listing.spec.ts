import { test, expect, workflow, expectLanded, open, within } from '../fixtures/index.ts';

// A shopper gives up long before the navigation timeout.
const listingBudgetMs = 10_000;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('Product Listing', workflow({ id: 'product-listing', priority: 'high', schedule: '*/30 * * * *', type: 'PRODUCT', tags: ['catalog'] }),
  async ({ page }) => {
    let term = '';

    await test.step('Open product listing', async () => {
      await within('the product listing loading', listingBudgetMs, (timeout) => open(page, '/products', 'opening the product listing', timeout));
      await expect(page.getByRole('heading', { name: /Fresh Local Products/ }), 'the listing shows "Fresh Local Products"').toBeVisible();
      await expect(page.getByText(/Showing \d+ of \d+ products/), 'the listing shows "Showing N of M products"').toBeVisible();
      await expect(page.getByRole('button', { name: /^Add .+ to cart$/ }).first(), 'the listing shows at least one product').toBeVisible();
    });

    await test.step('Products API answers', async () => {
      const response = await page.request.get('/api/products', { timeout: listingBudgetMs });
      expect(response.status(), `/api/products answered HTTP ${response.status()}`).toBe(200);
      const body = await response.json() as { success?: boolean; data?: { products?: { name?: string }[] } };
      const first = body.data?.products?.[0]?.name;
      expect(first, '/api/products lists no product').toBeTruthy();
      term = String(first).split(/\s+/)[0] ?? '';
    });

    await test.step('Search products', async () => {
      const search = page.getByLabel('Search products');
      await search.fill(term);
      await search.press('Enter');
      await expectLanded(page, new RegExp(`^/products\\?(.*&)?search=${encodeURIComponent(term)}`, 'i'), `searching for "${term}" did not load its results`);
      await expect(page.getByRole('button', { name: new RegExp(`^Add .*${escape(term)}.* to cart$`, 'i') }).first(),
        `no product matching "${term}" is listed`).toBeVisible();
    });

    await test.step('Open a product', async () => {
      await page.getByRole('link', { name: new RegExp(escape(term), 'i') }).first().click();
      await expectLanded(page, /^\/products\/[^/?]+/, 'the product page did not open');
      await expect(page.getByRole('heading').first()).toBeVisible();
    });
  });
