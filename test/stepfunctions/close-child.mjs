// For close.test.ts: starts a callback task that nobody completes (TimeoutSeconds 3600 at real
// time), closes the service, and then must exit on its own: any timer left behind keeps it alive.
import { readFileSync } from 'node:fs';
import { Clock } from '../../dist/local/clock.js';
import { LocalStepFunctions } from '../../dist/local/stepfunctions/index.js';

const [stateDir, fixtureFile] = process.argv.slice(2);
const service = new LocalStepFunctions({ stateDir, clock: new Clock({ scale: 1 }) });
let started;
const handedOut = new Promise((resolve) => {
  started = resolve;
});
const { stateMachineArn } = service.createStateMachine({
  name: 'callback',
  definition: readFileSync(fixtureFile, 'utf8'),
  substitutions: {
    NotifyFunctionArn: async () => {
      started();
      return {};
    },
  },
});
const { executionArn } = service.startExecution({ stateMachineArn, name: 'left-open' });
await handedOut;
await service.close();
const { status, cause } = service.describeExecution({ executionArn });
process.stdout.write(`CLOSED ${status} ${cause}\n`);
