// Sign-in, sign-out, registration and the Auth.js-shaped session endpoint.
import { loginMain, signupMain } from './auth-pages.ts';
import type { SignupView } from './auth-pages.ts';
import { formFields, readForm, redirect, sendHtml, sendJson } from './http.ts';
import { renderPage } from './layout.ts';
import type { RequestContext, Route } from './router.ts';
import { clearedSessionCookie, safeCallbackUrl, sessionCookie, sessionJson } from './sessions.ts';
import { validateRegistration } from './validation.ts';
import { isAlternate } from './variant.ts';
import type { RegistrationInput } from './validation.ts';

export const invalidLoginMessage = 'Invalid email or password. Please try again.';
export const duplicateEmailMessage = 'An account with this email already exists. Please sign in instead.';
export const registrationFaultMessage = 'Please check the form: email is invalid';

function loginPage(ctx: RequestContext): void {
  const main = loginMain({
    email: '',
    callbackUrl: safeCallbackUrl(ctx.url.searchParams.get('callbackUrl')),
    registered: ctx.url.searchParams.get('registered') === 'true',
    hideSubmit: ctx.app.faults.active.loginBroken,
    alt: isAlternate(ctx),
  });
  sendHtml(ctx.res, 200, renderPage(ctx, { title: 'Sign In', main }));
}

async function login(ctx: RequestContext): Promise<void> {
  const form = await readForm(ctx.req);
  const email = form.get('email') ?? '';
  const callbackUrl = safeCallbackUrl(form.get('callbackUrl'));
  const user = ctx.app.store.findUserByEmail(email);
  if (!user || user.password !== (form.get('password') ?? '')) {
    const main = loginMain({
      email,
      callbackUrl,
      registered: false,
      error: invalidLoginMessage,
      hideSubmit: ctx.app.faults.active.loginBroken,
      alt: isAlternate(ctx),
    });
    sendHtml(ctx.res, 401, renderPage(ctx, { title: 'Sign In', main }));
    return;
  }
  if (ctx.session) ctx.app.store.sessions.delete(ctx.session.token);
  const session = ctx.app.store.createSession(user.id);
  ctx.res.appendHeader('set-cookie', sessionCookie(session));
  redirect(ctx.res, callbackUrl);
}

function signOut(ctx: RequestContext): void {
  if (ctx.session) ctx.app.store.sessions.delete(ctx.session.token);
  ctx.res.appendHeader('set-cookie', clearedSessionCookie());
  redirect(ctx.res, '/');
}

function session(ctx: RequestContext): void {
  // Auth.js answers `null` for an anonymous visitor.
  sendJson(ctx.res, 200, ctx.session && ctx.user ? sessionJson(ctx.session, ctx.user) : null);
}

function emptyRegistration(role: string | null): RegistrationInput {
  return {
    role: role === 'farmer' ? 'farmer' : 'customer',
    name: '',
    email: '',
    phone: '',
    password: '',
    confirmPassword: '',
    farmName: '',
    farmAddress: '',
    farmDescription: '',
    agreeToTerms: false,
  };
}

function signupAction(ctx: RequestContext): SignupView['action'] {
  return ctx.url.pathname === '/register' ? '/register' : '/signup';
}

function signupPage(ctx: RequestContext): void {
  const main = signupMain({
    action: signupAction(ctx),
    values: emptyRegistration(ctx.url.searchParams.get('role')),
    errors: {},
    alt: isAlternate(ctx),
  });
  sendHtml(ctx.res, 200, renderPage(ctx, { title: 'Create Account', main, scripts: ['signup.js'] }));
}

async function register(ctx: RequestContext): Promise<void> {
  const form = await readForm(ctx.req);
  const values: RegistrationInput = {
    ...emptyRegistration(form.get('role')),
    ...formFields(form, ['name', 'phone', 'password', 'confirmPassword', 'farmName', 'farmAddress', 'farmDescription']),
    email: (form.get('email') ?? '').trim(),
    agreeToTerms: form.has('agreeToTerms'),
  };
  const rerender = (view: Omit<SignupView, 'action' | 'values' | 'alt'>): void => {
    const main = signupMain({
      action: signupAction(ctx),
      values: { ...values, password: '', confirmPassword: '' },
      ...view,
      alt: isAlternate(ctx),
    });
    sendHtml(ctx.res, 422, renderPage(ctx, { title: 'Create Account', main, scripts: ['signup.js'] }));
  };
  if (ctx.app.faults.active.registrationInvalid) {
    rerender({ errors: { email: 'Email is invalid' }, formError: registrationFaultMessage });
    return;
  }
  const errors = validateRegistration(values);
  if (Object.keys(errors).length > 0) {
    rerender({ errors });
    return;
  }
  if (ctx.app.store.findUserByEmail(values.email)) {
    rerender({ errors: { email: 'This email is already registered' }, formError: duplicateEmailMessage });
    return;
  }
  const user = ctx.app.store.createUser({
    name: values.name.trim().replace(/\s+/g, ' '),
    email: values.email,
    password: values.password,
    phone: values.phone.trim(),
    role: values.role === 'farmer' ? 'FARMER' : 'CONSUMER',
  });
  if (values.role === 'farmer') {
    ctx.app.store.createFarm({
      name: values.farmName.trim(),
      description: values.farmDescription.trim(),
      ownerId: user.id,
      street: values.farmAddress.trim(),
      city: '',
      state: '',
      zipCode: '',
      latitude: null,
      longitude: null,
    });
  }
  redirect(ctx.res, '/login?registered=true');
}

export const authRoutes: Route[] = [
  { methods: ['GET'], path: '/login', kind: 'page', handler: loginPage },
  { methods: ['POST'], path: '/login', kind: 'form', handler: login },
  { methods: ['GET'], path: '/signup', kind: 'page', handler: signupPage },
  { methods: ['GET'], path: '/register', kind: 'page', handler: signupPage },
  { methods: ['POST'], path: '/signup', kind: 'form', handler: register },
  { methods: ['POST'], path: '/register', kind: 'form', handler: register },
  { methods: ['GET', 'POST'], path: '/api/auth/signout', kind: 'api', handler: signOut },
  { methods: ['GET', 'POST'], path: '/logout', kind: 'form', handler: signOut },
  { methods: ['GET'], path: '/api/auth/session', kind: 'api', handler: session },
];
