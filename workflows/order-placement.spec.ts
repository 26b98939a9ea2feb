import { test, expect, workflow, expectLanded, signIn, open, cartCount, named, startsWith } from '../fixtures/index.ts';
import type { Page } from '@playwright/test';

const tomorrow = (): string => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const linkOrButton = (page: Page, name: RegExp) =>
  page.getByRole('button', { name }).or(page.getByRole('link', { name })).first();

test(
  'Order Placement',
  workflow({
    id: 'order-placement',
    priority: 'critical',
    schedule: '*/20 * * * *',
    type: 'ORDER',
    tags: ['checkout'],
  }),
  async ({ page, account }) => {
    await test.step('Sign in as customer', async () => {
      await signIn(page, account.customer);
    });

    await test.step('Add a product to the cart', async () => {
      await open(page, '/products');
      const before = await cartCount(page);
      await page
        .getByRole('button', { name: /^\s*Add\s+.+\s+to\s+cart\s*$/i })
        .first()
        .click();
      // The "Added to cart" toast may come and go before anyone looks: the lasting evidence
      // is the header's count (its indicator may turn from a link into a button meanwhile).
      await expect
        .poll(() => cartCount(page).catch(() => -1), {
          message: `the cart count in the header did not go up from ${before}`,
          timeout: 15_000,
        })
        .toBeGreaterThan(before);
    });

    await test.step('Proceed to checkout', async () => {
      await open(page, '/cart');
      const proceed = linkOrButton(page, startsWith('Proceed to Checkout'));
      await expect(proceed, 'the cart has no "Proceed to Checkout"').toBeVisible();
      await proceed.click();
      await expectLanded(page, '/checkout', 'checkout did not open');
    });

    await test.step('Shipping details', async () => {
      await page.locator('#fullName').fill('Monitor Customer');
      await page.locator('#phone').fill('5035550100');
      await page.locator('#street').fill('100 Monitor Way');
      await page.locator('#city').fill('Portland');
      await page.locator('#state').fill('OR');
      await page.locator('#zipCode').fill('97201');
      await page.getByRole('button', { name: named('Continue to Delivery') }).click();
    });

    await test.step('Delivery slot', async () => {
      await page.locator('#preferredDate').fill(tomorrow());
      // Any slot that can be chosen; some may be sold out (disabled).
      await page.getByRole('radio', { disabled: false }).first().check();
      await page.getByRole('button', { name: named('Continue to Payment') }).click();
    });

    await test.step('Payment with test card', async () => {
      // On the platform this is Stripe's Payment Element: its fields live in an iframe.
      const card = page.frameLocator('iframe[title*="payment" i]').first();
      await card.getByLabel(named('Card number')).fill('4242 4242 4242 4242');
      await card
        .getByLabel(named('Expiration date'))
        .fill(`12 / ${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`);
      await card.getByLabel(named('Security code')).fill('123');
      await page
        .getByRole('button', { name: /^[^\p{L}\p{N}]*(continue\s+to\s+review|review\s+order)(?![\p{L}\p{N}])/iu })
        .click();
    });

    await test.step('Review and place order', async () => {
      await page.getByRole('checkbox', { name: /terms/i }).check();
      await page.getByRole('button', { name: startsWith('Place Order') }).click();
      await expectLanded(page, /^\/orders\/[^/]+\/confirmation/, 'the order was not placed');
      await expect(page.getByText(/ORD-[\w-]+/).first(), 'the confirmation shows no order number').toBeVisible();
    });
  },
);
