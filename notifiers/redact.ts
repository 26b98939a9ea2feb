// A webhook URL is a bearer credential: whoever reads it can post to the channel. So nothing
// that leaves delivery (records, log lines, results, CLI output) carries one; URLs shrink to
// their host and configured secrets disappear wherever they occur.

export const REDACTED = '[redacted]';

/** "https://hooks.slack.com/…": enough to tell channels apart, nothing to post with. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return REDACTED;
  }
}

// Hosts whose URLs are credentials in themselves, even when not configured here (a user may
// paste one into an alert's context).
const secretUrlHosts =
  /^(hooks\.slack\.com|[\w.-]+\.webhook\.office\.com|[\w.-]+\.logic\.azure\.com|[\w.-]+\.powerplatform\.com)(:\d+)?$/i;
const discordWebhook = /^(?:[\w-]+\.)?discord(?:app)?\.com$/i;

function isCredentialUrl(u: URL): boolean {
  return (
    secretUrlHosts.test(u.host) ||
    (discordWebhook.test(u.host) && u.pathname.includes('/webhooks/')) ||
    u.username !== '' ||
    u.password !== '' ||
    u.searchParams.has('sig')
  );
}

const urlPattern = /\bhttps?:\/\/[^\s"'<>()`]+/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type Redactor = (text: string) => string;

/** Secrets shorter than this are too likely to be ordinary words to replace everywhere. */
const minSecretLength = 3;
/**
 * A secret this long is replaced wherever it occurs; a shorter one only as a whole token (not
 * inside a word such as "workflow-monitor"), since short strings occur in ordinary text too.
 */
const anywhereLength = 12;

/** Matches `secret` as a whole token: not inside a run of letters, digits, `_` and `-`. */
function tokenPattern(secret: string): RegExp {
  const body = escapeRegExp(secret);
  if (secret.length >= anywhereLength) return new RegExp(body, 'g');
  // Only an edge that is itself part of a word needs a boundary ("/hook/abc" may follow a port).
  const before = /^[\w-]/.test(secret) ? '(?<![\\w-])' : '';
  const after = /[\w-]$/.test(secret) ? '(?![\\w-])' : '';
  return new RegExp(`${before}${body}${after}`, 'g');
}

/**
 * Replaces the given secrets (passwords, tokens, keys, secret URLs) and any credential URL.
 * Pass secrets only: a user name or an address is not one, and would blank out ordinary words.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const replacements: Array<[string, string]> = [];
  for (const secret of secrets) {
    if (secret.length < minSecretLength) continue;
    let replacement = REDACTED;
    try {
      const u = new URL(secret);
      if (u.protocol === 'http:' || u.protocol === 'https:') {
        replacement = redactUrl(secret);
        const rest = `${u.pathname}${u.search}`;
        // A path alone (in a 404 body, say) still lets someone rebuild the URL.
        if (rest.length >= 8) replacements.push([rest, '/…']);
        replacements.push([secret.replace(/^https?:\/\//, ''), `${u.host}/…`]);
      }
    } catch {
      // not a URL: the literal goes
    }
    replacements.push([secret, replacement]);
    // "Bearer <token>": the token alone is the secret too.
    const scheme = /^(?:Bearer|Basic|Token)\s+(\S{3,})$/i.exec(secret);
    if (scheme) replacements.push([scheme[1]!, REDACTED]);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) replacements.push([encoded, replacement]);
  }
  replacements.sort((a, b) => b[0].length - a[0].length);
  const patterns = replacements.map(([s, r]) => [tokenPattern(s), r] as const);

  return (text: string): string => {
    let out = text;
    for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
    out = out.replace(urlPattern, (url) => {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return url;
      }
      return isCredentialUrl(u) ? redactUrl(url) : url;
    });
    return out;
  };
}
