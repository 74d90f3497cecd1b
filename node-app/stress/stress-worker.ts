/**
 * One CPU stress worker: a separate process that burns `load` % of one core until an absolute
 * deadline. The deadline lives here, not in the server, so the worker ends on time even if the
 * server that started it is SIGKILLed. Usage: node stress-worker.js <deadlineEpochMs> <loadPercent>
 */
const SLICE_MS = 100;

const deadline = Number(process.argv[2]);
const load = Number(process.argv[3]);
if (!Number.isFinite(deadline) || !(load > 0 && load <= 100)) {
  process.stderr.write('usage: stress-worker <deadlineEpochMs> <loadPercent 1..100>\n');
  process.exit(2);
}

/** Busy for load% of each slice, idle for the rest: a duty cycle the OS measures as that load. */
function burnSlice(): void {
  const sliceStart = Date.now();
  if (sliceStart >= deadline) process.exit(0);
  const busyUntil = Math.min(sliceStart + (SLICE_MS * load) / 100, deadline);
  while (Date.now() < busyUntil) {
    // spin
  }
  const idleMs = Math.max(0, sliceStart + SLICE_MS - Date.now());
  setTimeout(burnSlice, Math.min(idleMs, Math.max(0, deadline - Date.now())));
}

burnSlice();
