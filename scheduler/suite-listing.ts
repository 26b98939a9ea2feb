import { stripVTControlCharacters } from 'node:util';
import { annotationTypes } from '../core/workflow.ts';

// What the daemon knows about the suite comes from Playwright itself
// (`playwright test --list --reporter=json`), so a workflow is exactly what `playwright test`
// would run: no second registry to keep in sync.
export type ListedWorkflow = {
  id: string;
  title: string;
  file: string;
  priority: string;
  /** The spec's own cron expression, when it declares one. */
  schedule: string | null;
  tags: string[];
  /** The spec's `locations`, when it names them (else it runs from every location). */
  locations?: string[] | null;
};

/** A spec file that Playwright could not load (a bad `workflow()` argument, a syntax error): its workflows are not run. */
export type BrokenSpec = { file: string; reason: string };

export type SuiteListing = {
  workflows: ListedWorkflow[];
  problems: string[];
  warnings: string[];
  /** Spec files that failed to load; the rest of the suite still runs. */
  broken: BrokenSpec[];
  /** With broken files: the spec files that load (absolute paths), to pass to every invocation. */
  files: string[] | null;
};

type JsonAnnotation = { type: string; description?: string };
type JsonSpec = {
  title: string;
  file: string;
  line?: number;
  tags?: string[];
  tests?: { annotations?: JsonAnnotation[] }[];
};
type JsonSuite = { specs?: JsonSpec[]; suites?: JsonSuite[] };
type JsonReport = { suites?: JsonSuite[]; errors?: { message?: string }[] };

function specsOf(report: JsonReport): JsonSpec[] {
  const out: JsonSpec[] = [];
  const walk = (s: JsonSuite) => {
    out.push(...(s.specs ?? []));
    (s.suites ?? []).forEach(walk);
  };
  (report.suites ?? []).forEach(walk);
  return out;
}

/** Pure: Playwright's JSON listing to workflows, with every problem found (load errors, duplicates). */
export function parseSuiteListing(json: string): SuiteListing {
  let report: JsonReport;
  try {
    report = JSON.parse(json) as JsonReport;
  } catch {
    return {
      workflows: [],
      problems: ['the suite listing is not JSON (did Playwright crash while loading the specs?)'],
      warnings: [],
      broken: [],
      files: null,
    };
  }
  const problems = (report.errors ?? [])
    .map((e) => (e.message ?? 'unknown error').split('\n')[0]!)
    .map((m) => stripVTControlCharacters(m));
  const warnings: string[] = [];
  const workflows: ListedWorkflow[] = [];
  const seen = new Map<string, string>();
  for (const spec of specsOf(report)) {
    const annotations = spec.tests?.[0]?.annotations ?? [];
    const get = (type: string) => annotations.find((a) => a.type === type)?.description;
    const id = get(annotationTypes.workflow);
    const where = `${spec.file}${spec.line ? `:${spec.line}` : ''}`;
    if (!id) {
      warnings.push(`${where} "${spec.title}" is not a workflow (no workflow() details); it is not scheduled`);
      continue;
    }
    const previous = seen.get(id);
    if (previous) {
      problems.push(`workflow id "${id}" is used twice (${previous} and ${where})`);
      continue;
    }
    seen.set(id, where);
    workflows.push({
      id,
      title: spec.title,
      file: spec.file,
      priority: get(annotationTypes.priority) ?? '',
      schedule: get(annotationTypes.schedule) ?? null,
      tags: (spec.tags ?? []).map((t) => (t.startsWith('@') ? t : `@${t}`)),
      locations: get(annotationTypes.locations)?.split(',').filter(Boolean) ?? null,
    });
  }
  return { workflows, problems, warnings, broken: [], files: null };
}

/** Playwright's JSON listing's load errors (0 when the text is not JSON). */
export function loadErrorsOf(json: string): string[] {
  try {
    const report = JSON.parse(json) as JsonReport;
    return (report.errors ?? []).map((e) => stripVTControlCharacters((e.message ?? 'unknown error').split('\n')[0]!));
  } catch {
    return [];
  }
}

/** The suites of several listings, as one listing (per-file listings of the files that load). */
export function mergeListings(jsons: string[]): string {
  return JSON.stringify({ suites: jsons.flatMap((j) => (JSON.parse(j) as JsonReport).suites ?? []), errors: [] });
}
