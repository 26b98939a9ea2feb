// Test helper: a fetch client that keeps cookies like a browser and never follows
// redirects, so tests can assert where the app sends a visitor.

export interface RequestOptions {
  method?: string;
  form?: Record<string, string>;
  json?: unknown;
  /** A body sent as is, e.g. deliberately broken JSON. */
  raw?: string;
  headers?: Record<string, string>;
}

export class DemoClient {
  readonly base: string;
  readonly #cookies = new Map<string, string>();

  constructor(base: string) {
    this.base = base;
  }

  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.#cookies.size > 0) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.raw !== undefined) {
      body = options.raw;
    }
    const response = await fetch(this.base + path, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(cookie)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  async json(path: string, options: RequestOptions = {}): Promise<{ status: number; body: unknown }> {
    const response = await this.request(path, options);
    return { status: response.status, body: await response.json() };
  }

  async text(
    path: string,
    options: RequestOptions = {},
  ): Promise<{ status: number; body: string; location: string | null }> {
    const response = await this.request(path, options);
    return { status: response.status, body: await response.text(), location: response.headers.get('location') };
  }

  /** Signs in through the login form, as a browser would; returns the redirect target. */
  async signIn(email: string, password: string, callbackUrl = '/'): Promise<string | null> {
    const response = await this.request('/login', { form: { email, password, callbackUrl } });
    await response.body?.cancel();
    return response.status === 303 ? response.headers.get('location') : null;
  }
}

export const customer = { email: 'consumer@example.com', password: 'Consumer123!' };
export const farmer = { email: 'farmer1@example.com', password: 'Farmer123!' };
