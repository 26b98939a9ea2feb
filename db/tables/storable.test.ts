import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cappedPayload, isStorableText, maxPayloadBytes, storableJson, storableText } from './storable.ts';

test('NUL and lone surrogates become U+FFFD; well-formed pairs and ordinary text stay', () => {
  assert.equal(storableText('a\u0000b'), 'a\uFFFDb');
  assert.equal(storableText('x\ud800y\udc00z'), 'x\uFFFDy\uFFFDz');
  assert.equal(storableText('emoji \ud83d\ude00 ok'), 'emoji \ud83d\ude00 ok');
  assert.equal(storableText('\ud83d'), '\uFFFD', 'a high surrogate at the very end');
  assert.equal(storableText(null), null);
  assert.ok(isStorableText(storableText('\u0000\udfff')));
});

test('storableJson cleans keys and values at any depth and drops what JSON cannot hold', () => {
  assert.deepEqual(storableJson({ 'k\u0000': ['\ud800', 1, Number.NaN, { deep: 'a\u0000' }], u: undefined, n: null }), {
    'k\uFFFD': ['\uFFFD', 1, null, { deep: 'a\uFFFD' }],
    n: null,
  });
});

test('a payload over the cap becomes a marker with its original size and a storable preview', () => {
  const small = { status: 'healthy' };
  assert.deepEqual(cappedPayload(small), small);
  const huge = { padding: 'x'.repeat(maxPayloadBytes) };
  const capped = cappedPayload(huge) as { truncated: string; originalBytes: number; preview: string };
  assert.equal(capped.originalBytes, Buffer.byteLength(JSON.stringify(huge)));
  assert.match(capped.truncated, /^\[payload of \d+ bytes not stored: over the 65536-byte limit\]$/);
  assert.ok(JSON.stringify(capped).length < 4096);
  assert.equal(cappedPayload(undefined), null);
});
