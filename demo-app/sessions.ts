// Session cookies and page guards. The cookie mirrors Auth.js (HttpOnly, SameSite=Lax) and
// guards answer like the platform's middleware: anonymous visitors go to the login page
// with a callbackUrl, signed-in users of the wrong role go home.
import { redirect } from './http.ts';
import type { RequestContext } from './router.ts';
import type { Role, Session, User } from './store.ts';

export const sessionCookieName = 'authjs.session-token';

export function sessionCookie(session: Session): string {
  return `${sessionCookieName}=${session.token}; Path=/; HttpOnly; SameSite=Lax; Expires=${session.expires.toUTCString()}`;
}

export function clearedSessionCookie(): string {
  return `${sessionCookieName}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

export function loginUrl(callbackPath: string): string {
  return `/login?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

/**
 * Only same-site paths are followed after login: an absolute or protocol-relative
 * callbackUrl would make the login page an open redirect.
 */
export function safeCallbackUrl(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

/** The signed-in user, or undefined after answering with a redirect to the login page. */
export function requireUser(ctx: RequestContext): User | undefined {
  if (ctx.user) return ctx.user;
  redirect(ctx.res, loginUrl(ctx.url.pathname + ctx.url.search), 307);
  return undefined;
}

export function requireRole(ctx: RequestContext, role: Role): User | undefined {
  const user = requireUser(ctx);
  if (!user) return undefined;
  if (user.role !== role) {
    redirect(ctx.res, '/', 307);
    return undefined;
  }
  return user;
}

export function sessionJson(session: Session, user: User): unknown {
  return {
    user: { name: user.name, email: user.email, id: user.id, role: user.role, status: user.status },
    expires: session.expires.toISOString(),
  };
}
