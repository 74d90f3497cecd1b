/**
 * What the lab's charts draw, the same for the live console and for report.html: plain data
 * (JSON-safe, no DOM, no Node), built on the server from the local cloud's metrics and events and
 * drawn in the browser by console/web/charts.ts. Every time is simulated epoch milliseconds.
 */

/** One line: `[simulated epoch ms, value]` points, oldest first. */
export interface ChartSeries {
  /** Stable across updates (an instance ID, a load balancer name), so colours do not jump. */
  id: string;
  /** What the legend says. */
  label: string;
  points: readonly (readonly [number, number])[];
}

/** A horizontal line a reader compares a series with: the policy's target, an alarm's threshold. */
export interface ChartThreshold {
  label: string;
  value: number;
}

/** A span of the time axis the lab spent in one phase (lab/phase-plan.ts). */
export interface PhaseBand {
  /** The phase's name (summary.json `phases[].phase`). */
  name: string;
  startMs: number;
  /** Absent while the phase is still running. */
  endMs?: number;
}

/** One Auto Scaling activity, marked on the time axis. */
export interface ActivityMark {
  atMs: number;
  kind: 'launch' | 'terminate';
  /** AWS's description, e.g. "Launching a new EC2 instance: i-…". */
  description: string;
  /** AWS's cause text. */
  cause?: string;
}

export interface ChartModel {
  /** The x axis starts here (the execution's start); ticks read as simulated minutes from it. */
  startMs: number;
  /** The x axis ends here (the execution's end, or now while it runs). */
  endMs: number;
  cpu: {
    /** CPUUtilization % of each instance. */
    instances: readonly ChartSeries[];
    /** The group's average CPUUtilization, as the scaling policy's alarms see it. */
    groupAverage?: ChartSeries;
    /** The target tracking policy's target and its alarms' thresholds. */
    thresholds: readonly ChartThreshold[];
  };
  capacity: {
    /** Instances InService in the Auto Scaling group. */
    inService: ChartSeries;
    /** Healthy targets behind the scaling load balancer. */
    healthy: ChartSeries;
  };
  /** Requests per second through each load balancer. */
  requests: readonly ChartSeries[];
  phases: readonly PhaseBand[];
  activities: readonly ActivityMark[];
}
