/** What `scalelab reset` changed, for people: a line per kind of change, within 100 columns. */
import stringWidth from 'string-width';
import type { LabResetReport } from '../../local-lab/lab-reset.js';

const WIDTH = 100;

/** `  label: a, b` on one line when it fits, else the label and one item a line under it. */
function line(label: string, items: string[]): string[] {
  if (items.length === 0) return [];
  const oneLine = `  ${label}: ${items.join(', ')}`;
  if (stringWidth(oneLine) <= WIDTH) return [oneLine];
  return [`  ${label}:`, ...items.map((item) => `    ${item}`)];
}

function recordsCleared({ records }: LabResetReport): string[] {
  return [
    ...(records.labHolder ? [`the lab's claim by ${records.labHolder}`] : []),
    ...(records.armedObservers > 0 ? [`${records.armedObservers} armed observer(s)`] : []),
    ...(records.instanceMoments > 0 ? [`the moments of ${records.instanceMoments} instance(s)`] : []),
  ];
}

export function resetText(report: LabResetReport, where: string): string {
  const { group } = report;
  const changes = [
    ...line('terminated', report.terminated),
    ...line('stopped', report.stopped),
    ...line('started', report.started),
    ...line('lifecycle actions completed (CONTINUE)', report.lifecycleActionsCompleted),
    ...line('targets deregistered', report.deregistered),
    ...line(
      'alarms',
      report.alarms.map(({ name, previousState }) =>
        previousState === 'INSUFFICIENT_DATA'
          ? `${name} INSUFFICIENT_DATA`
          : `${name} ${previousState} → INSUFFICIENT_DATA`,
      ),
    ),
    ...line('forgotten', recordsCleared(report)),
  ];
  return [
    `the lab at ${where} is back to its clean state (${report.simulatedSeconds} s simulated)`,
    `  group ${group.name}: desired ${group.desiredCapacity} (min ${group.minSize}, max ${group.maxSize})`,
    ...(changes.length > 0 ? changes : ['  nothing else needed changing']),
  ].join('\n');
}
