// Login and registration markup. Labels, ids and button names are the contract in
// TARGET.md; the login form carries a name of its own so workflows can scope "Sign In" to it.
import { alertBox, errorSummary, fieldsFor } from './form-fields.ts';
import { html } from './html.ts';
import type { SafeHtml } from './html.ts';
import type { FieldErrors, RegistrationInput } from './validation.ts';
import { decorate } from './variant.ts';

export interface LoginView {
  email: string;
  callbackUrl: string;
  error?: string;
  registered: boolean;
  /** The login-broken fault: a deploy that lost its submit button. */
  hideSubmit: boolean;
  /** The alternate face (variant.ts). */
  alt: boolean;
}

export function loginMain(v: LoginView): SafeHtml {
  const field = fieldsFor(v.alt);
  const email = field({
    id: 'email',
    label: 'Email Address',
    type: 'email',
    value: v.email,
    required: true,
    autocomplete: 'email',
    placeholder: 'you@example.com',
  });
  const password = field({
    id: 'password',
    label: 'Password',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  const submit = v.hideSubmit
    ? ''
    : v.alt
      ? html`<button type="submit" class="button button-block">
        Sign In  <span aria-hidden="true">→</span>
      </button>`
      : html`<button type="submit" class="button button-block">Sign In</button>`;
  // The alternate face: other wrappers and order, and extra controls whose names share words.
  const body = v.alt
    ? html`<div class="form-grid"><div>${password}</div><div>${email}</div></div>
    <p class="muted"><a href="/login">Forgot your password?</a></p>
    <button type="button" class="button button-block button-ghost">Sign in with a magic link</button>
    <div class="form-actions">${submit}</div>`
    : html`${email}
    ${password}
    ${submit}`;
  return html`<section class="auth-card">
  <h1>${decorate(v.alt, '👋', 'Welcome Back')}</h1>
  <p class="subtitle">Sign in to your Farmers Market account</p>
  ${v.registered ? alertBox('Account created successfully! Please sign in.', 'success') : ''}
  ${alertBox(v.error)}
  <form method="post" action="/login" aria-label="Sign in form" class="stack">
    <input type="hidden" name="callbackUrl" value="${v.callbackUrl}">
    ${body}
  </form>
  <p class="muted">New to the market? <a href="/signup">Create an account</a></p>
</section>`;
}

export interface SignupView {
  action: '/signup' | '/register';
  values: RegistrationInput;
  errors: FieldErrors;
  /** A message shown above the form instead of the per-field summary. */
  formError?: string;
  /** The alternate face (variant.ts). */
  alt: boolean;
}

function roleButton(
  role: 'customer' | 'farmer',
  current: string,
  title: string,
  description: string,
  alt: boolean,
): SafeHtml {
  // On the alternate face the icon is part of the button's name ("🧺 Customer Buy fresh produce").
  return html`<button type="button" class="role-option" data-role="${role}" aria-pressed="${role === current ? 'true' : 'false'}">
      <span class="role-icon"${alt ? '' : html` aria-hidden="true"`}>${role === 'customer' ? '🧺' : '🚜'}</span>
      <span class="role-title">${title}</span>
      <span class="role-desc">${description}</span>
    </button>`;
}

export function signupMain(v: SignupView): SafeHtml {
  const { values: x, errors: e } = v;
  const farmer = x.role === 'farmer';
  const field = fieldsFor(v.alt);
  const customerButton = roleButton('customer', x.role, 'Customer', 'Buy fresh produce', v.alt);
  const farmerButton = roleButton('farmer', x.role, 'Farmer', 'Sell your products', v.alt);
  const name = field({
    id: 'name',
    label: 'Full Name',
    value: x.name,
    error: e.name,
    required: true,
    autocomplete: 'name',
    placeholder: 'Jane Doe',
  });
  const email = field({
    id: 'email',
    label: 'Email Address',
    type: 'email',
    value: x.email,
    error: e.email,
    required: true,
    autocomplete: 'email',
  });
  return html`<section class="auth-card auth-card-wide">
  <h1>${decorate(v.alt, '✨', 'Create Your Account')}</h1>
  <p class="subtitle">Join our community of local farmers and food lovers</p>
  ${v.formError ? alertBox(v.formError) : errorSummary(e)}
  <form method="post" action="${v.action}" aria-label="Create account form" class="stack" id="signup-form">
    <fieldset class="role-picker">
      <legend>I want to join as</legend>
      <div class="role-options">
        ${v.alt ? [farmerButton, customerButton] : [customerButton, farmerButton]}
      </div>
      <input type="hidden" name="role" id="role" value="${x.role}">
    </fieldset>
    ${v.alt ? html`<div class="form-grid"><div>${email}</div><div>${name}</div></div>` : [name, email]}
    ${field({ id: 'phone', label: 'Phone Number (Optional)', type: 'tel', value: x.phone, error: e.phone, autocomplete: 'tel' })}
    ${field({
      id: 'password',
      label: 'Password',
      type: 'password',
      error: e.password,
      required: true,
      autocomplete: 'new-password',
      hint: 'At least 8 characters with an uppercase letter, a lowercase letter and a number',
    })}
    ${field({ id: 'confirmPassword', label: 'Confirm Password', type: 'password', error: e.confirmPassword, required: true, autocomplete: 'new-password' })}
    <div id="farm-fields" class="farm-fields"${farmer ? '' : html` hidden`}>
      <h2 class="section-title">Your Farm</h2>
      ${field({ id: 'farmName', label: 'Farm Name', value: x.farmName, error: e.farmName, required: farmer, attrs: farmer ? '' : 'disabled' })}
      ${field({ id: 'farmAddress', label: 'Farm Address', value: x.farmAddress, error: e.farmAddress, required: farmer, attrs: farmer ? '' : 'disabled' })}
      ${field({ id: 'farmDescription', label: 'Farm Description (Optional)', value: x.farmDescription, multiline: true })}
    </div>
    <div class="field field-checkbox${e.agreeToTerms ? ' field-invalid' : ''}">
      <input type="checkbox" id="agreeToTerms" name="agreeToTerms" value="true" required${x.agreeToTerms ? html` checked` : ''}>
      <label for="agreeToTerms">I agree to the Terms of Service and Privacy Policy</label>
      ${e.agreeToTerms ? html`<p class="field-error">${e.agreeToTerms}</p>` : ''}
    </div>
    ${
      v.alt
        ? html`<div class="form-actions"><button type="button" class="button button-ghost">Save and finish later</button>
      <button type="submit" class="button">Create Account 🚀</button></div>`
        : html`<button type="submit" class="button button-block">Create Account</button>`
    }
  </form>
  <p class="muted">Already have an account? <a href="/login">Log in</a></p>
</section>`;
}
