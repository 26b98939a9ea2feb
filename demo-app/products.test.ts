import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoApp } from './app.ts';
import type { DemoApp } from './app.ts';
import { DemoClient } from '../test/helpers/demo-client.ts';

let app: DemoApp;
let client: DemoClient;
before(async () => {
  app = await startDemoApp({ port: 0 });
  client = new DemoClient(app.url);
});
after(() => app.close());

interface ProductsBody {
  success: boolean;
  data: {
    products: { name: string; slug: string; price: number; unit: string; farm: { name: string } }[];
    pagination: { page: number; limit: number; total: number; totalPages: number };
  };
}

describe('GET /api/products', () => {
  it('lists the seeded catalogue in the promised shape', async () => {
    const { status, body } = await client.json('/api/products');
    assert.equal(status, 200);
    const { success, data } = body as ProductsBody;
    assert.equal(success, true);
    assert.deepEqual(Object.keys(data).sort(), ['pagination', 'products']);
    assert.equal(data.products.length, 12);
    assert.deepEqual(data.pagination, { page: 1, limit: 12, total: 12, totalPages: 1 });
    for (const p of data.products) {
      assert.match(p.slug, /^[a-z0-9-]+$/);
      assert.equal(typeof p.price, 'number');
      assert.ok(p.unit && p.farm.name);
    }
  });

  it('searches case-insensitively and paginates', async () => {
    const tomato = (await client.json('/api/products?search=TOMATO')).body as ProductsBody;
    assert.deepEqual(
      tomato.data.products.map((p) => p.slug),
      ['organic-heirloom-tomatoes'],
    );
    assert.equal(tomato.data.pagination.total, 1);
    const byFarm = (await client.json('/api/products?search=green%20acres')).body as ProductsBody;
    assert.equal(byFarm.data.products.length, 4);
    const none = (await client.json('/api/products?search=zzz')).body as ProductsBody;
    assert.deepEqual(none.data, { products: [], pagination: { page: 1, limit: 12, total: 0, totalPages: 1 } });
    const page2 = (await client.json('/api/products?limit=5&page=2')).body as ProductsBody;
    assert.deepEqual(page2.data.pagination, { page: 2, limit: 5, total: 12, totalPages: 3 });
    assert.equal(page2.data.products.length, 5);
  });
});

describe('/products page', () => {
  it('shows the heading, the count, the labelled search box and one card per product', async () => {
    const { body } = await client.text('/products?search=berr');
    assert.match(body, /<h1>Fresh Local Products<\/h1>/);
    assert.match(body, /Showing 2 of 2 products/);
    assert.match(body, /<label for="product-search"[^>]*>Search products<\/label>/);
    assert.match(body, /<input type="search" id="product-search" name="search" value="berr"/);
    assert.match(body, /<a href="\/products\/fresh-strawberries">Fresh Strawberries<\/a>/);
    assert.match(body, /from Green Acres Organic/);
    assert.match(body, /\$5\.99<\/span> <span class="unit">\/ pint/);
    assert.match(body, /aria-label="Add Fresh Strawberries to cart" disabled>Add to Cart<\/button>/);
  });

  it('serves a product detail page and a 404 for an unknown slug', async () => {
    assert.match((await client.text('/products/raw-wildflower-honey')).body, /<h1>Raw Wildflower Honey<\/h1>/);
    assert.equal((await client.text('/products/no-such-thing')).status, 404);
  });

  it('answers no sooner than the slow-products delay', async () => {
    app.setFaults('slow-products:300');
    try {
      for (const path of ['/products', '/api/products?search=corn']) {
        const started = performance.now();
        const response = await client.request(path);
        await response.arrayBuffer();
        assert.equal(response.status, 200);
        assert.ok(performance.now() - started >= 300, `${path} answered too soon`);
      }
    } finally {
      app.setFaults('');
    }
  });
});
