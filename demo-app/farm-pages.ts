// Farmer-facing markup: the dashboard, the farm creation form and a farm's own page.
import { errorSummary, fieldsFor } from './form-fields.ts';
import { html } from './html.ts';
import type { SafeHtml } from './html.ts';
import type { Farm, User } from './store.ts';
import type { FarmInput, FieldErrors } from './validation.ts';
import { decorate } from './variant.ts';

function statusBadge(farm: Farm): SafeHtml {
  return farm.status === 'PENDING'
    ? html`<span class="badge badge-pending">Pending Approval</span>`
    : html`<span class="badge badge-active">Active</span>`;
}

export function dashboardMain(user: User, farms: readonly Farm[]): SafeHtml {
  return html`<section>
  <h1>Farmer Dashboard</h1>
  <p class="subtitle">Welcome, ${user.name}. Manage your farms and listings.</p>
  <p><a class="button" href="/farmer/farms/new">Add a New Farm</a></p>
  <h2>Your Farms</h2>
  ${
    farms.length === 0
      ? html`<p class="muted">You have no farms yet.</p>`
      : html`<ul class="farm-list">${farms.map(
          (f) => html`<li class="card">
        <a href="/farmer/farms/${f.id}">${f.name}</a> ${statusBadge(f)}
        <p class="muted">${[f.city, f.state].filter(Boolean).join(', ') || f.street}</p>
      </li>`,
        )}</ul>`
  }
</section>`;
}

export function newFarmMain(values: FarmInput, errors: FieldErrors, alt = false): SafeHtml {
  const e = errors;
  const field = fieldsFor(alt);
  const place = html`<div class="field-row">
      ${field({ id: 'latitude', label: 'Latitude', type: 'number', value: values.latitude, error: e.latitude, required: true, attrs: 'step="any"' })}
      ${field({ id: 'longitude', label: 'Longitude', type: 'number', value: values.longitude, error: e.longitude, required: true, attrs: 'step="any"' })}
    </div>`;
  return html`<section class="form-card">
  <h1>${decorate(alt, '🚜', 'Create Your Farm')}</h1>
  <p class="subtitle">Tell customers about your farm. New farms are reviewed before they appear in the market.</p>
  ${errorSummary(e)}
  <form method="post" action="/farmer/farms/new" aria-label="Create farm form" class="stack">
    ${field({ id: 'name', label: 'Farm Name', value: values.name, error: e.name, required: true })}
    ${field({
      id: 'description',
      label: 'Description',
      value: values.description,
      error: e.description,
      required: true,
      multiline: true,
      hint: 'Between 20 and 2,000 characters: what you grow and how',
    })}
    ${alt ? place : ''}
    ${field({ id: 'street', label: 'Street Address', value: values.street, error: e.street, required: true, autocomplete: 'street-address' })}
    <div class="field-row">
      ${field({ id: 'city', label: 'City', value: values.city, error: e.city, required: true })}
      ${field({ id: 'state', label: 'State', value: values.state, error: e.state, required: true, placeholder: 'CA', attrs: 'maxlength="2"' })}
      ${field({ id: 'zipCode', label: 'ZIP Code', value: values.zipCode, error: e.zipCode, required: true, attrs: 'inputmode="numeric"' })}
    </div>
    ${alt ? '' : place}
    ${
      alt
        ? html`<div class="form-actions"><button type="button" class="button button-ghost">Save as draft</button>
      <button type="submit" class="button">
        Create Farm
      </button></div>`
        : html`<button type="submit" class="button">Create Farm</button>`
    }
  </form>
</section>`;
}

export function farmMain(farm: Farm, alt = false): SafeHtml {
  const place = [farm.street, farm.city, [farm.state, farm.zipCode].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return html`<section>
  <h1>${decorate(alt, '🌱', farm.name)}</h1>
  <p>Status: ${statusBadge(farm)}</p>
  ${farm.status === 'PENDING' ? html`<p class="muted">Your farm is pending approval. We review new farms within two business days.</p>` : ''}
  <dl class="details">
    <dt>Address</dt><dd>${place}</dd>
    ${farm.latitude !== null && farm.longitude !== null ? html`<dt>Location</dt><dd>${farm.latitude}, ${farm.longitude}</dd>` : ''}
    <dt>Description</dt><dd>${farm.description || 'No description yet.'}</dd>
  </dl>
  <p><a href="/farmer/dashboard">Back to dashboard</a></p>
</section>`;
}
