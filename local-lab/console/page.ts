/**
 * The console's page and its two static files: the HTML names the script and stylesheet by a hash
 * of their content, so the browser may keep them for good and still never runs a stale one.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { webBundle } from '../../console/bundle.js';

export interface ConsoleAssets {
  html: string;
  js: string;
  css: string;
}

let assets: Promise<ConsoleAssets> | undefined;

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

async function build(prefix: string): Promise<ConsoleAssets> {
  const { js, css } = await webBundle('console-app');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>scalelab console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${prefix}/app.css?v=${hashOf(css)}">
</head>
<body>
<div id="app" data-base="${prefix}"></div>
<script src="${prefix}/app.js?v=${hashOf(js)}"></script>
</body>
</html>
`;
  return { html, js, css };
}

/** The page and its files, bundled at the first request of the process. */
export function consoleAssets(prefix: string): Promise<ConsoleAssets> {
  assets ??= build(prefix);
  assets.catch(() => {
    assets = undefined; // a failed bundle is retried at the next request
  });
  return assets;
}

/** Sends a static file: versioned URLs may be kept for a year; the HTML never. */
export function sendStatic(
  response: ServerResponse,
  contentType: string,
  body: string,
  immutable: boolean,
): void {
  response.writeHead(200, {
    'content-type': contentType,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(contentType.startsWith('text/html') && {
      // The page loads nothing from anywhere else, and no other site may frame it.
      'content-security-policy':
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    }),
  });
  response.end(body);
}
