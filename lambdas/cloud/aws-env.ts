/**
 * Every environment variable the AWS adapter reads, in one place (the CDK stack sets them on
 * each Lambda function). Read once per cold start; a missing one is a deployment error.
 */
import { CloudMisconfigured } from '../../lab/workflow-errors.js';

/** Environment variable names, as the CDK stack must set them. */
export const AWS_ENV = {
  autoScalingGroupName: 'SCALELAB_ASG_NAME',
  labStackName: 'SCALELAB_LAB_STACK_NAME',
  webTargetGroupArn: 'SCALELAB_WEB_TARGET_GROUP_ARN',
  scalingTargetGroupArn: 'SCALELAB_SCALING_TARGET_GROUP_ARN',
  webLoadBalancerUrl: 'SCALELAB_WEB_LB_URL',
  scalingLoadBalancerUrl: 'SCALELAB_SCALING_LB_URL',
  observerTableName: 'SCALELAB_OBSERVER_TABLE',
  eventBusName: 'SCALELAB_EVENT_BUS_NAME',
} as const;

/** The AWS adapter's settings, read from {@link AWS_ENV}. */
export interface AwsCloudEnv {
  autoScalingGroupName: string;
  /**
   * The lab stack's name: its section-1 instances carry it as a tag (lab-tags.ts) and are found
   * by it at run time, never by ids fixed at deploy (a redeploy may replace them).
   */
  labStackName: string;
  webTargetGroupArn: string;
  scalingTargetGroupArn: string;
  /** e.g. http://web-123.us-east-1.elb.amazonaws.com */
  webLoadBalancerUrl: string;
  scalingLoadBalancerUrl: string;
  /** DynamoDB table with partition key `observerId` (S) and TTL attribute `expiresAt`. */
  observerTableName: string;
  /** Optional; `default` when unset. */
  eventBusName: string;
}

/** Reads {@link AwsCloudEnv} from `env`; throws {@link CloudMisconfigured} naming each missing variable. */
export function readAwsCloudEnv(env: NodeJS.ProcessEnv = process.env): AwsCloudEnv {
  const missing: string[] = [];
  const read = (variable: string): string => {
    const value = env[variable]?.trim();
    if (!value) missing.push(variable);
    return value ?? '';
  };
  const config: AwsCloudEnv = {
    autoScalingGroupName: read(AWS_ENV.autoScalingGroupName),
    labStackName: read(AWS_ENV.labStackName),
    webTargetGroupArn: read(AWS_ENV.webTargetGroupArn),
    scalingTargetGroupArn: read(AWS_ENV.scalingTargetGroupArn),
    webLoadBalancerUrl: read(AWS_ENV.webLoadBalancerUrl),
    scalingLoadBalancerUrl: read(AWS_ENV.scalingLoadBalancerUrl),
    observerTableName: read(AWS_ENV.observerTableName),
    eventBusName: env[AWS_ENV.eventBusName]?.trim() || 'default',
  };
  if (missing.length > 0) {
    throw new CloudMisconfigured(`the AWS adapter needs the environment variable(s) ${missing.join(', ')}`);
  }
  return config;
}
