// decideCause per cause, with error texts as Playwright 1.5x reports them (ANSI stripped) and
// the evidence the fixture records for the demo app's faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideCause, describeLocator } from './cause.ts';
import type { CauseInput } from './cause.ts';
import type { EvidenceItem, HealthCheckRecord } from '../core/records.ts';

const at = new Date('2026-12-01T10:00:00Z');
const item = (i: Partial<EvidenceItem> & Pick<EvidenceItem, 'kind'>): EvidenceItem => ({ at, step: null, ...i });
const input = (i: Partial<CauseInput>): CauseInput => ({
  status: 'failed',
  error: null,
  failedStep: null,
  evidence: [],
  health: null,
  ...i,
});

const stack =
  '\n\n   at ../fixtures/journey.ts:57\n\n  55 |     const heading = ...\n    at expectLanded (/w/fixtures/journey.ts:57:11)';

const cases: { name: string; input: CauseInput; cause: string; line: string | RegExp }[] = [
  {
    name: 'checkout-error: the order API answered 500',
    input: input({
      failedStep: 'Review and place order',
      error: `Error: the order was not placed: still on /checkout after 15 s; the page says "Something went wrong placing your order. Please try again."${stack}`,
      evidence: [
        item({ kind: 'navigation', path: '/checkout', status: 200, step: 'Proceed to checkout' }),
        item({
          kind: 'http-status',
          method: 'POST',
          path: '/api/orders',
          resourceType: 'fetch',
          status: 500,
          durationMs: 19,
          step: 'Review and place order',
        }),
        item({
          kind: 'console-error',
          message: 'Failed to load resource: the server responded with a status of 500 (Internal Server Error)',
          path: '/checkout',
          step: 'Review and place order',
        }),
      ],
    }),
    cause: 'http-error',
    line: "POST /api/orders answered 500 during 'Review and place order'",
  },
  {
    name: 'registration-invalid: the form post answered 422 (an unexpected 4xx on a document)',
    input: input({
      failedStep: 'Create account',
      error: `Error: registration was not accepted: still on /signup after 15 s; the page says "Please check the form: email is invalid"${stack}`,
      evidence: [
        item({
          kind: 'http-status',
          method: 'POST',
          path: '/signup',
          resourceType: 'document',
          status: 422,
          step: 'Create account',
        }),
      ],
    }),
    cause: 'http-error',
    line: "POST /signup answered 422 during 'Create account'",
  },
  {
    name: "a 4xx from a GET fetch (a prefetch, a session probe) does not decide: the journey's finding does",
    input: input({
      failedStep: 'Create account',
      error: `Error: registration was not accepted: still on /signup after 15 s${stack}`,
      evidence: [
        item({
          kind: 'http-status',
          method: 'GET',
          path: '/api/auth/session',
          resourceType: 'fetch',
          status: 401,
          step: 'Create account',
        }),
      ],
    }),
    cause: 'content-mismatch',
    line: "registration was not accepted: still on /signup after 15 s during 'Create account'",
  },
  {
    name: 'a 500 in an earlier step does not decide a later failure',
    input: input({
      failedStep: 'Sign in',
      error: 'Error: signing in did not reach the home page: still on /login after 15 s',
      evidence: [
        item({
          kind: 'http-status',
          method: 'GET',
          path: '/api/recommendations',
          resourceType: 'fetch',
          status: 500,
          step: 'Open login page',
        }),
      ],
    }),
    cause: 'content-mismatch',
    line: /^signing in did not reach the home page/,
  },
  {
    name: 'login-broken: the Sign In button is missing (expect toBeVisible, element(s) not found)',
    input: input({
      failedStep: 'Sign in',
      error:
        'Error: the login form has no "Sign In" button\n\nexpect(locator).toBeVisible() failed\n\n' +
        "Locator: locator('form').filter({ has: getByLabel('Email Address') }).getByRole('button', { name: 'Sign In' })\n" +
        'Expected: visible\nTimeout: 5000ms\nError: element(s) not found\n\nCall log:\n  - the login form has no "Sign In" button with timeout 5000ms\n' +
        "  - waiting for locator('form').filter({ has: getByLabel('Email Address') }).getByRole('button', { name: 'Sign In' })\n",
      evidence: [item({ kind: 'navigation', path: '/login', status: 200, step: 'Open login page' })],
    }),
    cause: 'element-missing',
    line: `button "Sign In" not found on /login (the login form has no "Sign In" button) during 'Sign in'`,
  },
  {
    name: 'an action that waited for its element until the action timeout',
    input: input({
      failedStep: 'Shipping details',
      error: "TimeoutError: locator.fill: Timeout 10000ms exceeded.\nCall log:\n  - waiting for locator('#fullName')\n",
    }),
    cause: 'element-missing',
    line: "element #fullName not found during 'Shipping details'",
  },
  {
    name: 'slow-products: the step budget ran out while /products loaded',
    input: input({
      failedStep: 'Open product listing',
      error:
        'Error: the product listing loading did not happen within 10 s\n\n   at ../fixtures/journey.ts:68\n' +
        '[cause]: TimeoutError: page.goto: Timeout 10000ms exceeded.\nCall log:\n  - navigating to "http://127.0.0.1:41835/products?page=1", waiting until "load"\n',
    }),
    cause: 'timeout',
    line: "GET /products did not load within 10 s (the product listing loading did not happen within 10 s) during 'Open product listing'",
  },
  {
    name: 'the test budget ran out',
    input: input({
      status: 'timedOut',
      failedStep: 'Payment with test card',
      error:
        "Test timeout of 60000ms exceeded.\n\nError: locator.fill: Test timeout of 60000ms exceeded.\nCall log:\n  - waiting for locator('iframe[title*=\"payment\" i]').first().contentFrame().getByLabel('Card number')\n",
    }),
    cause: 'timeout',
    line: "the test ran out of its 60 s budget during 'Payment with test card'",
  },
  {
    name: 'a page whose script threw (uncaught page error)',
    input: input({
      failedStep: 'Proceed to checkout',
      error:
        "Error: the cart has no \"Proceed to Checkout\"\n\nexpect(locator).toBeVisible() failed\n\nLocator: getByRole('button', { name: 'Proceed to Checkout' }).or(getByRole('link', { name: 'Proceed to Checkout' })).first()\nExpected: visible\nError: element(s) not found\n",
      evidence: [
        item({
          kind: 'page-error',
          message: "TypeError: Cannot read properties of undefined (reading 'map')",
          path: '/cart',
          step: 'Proceed to checkout',
        }),
      ],
    }),
    cause: 'page-crash',
    line: "page crashed at /cart: TypeError: Cannot read properties of undefined (reading 'map') during 'Proceed to checkout'",
  },
  {
    name: 'a client-side exception logged to the console (React error boundary) is a crash too',
    input: input({
      failedStep: 'Proceed to checkout',
      error:
        'Error: the cart has no "Proceed to Checkout"\n\nexpect(locator).toBeVisible() failed\nError: element(s) not found\n',
      evidence: [
        item({
          kind: 'console-error',
          message: 'Failed to load resource: the server responded with a status of 404 (Not Found)',
          path: '/cart',
          step: 'Proceed to checkout',
        }),
        item({
          kind: 'console-error',
          message:
            "TypeError: Cannot read properties of null (reading 'items')\n    at CartView (/_next/static/chunks/app/cart/page.js:1:2345)",
          path: '/cart',
          step: 'Proceed to checkout',
        }),
      ],
    }),
    cause: 'page-crash',
    line: /^page crashed at \/cart: TypeError: Cannot read properties of null \(reading 'items'\) at CartView .* during 'Proceed to checkout'$/,
  },
  {
    name: 'the journey saw the crash screen (no exception recorded, e.g. evidence off)',
    input: input({
      failedStep: 'Proceed to checkout',
      error:
        'Error: opening /cart: the page crashed at /cart: "Application error: a client-side exception has occurred"; exception: TypeError: Cannot read properties of undefined (reading \'lines\')\n\n   at ../fixtures/journey.ts:49',
      evidence: null,
    }),
    cause: 'page-crash',
    line: "page crashed at /cart: TypeError: Cannot read properties of undefined (reading 'lines') during 'Proceed to checkout'",
  },
  {
    name: 'health-down: the payload says the database is unhealthy',
    input: input({
      failedStep: 'Platform reports healthy',
      error:
        'Error: platform is unhealthy (HTTP 503): database unhealthy (Database connection failed: Connection refused)\n\nexpect(received).not.toBe(expected) // Object.is equality\n\nExpected: not "unhealthy"',
      health: {
        healthy: false,
        status: 'unhealthy',
        responseTimeMs: 4,
        databaseHealthy: false,
        apiHealthy: false,
        cacheHealthy: true,
        payload: {
          status: 'unhealthy',
          checks: {
            database: { status: 'unhealthy', message: 'Database connection failed: Connection refused' },
            cache: { status: 'healthy' },
          },
        },
      } satisfies HealthCheckRecord,
    }),
    cause: 'unhealthy',
    line: "the health check reports unhealthy: database unhealthy (Database connection failed: Connection refused) during 'Platform reports healthy'",
  },
  {
    name: 'the target refused the connection before any step',
    input: input({
      error:
        'TargetUnreachableError: target unreachable: http://127.0.0.1:40999 (ECONNREFUSED). Is the platform up, and is BASE_URL right?',
    }),
    cause: 'network',
    line: 'target unreachable: http://127.0.0.1:40999 (ECONNREFUSED)',
  },
  {
    name: 'a navigation refused by the network',
    input: input({
      failedStep: 'Open login page',
      error:
        'Error: page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:40999/login?next=%2F\nCall log:\n  - navigating to "http://127.0.0.1:40999/login?next=%2F", waiting until "load"\n',
    }),
    cause: 'network',
    line: "/login failed: net::ERR_CONNECTION_REFUSED during 'Open login page'",
  },
  {
    name: 'an API call that got no connection (DNS) while the page waited',
    input: input({
      failedStep: 'Add a product to the cart',
      error:
        'Error: adding to the cart shows no "Added to cart"\n\nexpect(locator).toBeVisible() failed\n\nLocator: getByText(\'Added to cart\').first()\nError: element(s) not found',
      evidence: [
        item({
          kind: 'request-failed',
          method: 'POST',
          path: '/api/cart',
          resourceType: 'fetch',
          failure: 'dns',
          message: 'net::ERR_NAME_NOT_RESOLVED',
          step: 'Add a product to the cart',
        }),
      ],
    }),
    cause: 'network',
    line: "POST /api/cart failed: net::ERR_NAME_NOT_RESOLVED during 'Add a product to the cart'",
  },
  {
    name: 'an aborted fetch is no network failure',
    input: input({
      failedStep: 'Add a product to the cart',
      error:
        'Error: adding to the cart shows no "Added to cart"\n\nexpect(locator).toBeVisible() failed\n\nLocator: getByText(\'Added to cart\').first()\nError: element(s) not found',
      evidence: [
        item({
          kind: 'request-failed',
          method: 'GET',
          path: '/api/cart',
          resourceType: 'fetch',
          failure: 'aborted',
          message: 'net::ERR_ABORTED',
          step: 'Add a product to the cart',
        }),
      ],
    }),
    cause: 'element-missing',
    line: `text "Added to cart" not found (adding to the cart shows no "Added to cart") during 'Add a product to the cart'`,
  },
  {
    name: 'flaky: the first page answered 500',
    input: input({
      failedStep: 'Open login page',
      error: 'Error: opening /login: /login answered HTTP 500',
      evidence: [
        item({
          kind: 'http-status',
          method: 'GET',
          path: '/login',
          resourceType: 'document',
          status: 500,
          step: 'Open login page',
        }),
      ],
    }),
    cause: 'http-error',
    line: "GET /login answered 500 during 'Open login page'",
  },
  {
    name: "an API status from the request fixture, known only from the workflow's message",
    input: input({
      failedStep: 'Products API answers',
      error:
        'Error: /api/products answered HTTP 502\n\nexpect(received).toBe(expected) // Object.is equality\n\nExpected: 200\nReceived: 502',
    }),
    cause: 'http-error',
    line: "/api/products answered 502 during 'Products API answers'",
  },
  {
    name: 'what the page shows is wrong',
    input: input({
      failedStep: 'Session is active',
      error:
        'Error: /api/auth/session does not show wm@example.com signed in\n\nexpect(received).toBe(expected) // Object.is equality\n\nExpected: "wm@example.com"\nReceived: undefined',
    }),
    cause: 'content-mismatch',
    line: "/api/auth/session does not show wm@example.com signed in during 'Session is active'",
  },
  {
    name: 'anything else',
    input: input({ failedStep: 'Open a product', error: 'Error: strange things happened' }),
    cause: 'unknown',
    line: "strange things happened during 'Open a product'",
  },
];

for (const c of cases) {
  test(`cause: ${c.cause}: ${c.name}`, () => {
    const verdict = decideCause(c.input);
    assert.ok(verdict);
    assert.equal(verdict.cause, c.cause, verdict.line);
    if (typeof c.line === 'string') assert.equal(verdict.line, c.line);
    else assert.match(verdict.line, c.line);
  });
}

test('no cause for passing, skipped or interrupted attempts', () => {
  for (const status of ['passed', 'skipped', 'interrupted'] as const)
    assert.equal(decideCause(input({ status, error: 'Error: x' })), null);
});

test('the line is one line and bounded', () => {
  const verdict = decideCause(input({ failedStep: 'S', error: `Error: ${'x'.repeat(1000)}` }))!;
  assert.ok(verdict.line.length <= 300 && !verdict.line.includes('\n'));
});

test('locators read as a person says them', () => {
  assert.equal(describeLocator("getByRole('button', { name: 'Sign In' })"), 'button "Sign In"');
  assert.equal(describeLocator("getByRole('button', { name: /^Add .+ to cart$/ }).first()"), 'button "Add … to cart"');
  assert.equal(
    describeLocator(
      "locator('form').filter({ has: getByLabel(/^[^\\p{L}\\p{N}]*Email\\s+Address[^\\p{L}\\p{N}]*$/iu) }).getByRole('button', { name: /^[^\\p{L}\\p{N}]*Sign\\s+In[^\\p{L}\\p{N}]*$/iu })",
    ),
    'button "Sign In"',
  );
  assert.equal(
    describeLocator(
      "getByRole('heading', { name: /^[^\\p{L}\\p{N}]*Fresh\\s+Local\\s+Products(?![\\p{L}\\p{N}])/iu })",
    ),
    'heading "Fresh Local Products"',
  );
  assert.equal(describeLocator("getByRole('link', { name: /^(shop|cart)$/i })"), 'link /^(shop|cart)$/i');
  assert.equal(describeLocator("getByRole('link', { name: 'Cart', exact: true })"), 'link "Cart"');
  assert.equal(describeLocator("locator('form').getByLabel('Email Address')"), 'field "Email Address"');
  assert.equal(describeLocator("getByRole('radio').first()"), 'a radio');
});
