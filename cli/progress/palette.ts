/**
 * Colour for people at a terminal only: never in a pipe or a log, never with NO_COLOR set
 * (no-color.org: present and not empty). picocolors does the escapes; the choice is made here,
 * per stream, because picocolors' own detection looks at stdout while the view writes to stderr.
 */
import pc from 'picocolors';
import type { Tone } from './lab-moments.js';

export type Paint = (text: string) => string;

export interface Palette {
  bold: Paint;
  dim: Paint;
  tone: (tone: Tone, text: string) => string;
  /** PASS green, FAIL red, INCONCLUSIVE yellow. */
  verdict: (verdict: string, text?: string) => string;
}

/** Whether to colour what goes to `stream`. */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function palette(enabled: boolean): Palette {
  const c = pc.createColors(enabled);
  const tones: Record<Tone, Paint> = { good: c.green, bad: c.red, neutral: c.cyan };
  const verdicts: Record<string, Paint> = { PASS: c.green, FAIL: c.red, INCONCLUSIVE: c.yellow };
  return {
    bold: c.bold,
    dim: c.dim,
    tone: (tone, text) => tones[tone](text),
    verdict: (verdict, text = verdict) => c.bold((verdicts[verdict] ?? c.reset)(text)),
  };
}
