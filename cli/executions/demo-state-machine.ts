/**
 * A small state machine `scalelab serve` registers when the lab workflow cannot run locally yet:
 * the lab's shape (provision, a wait, observe, cool down, verdict) with handlers that only echo,
 * so every operator command can be tried against the local endpoint. Its input may ask a step to
 * fail: `{"fail": "Observe"}` always, `{"failOnce": "Observe"}` only before a redrive.
 */
import type { LocalStepFunctions, TaskHandler } from '../../local/stepfunctions/index.js';

export const DEMO_STATE_MACHINE_NAME = 'scalelab-demo';

/** What the demo's failing step throws (the error name shows in history, `show` and Catch). */
export class DemoStepFailed extends Error {
  override name = 'DemoStepFailed';
}

function task(step: string, next: string | undefined): Record<string, unknown> {
  return {
    Type: 'Task',
    Resource: 'arn:aws:states:::lambda:invoke',
    Parameters: {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL substitution placeholder, not a template
      FunctionName: '${DemoStepFunctionArn}',
      Payload: { step, 'execution.$': '$$.Execution.Name', 'input.$': '$' },
    },
    TimeoutSeconds: 600,
    ResultSelector: { 'result.$': '$.Payload' },
    ResultPath: `$.steps.${step}`,
    ...(next ? { Next: next } : { End: true }),
  };
}

/** The demo's ASL: JSONPath only, explicit timeouts, Wait in Seconds (the rules of docs/asl-rules.md). */
export const DEMO_DEFINITION = JSON.stringify(
  {
    Comment: 'scalelab demo: the lab lifecycle shape with echoing steps',
    StartAt: 'Prepare',
    States: {
      Prepare: { Type: 'Pass', Parameters: { 'input.$': '$', steps: {} }, Next: 'Provision' },
      Provision: task('Provision', 'Stress'),
      Stress: { Type: 'Wait', Seconds: 60, Next: 'Observe' },
      Observe: task('Observe', 'CoolDown'),
      CoolDown: { Type: 'Wait', Seconds: 120, Next: 'Verdict' },
      Verdict: {
        ...task('Verdict', 'Done'),
        ResultSelector: { 'verdict.$': '$.Payload.verdict' },
        ResultPath: '$.verdict',
      },
      Done: {
        Type: 'Pass',
        Parameters: { 'verdict.$': '$.verdict.verdict', 'steps.$': '$.steps' },
        End: true,
      },
    },
  },
  null,
  2,
);

interface DemoEvent {
  step: string;
  execution: string;
  input: { input?: { fail?: unknown; failOnce?: unknown } };
}

/** Registers the demo state machine; returns its ARN. */
export function registerDemoStateMachine(stepFunctions: LocalStepFunctions): string {
  // Executions that already failed once on purpose: their redrive then succeeds.
  const failedOnce = new Set<string>();
  const step: TaskHandler = async function demoStep(event) {
    const { step: name, execution, input } = event as DemoEvent;
    const wanted = input.input ?? {};
    if (wanted.fail === name) throw new DemoStepFailed(`step ${name} failed as the input asked`);
    if (wanted.failOnce === name && !failedOnce.has(execution)) {
      failedOnce.add(execution);
      throw new DemoStepFailed(`step ${name} failed once as the input asked; redrive it`);
    }
    return name === 'Verdict' ? { verdict: 'PASS' } : { step: name, at: new Date().toISOString() };
  };
  const { stateMachineArn } = stepFunctions.createStateMachine({
    name: DEMO_STATE_MACHINE_NAME,
    definition: DEMO_DEFINITION,
    substitutions: { DemoStepFunctionArn: step },
  });
  return stateMachineArn ?? '';
}
