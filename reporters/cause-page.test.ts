// decideCause for what the page did: elements not found, timeouts, crashes (uncaught, logged, the
// crash screen), wrong content, and anything else.
import { input, item, testCauses } from '../test/helpers/cause-cases.ts';

testCauses([
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
]);
