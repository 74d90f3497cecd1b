/**
 * The endpoint's constants a client needs, in a module that loads nothing else: the CLI's light
 * commands (`scalelab reset`) name the endpoint without loading the server.
 */

/** The port `scalelab serve` and `up` listen on unless told otherwise. */
export const DEFAULT_API_PORT = 8083;

/** The target prefix of scalelab's own operations (`ScalelabLocal.<Op>`): no AWS service has it. */
export const SCALELAB_SERVICE = 'ScalelabLocal';
