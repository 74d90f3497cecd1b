/**
 * The handlers' `aws` adapter against the local cloud (issue 17): the local AWS endpoint in front
 * of the lab's local cloud, and the adapter the Lambda functions run (lambdas/cloud/aws-cloud.ts)
 * with real SDK v3 clients pointed at it, as `AWS_ENDPOINT_URL` would point them. What differs
 * from Lambda, and only here: the environment the stack would set is built from the local lab,
 * and the adapter reckons in the local cloud's simulated time, in which the endpoint answers.
 */

import type { LabConfig } from '../../lab/config.js';
import { AwsCloud, awsClients } from '../../lambdas/cloud/aws-cloud.js';
import type { AwsCloudEnv } from '../../lambdas/cloud/aws-env.js';
import { LAB_STACK_NAME } from '../../lambdas/cloud/lab-tags.js';
import { API_REGION, type ApiServer, type DynamoTableSpec, startApiServer } from '../../local/api/index.js';
import type { LocalAws } from '../../local/local-aws.js';
import type { LocalStepFunctions } from '../../local/stepfunctions/index.js';
import type { LocalLab } from '../resources.js';

/** The observer table's name locally; its key is what the CDK table has (partition key observerId). */
export const LOCAL_OBSERVER_TABLE = 'scalelab-observers';

/**
 * The observer table as every local endpoint in front of a lab creates it (`run --adapter aws`,
 * `up`, `serve`), so the aws adapter and the AWS CLI find it wherever they point.
 */
export const LOCAL_OBSERVER_TABLE_SPEC: DynamoTableSpec = {
  name: LOCAL_OBSERVER_TABLE,
  partitionKey: 'observerId',
};

/** Any credentials do: the endpoint accepts them without checking (local/api/README.md). */
const LOCAL_CREDENTIALS = { accessKeyId: 'scalelab-local', secretAccessKey: 'scalelab-local' };

/** What the operator stack sets on each Lambda function (AWS_ENV), for the local lab. */
export function localAwsEnv(config: LabConfig, lab: LocalLab): AwsCloudEnv {
  return {
    autoScalingGroupName: config.section2.autoScalingGroupName,
    labStackName: LAB_STACK_NAME,
    webTargetGroupArn: lab.webTargets.arn,
    scalingTargetGroupArn: lab.scalingTargets.arn,
    webLoadBalancerUrl: lab.web.url,
    scalingLoadBalancerUrl: lab.scaling.url,
    observerTableName: LOCAL_OBSERVER_TABLE,
    eventBusName: 'default',
  };
}

export interface LocalAwsAdapter {
  cloud: AwsCloud;
  endpoint: ApiServer;
}

/** Starts the endpoint (with the observer table) and builds the adapter on it; close `endpoint` after use. */
export async function startLocalAwsAdapter(options: {
  cloud: LocalAws;
  stepFunctions: LocalStepFunctions;
  config: LabConfig;
  lab: LocalLab;
  onError?: (error: unknown) => void;
}): Promise<LocalAwsAdapter> {
  const { cloud } = options;
  const endpoint = await startApiServer({
    stepFunctions: options.stepFunctions,
    bus: cloud.bus,
    cloud,
    port: 0,
    tables: [LOCAL_OBSERVER_TABLE_SPEC],
    onError: options.onError,
  });
  const clients = awsClients({ endpoint: endpoint.url, region: API_REGION, credentials: LOCAL_CREDENTIALS });
  const adapter = new AwsCloud(localAwsEnv(options.config, options.lab), clients, {
    now: () => cloud.clock.now(),
    sleep: (seconds) => cloud.clock.sleep(seconds),
  });
  return { cloud: adapter, endpoint };
}
