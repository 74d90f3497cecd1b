/**
 * The local cloud's held time, shared with the processes it runs. Its clock stops while modelled
 * work finishes in real time (local/clock.ts, `Clock.hold`), so simulated time falls behind real
 * time by everything held so far. A stress worker's deadline is real wall time; to end on its
 * simulated moment it moves the deadline by what was held since it started. The local cloud
 * writes the total, in real ms, to a file after every hold; a worker re-reads it on every slice.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** The total held real ms in `file`; undefined while it cannot be read (not written yet). */
export function readHeldMs(file: string): number | undefined {
  try {
    const value = Number(readFileSync(file, 'utf8'));
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the total held real ms, whole: a reader never sees a half-written number. */
export function writeHeldMs(file: string, heldMs: number): void {
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, String(heldMs));
  renameSync(partial, file);
}

/** A deadline that moves later by whatever the local cloud held after `heldAtStart`. */
export class HeldDeadline {
  private heldNow: number;

  /**
   * `heldAtStart` is the file's value when the deadline was set (the app reads it when the stress
   * starts; the worker's own start takes too long to be that moment).
   */
  constructor(
    private readonly realDeadlineMs: number,
    private readonly file: string | undefined,
    private readonly heldAtStart = 0,
  ) {
    this.heldNow = heldAtStart;
  }

  /** The deadline as of now, in epoch ms (re-reads the file). */
  current(): number {
    if (this.file !== undefined) this.heldNow = readHeldMs(this.file) ?? this.heldNow;
    return this.realDeadlineMs + (this.heldNow - this.heldAtStart);
  }
}
