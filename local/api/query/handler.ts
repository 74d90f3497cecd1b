/**
 * The query-protocol route of the endpoint: form-encoded bodies with `Action=`, for EC2 (EC2
 * query) and Auto Scaling and ELBv2 (AWS query). The service is the one the SigV4 credential scope
 * names (`Credential=AKID/date/region/<service>/aws4_request`), as on AWS where each service has
 * its own host; without a signature the `Version` parameter decides.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';
import { readBody } from '../protocol.js';
import { internalFailure, invalidAction, missingAction, QueryError } from './errors.js';
import { formTree, parseForm } from './form.js';
import { AWS_QUERY_PARAM_ERRORS, EC2_PARAM_ERRORS, QueryParams } from './params.js';
import { awsQueryError, awsQueryResult, ec2Error, ec2Result, type XmlResponse } from './xml.js';

/** One operation: the request's members in, the result's members (in wire names) out. */
export type QueryOperation = (params: QueryParams) => unknown;

export interface QueryService {
  /** The SigV4 signing name: `ec2`, `autoscaling`, `elasticloadbalancing`. */
  signingName: string;
  /** The API version clients send as `Version`. */
  version: string;
  xmlns: string;
  protocol: 'ec2' | 'query';
  operations: Record<string, QueryOperation>;
  /** The AWS error a local service's error stands for; undefined for an unexpected failure. */
  translate(error: unknown): QueryError | undefined;
}

/** The `<service>` of `Credential=<key>/<date>/<region>/<service>/aws4_request`. */
export function signingNameOf(authorization: string | undefined): string | undefined {
  return /Credential=[^/,\s]+\/\d{8}\/[^/,\s]+\/([^/,\s]+)\/aws4_request/.exec(authorization ?? '')?.[1];
}

/** Whether a request without `X-Amz-Target` is one for this route. */
export function isQueryRequest(request: IncomingMessage): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '');
}

/** Answers query-protocol requests for `services`; never throws. */
export function queryHandler(
  services: readonly QueryService[],
  onError: (error: unknown) => void,
): (request: IncomingMessage) => Promise<XmlResponse> {
  function errorResponse(service: QueryService | undefined, error: unknown): XmlResponse {
    const known =
      error instanceof QueryError
        ? error
        : error instanceof ApiError
          ? new QueryError(error.name, error.message, error.statusCode)
          : service?.translate(error);
    if (!known) onError(error);
    const answer = known ?? internalFailure();
    return service?.protocol === 'ec2' ? ec2Error(answer) : awsQueryError(answer, service?.xmlns ?? '');
  }

  return async function handleQuery(request) {
    const signingName = signingNameOf(request.headers.authorization);
    let service = services.find((candidate) => candidate.signingName === signingName);
    try {
      const tree = formTree(parseForm(await readBody(request)));
      const version = typeof tree.Version === 'string' ? tree.Version : undefined;
      service ??= signingName ? undefined : services.find((candidate) => candidate.version === version);
      const action = typeof tree.Action === 'string' ? tree.Action : '';
      if (action === '') throw missingAction();
      if (!service) {
        throw invalidAction(
          `The local endpoint does not serve the query API of '${signingName ?? `Version ${version ?? '(none)'}`}'`,
        );
      }
      const operation = Object.hasOwn(service.operations, action) ? service.operations[action] : undefined;
      if (!operation) throw invalidAction(`The action ${action} is not valid for this web service.`);
      const errors = service.protocol === 'ec2' ? EC2_PARAM_ERRORS : AWS_QUERY_PARAM_ERRORS;
      const result = await operation(new QueryParams(tree, errors));
      return service.protocol === 'ec2'
        ? ec2Result(action, service.xmlns, (result ?? {}) as Record<string, unknown>)
        : awsQueryResult(action, service.xmlns, result);
    } catch (error) {
      return errorResponse(service, error);
    }
  };
}
