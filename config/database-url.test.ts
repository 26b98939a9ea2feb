import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import {
  connectionFailure,
  databaseUrlProblem,
  databaseUrlVar,
  describeDatabaseFailure,
  redactDatabaseUrl,
} from './database-url.ts';

test('DATABASE_URL syntax: PostgreSQL URLs pass, anything else is one problem', () => {
  for (const ok of [
    'postgres://u:p@db:5432/monitor',
    'postgresql://localhost/x',
    'postgres:///x?host=/var/run/postgresql',
  ])
    assert.equal(databaseUrlProblem(ok), null, ok);
  assert.match(databaseUrlProblem('base') ?? '', /^is not a URL/);
  assert.match(databaseUrlProblem('postgres://u:p@h:99999/db') ?? '', /^is not a URL/);
  assert.match(databaseUrlProblem('mysql://h/db') ?? '', /must start with postgres:\/\//);
  assert.match(databaseUrlProblem('postgres:///db') ?? '', /names no host/);
  const schema = z.object({ DATABASE_URL: databaseUrlVar });
  assert.equal(schema.parse({ DATABASE_URL: '' }).DATABASE_URL, undefined);
  assert.ok(!schema.safeParse({ DATABASE_URL: 'base' }).success);
});

test('the password never shows', () => {
  assert.equal(redactDatabaseUrl('postgres://monitor:s3cret@db:5432/wm'), 'postgres://monitor:***@db:5432/wm');
  assert.equal(redactDatabaseUrl('not a url s3cret'), '(not a URL)');
  assert.ok(!(databaseUrlProblem('postgres://u:s3cret@h/a/b') ?? '').includes('s3cret'));
});

test('failures in words: host unknown, refused, auth failed, database missing, timeout', () => {
  const err = (code: string, message: string) => Object.assign(new Error(message), { code });
  assert.match(
    connectionFailure(err('ENOTFOUND', 'getaddrinfo ENOTFOUND base')),
    /^host unknown \(getaddrinfo ENOTFOUND base\)$/,
  );
  assert.match(
    connectionFailure(new Error('wrapped', { cause: err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1') })),
    /^connection refused/,
  );
  assert.match(
    connectionFailure(err('28P01', 'password authentication failed for user "u"')),
    /^authentication failed/,
  );
  assert.match(connectionFailure(err('3D000', 'database "x" does not exist')), /^database missing/);
  assert.match(connectionFailure(new Error('Connection terminated due to connection timeout')), /^no answer in time/);
  const env = { DATABASE_URL: 'postgres://u:pw@base/db' };
  assert.equal(
    describeDatabaseFailure(err('ENOTFOUND', 'getaddrinfo ENOTFOUND base'), env.DATABASE_URL, env),
    'DATABASE_URL (postgres://u:***@base/db): host unknown (getaddrinfo ENOTFOUND base)',
  );
});
