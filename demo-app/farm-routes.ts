// Farm creation for farmers (TARGET.md): anonymous visitors go to login, other roles go home.
import { dashboardMain, farmMain, newFarmMain } from './farm-pages.ts';
import { formFields, readForm, redirect, sendHtml } from './http.ts';
import { renderPage } from './layout.ts';
import { isAlternate } from './variant.ts';
import { notFound } from './error-pages.ts';
import type { RequestContext, Route } from './router.ts';
import { requireRole } from './sessions.ts';
import { validateFarm } from './validation.ts';
import type { FarmInput } from './validation.ts';

const emptyFarm: FarmInput = {
  name: '',
  description: '',
  street: '',
  city: '',
  state: '',
  zipCode: '',
  latitude: '',
  longitude: '',
};

function dashboard(ctx: RequestContext): void {
  const user = requireRole(ctx, 'FARMER');
  if (!user) return;
  const main = dashboardMain(user, ctx.app.store.farmsOwnedBy(user.id));
  sendHtml(ctx.res, 200, renderPage(ctx, { title: 'Farmer Dashboard', main }));
}

function newFarmPage(ctx: RequestContext): void {
  if (!requireRole(ctx, 'FARMER')) return;
  sendHtml(
    ctx.res,
    200,
    renderPage(ctx, { title: 'Create Your Farm', main: newFarmMain(emptyFarm, {}, isAlternate(ctx)) }),
  );
}

async function createFarm(ctx: RequestContext): Promise<void> {
  const user = requireRole(ctx, 'FARMER');
  if (!user) return;
  const form = await readForm(ctx.req);
  const values: FarmInput = formFields(form, [
    'name',
    'description',
    'street',
    'city',
    'state',
    'zipCode',
    'latitude',
    'longitude',
  ]);

  const errors = validateFarm(values);
  if (Object.keys(errors).length > 0) {
    sendHtml(
      ctx.res,
      422,
      renderPage(ctx, { title: 'Create Your Farm', main: newFarmMain(values, errors, isAlternate(ctx)) }),
    );
    return;
  }
  const farm = ctx.app.store.createFarm({
    name: values.name.trim(),
    description: values.description.trim(),
    ownerId: user.id,
    street: values.street.trim(),
    city: values.city.trim(),
    state: values.state.trim().toUpperCase(),
    zipCode: values.zipCode.trim(),
    latitude: Number(values.latitude),
    longitude: Number(values.longitude),
  });
  redirect(ctx.res, `/farmer/farms/${encodeURIComponent(farm.id)}`);
}

function farmPage(ctx: RequestContext): void {
  const user = requireRole(ctx, 'FARMER');
  if (!user) return;
  const farm = ctx.app.store.farms.get(ctx.params.id ?? '');
  if (!farm || farm.ownerId !== user.id) {
    notFound(ctx);
    return;
  }
  const main = farmMain(farm, isAlternate(ctx));
  sendHtml(ctx.res, 200, renderPage(ctx, { title: farm.name, main }));
}

export const farmRoutes: Route[] = [
  { methods: ['GET'], path: '/farmer/dashboard', kind: 'page', handler: dashboard },
  { methods: ['GET'], path: '/farmer/farms/new', kind: 'page', handler: newFarmPage },
  { methods: ['POST'], path: '/farmer/farms/new', kind: 'form', handler: createFarm },
  { methods: ['GET'], path: '/farmer/farms/:id', kind: 'page', handler: farmPage },
];
