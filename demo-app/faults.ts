// Fault switches: a public interface shared by DEMO_FAULTS, the /__demo/faults endpoint and
// the monitor's own tests, so the names and their argument rules live in exactly one place.

export const faultNames = [
  'health-down',
  'login-broken',
  'slow-products',
  'registration-invalid',
  'checkout-error',
  'flaky',
  'client-crash',
] as const;

export type FaultName = (typeof faultNames)[number];

/** The faults that take no argument, and the switch of ActiveFaults each one turns on. */
const switches = {
  'health-down': 'healthDown',
  'login-broken': 'loginBroken',
  'registration-invalid': 'registrationInvalid',
  'checkout-error': 'checkoutError',
} as const satisfies Partial<Record<FaultName, keyof ActiveFaults>>;
type SwitchFault = keyof typeof switches;
const isSwitch = (name: string): name is SwitchFault => Object.hasOwn(switches, name);

export type Fault =
  | { name: SwitchFault }
  | { name: 'slow-products'; ms: number }
  | { name: 'flaky'; every: number }
  | { name: 'client-crash'; path: string };

/** What the request handlers ask; derived once per change so handlers never re-parse. */
export interface ActiveFaults {
  healthDown: boolean;
  loginBroken: boolean;
  /** 0 means no delay. */
  slowProductsMs: number;
  registrationInvalid: boolean;
  checkoutError: boolean;
  /** 0 means never; n means the first page of one visit in n fails. */
  flakyEvery: number;
  /** Page paths whose client script throws after the page rendered. */
  clientCrashPaths: readonly string[];
}

export type FaultParseResult = { ok: true; faults: Fault[] } | { ok: false; problems: string[] };

const usage =
  'health-down, login-broken, slow-products:<ms>, registration-invalid, checkout-error, flaky:<n>, client-crash:<path>';

// Bounded so that a typo such as slow-products:20000000 cannot hang a monitor run for hours.
const maxDelayMs = 600_000;

function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function parseOne(item: string): Fault | string {
  const colon = item.indexOf(':');
  const name = colon === -1 ? item : item.slice(0, colon);
  const arg = colon === -1 ? undefined : item.slice(colon + 1).trim();
  const trimmed = name.trim();
  if (isSwitch(trimmed)) {
    if (arg !== undefined) return `fault "${name}" takes no argument (got "${item}")`;
    return { name: trimmed };
  }
  switch (trimmed) {
    case 'slow-products': {
      const ms = wholeNumber(arg);
      if (ms === undefined || ms < 1 || ms > maxDelayMs) {
        return `fault "slow-products" needs a delay in milliseconds from 1 to ${maxDelayMs}, e.g. slow-products:2000 (got "${item}")`;
      }
      return { name: 'slow-products', ms };
    }
    case 'flaky': {
      const every = wholeNumber(arg);
      if (every === undefined || every < 1) {
        return `fault "flaky" needs a whole number n >= 1 (the first of every n visits fails), e.g. flaky:3 (got "${item}")`;
      }
      return { name: 'flaky', every };
    }
    case 'client-crash': {
      if (arg === undefined || !/^\/[\w\-./]*$/.test(arg) || arg.includes('//')) {
        return `fault "client-crash" needs a page path starting with /, e.g. client-crash:/cart (got "${item}")`;
      }
      return { name: 'client-crash', path: arg };
    }
    default:
      return `unknown fault "${trimmed}"; known faults: ${usage}`;
  }
}

/**
 * Parses a comma-separated list (or an array of items). Every problem is reported at once;
 * an empty list means no faults. A later entry for the same fault replaces an earlier one.
 */
export function parseFaults(spec: string | readonly string[]): FaultParseResult {
  const items = (typeof spec === 'string' ? spec.split(',') : spec.flatMap((s) => s.split(',')))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // Keyed by name, and by path for client-crash: several pages may crash at once.
  const byName = new Map<string, Fault>();
  const problems: string[] = [];
  for (const item of items) {
    const parsed = parseOne(item);
    if (typeof parsed === 'string') problems.push(parsed);
    else byName.set(parsed.name === 'client-crash' ? `client-crash:${parsed.path}` : parsed.name, parsed);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, faults: [...byName.values()] };
}

export function formatFault(fault: Fault): string {
  switch (fault.name) {
    case 'slow-products':
      return `slow-products:${fault.ms}`;
    case 'flaky':
      return `flaky:${fault.every}`;
    case 'client-crash':
      return `client-crash:${fault.path}`;
    default:
      return fault.name;
  }
}

export function activeFaults(faults: readonly Fault[]): ActiveFaults {
  const active: ActiveFaults = {
    healthDown: false,
    loginBroken: false,
    slowProductsMs: 0,
    registrationInvalid: false,
    checkoutError: false,
    flakyEvery: 0,
    clientCrashPaths: [],
  };
  const crashes: string[] = [];
  for (const fault of faults) {
    if (fault.name === 'slow-products') active.slowProductsMs = fault.ms;
    else if (fault.name === 'flaky') active.flakyEvery = fault.every;
    else if (fault.name === 'client-crash') crashes.push(fault.path);
    else active[switches[fault.name]] = true;
  }
  return { ...active, clientCrashPaths: crashes };
}

/**
 * The faults currently switched on, plus the flaky counter. The flaky fault counts visits (a
 * browser arriving without the demo's visit cookie, as every Playwright test and retry does):
 * the first of every n visits gets a 500 on its first page, like an intermittent fault that a
 * second try gets past. The counter restarts whenever the list changes, so that which visit
 * fails is predictable from the moment a test switches the fault on.
 */
export class FaultSwitchboard {
  #faults: Fault[] = [];
  #active: ActiveFaults = activeFaults([]);
  #visits = 0;

  constructor(initial: readonly Fault[] = []) {
    this.replace(initial);
  }

  replace(faults: readonly Fault[]): void {
    this.#faults = [...faults];
    this.#active = activeFaults(this.#faults);
    this.#visits = 0;
  }

  get active(): ActiveFaults {
    return this.#active;
  }

  list(): string[] {
    return this.#faults.map(formatFault);
  }

  /** For a page request: counts a new visit and says whether the flaky fault makes it fail. */
  nextPageFails(newVisit: boolean): boolean {
    const every = this.#active.flakyEvery;
    if (every === 0 || !newVisit) return false;
    this.#visits += 1;
    return (this.#visits - 1) % every === 0;
  }
}
