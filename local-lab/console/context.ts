/** What the console works on: the process's Step Functions, and the lab's cloud and evidence when it has them. */
import type { LabConfig } from '../../lab/config.js';
import type { LocalAws } from '../../local/local-aws.js';
import type { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import type { RunEvidence } from '../run/run-folder.js';

export interface ConsoleContext {
  stepFunctions: LocalStepFunctions;
  /**
   * The configuration the lab was built with (as a deploy builds it): the start form's default
   * input, and what an execution may not change.
   */
  config: LabConfig;
  /** The local cloud: its clock, and the lab's scaling activities while an execution runs. */
  cloud: LocalAws;
  /** Where the lab's run folders are (their summary holds the verdict an execution ended with). */
  runsDir?: string;
  /** The evidence this process is gathering for a lab execution that runs, if it watches it. */
  liveEvidence?(executionArn: string): RunEvidence | undefined;
}
