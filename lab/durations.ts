/** Durations in a person's units, for the verdict, the terminal and Slack. */

/** `42 s`, `4 min 22 s`, `1 h 3 min`: whole seconds, the two largest units that apply. */
export function humanDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  if (minutes === 0) return `${whole} s`;
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return whole % 60 === 0 ? `${minutes} min` : `${minutes} min ${whole % 60} s`;
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** `3 min – 6 min 25 s`: each end in {@link humanDuration}. */
export function humanWindow(lowerSeconds: number, upperSeconds: number): string {
  return `${humanDuration(lowerSeconds)} – ${humanDuration(upperSeconds)}`;
}
