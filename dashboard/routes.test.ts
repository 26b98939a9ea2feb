// The dashboard's guards without a browser: the token (Bearer, or Basic for browsers) and the
// artifacts folder that a stored path cannot leave, symlinks included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { authorized, insideFolder } from './routes.ts';

const req = (authorization?: string) => ({ headers: authorization ? { authorization } : {} }) as IncomingMessage;

test('a token, when set, is required as Bearer or as the Basic password', () => {
  assert.equal(authorized(req(), null), true, 'no token: loopback only, open');
  assert.equal(authorized(req(), 's3cret'), false);
  assert.equal(authorized(req('Bearer s3cret'), 's3cret'), true);
  assert.equal(authorized(req('Bearer s3cre'), 's3cret'), false);
  assert.equal(authorized(req(`Basic ${Buffer.from('anyone:s3cret').toString('base64')}`), 's3cret'), true);
  assert.equal(authorized(req(`Basic ${Buffer.from('s3cret:nope').toString('base64')}`), 's3cret'), false);
});

test('artifacts are served only from inside their folder', async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'wm-art-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const folder = path.join(root, 'artifacts');
  await mkdir(path.join(folder, 'run-1'), { recursive: true });
  await writeFile(path.join(folder, 'run-1', 'screenshot.png'), 'png');
  await writeFile(path.join(root, 'secret.txt'), 'secret');
  await symlink(path.join(root, 'secret.txt'), path.join(folder, 'run-1', 'link.png'));
  assert.equal(
    insideFolder(path.join(folder, 'run-1', 'screenshot.png'), folder),
    path.join(folder, 'run-1', 'screenshot.png'),
  );
  assert.equal(
    insideFolder('run-1/screenshot.png', folder),
    path.join(folder, 'run-1', 'screenshot.png'),
    'relative to the folder',
  );
  assert.equal(insideFolder('../secret.txt', folder), null);
  assert.equal(insideFolder(path.join(folder, '..', 'secret.txt'), folder), null);
  assert.equal(insideFolder(path.join(folder, 'run-1', 'link.png'), folder), null, 'a symlink pointing out');
  assert.equal(insideFolder('/etc/passwd', folder), null);
  assert.equal(insideFolder(path.join(folder, 'missing.png'), folder), null);
});
