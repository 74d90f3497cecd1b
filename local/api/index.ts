/** The local AWS endpoint: Step Functions and EventBridge over the AWS JSON protocols. */
export * from './errors.js';
export {
  API_REGION,
  type ApiServer,
  type ApiServerOptions,
  DEFAULT_API_PORT,
  startApiServer,
} from './server.js';
