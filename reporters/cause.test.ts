// decideCause's rules for every verdict (none for attempts that did not fail; one bounded line),
// and locators in words. The verdicts per cause: cause-http, cause-page and cause-network.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideCause, describeLocator } from './cause.ts';
import { input } from '../test/helpers/cause-cases.ts';

test('no cause for passing, skipped or interrupted attempts', () => {
  for (const status of ['passed', 'skipped', 'interrupted'] as const)
    assert.equal(decideCause(input({ status, error: 'Error: x' })), null);
});

test('the line is one line and bounded', () => {
  const verdict = decideCause(input({ failedStep: 'S', error: `Error: ${'x'.repeat(1000)}` }))!;
  assert.ok(verdict.line.length <= 300 && !verdict.line.includes('\n'));
});

test('locators read as a person says them', () => {
  assert.equal(describeLocator("getByRole('button', { name: 'Sign In' })"), 'button "Sign In"');
  assert.equal(describeLocator("getByRole('button', { name: /^Add .+ to cart$/ }).first()"), 'button "Add … to cart"');
  assert.equal(
    describeLocator(
      "locator('form').filter({ has: getByLabel(/^[^\\p{L}\\p{N}]*Email\\s+Address[^\\p{L}\\p{N}]*$/iu) }).getByRole('button', { name: /^[^\\p{L}\\p{N}]*Sign\\s+In[^\\p{L}\\p{N}]*$/iu })",
    ),
    'button "Sign In"',
  );
  assert.equal(
    describeLocator(
      "getByRole('heading', { name: /^[^\\p{L}\\p{N}]*Fresh\\s+Local\\s+Products(?![\\p{L}\\p{N}])/iu })",
    ),
    'heading "Fresh Local Products"',
  );
  assert.equal(describeLocator("getByRole('link', { name: /^(shop|cart)$/i })"), 'link /^(shop|cart)$/i');
  assert.equal(describeLocator("getByRole('link', { name: 'Cart', exact: true })"), 'link "Cart"');
  assert.equal(describeLocator("locator('form').getByLabel('Email Address')"), 'field "Email Address"');
  assert.equal(describeLocator("getByRole('radio').first()"), 'a radio');
});
