// Preloaded by test/run.ts into every test file's process (`--import`): a file that is not in
// TEST_WAITING_FILES takes one of the runner's CPU slots before any of its code runs and holds it
// until its process ends (the socket closes with it), so at most --concurrency files that work
// run at once, while files that mostly wait (real schedules, outages, timeouts: test/run.ts's
// `mostlyWaiting`) run beside them in slots of their own (TEST_WAITING_SLOTS, --waiting at once:
// they wait on average, but each starts daemons and Playwright runs in bursts, and all twelve at
// once drove a 2-CPU machine's load to 27). A quick file (one off test/run.ts's `slowestFirst`,
// TEST_LONG_FILES: a few seconds each, most of it process start and fresh databases) takes a slot
// of a third pool (TEST_QUICK_SLOTS, --quick at once): they start last, and behind the three CPU
// slots alone they were a 60-90 s tail at half the CPUs. Same slot server as the heavy slots
// (test/helpers/heavy-slots.ts). Without the addresses (plain `node --test`) nothing waits.
import { createConnection } from 'node:net';
import path from 'node:path';

const file = process.argv.find((a) => a.endsWith('.test.ts'));
const list = (name: string) => (process.env[name] ?? '').split(',').filter(Boolean);
const relative = file === undefined ? undefined : path.relative(process.cwd(), path.resolve(file));
const waiting = relative !== undefined && list('TEST_WAITING_FILES').includes(relative);
// A file off test/run.ts's list of long ones (TEST_LONG_FILES) is quick: a slot of its own pool.
const quick =
  !waiting && relative !== undefined && 'TEST_LONG_FILES' in process.env && !list('TEST_LONG_FILES').includes(relative);
const address = waiting
  ? process.env.TEST_WAITING_SLOTS
  : quick
    ? (process.env.TEST_QUICK_SLOTS ?? process.env.TEST_CPU_SLOTS)
    : process.env.TEST_CPU_SLOTS;
if (address && file) {
  const [host, port] = address.split(':');
  const socket = createConnection({ host: host!, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', () => resolve());
  });
  // Held until the process exits, never what keeps it alive.
  socket.on('error', () => undefined);
  socket.unref();
}
