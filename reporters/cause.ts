// Why an attempt failed, in one of a closed set of causes, with the one line of evidence that
// decided it. Pure: from the error, the failed step and the evidence the fixture recorded.
// Order matters: what broke first on the target (unreachable, unhealthy, a 5xx, a crashed page)
// is named before what the journey then noticed (a missing element, a wrong page).
import type { AttemptStatus, Cause, EvidenceItem, HealthCheckRecord } from '../core/records.ts';

export type CauseInput = {
  status: AttemptStatus;
  /** The attempt's error text (ANSI stripped), Playwright's [cause] chain included. */
  error: string | null;
  failedStep: string | null;
  evidence: readonly EvidenceItem[] | null;
  health: HealthCheckRecord | null;
};

export type CauseVerdict = { cause: Cause; line: string };

const maxLineChars = 300;

const firstLine = (text: string): string =>
  (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().replace(/^Error: /, '');

const pathOf = (url: string): string => {
  try {
    return new URL(url).pathname;
  } catch {
    return url.split(/[?#]/)[0] ?? url;
  }
};

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

const apiLike = (i: EvidenceItem) => ['document', 'fetch', 'xhr'].includes(i.resourceType ?? '');
const mutation = (i: EvidenceItem) => !['GET', 'HEAD', 'OPTIONS'].includes(i.method ?? 'GET');

const networkErrors =
  /net::(ERR_CONNECTION_REFUSED|ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED|ERR_ADDRESS_UNREACHABLE|ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_TIMED_OUT|ERR_TIMED_OUT|ERR_CERT_[A-Z_]+|ERR_SSL_[A-Z_]+|ERR_INTERNET_DISCONNECTED)/;
const exceptionLine = /^(Uncaught )?(\w*Error|Unhandled\w*)\b|client-side exception/;

/**
 * A name pattern as a person reads it: /^[^\p{L}\p{N}]*Sign\s+In[^\p{L}\p{N}]*$/iu -> "Sign In",
 * /^Add .+ to cart$/ -> "Add … to cart"; a pattern that does not reduce to words stays as it is.
 */
export function humanName(name: string): string {
  const m = /^\/(.*)\/[a-z]*$/.exec(name);
  if (!m) return name.replace(/^(['"`])(.*)\1$/, '"$2"');
  const words = m[1]!
    .replace(/\[\^\\p\{L\}\\p\{N\}\]\*/g, '')
    .replace(/\(\?!\[\\p\{L\}\\p\{N\}\]\)/g, '')
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\\s[+*]/g, ' ')
    .replace(/\.[+*]/g, '…')
    .replace(/\\b/g, '')
    .replace(/\\([.*+?^${}()|[\]\\/-])/g, '\uE000$1');
  if (/[[\](){}|?*+^$\\]/.test(words.replace(/\uE000./g, ''))) return name;
  return `"${words.replace(/\uE000/g, '').trim()}"`;
}

/** `getByRole('button', { name: 'Sign In' })` -> `button "Sign In"`: the element as a person says it. */
export function describeLocator(locator: string): string {
  const parts = locator.trim().split(/\.(?=(?:getBy\w+|locator|frameLocator|first|last|nth|filter|or|and)\()/);
  const meaningful = parts.filter((p) => !/^(first|last|nth|filter|or|and)\(/.test(p));
  const last = meaningful.at(-1) ?? locator;
  const quoted = humanName;
  let m = /^getByRole\((['"])(\w+)\1(?:,\s*\{\s*name:\s*(.+?)(?:,\s*exact:\s*\w+)?\s*\})?\)$/.exec(last);
  if (m) return m[3] ? `${m[2]} ${quoted(m[3])}` : `a ${m[2]}`;
  m = /^getBy(Label|Text|Placeholder|TestId|Title|AltText)\((.+?)(?:,\s*\{.*\})?\)$/.exec(last);
  if (m)
    return `${{ Label: 'field', Text: 'text', Placeholder: 'field', TestId: 'element', Title: 'element', AltText: 'image' }[m[1]!]} ${quoted(m[2]!)}`;
  m = /^locator\((.+)\)$/.exec(last);
  if (m) return `element ${m[1]!.replace(/^(['"])(.*)\1$/, '$2')}`;
  return last.length > 120 ? `${last.slice(0, 120)}…` : last;
}

function locatorOf(error: string): string | null {
  const m =
    /^Locator: (.+)$/m.exec(error) ??
    /waiting for (?:locator\()?((?:getBy|locator|frameLocator)\S.*?|locator\(.+?\))(?: to be \w+)?$/m.exec(error);
  return m?.[1]?.trim() ?? null;
}

/** The custom message of an expect or helper, when the first line is not Playwright's own. */
function ownMessage(error: string): string | null {
  const line = firstLine(error);
  return /^(expect\(|expect\.|locator\.|page\.|frame\.|Timed out|Timeout \d+|TimeoutError|Test timeout)/.test(line)
    ? null
    : line;
}

function lastPage(evidence: readonly EvidenceItem[]): string | null {
  return [...evidence].reverse().find((i) => i.kind === 'navigation' && i.path)?.path ?? null;
}

function request(i: EvidenceItem): string {
  return `${i.method ?? 'GET'} ${i.path ?? '?'}`;
}

function decide(input: CauseInput, all: readonly EvidenceItem[], inStep: readonly EvidenceItem[]): CauseVerdict {
  const error = input.error ?? '';

  const unreachable = /TargetUnreachableError: (target unreachable: \S+ \([^)]*\))/.exec(error);
  if (unreachable) return { cause: 'network', line: unreachable[1]! };
  const netError = networkErrors.exec(error);
  if (netError) {
    const at = /net::\w+ at (https?:\/\/\S+)/.exec(error);
    return { cause: 'network', line: `${at ? `${pathOf(at[1]!)} ` : ''}failed: net::${netError[1]}` };
  }

  const health = input.health;
  const payload = health?.payload as
    { status?: string; checks?: Record<string, { status?: string; message?: string }> } | null | undefined;
  if (health && !health.healthy && payload && payload.status === 'unhealthy') {
    const failing = Object.entries(payload.checks ?? {})
      .filter(([, c]) => c?.status === 'unhealthy')
      .map(([name, c]) => `${name} unhealthy${c.message ? ` (${c.message})` : ''}`);
    return {
      cause: 'unhealthy',
      line: `the health check reports unhealthy: ${failing.join(', ') || 'overall status unhealthy'}`,
    };
  }

  const statuses = inStep.filter((i) => i.kind === 'http-status' && (i.status ?? 0) >= 400);
  const serverError =
    statuses.find((i) => (i.status ?? 0) >= 500 && apiLike(i)) ?? statuses.find((i) => (i.status ?? 0) >= 500);
  if (serverError) return { cause: 'http-error', line: `${request(serverError)} answered ${serverError.status}` };
  const answered = /(\/[^\s:;,"']*) answered HTTP (\d{3})/.exec(error);
  if (answered && Number(answered[2]) >= 500)
    return { cause: 'http-error', line: `${answered[1]} answered ${answered[2]}` };

  const crash =
    inStep.find((i) => i.kind === 'page-error') ??
    inStep.find((i) => i.kind === 'console-error' && exceptionLine.test(i.message ?? ''));
  if (crash)
    return {
      cause: 'page-crash',
      line: `page crashed at ${crash.path ?? lastPage(all) ?? '?'}: ${crash.message ?? 'an exception'}`,
    };
  // The journey helpers' own finding (fixtures/journey.ts), when no exception was recorded.
  const crashed = /the page crashed at (\S+): [^\n]*?(?:; exception: ([^\n]+))?$/m.exec(error);
  if (crashed)
    return {
      cause: 'page-crash',
      line: `page crashed at ${crashed[1]}: ${crashed[2] ?? 'Application error: a client-side exception has occurred'}`,
    };

  const failedRequest = inStep.find(
    (i) => i.kind === 'request-failed' && ['refused', 'dns', 'tls', 'timeout'].includes(i.failure ?? '') && apiLike(i),
  );
  if (failedRequest)
    return {
      cause: 'network',
      line: `${request(failedRequest)} failed: ${failedRequest.message ?? failedRequest.failure}`,
    };

  const clientError = statuses.find((i) => i.resourceType === 'document' || (apiLike(i) && mutation(i)));
  if (clientError) return { cause: 'http-error', line: `${request(clientError)} answered ${clientError.status}` };
  if (answered) return { cause: 'http-error', line: `${answered[1]} answered ${answered[2]}` };

  const testTimeout = /Test timeout of (\d+)ms exceeded/.exec(error);
  const budget = /did not happen within ([\d.]+) s/.exec(error);
  const navTimeout =
    /(?:page\.goto|page\.waitForURL|page\.reload|page\.waitForLoadState|page\.waitForNavigation): Timeout (\d+)ms exceeded/.exec(
      error,
    );
  if (input.status === 'timedOut' || testTimeout || budget || navTimeout) {
    const navigating = /navigating to "([^"]+)"/.exec(error);
    const what = navigating ? `GET ${pathOf(navigating[1]!)} did not load` : null;
    if (budget)
      return {
        cause: 'timeout',
        line: what ? `${what} within ${budget[1]} s (${firstLine(error)})` : firstLine(error),
      };
    if (navTimeout)
      return { cause: 'timeout', line: `${what ?? 'the page did not load'} within ${seconds(Number(navTimeout[1]))}` };
    const ms = testTimeout ? Number(testTimeout[1]) : null;
    return {
      cause: 'timeout',
      line: `the test ran out of its ${ms ? seconds(ms) : 'time'} budget${what ? ` (${what})` : ''}`,
    };
  }

  const locator = locatorOf(error);
  if (/element\(s\) not found/.test(error) || (locator && /Timeout \d+ms exceeded/.test(error))) {
    const where = lastPage(all);
    const own = ownMessage(error);
    const element = locator ? describeLocator(locator) : 'an element';
    return {
      cause: 'element-missing',
      line: `${element} not found${where ? ` on ${where}` : ''}${own ? ` (${own})` : ''}`,
    };
  }

  if (/expect\(|expect\.poll|Expected|Received|still on \//.test(error)) {
    return { cause: 'content-mismatch', line: firstLine(error) };
  }

  return { cause: 'unknown', line: firstLine(error) || `attempt ${input.status} without an error message` };
}

/** The cause of a failed or timed-out attempt; null for every other status. */
export function decideCause(input: CauseInput): CauseVerdict | null {
  if (input.status !== 'failed' && input.status !== 'timedOut') return null;
  const all = input.evidence ?? [];
  const inStep = input.failedStep ? all.filter((i) => i.step === input.failedStep) : all;
  const verdict = decide(input, all, inStep);
  const during = input.failedStep ? ` during '${input.failedStep}'` : '';
  const line = `${verdict.line}${during}`.replace(/\s+/g, ' ');
  return { cause: verdict.cause, line: line.length > maxLineChars ? `${line.slice(0, maxLineChars - 1)}…` : line };
}
