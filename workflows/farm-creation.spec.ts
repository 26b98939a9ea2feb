import { test, expect, workflow, expectLanded, signIn, uniqueToken, openShowing, named } from '../fixtures/index.ts';

test(
  'Farm Creation',
  workflow({ id: 'farm-creation', priority: 'high', schedule: '0 * * * *', type: 'FARM_MANAGEMENT', tags: ['farmer'] }),
  async ({ page, account }) => {
    // Unique and recognisably synthetic; new farms wait for approval, so none goes public.
    const farmName = `Monitor Farm ${uniqueToken()}`;

    await test.step('Sign in as farmer', async () => {
      await signIn(page, account.farmer);
    });

    await test.step('Open new farm form', async () => {
      await openShowing(page, '/farmer/farms/new', 'Create Your Farm', 'the new farm form');
    });

    await test.step('Fill in farm details', async () => {
      const fields: [string, string][] = [
        ['Farm Name', farmName],
        ['Description', 'Synthetic farm created by workflow-monitor to check farm creation.'],
        ['Street Address', '100 Monitor Way'],
        ['City', 'Portland'],
        ['State', 'OR'],
        ['ZIP Code', '97201'],
        ['Latitude', '45.5152'],
        ['Longitude', '-122.6784'],
      ];
      for (const [label, value] of fields) await page.getByLabel(named(label)).fill(value);
    });

    await test.step('Create farm', async () => {
      await page.getByRole('button', { name: named('Create Farm') }).click();
      await expectLanded(page, /^\/farmer\/farms\/(?!new\b)[^/]+$/, 'the farm was not created');
      await expect(
        page.getByRole('heading', { name: named(farmName) }),
        'the new farm page shows the farm name',
      ).toBeVisible();
    });
  },
);
