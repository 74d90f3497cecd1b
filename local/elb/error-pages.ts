/** Responses the load balancer writes itself, shaped like the ALB's (plain HTML, `Server: awselb/2.0`). */
import type { ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { ELB_SERVER_HEADER } from './constants.js';

/** The ALB's error page for a status: a tiny HTML document titled with the code and reason. */
export function errorPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

/**
 * Answers with the ALB's error page when the response has not started; otherwise the client
 * already has a status line, so the only honest signal left is to cut the connection.
 */
export function sendError(res: ServerResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = errorPage(status);
  res.writeHead(status, {
    server: ELB_SERVER_HEADER,
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
