/** The local AWS endpoint: Step Functions, EventBridge, CloudWatch, DynamoDB, EC2, Auto Scaling and ELBv2 on one port. */

export type { DynamoTableSpec } from './dynamodb.js';
export * from './errors.js';
export {
  API_REGION,
  type ApiServer,
  type ApiServerOptions,
  DEFAULT_API_PORT,
  type PathMount,
  SCALELAB_SERVICE,
  startApiServer,
} from './server.js';
export type { Operation } from './stepfunctions-operations.js';
