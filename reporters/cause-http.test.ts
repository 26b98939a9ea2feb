// decideCause and HTTP answers: which 4xx and 5xx decide a failure (in the failed step, on a
// document or a non-GET call, or named in our helpers' message) and which do not.
import { input, item, stack, testCauses } from '../test/helpers/cause-cases.ts';

testCauses([
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
]);
