/** The local AWS endpoint: Step Functions, EventBridge, CloudWatch and DynamoDB on one port. */

export type { DynamoTableSpec } from './dynamodb.js';
export * from './errors.js';
export {
  API_REGION,
  type ApiServer,
  type ApiServerOptions,
  DEFAULT_API_PORT,
  startApiServer,
} from './server.js';
