// The rows of test/failure-causes-e2e.test.ts: every fault switch of the demo app on both faces,
// the workflows it must break, where, why, and what the report, the stored row, the alert and
// the failure view say. A new fault or face is one more row.

export type Broken = {
  workflow: string;
  title: string;
  step: string;
  cause: string;
  /** The alert's first line (and the stored cause line, with "Cause: " in front). */
  firstLine: RegExp;
  /** The error Playwright reports for the attempt (its JSON report), on either face. */
  message: RegExp;
  /** What the dashboard's failure view of this attempt shows: its cause line and evidence table. */
  view?: { cause: RegExp; evidence: RegExp[] };
  /** `npx playwright show-trace` serves this attempt's trace. */
  traceViewer?: boolean;
};
export type Row = {
  faults: string;
  broken: Broken[];
  /** Demo app options beyond the faults (e.g. a face). */
  options?: Record<string, unknown>;
  /** Run only the broken workflows (another row already shows the others pass under this fault). */
  onlyBroken?: boolean;
};

const signInButton = /^Cause: button .*Sign In.* not found/;
const noSignIn = /the login form has no "Sign In" button/;
const standard: Row[] = [
  {
    faults: 'health-down',
    broken: [
      {
        workflow: 'health-check',
        title: 'Health Check',
        step: 'Platform reports healthy',
        cause: 'unhealthy',
        firstLine:
          /^Cause: the health check reports unhealthy: database unhealthy \(Database connection failed: Connection refused\) during 'Platform reports healthy'$/,
        message: /platform is unhealthy \(HTTP 503\): database unhealthy/,
      },
    ],
  },
  {
    faults: 'login-broken',
    // Journeys that sign in break where they sign in (registration at its end, with the same
    // form); the others do not notice.
    broken: [
      ['user-login', 'User Login', 'Sign in'],
      ['farm-creation', 'Farm Creation', 'Sign in as farmer'],
      ['order-placement', 'Order Placement', 'Sign in as customer'],
      ['user-registration', 'User Registration', 'Sign in with the new account'],
    ].map(([workflow, title, step]) => ({
      workflow: workflow!,
      title: title!,
      step: step!,
      cause: 'element-missing',
      firstLine: signInButton,
      message: noSignIn,
    })),
  },
  // 12 s is beyond the listing's 10 s budget but within the navigation timeout the others use.
  {
    faults: 'slow-products:12000',
    broken: [
      {
        workflow: 'product-listing',
        title: 'Product Listing',
        step: 'Open product listing',
        cause: 'timeout',
        firstLine: /^Cause: GET \/products did not load within 10 s .* during 'Open product listing'$/,
        message: /the product listing loading did not happen within 10 s/,
      },
    ],
  },
  {
    faults: 'registration-invalid',
    broken: [
      {
        workflow: 'user-registration',
        title: 'User Registration',
        step: 'Create account',
        cause: 'http-error',
        firstLine: /^Cause: POST \/signup answered 422 during 'Create account'$/,
        message:
          /registration was not accepted: still on \/signup.*the page says "Please check the form: email is invalid/,
      },
    ],
  },
  {
    faults: 'checkout-error',
    broken: [
      {
        workflow: 'order-placement',
        title: 'Order Placement',
        step: 'Review and place order',
        cause: 'http-error',
        firstLine: /^Cause: POST \/api\/orders answered 500 during 'Review and place order'$/,
        message: /the order was not placed: still on \/checkout.*Something went wrong placing your order/,
        view: {
          cause: /HTTP-ERROR POST \/api\/orders answered 500 during 'Review and place order'/,
          evidence: [
            /Review and place order\s+HTTP status\s+POST \/api\/orders answered 500/,
            /Proceed to checkout\s+navigation\s+\/cart answered 200/,
          ],
        },
        traceViewer: true,
      },
    ],
  },
  // The page renders, then its client script throws: the journey fails where it opens the cart,
  // and the exception is in the alert, the stored row and the failure view.
  {
    faults: 'client-crash:/cart',
    broken: [
      {
        workflow: 'order-placement',
        title: 'Order Placement',
        step: 'Proceed to checkout',
        cause: 'page-crash',
        firstLine:
          /^Cause: page crashed at \/cart: TypeError: Cannot read properties of undefined \(reading 'items'\) during 'Proceed to checkout'$/,
        message:
          /^Error: opening \/cart: the page crashed at \/cart: "Application error: a client-side exception has occurred"; exception: TypeError: Cannot read properties of undefined \(reading 'items'\)/,
        view: {
          cause:
            /PAGE-CRASH page crashed at \/cart: TypeError: Cannot read properties of undefined \(reading 'items'\)/,
          evidence: [
            /Proceed to checkout\s+page error\s+TypeError: Cannot read properties of undefined \(reading 'items'\) at \/cart/,
          ],
        },
      },
    ],
  },
];

/**
 * The alternate face (DEMO_VARIANT=alternate: decorated names, other roles and wrappers, toasts):
 * the same faults break the same journeys at the same steps for the same causes and messages.
 * Where a fault breaks a journey that signs in or buys, the other workflows run too and must pass
 * on that face; for health-down, slow-products and registration-invalid only the broken one runs
 * (test/workflows-faces-e2e.test.ts runs all six on the alternate face under
 * health-down,registration-invalid, and healthy).
 */
const alternate: Row[] = standard.map((row) => ({
  ...row,
  options: { variant: 'alternate' },
  onlyBroken: !['login-broken', 'checkout-error', 'client-crash:/cart'].includes(row.faults),
  broken: row.broken.map(({ view: _view, traceViewer: _viewer, ...b }) => b),
}));

export const faultRows: Row[] = [...standard, ...alternate];
