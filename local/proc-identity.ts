/**
 * Telling one process from another that later got its PID, on Linux: a PID plus its start time
 * (`/proc/<pid>/stat` field 22, clock ticks after boot) names one process for good.
 */
import { readFileSync } from 'node:fs';

/** The process's start time on Linux, or undefined when it cannot be read (gone, or no /proc). */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .at(22 - 3);
  } catch {
    return undefined;
  }
}
