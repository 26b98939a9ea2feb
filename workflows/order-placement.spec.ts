import { test, expect, workflow, expectLanded, signIn, open } from '../fixtures/index.ts';
import type { Page } from '@playwright/test';

const cartCount = async (page: Page): Promise<number> => {
  const text = await page.getByRole('banner').getByRole('link', { name: /cart/i }).first().innerText();
  return Number(/\d+/.exec(text)?.[0] ?? 0);
};

const tomorrow = (): string => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

test('Order Placement', workflow({ id: 'order-placement', priority: 'critical', schedule: '*/20 * * * *', type: 'ORDER', tags: ['checkout'] }),
  async ({ page, account }) => {
    await test.step('Sign in as customer', async () => {
      await signIn(page, account.customer);
    });

    await test.step('Add a product to the cart', async () => {
      await open(page, '/products');
      const before = await cartCount(page);
      await page.getByRole('button', { name: /^Add .+ to cart$/ }).first().click();
      await expect(page.getByText('Added to cart').first(), 'adding to the cart shows no "Added to cart"').toBeVisible();
      await expect.poll(() => cartCount(page), { message: 'the cart count in the header did not go up' }).toBeGreaterThan(before);
    });

    await test.step('Proceed to checkout', async () => {
      await open(page, '/cart');
      const proceed = page.getByRole('button', { name: 'Proceed to Checkout' })
        .or(page.getByRole('link', { name: 'Proceed to Checkout' })).first();
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
      await page.getByRole('button', { name: 'Continue to Delivery' }).click();
    });

    await test.step('Delivery slot', async () => {
      await page.locator('#preferredDate').fill(tomorrow());
      await page.getByRole('radio').first().check();
      await page.getByRole('button', { name: 'Continue to Payment' }).click();
    });

    await test.step('Payment with test card', async () => {
      // On the platform this is Stripe's Payment Element: its fields live in an iframe.
      const card = page.frameLocator('iframe[title*="payment" i]').first();
      await card.getByLabel('Card number').fill('4242 4242 4242 4242');
      await card.getByLabel('Expiration date').fill(`12 / ${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`);
      await card.getByLabel('Security code').fill('123');
      await page.getByRole('button', { name: /continue to review|review order/i }).click();
    });

    await test.step('Review and place order', async () => {
      await page.getByRole('checkbox', { name: /terms/i }).check();
      await page.getByRole('button', { name: 'Place Order' }).click();
      await expectLanded(page, /^\/orders\/[^/]+\/confirmation/, 'the order was not placed');
      await expect(page.getByText(/ORD-[\w-]+/).first(), 'the confirmation shows no order number').toBeVisible();
    });
  });
