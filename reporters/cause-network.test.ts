// decideCause for the target and the network: an unhealthy health payload, an unreachable target,
// refused navigations, DNS failures, and aborted fetches (which are none).
import { input, item, testCauses } from '../test/helpers/cause-cases.ts';
import type { HealthCheckRecord } from '../core/records.ts';

// The step's own error when the cart's fetch did not complete.
const notAddedToCart =
  'Error: adding to the cart shows no "Added to cart"\n\nexpect(locator).toBeVisible() failed\n\nLocator: getByText(\'Added to cart\').first()\nError: element(s) not found';

/** Adding to the cart failed, and the cart's fetch (`method` /api/cart) ended with `failure` and `message`. */
const cartFetchFailed = (method: string, failure: string, message: string) =>
  input({
    failedStep: 'Add a product to the cart',
    error: notAddedToCart,
    evidence: [
      item({
        kind: 'request-failed',
        method,
        path: '/api/cart',
        resourceType: 'fetch',
        failure,
        message,
        step: 'Add a product to the cart',
      }),
    ],
  });

testCauses([
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
    input: cartFetchFailed('POST', 'dns', 'net::ERR_NAME_NOT_RESOLVED'),
    cause: 'network',
    line: "POST /api/cart failed: net::ERR_NAME_NOT_RESOLVED during 'Add a product to the cart'",
  },
  {
    name: 'an aborted fetch is no network failure',
    input: cartFetchFailed('GET', 'aborted', 'net::ERR_ABORTED'),
    cause: 'element-missing',
    line: `text "Added to cart" not found (adding to the cart shows no "Added to cart") during 'Add a product to the cart'`,
  },
]);
