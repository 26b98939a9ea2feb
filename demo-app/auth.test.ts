import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { DemoClient, customer, farmer } from '../test/helpers/demo-client.ts';

let app: DemoApp;
before(async () => {
  app = await startDemoApp({ port: 0 });
});
after(() => app.close());

const newAccount = (email: string): Record<string, string> => ({
  role: 'customer',
  name: 'Test Person',
  email,
  phone: '',
  password: 'Secret123',
  confirmPassword: 'Secret123',
  agreeToTerms: 'true',
});

describe('login', () => {
  it('a form post gives a session with the Auth.js shape', async () => {
    const client = new DemoClient(app.url);
    assert.equal((await client.json('/api/auth/session')).body, null);
    assert.equal(await client.signIn(customer.email, customer.password), '/');
    const { status, body } = await client.json('/api/auth/session');
    assert.equal(status, 200);
    const session = body as { user: Record<string, unknown>; expires: string };
    assert.deepEqual(Object.keys(session).sort(), ['expires', 'user']);
    assert.deepEqual(Object.keys(session.user).sort(), ['email', 'id', 'name', 'role', 'status']);
    assert.equal(session.user.email, customer.email);
    assert.equal(session.user.role, 'CONSUMER');
    assert.equal(session.user.status, 'ACTIVE');
    assert.ok(Date.parse(session.expires) > Date.now());
  });

  it('sets an HttpOnly cookie and follows only same-site callback URLs', async () => {
    const response = await new DemoClient(app.url).request('/login', {
      form: { ...farmer, callbackUrl: '/farmer/farms/new' },
    });
    assert.equal(response.status, 303);
    assert.equal(response.headers.get('location'), '/farmer/farms/new');
    assert.match(response.headers.get('set-cookie') ?? '', /HttpOnly/);
    assert.equal(await new DemoClient(app.url).signIn(farmer.email, farmer.password, '//evil.example/x'), '/');
    assert.equal(await new DemoClient(app.url).signIn(farmer.email, farmer.password, 'https://evil.example/'), '/');
  });

  it('shows the promised message on a wrong password', async () => {
    const page = await new DemoClient(app.url).text('/login', {
      form: { email: customer.email, password: 'Wrong1234' },
    });
    assert.equal(page.status, 401);
    assert.match(page.body, /Invalid email or password\. Please try again\./);
  });

  it('renders the header link and the form button, and loses the button under login-broken', async () => {
    const client = new DemoClient(app.url);
    const page = (await client.text('/login')).body;
    assert.match(page, /<a class="nav-link" href="\/login">Sign In<\/a>/);
    assert.match(page, /<form[^>]*action="\/login"[\s\S]*<button type="submit"[^>]*>Sign In<\/button>[\s\S]*<\/form>/);
    assert.match(page, /<label for="email">Email Address<\/label>/);
    app.setFaults('login-broken');
    try {
      assert.doesNotMatch((await client.text('/login')).body, /<button type="submit"[^>]*>Sign In<\/button>/);
    } finally {
      app.setFaults('');
    }
  });

  it('signs out', async () => {
    const client = new DemoClient(app.url);
    await client.signIn(customer.email, customer.password);
    const out = await client.text('/api/auth/signout', { method: 'POST' });
    assert.equal(out.status, 303);
    assert.equal((await client.json('/api/auth/session')).body, null);
  });
});

describe('registration', () => {
  it('creates an account that can sign in at once, and refuses the same e-mail again', async () => {
    const client = new DemoClient(app.url);
    const created = await client.text('/signup', { form: newAccount('new.person@example.com') });
    assert.equal(created.status, 303);
    assert.equal(created.location, '/login?registered=true');
    assert.equal(await client.signIn('new.person@example.com', 'Secret123'), '/');
    const again = await client.text('/register', { form: newAccount('New.Person@example.com') });
    assert.equal(again.status, 422);
    assert.match(again.body, /role="alert"[^>]*>An account with this email already exists/);
  });

  it('registers a farmer with a pending farm', async () => {
    const client = new DemoClient(app.url);
    const created = await client.text('/register', {
      form: {
        ...newAccount('grower@example.com'),
        role: 'farmer',
        farmName: 'Tiny Plot',
        farmAddress: '9 Field Rd, Salem, OR',
        farmDescription: '',
      },
    });
    assert.equal(created.location, '/login?registered=true');
    await client.signIn('grower@example.com', 'Secret123');
    assert.equal(((await client.json('/api/auth/session')).body as { user: { role: string } }).user.role, 'FARMER');
    assert.match((await client.text('/farmer/dashboard')).body, /Tiny Plot[\s\S]*Pending Approval/);
  });

  it('enforces the password rule, two-word names and the terms', async () => {
    const client = new DemoClient(app.url);
    for (const [change, message] of [
      [{ password: 'lowercase1', confirmPassword: 'lowercase1' }, /at least 8 characters/],
      [{ password: 'Short1', confirmPassword: 'Short1' }, /at least 8 characters/],
      [{ confirmPassword: 'Secret1234' }, /Passwords do not match/],
      [{ name: 'Cher' }, /first and last name/],
      [{ agreeToTerms: '' }, /agree to the terms/],
      [{ role: 'farmer' }, /Farm name must be/],
    ] as const) {
      const form = { ...newAccount('rule.check@example.com'), ...change };
      if ('agreeToTerms' in change) delete (form as Record<string, string>).agreeToTerms;
      const page = await client.text('/signup', { form });
      assert.equal(page.status, 422, JSON.stringify(change));
      assert.match(page.body, message);
    }
  });

  it('is always rejected with a visible message under registration-invalid', async () => {
    app.setFaults('registration-invalid');
    try {
      const page = await new DemoClient(app.url).text('/signup', { form: newAccount('valid.user@example.com') });
      assert.equal(page.status, 422);
      assert.match(page.body, /Please check the form: email is invalid/);
      assert.match(page.body, /<form method="post" action="\/signup"/);
    } finally {
      app.setFaults('');
    }
  });

  it('escapes what the visitor typed', async () => {
    const page = await new DemoClient(app.url).text('/signup', {
      form: { ...newAccount('x'), name: '<script>alert(1)</script>' },
    });
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});
