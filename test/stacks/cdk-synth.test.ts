/**
 * `cdk synth` as a deployer runs it: the real CLI and cdk.json's app command, offline, with no AWS
 * credentials, bundling for real, in a copy of the project's sources that has no dist/ and one
 * stack edit nobody compiled. Then the assembly is checked: templates, and the bundles run.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AWS_ENV } from '../../lambdas/cloud/aws-env.js';
import { SCALING_EVENT_PATTERN } from '../../lambdas/index.js';
import { DEPLOYED_CONFIG_ENV } from '../../lambdas/middy/deployed-config.js';
import { projectRoot } from '../../node-app/project-root.js';
import { labLifecycleDefinitionPath } from '../../stacks/operator-stack.js';
import { waitFor } from '../helpers/wait-for.js';
import { fakeAwsEndpoint, type ReceivedCall } from './fake-aws-endpoint.js';

const ROOT = projectRoot();
const CDK = join(ROOT, 'node_modules', '.bin', 'cdk');
/** Generous for a loaded 2-core machine; a hung CLI is killed, not waited for. */
const SYNTH_TIMEOUT_MS = 180_000;

type Json = Record<string, unknown>;

/** What the CDK app reads: the sources, the ASL, the manifests and cdk.json; never dist/. */
const APP_SOURCES = ['cli', 'lab', 'lambdas', 'local', 'local-lab', 'node-app', 'stacks', 'state-machines'];
const APP_FILES = ['cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json'];
/** A stack edit made in the copy after it was taken, as a deployer edits and deploys at once. */
const EDITED_FILE = join('stacks', 'scalelab-app.ts');
const EDIT = { from: 'idle at zero instances', to: 'idle at zero instances (edited, never compiled)' };

/** The project's sources in a fresh folder, without dist/, node_modules linked, with {@link EDIT} made. */
function sourceCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'scalelab-cdk-app-'));
  for (const dir of APP_SOURCES) cpSync(join(ROOT, dir), join(copy, dir), { recursive: true });
  for (const file of APP_FILES) cpSync(join(ROOT, file), join(copy, file));
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  const source = readFileSync(join(copy, EDITED_FILE), 'utf8');
  if (!source.includes(EDIT.from)) throw new Error(`${EDITED_FILE} no longer says "${EDIT.from}"`);
  writeFileSync(join(copy, EDITED_FILE), source.replace(EDIT.from, EDIT.to));
  return copy;
}

/** The environment of a machine with no AWS account: no credentials, no metadata service. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')));
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', CI: 'true' };
}

function synth(cwd: string, outdir: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      CDK,
      ['synth', '--quiet', '--no-notices', '--no-version-reporting', '--no-lookups', '-o', outdir],
      { cwd, env: offlineEnv(), timeout: SYNTH_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(Object.assign(error, { stdout, stderr })) : resolve({ stdout, stderr }),
    );
  });
}

let app = '';
let outdir = '';
let cli: { stdout: string; stderr: string };

function template(stack: string): { Resources: Record<string, { Type: string; Properties: Json }> } & Json {
  return JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8'));
}

/** The asset folder of a Lambda function's code (its S3 key is `<hash>.zip`). */
function functionAsset(props: Json): string {
  const key = String((props.Code as Json).S3Key);
  return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

beforeAll(async () => {
  app = sourceCopy();
  outdir = mkdtempSync(join(tmpdir(), 'scalelab-cdk-synth-'));
  cli = await synth(app, outdir);
}, SYNTH_TIMEOUT_MS + 10_000);

afterAll(() => {
  for (const dir of [app, outdir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npx cdk synth', () => {
  it('runs the stacks from their source as it is now: no dist/, an uncompiled edit included', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).app).toBe('npx tsx stacks/app.ts');
    expect(existsSync(join(app, 'dist'))).toBe(false);
    expect(template('ScalelabLab').Description).toBe(
      'scalelab: the lab (VPC, two load balancers, section-1 instances, Auto Scaling group), idle at zero instances (edited, never compiled)',
    );
  });

  it('says what a CDK user expects: one line per bundled asset, no esbuild tables, no unset flags', () => {
    const output = `${cli.stdout}${cli.stderr}`;
    expect(output).toContain('Successfully synthesized');
    expect(output).toContain('Bundling asset ScalelabOperator/Validate/Function/Code/Stage...');
    expect(output).not.toMatch(/index\.mjs\s+\d|Done in \d+ms/);
    expect(output).not.toMatch(/feature flags? (is|are) not configured/);
  });

  it('synthesizes both stacks offline, environment-agnostic, with no lookups', () => {
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Json;
    expect(manifest.missing).toBeUndefined();
    const artifacts = manifest.artifacts as Record<string, Json>;
    for (const stack of ['ScalelabLab', 'ScalelabOperator']) {
      expect(artifacts[stack]).toMatchObject({
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/unknown-region',
      });
    }
    // Deployed after the lab, destroyed before it: the operator reads the lab's outputs.
    expect(artifacts.ScalelabOperator?.dependencies).toContain('ScalelabLab');
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as Json;
    expect(report.pluginReports).toEqual([]);
    // Every asset is a file in the bootstrap bucket, none an image in its ECR repository.
    for (const stack of ['ScalelabLab', 'ScalelabOperator']) {
      const assets = JSON.parse(readFileSync(join(outdir, `${stack}.assets.json`), 'utf8')) as Json;
      expect(Object.keys((assets.files as Json) ?? {}).length).toBeGreaterThan(0);
      expect(assets.dockerImages ?? {}).toEqual({});
    }
  });

  it('writes the templates the tests describe: shared ASL, local event pattern, no exports', () => {
    const operator = template('ScalelabOperator');
    const resources = Object.values(operator.Resources);
    const [machine] = resources.filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
    expect(machine?.Properties.DefinitionString).toBe(readFileSync(labLifecycleDefinitionPath(), 'utf8'));
    const rules = resources.filter((r) => r.Type === 'AWS::Events::Rule');
    const scaling = rules.find((r) => String(r.Properties.Description).includes('on-scaling-event'));
    expect(scaling?.Properties.EventPattern).toEqual(SCALING_EVENT_PATTERN);
    const notify = rules.find((r) => String(r.Properties.Description).includes('Slack'));
    expect(notify?.Properties.EventPattern).toMatchObject({
      $or: [expect.anything(), expect.anything(), expect.anything()],
    });
    expect(JSON.stringify(operator)).not.toContain('Fn::ImportValue');
    const lab = template('ScalelabLab');
    expect(Object.keys(lab.Parameters as Json).sort()).toEqual([
      'BootstrapVersion',
      expect.stringMatching(/^SsmParameterValue.*al2023/),
    ]);
  });
});

describe('the Lambda bundles', () => {
  let server: Server | undefined;
  let work = '';
  const savedEnv = { ...process.env };

  afterEach(async () => {
    process.env = { ...savedEnv };
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('are small ES modules with the SDK left to the runtime, one per handler', () => {
    const functions = Object.values(template('ScalelabOperator').Resources).filter(
      (r) => r.Type === 'AWS::Lambda::Function',
    );
    // Eight workflow handlers, on-scaling-event, on-execution-end and the Slack notifier.
    expect(functions).toHaveLength(11);
    for (const fn of functions) {
      const files = readdirSync(functionAsset(fn.Properties)).sort();
      expect(files).toEqual(['index.mjs', 'index.mjs.map']);
      const code = readFileSync(join(functionAsset(fn.Properties), 'index.mjs'), 'utf8');
      expect(code.length).toBeLessThan(200_000);
      // An import, or for the notifier the name its Secrets Manager client is loaded by at run time.
      expect(code).toMatch(/(from\s*"|import\(|=\s*")@aws-sdk\/client-[a-z-]+"/);
    }
  });

  it('run: the validate bundle answers with the configuration and announces its phase', async () => {
    // Prepare: the bundle beside a node_modules holding the SDK, as on Lambda; EventBridge on loopback.
    const validate = Object.values(template('ScalelabOperator').Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Description === 'scalelab validate',
    );
    work = mkdtempSync(join(tmpdir(), 'scalelab-lambda-'));
    for (const file of ['index.mjs', 'index.mjs.map']) {
      cpSync(join(functionAsset(validate!.Properties), file), join(work, file));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
    const received: ReceivedCall[] = [];
    server = fakeAwsEndpoint(`test-${AWS_ENV.autoScalingGroupName}`, received);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const variables = (validate!.Properties.Environment as { Variables: Json }).Variables;
    process.env = {
      ...offlineEnv(),
      ...Object.fromEntries(Object.values(AWS_ENV).map((name) => [name, `test-${name}`])),
      [AWS_ENV.eventBusName]: String(variables[AWS_ENV.eventBusName]),
      [DEPLOYED_CONFIG_ENV]: String(variables[DEPLOYED_CONFIG_ENV]),
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_MAX_ATTEMPTS: '1',
    };
    // Act
    const bundle = (await import(pathToFileURL(join(work, 'index.mjs')).href)) as {
      handler: (event: unknown, context: unknown) => Promise<Json>;
    };
    const output = await bundle.handler(
      { executionId: 'arn:aws:states:us-east-1:1:execution:x:run-1', executionName: 'run-1', input: {} },
      { getRemainingTimeInMillis: () => 25_000, functionName: 'validate', awsRequestId: 'r-1' },
    );
    // Assess
    expect((output.config as Json).section2).toMatchObject({ minSize: 0, maxSize: 3, desiredCapacity: 1 });
    // Its phase, then the lab's claim (a conditional write), then the look that it is at rest.
    expect(received[0]).toMatchObject({
      target: 'AWSEvents.PutEvents',
      body: { Entries: [expect.objectContaining({ Source: 'scalelab', EventBusName: 'default' })] },
    });
    expect(received[1]).toMatchObject({
      target: 'DynamoDB_20120810.PutItem',
      body: { ConditionExpression: 'attribute_not_exists(observerId)' },
    });
    expect(
      received
        .slice(2)
        .map((call) => call.target)
        .sort(),
    ).toEqual(['DescribeAutoScalingGroups', 'DescribeInstances']);
  });
});

describe('the instance app bundle', () => {
  let app: ChildProcess | undefined;

  afterEach(async () => {
    if (app && app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((resolve) => app!.once('exit', resolve));
      app.kill('SIGTERM');
      await exited;
    }
    app = undefined;
  });

  function instanceAppDir(): string {
    const dir = readdirSync(outdir)
      .map((name) => join(outdir, name))
      .find((path) => existsSync(join(path, 'stress-worker.js')));
    if (!dir) throw new Error(`no instance app bundle in ${relative(ROOT, outdir)}`);
    return dir;
  }

  it('is main.js and stress-worker.js, ES modules needing no node_modules', () => {
    expect(readdirSync(instanceAppDir()).sort()).toEqual(['main.js', 'package.json', 'stress-worker.js']);
    expect(JSON.parse(readFileSync(join(instanceAppDir(), 'package.json'), 'utf8'))).toMatchObject({
      type: 'module',
    });
  });

  it('runs the serve app, whose stress worker burns until its deadline', async () => {
    // Prepare: the bundle alone in a folder, as /opt/scalelab/app on an instance.
    const alone = mkdtempSync(join(tmpdir(), 'scalelab-instance-'));
    try {
      mkdirSync(join(alone, 'app'));
      cpSync(instanceAppDir(), join(alone, 'app'), { recursive: true });
      app = spawn(
        process.execPath,
        [join(alone, 'app', 'main.js'), 'app', 'serve', '--host', '127.0.0.1', '--port', '0'],
        {
          cwd: alone,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      app.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const url = await waitFor(() => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1], {
        timeoutMs: 15_000,
        what: 'the serve app to listen',
      });
      // Act
      const get = await fetch(`${url}/`);
      const started = await fetch(`${url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ seconds: 1, workers: 1, load: 5 }),
      });
      const job = (await started.json()) as { endsAt: string };
      await waitFor(
        async () =>
          ((await (await fetch(`${url}/stress`)).json()) as { running: unknown[] }).running.length === 0,
        { timeoutMs: 10_000, what: 'the stress to end' },
      );
      // Assess: a worker that failed to load would have exited long before its deadline.
      expect(get.status).toBe(200);
      expect(started.status).toBe(202);
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(job.endsAt) - 50);
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });
});
