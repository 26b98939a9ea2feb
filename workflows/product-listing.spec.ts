import { test, expect, workflow, expectLanded, open, within, named, escapeRegExp } from '../fixtures/index.ts';

// A shopper gives up long before the navigation timeout.
const listingBudgetMs = 10_000;
const addButton = (product: string) => new RegExp(`^\\s*Add\\s+${product}\\s+to\\s+cart\\s*$`, 'i');

test(
  'Product Listing',
  workflow({ id: 'product-listing', priority: 'high', schedule: '*/30 * * * *', type: 'PRODUCT', tags: ['catalog'] }),
  async ({ page }) => {
    let product = '';
    let term = '';

    await test.step('Open product listing', async () => {
      await within('the product listing loading', listingBudgetMs, (timeout) =>
        open(page, '/products', 'opening the product listing', timeout),
      );
      await expect(
        page.getByRole('heading', { name: /Fresh\s+Local\s+Products/i }),
        'the listing shows "Fresh Local Products"',
      ).toBeVisible();
      await expect(
        page.getByText(/Showing\s+\d+\s+of\s+\d+\s+products/i).first(),
        'the listing shows "Showing N of M products"',
      ).toBeVisible();
      await expect(
        page.getByRole('button', { name: addButton('.+') }).first(),
        'the listing shows at least one product',
      ).toBeVisible();
    });

    await test.step('Products API answers', async () => {
      const response = await page.request.get('/api/products', { timeout: listingBudgetMs });
      expect(response.status(), `/api/products answered HTTP ${response.status()}`).toBe(200);
      const body = (await response.json()) as { success?: boolean; data?: { products?: { name?: string }[] } };
      product = String(body.data?.products?.[0]?.name ?? '').trim();
      expect(product, '/api/products lists no product').toBeTruthy();
      term = product.split(/\s+/)[0] ?? '';
    });

    await test.step('Search products', async () => {
      const search = page.getByLabel(named('Search products'));
      await search.fill(term);
      await search.press('Enter');
      await expectLanded(
        page,
        new RegExp(`^/products\\?(.*&)?search=${escapeRegExp(encodeURIComponent(term))}`, 'i'),
        `searching for "${term}" did not load its results`,
      );
      await expect(
        page.getByRole('button', { name: addButton(escapeRegExp(product)) }).first(),
        `"${product}" is not among the results for "${term}"`,
      ).toBeVisible();
    });

    await test.step('Open a product', async () => {
      // The card's link is named after the product; other links may mention it too.
      await page
        .getByRole('link', { name: named(product) })
        .first()
        .click();
      await expectLanded(page, /^\/products\/[^/?]+/, `the page of "${product}" did not open`);
      await expect(page.getByRole('heading').first()).toBeVisible();
    });
  },
);
