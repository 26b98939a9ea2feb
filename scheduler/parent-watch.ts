// Whoever started us going away (npm after a SIGTERM it does not pass on, a shell closed, a
// supervisor killed) must not leave us running with parent 1: we notice the parent's pid
// changing (the kernel re-parents an orphan) or the IPC channel closing, and call `onGone` once.
// A process started by init itself (ppid 1, PID 1 in a container) never sees a change.
export function watchParent(onGone: (why: string) => void, intervalMs = 500): () => void {
  const parent = process.ppid;
  let fired = false;
  const fire = (why: string) => {
    if (fired) return;
    fired = true;
    clearInterval(timer);
    onGone(why);
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) fire(`the process that started it (pid ${parent}) is gone`);
  }, intervalMs);
  timer.unref();
  const onDisconnect = () => fire('its parent closed the IPC channel');
  if (process.channel) process.once('disconnect', onDisconnect);
  return () => {
    clearInterval(timer);
    process.off('disconnect', onDisconnect);
  };
}
