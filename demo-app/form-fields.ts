// Form controls with real <label for> elements and errors tied in by aria-describedby, so
// both getByLabel and screen readers find each field and its message.
import { html, trusted } from './html.ts';
import type { SafeHtml } from './html.ts';
import type { FieldErrors } from './validation.ts';

export interface FieldOptions {
  id: string;
  name?: string;
  label: string;
  type?: string;
  value?: string;
  error?: string | undefined;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  hint?: string;
  /** Extra attributes written verbatim; only ever constants from this app. */
  attrs?: string;
  multiline?: boolean;
  /** The alternate face: a required field's label ends in " *" (its accessible name too). */
  marker?: boolean;
}

export function field(o: FieldOptions): SafeHtml {
  const described = [o.hint ? `${o.id}-hint` : '', o.error ? `${o.id}-error` : ''].filter(Boolean).join(' ');
  const common = html`id="${o.id}" name="${o.name ?? o.id}"${o.required ? html` required` : ''}${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${o.placeholder ? html` placeholder="${o.placeholder}"` : ''}${
    described ? html` aria-describedby="${described}"` : ''
  }${o.error ? html` aria-invalid="true"` : ''}`;
  const control = o.multiline
    ? html`<textarea ${common} rows="4">${o.value ?? ''}</textarea>`
    : html`<input type="${o.type ?? 'text'}" ${common} value="${o.value ?? ''}"${o.attrs ? html` ${trusted(o.attrs)}` : ''}>`;
  return html`<div class="field${o.error ? ' field-invalid' : ''}">
    <label for="${o.id}">${o.label}${o.marker && o.required ? html`  <span class="required-marker">*</span>` : ''}</label>
    ${control}
    ${o.hint ? html`<p class="hint" id="${o.id}-hint">${o.hint}</p>` : ''}
    ${o.error ? html`<p class="field-error" id="${o.id}-error">${o.error}</p>` : ''}
  </div>`;
}

export function errorSummary(errors: FieldErrors, intro = 'Please fix the following:'): SafeHtml {
  const messages = Object.values(errors);
  if (messages.length === 0) return html``;
  return html`<div class="alert alert-error" role="alert">
    <p>${intro}</p>
    <ul>${messages.map((m) => html`<li>${m}</li>`)}</ul>
  </div>`;
}

export function alertBox(message: string | undefined, kind: 'error' | 'success' = 'error'): SafeHtml {
  if (!message) return html``;
  return kind === 'error'
    ? html`<div class="alert alert-error" role="alert">${message}</div>`
    : html`<div class="alert alert-success">${message}</div>`;
}

/** field() with the face's decorations: the alternate face marks required fields. */
export function fieldsFor(alt: boolean): (o: FieldOptions) => SafeHtml {
  return (o) => field({ ...o, marker: alt });
}
