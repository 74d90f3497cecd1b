/** The serve app did not accept the stress request through load balancer "scaling". */
export class StressNotStarted extends Error {
  override name = 'StressNotStarted';
}
