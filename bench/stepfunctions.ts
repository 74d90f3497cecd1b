/**
 * The local Step Functions service: state transitions per second on a long Pass chain, and the
 * latency from SendTaskSuccess to the next state being entered (goal: median <= 10 ms). Both run
 * with history persisted to a temp state directory, as in the lab, which is removed afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Clock } from '../local/clock.js';
import { LocalStepFunctions } from '../local/stepfunctions/index.js';
import type { Bench } from './bench-row.js';
import { quantile } from './stats.js';

const CHAIN_LENGTH = 2_000;
const CHAIN_RUNS = 3;
const CALLBACK_ROUNDS = 200;
const LATENCY_GOAL_MS = 10;

function passChain(length: number): string {
  const States: Record<string, unknown> = {};
  for (let i = 0; i < length; i++) {
    States[`Step${i}`] =
      i === length - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `Step${i + 1}` };
  }
  return JSON.stringify({ StartAt: 'Step0', States });
}

// Await (callback) -> Observe (task) -> Count -> Again? -> Await ...: one execution, many callbacks.
const CALLBACK_LOOP = JSON.stringify({
  StartAt: 'Await',
  States: {
    Await: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: `\${NotifyFunctionArn}`, Payload: { 'token.$': '$$.Task.Token' } },
      HeartbeatSeconds: 600,
      TimeoutSeconds: 3600,
      ResultPath: null,
      Next: 'Observe',
    },
    Observe: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: `\${ObserveFunctionArn}`, Payload: {} },
      TimeoutSeconds: 3600,
      ResultPath: null,
      Next: 'Count',
    },
    Count: { Type: 'Pass', Parameters: { 'round.$': 'States.MathAdd($.round, 1)' }, Next: 'Again' },
    Again: {
      Type: 'Choice',
      Choices: [{ Variable: '$.round', NumericLessThan: CALLBACK_ROUNDS, Next: 'Await' }],
      Default: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
});

async function transitionsPerSecond(service: LocalStepFunctions): Promise<number> {
  const { stateMachineArn } = service.createStateMachine({
    name: 'pass-chain',
    definition: passChain(CHAIN_LENGTH),
  });
  const rates: number[] = [];
  for (let run = 0; run < CHAIN_RUNS; run++) {
    const started = performance.now();
    const { executionArn } = service.startExecution({ stateMachineArn, input: '{}' });
    const described = await service.whenSettled(executionArn ?? '');
    if (described.status !== 'SUCCEEDED')
      throw new Error(`pass chain ended ${described.status}: ${described.cause}`);
    rates.push(CHAIN_LENGTH / ((performance.now() - started) / 1000));
  }
  return Math.max(...rates);
}

async function callbackLatencies(service: LocalStepFunctions): Promise<number[]> {
  const latencies: number[] = [];
  let sentAt = 0;
  const { stateMachineArn } = service.createStateMachine({
    name: 'callback-loop',
    definition: CALLBACK_LOOP,
    substitutions: {
      // "Another piece of code" completes the token a moment after the handler hands it out.
      NotifyFunctionArn: async (event) => {
        const { token } = event as { token: string };
        setTimeout(function completeToken() {
          sentAt = performance.now();
          service.sendTaskSuccess({ taskToken: token, output: '{}' });
        }, 1);
        return {};
      },
      // Called just after Observe's TaskStateEntered is written: an upper bound on the latency.
      ObserveFunctionArn: async () => {
        latencies.push(performance.now() - sentAt);
        return {};
      },
    },
  });
  const { executionArn } = service.startExecution({ stateMachineArn, input: '{"round":0}' });
  const described = await service.whenSettled(executionArn ?? '');
  if (described.status !== 'SUCCEEDED')
    throw new Error(`callback loop ended ${described.status}: ${described.cause}`);
  return latencies;
}

export const stepFunctionsBench: Bench = async (report) => {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'scalelab-bench-sfn-'));
  const service = new LocalStepFunctions({ stateDir, clock: new Clock({ scale: 1 }) });
  try {
    report({
      name: `Step Functions state transitions, ${CHAIN_LENGTH}-state Pass chain (best of ${CHAIN_RUNS})`,
      value: Math.round(await transitionsPerSecond(service)),
      unit: 'transitions/s',
      note: 'history persisted to disk, one append per event',
    });
    const latencies = await callbackLatencies(service);
    const medianMs = quantile(latencies, 0.5);
    report({
      name: `Step Functions SendTaskSuccess -> next state entered (median of ${latencies.length})`,
      value: Math.round(medianMs * 100) / 100,
      unit: 'ms',
      goal: `median <= ${LATENCY_GOAL_MS} ms`,
      met: medianMs <= LATENCY_GOAL_MS,
      note: `p95 ${(Math.round(quantile(latencies, 0.95) * 100) / 100).toFixed(2)} ms; measured when the next task's handler runs, just after its StateEntered is recorded`,
    });
  } finally {
    await service.close();
    await rm(stateDir, { recursive: true, force: true });
  }
};
