import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultSwitchboard, activeFaults, formatFault, parseFaults } from './faults.ts';

describe('parseFaults', () => {
  it('parses every known fault, trimming blanks', () => {
    const result = parseFaults(
      ' health-down, login-broken ,slow-products:2000,registration-invalid,checkout-error,flaky:3,',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.faults.map(formatFault), [
      'health-down',
      'login-broken',
      'slow-products:2000',
      'registration-invalid',
      'checkout-error',
      'flaky:3',
    ]);
    assert.deepEqual(activeFaults(result.faults), {
      healthDown: true,
      loginBroken: true,
      slowProductsMs: 2000,
      registrationInvalid: true,
      checkoutError: true,
      flakyEvery: 3,
      clientCrashPaths: [],
    });
  });

  it('treats an empty list as no faults and accepts arrays', () => {
    assert.deepEqual(parseFaults(''), { ok: true, faults: [] });
    assert.deepEqual(parseFaults([]), { ok: true, faults: [] });
    const fromArray = parseFaults(['flaky:2', 'health-down']);
    assert.ok(fromArray.ok);
    assert.deepEqual(fromArray.faults.map(formatFault), ['flaky:2', 'health-down']);
  });

  it('lets a later entry for the same fault win', () => {
    const result = parseFaults('slow-products:100,slow-products:250');
    assert.ok(result.ok);
    assert.deepEqual(result.faults, [{ name: 'slow-products', ms: 250 }]);
  });

  it('reports every unknown name at once', () => {
    const result = parseFaults('health-down,db-down,Login-Broken');
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 2);
    assert.match(result.problems[0] ?? '', /unknown fault "db-down"/);
    assert.match(result.problems[0] ?? '', /known faults: health-down/);
    assert.match(result.problems[1] ?? '', /unknown fault "Login-Broken"/);
  });

  it('rejects missing, malformed and out-of-range numbers', () => {
    for (const bad of [
      'slow-products',
      'slow-products:',
      'slow-products:abc',
      'slow-products:-5',
      'slow-products:1.5',
      'slow-products:0',
      'slow-products:600001',
      'flaky',
      'flaky:0',
      'flaky:two',
      'flaky:2x',
    ]) {
      const result = parseFaults(bad);
      assert.equal(result.ok, false, bad);
    }
  });

  it('parses client-crash with a page path; several pages may crash at once', () => {
    const result = parseFaults('client-crash:/cart, client-crash:/checkout,client-crash:/cart');
    assert.ok(result.ok);
    assert.deepEqual(result.faults.map(formatFault), ['client-crash:/cart', 'client-crash:/checkout']);
    assert.deepEqual(activeFaults(result.faults).clientCrashPaths, ['/cart', '/checkout']);
    for (const bad of ['client-crash', 'client-crash:', 'client-crash:cart', 'client-crash:/a b', 'client-crash://x']) {
      const parsed = parseFaults(bad);
      assert.ok(!parsed.ok, bad);
      assert.match(parsed.problems[0] ?? '', /client-crash" needs a page path starting with \//, bad);
    }
  });

  it('rejects an argument on a switch that takes none', () => {
    const result = parseFaults('health-down:5');
    assert.ok(!result.ok);
    assert.match(result.problems[0] ?? '', /takes no argument/);
  });
});

describe('FaultSwitchboard', () => {
  it('fails the first page of the first of every n visits and restarts counting on change', () => {
    const board = new FaultSwitchboard([{ name: 'flaky', every: 3 }]);
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map(() => board.nextPageFails(true)),
      [true, false, false, true, false, false],
    );
    assert.equal(board.nextPageFails(false), false, 'later pages of a visit are spared and not counted');
    board.nextPageFails(true);
    board.replace([{ name: 'flaky', every: 2 }]);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => board.nextPageFails(true)),
      [true, false, true, false],
    );
    board.replace([]);
    assert.equal(board.nextPageFails(true), false);
    assert.deepEqual(board.list(), []);
  });
});
