import { join } from 'node:path';
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { projectRoot } from '../../node-app/project-root.js';

/** The runtime every handler runs on. */
export const LAB_FUNCTION_RUNTIME = lambda.Runtime.NODEJS_22_X;
/** A fortnight of logs: long enough to debug a course's runs, short enough to cost pennies. */
export const LAB_LOG_RETENTION = logs.RetentionDays.TWO_WEEKS;

export interface LabFunctionProps {
  /** The handler's folder under lambdas/: the entry is `lambdas/<dir>/handler.ts`, export `handler`. */
  dir: string;
  timeout: Duration;
  environment: Record<string, string>;
  description: string;
}

/**
 * One handler as a Lambda function: bundled with the local esbuild as an ES module, its own log
 * group with a retention, traced with X-Ray. The AWS SDK v3 comes from the runtime (bundling it made every function
 * 1.5 MB and every synth slow); the adapter uses long-stable operations only.
 */
export class LabFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: LabFunctionProps) {
    super(scope, id);
    const root = projectRoot();
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: LAB_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(root, 'lambdas', props.dir, 'handler.ts'),
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      runtime: LAB_FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout,
      description: props.description,
      logGroup: this.logGroup,
      // Joins the workflow's X-Ray trace (the state machine traces too): one map per execution.
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // esbuild's per-file size table, ten times over, buried what synth has to say.
        logLevel: nodejs.LogLevel.WARNING,
        // Bundled CommonJS dependencies may still call require() for built-ins.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    Validations.of(this.function).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x on purpose: a Node.js line the project supports and CI tests (package.json engines: 20, 22, 24)',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'the basic execution policy only lets the function write its own logs',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'X-Ray tracing: PutTraceSegments and PutTelemetryRecords accept only Resource "*"',
      },
    );
  }
}
