/** One line of the benchmark table that `npm run bench` prints and BENCHMARKS.md records. */
export interface BenchRow {
  /** What was measured, e.g. "seed app GET / throughput". */
  name: string;
  /** The measured value, already rounded for display. */
  value: number;
  unit: string;
  /** The baseline measured in the same run (e.g. Flask, nginx), when there is one. */
  baseline?: { name: string; value: number };
  /** The goal as written in the issue, e.g. ">= 20x Flask"; `met` says whether it held. */
  goal?: string;
  met?: boolean;
  /** Why a row could not be measured fully (e.g. "nginx not installed: no baseline"). */
  note?: string;
}

/** A benchmark module: measures something and reports rows; must end every process it starts. */
export type Bench = (report: (row: BenchRow) => void) => Promise<void>;
