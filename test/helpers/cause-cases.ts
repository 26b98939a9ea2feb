// Failed attempts as decideCause sees them, for the per-cause tests of reporters/cause-*.test.ts:
// error texts as Playwright 1.5x reports them (ANSI stripped) and the evidence the fixture records
// for the demo app's faults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideCause, type CauseInput } from '../../reporters/cause.ts';
import type { EvidenceItem } from '../../core/records.ts';

const at = new Date('2026-12-01T10:00:00Z');

export const item = (i: Partial<EvidenceItem> & Pick<EvidenceItem, 'kind'>): EvidenceItem => ({
  at,
  step: null,
  ...i,
});

export const input = (i: Partial<CauseInput>): CauseInput => ({
  status: 'failed',
  error: null,
  failedStep: null,
  evidence: [],
  health: null,
  ...i,
});

/** The tail our journey helpers leave after their message. */
export const stack =
  '\n\n   at ../fixtures/journey.ts:57\n\n  55 |     const heading = ...\n    at expectLanded (/w/fixtures/journey.ts:57:11)';

export type CauseCase = { name: string; input: CauseInput; cause: string; line: string | RegExp };

/** One test per case: the verdict has the case's cause and line. */
export function testCauses(cases: readonly CauseCase[]): void {
  for (const c of cases) {
    test(`cause: ${c.cause}: ${c.name}`, () => {
      const verdict = decideCause(c.input);
      assert.ok(verdict);
      assert.equal(verdict.cause, c.cause, verdict.line);
      if (typeof c.line === 'string') assert.equal(verdict.line, c.line);
      else assert.match(verdict.line, c.line);
    });
  }
}
