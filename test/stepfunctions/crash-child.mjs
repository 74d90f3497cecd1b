// Runs the local Step Functions service in its own process for crash.test.ts: starts the
// cool-down workflow at time scale 20 (its simulated clock runs ahead of real time, as a lab's
// does; the 300 s Wait takes 15 real seconds), reports once the Wait is entered, then idles until
// the test kills it with SIGKILL.
import { readFileSync } from 'node:fs';
import { Clock } from '../../dist/local/clock.js';
import { LocalStepFunctions } from '../../dist/local/stepfunctions/index.js';

const [stateDir, fixtureFile] = process.argv.slice(2);
const service = new LocalStepFunctions({ stateDir, clock: new Clock({ scale: 20 }) });
const { stateMachineArn } = service.createStateMachine({
  name: 'cool-down',
  definition: readFileSync(fixtureFile, 'utf8'),
  substitutions: { StepFunctionArn: async (event) => event },
});
const { executionArn } = service.startExecution({
  stateMachineArn,
  name: 'crash-me',
  input: '{"run":"crash"}',
});
const poll = setInterval(function reportWhenWaiting() {
  const { events } = service.getExecutionHistory({ executionArn, maxResults: 1000 });
  if (events.some((event) => event.type === 'WaitStateEntered')) {
    clearInterval(poll);
    process.stdout.write(`WAITING ${executionArn}\n`);
  }
}, 10);
