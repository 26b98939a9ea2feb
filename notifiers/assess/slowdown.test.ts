// The slow-down detector and the DEGRADED state machine, run after every simulated attempt the
// way assessExecution runs them: events must come once per episode, never from plain jitter.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkBudgets } from './budgets.ts';
import { degradationAlert, degradationDedupeKey } from './degraded-alert.ts';
import {
  decideDegradation,
  initialPerformanceState,
  type DegradationEvent,
  type PerformanceState,
} from './degradation.ts';
import { mad, median, percentile, percentileInPlace } from './robust-stats.ts';
import { assessSlowdown, computeBaseline, defaultSlowdownOptions as o, type RunSample } from './slowdown.ts';
import { seededRandom } from '../../test/helpers/seeded-random.ts';

/** Runs of ~1 s with steps 300/700 ms, each scaled by its own ±jitter, times `factor(i)`. */
function runs(count: number, jitter: number, factor: (i: number) => number = () => 1, seed = 7): RunSample[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const f = factor(i);
    const a = 300 * f * (1 + jitter * (2 * random() - 1));
    const b = 700 * f * (1 + jitter * (2 * random() - 1));
    return { durationMs: Math.round(a + b), steps: { 'Open page': Math.round(a), 'Sign in': Math.round(b) } };
  });
}

/** Feeds runs one by one, as the reporter does after each passing attempt. */
function simulate(samples: readonly RunSample[]): {
  events: DegradationEvent[];
  state: PerformanceState;
  slowAt: number[];
} {
  let state = initialPerformanceState('wf');
  const events: DegradationEvent[] = [];
  const slowAt: number[] = [];
  const none = checkBudgets(null, { status: 'passed', durationMs: 0, steps: [] });
  samples.forEach((_, i) => {
    const history = samples.slice(Math.max(0, i + 1 - (o.baselineRuns + o.recentRuns)), i + 1);
    const verdict = assessSlowdown(history, {
      wasSlow: state.reasons.includes('slowdown'),
      frozen: state.frozenBaseline,
    });
    if (verdict.status === 'slow') slowAt.push(i);
    const decided = decideDegradation(state, {
      at: new Date(Date.UTC(2026, 10, 1) + i * 300_000),
      runId: `r${i}`,
      budget: none,
      slowdown: verdict,
    });
    state = decided.next;
    events.push(...decided.events);
  });
  return { events, state, slowAt };
}

describe('robust statistics', () => {
  test('percentile interpolates like percentile_cont; median and MAD', () => {
    assert.equal(
      percentile(
        [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000],
        0.95,
      ),
      1905,
    );
    assert.equal(percentile([], 0.5), null);
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([1, 2, 3, 4]), 2.5);
    assert.equal(mad([1, 1, 2, 2, 4, 6, 9]), 1);
  });

  test('percentile by selection agrees with the sorted one', () => {
    const random = seededRandom(3);
    for (const n of [1, 2, 3, 10, 101, 1000]) {
      const values = Array.from({ length: n }, () => Math.round(random() * 50));
      for (const p of [0, 0.5, 0.95, 1])
        assert.equal(percentileInPlace(Float64Array.from(values), p), percentile(values, p), `n=${n} p=${p}`);
    }
    assert.equal(percentileInPlace(new Float64Array(0), 0.95), null);
  });
});

describe('slow-down detection', () => {
  test('±20 % jitter over 500 runs raises no alert', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { events, slowAt } = simulate(runs(500, 0.2, () => 1, seed));
      assert.deepEqual(events, [], `seed ${seed}`);
      assert.deepEqual(slowAt, [], `seed ${seed}`);
    }
  });

  test('a steady 2x slow-down makes the workflow DEGRADED once, and it recovers once when it returns', () => {
    const { events, state } = simulate(runs(300, 0.2, (i) => (i >= 150 && i < 260 ? 2 : 1)));
    assert.deepEqual(
      events.map((e) => [e.type, e.episode, e.reasons]),
      [
        ['degraded', 1, ['slowdown']],
        ['recovered-from-degraded', 1, ['slowdown']],
      ],
    );
    const [degraded, recovered] = events;
    // The median of the last 5 crosses once 3 of them are slow: the 3rd slow run.
    assert.equal(degraded!.runId, 'r152');
    assert.ok(
      degraded!.deviations.some((d) => d.step === null && d.ratio > 1.8),
      degraded!.summary,
    );
    assert.match(degraded!.summary, /slower than usual: whole run median/);
    // Back once the recent median is well inside the band again: within a few normal runs.
    assert.ok(['r262', 'r263', 'r264'].includes(recovered!.runId ?? ''), recovered!.runId ?? '');
    assert.equal(recovered!.since.getTime(), degraded!.at.getTime());
    assert.equal(state.degraded, false);
    const workflow = { id: 'wf', name: 'User Login', priority: 'high' as const, type: 'journey' };
    const alerts = events.map((e) => degradationAlert(e, workflow));
    assert.deepEqual(
      alerts.map((a) => [a.kind, a.title, a.status]),
      [
        ['degraded', 'Workflow Degraded: User Login', 'degraded'],
        ['recovery', 'Workflow Recovered: User Login', 'recovered'],
      ],
    );
    assert.deepEqual(events.map(degradationDedupeKey), ['wf/degraded/1', 'wf/recovered-from-degraded/1']);
  });

  test('a slow-down that lasts stays one episode: the frozen baseline keeps it from becoming the new normal', () => {
    const { events, state } = simulate(runs(400, 0.2, (i) => (i >= 100 ? 2 : 1)));
    assert.deepEqual(
      events.map((e) => e.type),
      ['degraded'],
    );
    assert.equal(state.degraded, true);
    assert.ok(state.frozenBaseline && state.frozenBaseline.total.medianMs < 1100);
  });

  test('no verdict during the first runs of a workflow, however slow they are', () => {
    const { events } = simulate(runs(o.warmupRuns - 1, 0, (i) => (i < 10 ? 1 : 5)));
    assert.deepEqual(events, []);
    assert.equal(assessSlowdown(runs(o.warmupRuns - 1, 0), { wasSlow: false, frozen: null }).status, 'warming-up');
  });

  test('one step slowing down is enough, and the evidence names it', () => {
    const samples = runs(80, 0.1).map((r, i) =>
      i < 60
        ? r
        : {
            durationMs: r.durationMs + 600,
            steps: { ...r.steps, 'Open page': r.steps['Open page']! + 600 },
          },
    );
    const verdict = assessSlowdown(samples, { wasSlow: false, frozen: null });
    assert.ok(verdict.status === 'slow' && verdict.deviations.some((d) => d.step === 'Open page'), verdict.status);
  });

  test('the band is at least 25 % of the median even when the baseline never varies', () => {
    const flat = Array.from({ length: 40 }, () => ({ durationMs: 1000, steps: {} }));
    const baseline = computeBaseline(flat)!;
    assert.equal(baseline.total.madMs, 0);
    assert.equal(baseline.total.bandMs, 250);
    const slightly = [...flat, ...Array.from({ length: 5 }, () => ({ durationMs: 1240, steps: {} }))];
    assert.equal(assessSlowdown(slightly, { wasSlow: false, frozen: null }).status, 'normal');
    const clearly = [...flat, ...Array.from({ length: 5 }, () => ({ durationMs: 1260, steps: {} }))];
    assert.equal(assessSlowdown(clearly, { wasSlow: false, frozen: null }).status, 'slow');
  });
});
