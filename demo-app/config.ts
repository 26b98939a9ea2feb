// The demo app's configuration: DEMO_* parsed by config/demo.ts, its fault switches and variant
// read with this folder's grammars (faults.ts, variant.ts).
import { readDemoVars, type DemoConfig as Config, type DemoConfigResult as Result } from '../config/demo.ts';
import { parseFaults, type Fault } from './faults.ts';
import { parseVariant, type Variant } from './variant.ts';

export { defaultAdminToken } from '../config/demo.ts';
export type DemoConfig = Config<Fault, Variant>;
export type DemoConfigResult = Result<Fault, Variant>;

export function readDemoConfig(env: NodeJS.ProcessEnv): DemoConfigResult {
  return readDemoVars(env, { faults: parseFaults, variant: parseVariant });
}
