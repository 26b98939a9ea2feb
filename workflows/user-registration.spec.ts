import { test, expect, workflow, expectLanded, syntheticUser, open } from '../fixtures/index.ts';

test('User Registration', workflow({ id: 'user-registration', priority: 'critical', schedule: '*/30 * * * *', type: 'USER_MANAGEMENT', tags: ['auth'] }),
  async ({ page }) => {
    // A new, recognisably synthetic account per attempt so repeated runs never collide.
    const user = syntheticUser('customer');

    await test.step('Open sign-up page', async () => {
      await open(page, '/signup');
      await expect(page.getByRole('heading', { name: 'Create Your Account' }), 'the sign-up page shows "Create Your Account"').toBeVisible();
    });

    await test.step('Choose the customer role', async () => {
      await page.getByRole('button', { name: /^Customer\b/ }).click();
    });

    await test.step('Fill in account details', async () => {
      await page.getByLabel('Full Name').fill(user.fullName);
      await page.getByLabel('Email Address').fill(user.email);
      await page.getByLabel('Phone Number (Optional)').fill(user.phone);
      await page.getByLabel('Password', { exact: true }).fill(user.password);
      await page.getByLabel('Confirm Password').fill(user.password);
      await page.locator('#agreeToTerms').check();
    });

    await test.step('Create account', async () => {
      await page.getByRole('button', { name: 'Create Account' }).click();
      await expectLanded(page, /^\/login\?(.*&)?registered=true/, 'registration was not accepted');
    });

    await test.step('Sign in with the new account', async () => {
      const form = page.locator('form').filter({ has: page.getByLabel('Email Address') });
      await form.getByLabel('Email Address').fill(user.email);
      await form.getByLabel('Password', { exact: true }).fill(user.password);
      await form.getByRole('button', { name: 'Sign In' }).click();
      await expectLanded(page, '/', 'the new account could not sign in');
      const session = await (await page.request.get('/api/auth/session')).json().catch(() => null) as { user?: { email?: string } } | null;
      expect(session?.user?.email, 'the session does not belong to the new account').toBe(user.email);
    });
  });
