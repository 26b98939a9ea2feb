import { test, expect, workflow, expectLanded, openShowing, named, loginForm } from '../fixtures/index.ts';

test(
  'User Login',
  workflow({
    id: 'user-login',
    priority: 'critical',
    schedule: '*/15 * * * *',
    type: 'AUTHENTICATION',
    tags: ['auth'],
  }),
  async ({ page, account }) => {
    const { email, password } = account.customer;
    // The header may have a "Sign In" of its own: everything below is scoped to the login form.
    const form = loginForm(page);

    await test.step('Open login page', async () => {
      await openShowing(page, '/login', 'Welcome Back', 'the login page');
    });

    await test.step('Enter credentials', async () => {
      await form.getByLabel(named('Email Address')).fill(email);
      await form.getByLabel(named('Password')).fill(password);
    });

    await test.step('Sign in', async () => {
      const signIn = form.getByRole('button', { name: named('Sign In') });
      await expect(signIn, 'the login form has no "Sign In" button').toBeVisible();
      await signIn.click();
      await expectLanded(page, '/', 'signing in did not reach the home page');
    });

    await test.step('Session is active', async () => {
      const response = await page.request.get('/api/auth/session');
      const session = (await response.json().catch(() => null)) as { user?: { email?: string } } | null;
      expect(session?.user?.email, `/api/auth/session does not show ${email} signed in`).toBe(email);
    });
  },
);
