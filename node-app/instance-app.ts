import polka, { type Polka } from 'polka';
import { HttpError } from './errors.js';
import { methodNotAllowed, sendError } from './http.js';

/** Which methods each path accepts, so an unmatched request can get an honest 405 or 404. */
export type Routes = Record<string, string[]>;

/**
 * A Polka app with what every instance server shares: the `X-Instance-Id` header on every response
 * (so a client behind a load balancer sees which instance answered), JSON errors, and 404 / 405
 * answers derived from the route table.
 */
export function createInstanceApp(instanceId: string, routes: Routes): Polka {
  return polka({
    onError: (error, _req, res) => sendError(res, error),
    onNoMatch: (req, res) => {
      const allowed = routes[req.path];
      const error = allowed
        ? methodNotAllowed(req.method, req.path, allowed)
        : new HttpError(404, 'NotFound', `no route for ${req.path}`);
      sendError(res, error);
    },
  }).use((_req, res, next) => {
    res.setHeader('X-Instance-Id', instanceId);
    next();
  });
}
