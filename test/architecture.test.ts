/**
 * Which way the imports run between the project's top-level folders. The layers, from the top:
 * cli/, stacks/ and bench/ → local-lab/ (the lab's local wiring) → lambdas/ (what runs on Lambda)
 * → local/ (the emulator: AWS on one machine) and node-app/ (what runs on instances) → lab/ (the
 * lab's domain). A lower layer never imports a higher one, and there is no cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_FOLDERS = ['bench', 'cli', 'lab', 'lambdas', 'local', 'local-lab', 'node-app', 'stacks'];

/** What each folder must never import (besides test/, which nothing imports). */
const FORBIDDEN: Record<string, string[]> = {
  lab: ['bench', 'cli', 'lambdas', 'local', 'local-lab', 'node-app', 'stacks'],
  'node-app': ['bench', 'cli', 'lab', 'lambdas', 'local', 'local-lab', 'stacks'],
  local: ['bench', 'cli', 'lambdas', 'local-lab', 'stacks'],
  lambdas: ['bench', 'cli', 'local', 'local-lab', 'stacks', 'node-app'],
  'local-lab': ['bench', 'cli', 'stacks'],
};

/** The emulator may know AWS's facts, never the lab's configuration, budgets or events. */
const LOCAL_MAY_IMPORT_FROM_LAB = ['lab/aws-facts.ts'];

interface Import {
  from: string;
  to: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

const IMPORT_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every relative import of every source file, as project-relative paths of .ts files. */
function projectImports(): Import[] {
  const imports: Import[] = [];
  for (const file of SOURCE_FOLDERS.flatMap(sourceFiles)) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const [, specifier = ''] of text.matchAll(IMPORT_SPECIFIER)) {
      const target = normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts');
      imports.push({ from: file, to: target });
    }
  }
  return imports;
}

function topFolder(path: string): string {
  return relative('.', path).split('/')[0] ?? '';
}

function folderGraph(imports: Import[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    const [a, b] = [topFolder(from), topFolder(to)];
    if (a === b) continue;
    graph.set(a, (graph.get(a) ?? new Set()).add(b));
  }
  return graph;
}

/** A cycle of folders as a path, or undefined. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('architecture: imports between top-level folders', () => {
  const imports = projectImports();

  it('reads the imports of every source folder', () => {
    expect(new Set(imports.map(({ from }) => topFolder(from)))).toEqual(new Set(SOURCE_FOLDERS));
  });

  it.each(Object.entries(FORBIDDEN))('%s/ imports none of the folders above it', (folder, forbidden) => {
    const wrong = imports
      .filter(({ from, to }) => topFolder(from) === folder && forbidden.includes(topFolder(to)))
      .map(({ from, to }) => `${from} -> ${to}`);

    expect(wrong).toEqual([]);
  });

  it("local/ takes only AWS's facts from lab/, never the lab's configuration or events", () => {
    const wrong = imports
      .filter(({ from, to }) => topFolder(from) === 'local' && topFolder(to) === 'lab')
      .filter(({ to }) => !LOCAL_MAY_IMPORT_FROM_LAB.includes(to))
      .map(({ from, to }) => `${from} -> ${to}`);

    expect(wrong).toEqual([]);
  });

  it('has no import cycle between top-level folders', () => {
    expect(findCycle(folderGraph(imports))).toBeUndefined();
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
    ]);

    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
  });
});
