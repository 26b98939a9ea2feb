// Optional dead-man's switch (HEARTBEAT_URL, e.g. healthchecks.io): pinged after healthy ticks,
// at most every 30 s, bounded by 5 s, never two at once. Silence there means the daemon is stuck.
export function createHeartbeat(url: string | undefined, log: (line: string) => void, minIntervalMs = 30_000) {
  let inFlight = false;
  let last = 0;
  let lastFailureLogged = 0;
  return {
    ping(): void {
      if (!url || inFlight || Date.now() - last < minIntervalMs) return;
      inFlight = true;
      last = Date.now();
      fetch(url, { method: 'GET', signal: AbortSignal.timeout(5_000) })
        .then((res) => {
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
        })
        .catch((error: Error) => {
          if (Date.now() - lastFailureLogged > 10 * 60_000) {
            lastFailureLogged = Date.now();
            log(`heartbeat ping failed: ${error.message}`);
          }
        })
        .finally(() => {
          inFlight = false;
        });
    },
  };
}
