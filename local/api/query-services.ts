/** The services of the local cloud the endpoint answers for over the query protocols. */
import type { LocalAws } from '../local-aws.js';
import { autoScalingService } from './autoscaling-operations.js';
import { ec2Service } from './ec2-operations.js';
import { elbv2Service } from './elbv2-operations.js';
import type { QueryService } from './query/handler.js';

/** EC2, Auto Scaling and ELBv2 over `cloud`; `onError` hears of failures after a response. */
export function queryServices(cloud: LocalAws, onError: (error: unknown) => void): QueryService[] {
  return [ec2Service(cloud.ec2, onError), autoScalingService(cloud.autoscaling), elbv2Service(cloud.elb)];
}
