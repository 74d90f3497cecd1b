/**
 * The browser code of the console and of report.html, bundled on first use with esbuild (the
 * bundler the CDK app already uses): one script and one stylesheet per page, everything inlined,
 * so a page loads nothing but what its own server (or its own file) holds. Bundling from the
 * TypeScript sources at run time means there is no second build step to forget, and the bundle
 * is the same whether scalelab runs from `dist/` or from the sources under test.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from '../node-app/project-root.js';

/** The browser pages: each is `console/web/<page>.ts`. */
export type WebPage = 'console-app' | 'report-app';

export interface WebBundle {
  /** An IIFE that needs nothing but the page's own DOM. */
  js: string;
  /** Every stylesheet the page's imports pulled in (e.g. uPlot's), concatenated. */
  css: string;
}

/** Browsers the bundle must run in: the versions of the last two years, Debian's Chromium among them. */
const BROWSER_TARGETS = ['chrome120', 'firefox120', 'safari17'];

const bundles = new Map<WebPage, Promise<WebBundle>>();

async function bundle(page: WebPage): Promise<WebBundle> {
  const webDir = join(projectRoot(import.meta.url), 'console', 'web');
  const result = await build({
    entryPoints: [join(webDir, `${page}.ts`)],
    bundle: true,
    write: false,
    // esbuild needs an output directory to name the stylesheet beside the script; nothing is written.
    outdir: join(webDir, 'out'),
    format: 'iife',
    platform: 'browser',
    target: BROWSER_TARGETS,
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const text = (extension: string) =>
    result.outputFiles
      .filter((file) => file.path.endsWith(extension))
      .map((file) => file.text)
      .join('\n');
  return { js: text('.js'), css: text('.css') };
}

/** The page's bundle, built once per process (a failed build is retried on the next call). */
export function webBundle(page: WebPage): Promise<WebBundle> {
  const cached = bundles.get(page);
  if (cached) return cached;
  const built = bundle(page);
  bundles.set(page, built);
  built.catch(() => bundles.delete(page));
  return built;
}

/**
 * Bundled code safe inside an inline `<script>`: a `</script` or `<!--` in a library's strings
 * would otherwise end the element early. In JavaScript strings and regular expressions the added
 * backslash changes nothing.
 */
export function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** `value` as JSON safe inside an inline `<script>`: every `<` escaped as JSON allows. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
