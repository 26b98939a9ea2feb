import {
  test,
  expect,
  workflow,
  expectLanded,
  syntheticUser,
  openShowing,
  named,
  startsWith,
  submitLogin,
} from '../fixtures/index.ts';

test(
  'User Registration',
  workflow({
    id: 'user-registration',
    priority: 'critical',
    schedule: '*/30 * * * *',
    type: 'USER_MANAGEMENT',
    tags: ['auth'],
  }),
  async ({ page }) => {
    // A new, recognisably synthetic account per attempt so repeated runs never collide.
    const user = syntheticUser('customer');

    await test.step('Open sign-up page', async () => {
      await openShowing(page, '/signup', 'Create Your Account', 'the sign-up page');
    });

    await test.step('Choose the customer role', async () => {
      // Its name is "Customer" and its description ("Buy fresh produce"), maybe after an icon.
      await page.getByRole('button', { name: startsWith('Customer') }).click();
    });

    await test.step('Fill in account details', async () => {
      // Anchored names: "Password" must not match "Confirm Password"; "Password *" is the same field.
      await page.getByLabel(named('Full Name')).fill(user.fullName);
      await page.getByLabel(named('Email Address')).fill(user.email);
      await page.getByLabel(named('Phone Number (Optional)')).fill(user.phone);
      await page.getByLabel(named('Password')).fill(user.password);
      await page.getByLabel(named('Confirm Password')).fill(user.password);
      await page.locator('#agreeToTerms').check();
    });

    await test.step('Create account', async () => {
      await page.getByRole('button', { name: named('Create Account') }).click();
      await expectLanded(page, /^\/login\?(.*&)?registered=true/, 'registration was not accepted');
    });

    await test.step('Sign in with the new account', async () => {
      await submitLogin(page, user);
      await expectLanded(page, '/', 'the new account could not sign in');
      const session = (await (await page.request.get('/api/auth/session')).json().catch(() => null)) as {
        user?: { email?: string };
      } | null;
      expect(session?.user?.email, 'the session does not belong to the new account').toBe(user.email);
    });
  },
);
