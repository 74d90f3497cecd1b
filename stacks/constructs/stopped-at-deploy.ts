import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { LAB_LOG_RETENTION } from './lab-function.js';

export interface StoppedAtDeployProps {
  instances: ec2.Instance[];
}

/**
 * Stops instances once CloudFormation has created them (and they signalled that their app
 * started): CloudFormation cannot create an instance stopped, and a lab must cost nothing idle.
 * Runs again whenever the instance ids change (a replaced instance starts running).
 */
export class StoppedAtDeploy extends Construct {
  readonly resource: cr.AwsCustomResource;
  /** The provider function's logs: without it Lambda creates a group that `cdk destroy` leaves. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: StoppedAtDeployProps) {
    super(scope, id);
    const instanceIds = props.instances.map((instance) => instance.instanceId);
    const stop: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'stopInstances',
      parameters: { InstanceIds: instanceIds },
      physicalResourceId: cr.PhysicalResourceId.of('scalelab-stopped-at-deploy'),
    };
    this.logGroup = new logs.LogGroup(this, 'ProviderLogs', {
      retention: LAB_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.resource = new cr.AwsCustomResource(this, 'StopInstances', {
      onCreate: stop,
      onUpdate: stop,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: props.instances.map((instance) => instanceArn(instance)),
      }),
      installLatestAwsSdk: false,
      logGroup: this.logGroup,
    });
    // The provider function is a singleton of the stack, outside this construct.
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON_ID);
    if (provider) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: "the CDK's custom-resource provider writes its own logs with the basic execution policy",
      });
    }
  }
}

/** The construct id AwsCustomResource gives its provider function (aws-cdk-lib custom-resources). */
const AWS_CUSTOM_RESOURCE_SINGLETON_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

function instanceArn(instance: ec2.Instance): string {
  return instance.stack.formatArn({
    service: 'ec2',
    resource: 'instance',
    resourceName: instance.instanceId,
  });
}
