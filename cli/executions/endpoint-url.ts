/** The local endpoint's URL as the commands take it (`--endpoint`, SCALELAB_ENDPOINT), loading nothing heavy. */
import { DEFAULT_API_PORT } from '../../local/api/defaults.js';
import { UsageError } from '../usage-error.js';

/** The endpoint of `scalelab serve` with its default port. */
export const DEFAULT_ENDPOINT = `http://127.0.0.1:${DEFAULT_API_PORT}`;

/** `raw` as an endpoint URL without a trailing slash; a UsageError naming it when it is not one. */
export function localEndpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--endpoint must be a URL like ${DEFAULT_ENDPOINT}, got '${raw}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http(s) URL, got '${raw}'`);
  }
  return url.toString().replace(/\/$/, '');
}
