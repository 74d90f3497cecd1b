import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/**
 * The token table: one item per armed observer (a parked task token), keyed by `observerId`,
 * expiring through the `expiresAt` TTL attribute (see lambdas/cloud/aws-cloud.ts). On demand:
 * an idle lab pays for the few bytes stored, nothing else.
 */
export class ObserverTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'observerId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Tokens are worthless once their execution ends: nothing to keep after `cdk destroy`.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason: 'holds only task tokens that expire within a day: nothing worth a point-in-time restore',
    });
  }
}
