import { test, expect, workflow, expectLanded, open } from '../fixtures/index.ts';

test('User Login', workflow({ id: 'user-login', priority: 'critical', schedule: '*/15 * * * *', type: 'AUTHENTICATION', tags: ['auth'] }),
  async ({ page, account }) => {
    const { email, password } = account.customer;
    const form = page.locator('form').filter({ has: page.getByLabel('Email Address') });

    await test.step('Open login page', async () => {
      await open(page, '/login');
      await expect(page.getByRole('heading', { name: 'Welcome Back' }), 'the login page shows "Welcome Back"').toBeVisible();
    });

    await test.step('Enter credentials', async () => {
      await form.getByLabel('Email Address').fill(email);
      await form.getByLabel('Password', { exact: true }).fill(password);
    });

    await test.step('Sign in', async () => {
      const signIn = form.getByRole('button', { name: 'Sign In' });
      await expect(signIn, 'the login form has no "Sign In" button').toBeVisible();
      await signIn.click();
      await expectLanded(page, '/', 'signing in did not reach the home page');
    });

    await test.step('Session is active', async () => {
      const response = await page.request.get('/api/auth/session');
      const session = await response.json().catch(() => null) as { user?: { email?: string } } | null;
      expect(session?.user?.email, `/api/auth/session does not show ${email} signed in`).toBe(email);
    });
  });
