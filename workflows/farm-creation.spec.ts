import { test, expect, workflow, expectLanded, signIn, uniqueToken, open } from '../fixtures/index.ts';

test('Farm Creation', workflow({ id: 'farm-creation', priority: 'high', schedule: '0 * * * *', type: 'FARM_MANAGEMENT', tags: ['farmer'] }),
  async ({ page, account }) => {
    // Unique and recognisably synthetic; new farms wait for approval, so none goes public.
    const farmName = `Monitor Farm ${uniqueToken()}`;

    await test.step('Sign in as farmer', async () => {
      await signIn(page, account.farmer);
    });

    await test.step('Open new farm form', async () => {
      await open(page, '/farmer/farms/new');
      await expect(page.getByRole('heading', { name: 'Create Your Farm' }), 'the new farm form shows "Create Your Farm"').toBeVisible();
    });

    await test.step('Fill in farm details', async () => {
      await page.getByLabel('Farm Name').fill(farmName);
      await page.getByLabel('Description').fill('Synthetic farm created by workflow-monitor to check farm creation.');
      await page.getByLabel('Street Address').fill('100 Monitor Way');
      await page.getByLabel('City').fill('Portland');
      await page.getByLabel('State').fill('OR');
      await page.getByLabel('ZIP Code').fill('97201');
      await page.getByLabel('Latitude').fill('45.5152');
      await page.getByLabel('Longitude').fill('-122.6784');
    });

    await test.step('Create farm', async () => {
      await page.getByRole('button', { name: 'Create Farm' }).click();
      await expectLanded(page, /^\/farmer\/farms\/(?!new\b)[^/]+$/, 'the farm was not created');
      await expect(page.getByRole('heading', { name: farmName }), 'the new farm page shows the farm name').toBeVisible();
    });
  });
