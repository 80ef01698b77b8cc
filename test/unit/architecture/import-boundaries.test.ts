/**
 * The import rules of lambda/ (docs/design: data goes one way): checks and the path model are pure
 * (they read the collected inventory and talk to no AWS), and no two top-level folders import each
 * other, directly or round a longer loop. Every import counts: type-only, `require` and `import()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';

const LAMBDA = resolve(__dirname, '../../../lambda');

interface ImportEdge {
  /** The importing file, relative to lambda/. */
  from: string;
  /** What it imports, as written. */
  specifier: string;
  /** The imported module relative to lambda/ (`../x` when outside it); null for a package. */
  to: string | null;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every import of every lambda/ source file. */
function lambdaImports(root: string = LAMBDA): ImportEdge[] {
  return sourceFiles(root).flatMap((file) =>
    preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map(({ fileName: specifier }) => ({
      from: relative(root, file).split(sep).join('/'),
      specifier,
      to: specifier.startsWith('.')
        ? relative(root, resolve(dirname(file), specifier))
            .split(sep)
            .join('/')
        : null,
    })),
  );
}

/** The top-level unit of lambda/ a module belongs to: its folder, or the file itself at the root. */
const unitOf = (module: string): string => module.split('/')[0]?.replace(/\.ts$/, '') ?? module;

const insideLambda = (edge: ImportEdge): edge is ImportEdge & { to: string } =>
  edge.to !== null && !edge.to.startsWith('..');

/** The imports of files in `folder` that leave it for anything but `allowed` (folders of lambda/). */
function importsLeaving(edges: readonly ImportEdge[], folder: string, allowed: readonly string[]): string[] {
  return edges
    .filter((edge) => unitOf(edge.from) === folder)
    .filter((edge) => !insideLambda(edge) || ![folder, ...allowed].includes(unitOf(edge.to)))
    .map((edge) => `${edge.from} imports '${edge.specifier}'`);
}

/**
 * Groups of top-level units that import each other (the strongly connected components of the unit
 * graph with more than one unit, Tarjan's algorithm), each with the imports that close the loop.
 */
function importCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const edge of edges.filter(insideLambda)) {
    const [from, to] = [unitOf(edge.from), unitOf(edge.to)];
    if (!graph.has(from)) graph.set(from, new Set());
    if (!graph.has(to)) graph.set(to, new Set());
    if (from !== to) graph.get(from)?.add(to);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (unit: string): void => {
    index.set(unit, index.size);
    low.set(unit, index.get(unit) ?? 0);
    stack.push(unit);
    for (const next of graph.get(unit) ?? []) {
      if (!index.has(next)) visit(next);
      if (stack.includes(next)) low.set(unit, Math.min(low.get(unit) ?? 0, low.get(next) ?? 0));
    }
    if (low.get(unit) !== index.get(unit)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member !== undefined) component.push(member);
    } while (member !== unit && member !== undefined);
    if (component.length > 1) components.push(component.sort());
  };
  for (const unit of [...graph.keys()].sort()) if (!index.has(unit)) visit(unit);
  return components.map((component) =>
    edges
      .filter(insideLambda)
      .filter((edge) => unitOf(edge.from) !== unitOf(edge.to))
      .filter((edge) => component.includes(unitOf(edge.from)) && component.includes(unitOf(edge.to)))
      .map((edge) => `${edge.from} imports '${edge.specifier}'`),
  );
}

describe('import boundaries of lambda/', () => {
  const edges = lambdaImports();

  it('reads the imports of every source file, type-only and require() ones included', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges).toContainEqual(
      expect.objectContaining({ from: 'cli/main.ts', to: 'audit', specifier: '../audit' }),
    );
  });

  it('keeps checks pure: a check imports only the domain, the path model and its own folder', () => {
    expect(importsLeaving(edges, 'checks', ['domain', 'path'])).toEqual([]);
  });

  it('keeps the path model pure: it imports only the domain and its own folder (and ipaddr.js)', () => {
    const leaving = importsLeaving(edges, 'path', ['domain']);
    expect(leaving.filter((line) => !line.endsWith("imports 'ipaddr.js'"))).toEqual([]);
  });

  it('has no two top-level folders of lambda/ that import each other, directly or in a loop', () => {
    expect(importCycles(edges)).toEqual([]);
  });
});

describe('the boundary rules themselves (their failing twins)', () => {
  const edge = (from: string, specifier: string): ImportEdge => ({
    from,
    specifier,
    to: specifier.startsWith('.') ? join(dirname(from), specifier).split(sep).join('/') : null,
  });

  it('names a check that imports a collector or an SDK client', () => {
    const edges = [
      edge('checks/a.ts', '../domain/types'),
      edge('checks/a.ts', './results'),
      edge('checks/b.ts', '../collect/clients'),
      edge('checks/b.ts', '@aws-sdk/client-ec2'),
    ];
    expect(importsLeaving(edges, 'checks', ['domain', 'path'])).toEqual([
      "checks/b.ts imports '../collect/clients'",
      "checks/b.ts imports '@aws-sdk/client-ec2'",
    ]);
  });

  it('names the imports of a loop through three folders, and none of a one-way chain', () => {
    const loop = [
      edge('report/a.ts', '../notify/b'),
      edge('notify/b.ts', '../verdict/c'),
      edge('verdict/c.ts', '../report/d'),
      edge('verdict/c.ts', '../domain/types'),
    ];
    expect(importCycles(loop)).toEqual([
      [
        "report/a.ts imports '../notify/b'",
        "notify/b.ts imports '../verdict/c'",
        "verdict/c.ts imports '../report/d'",
      ],
    ]);
    expect(importCycles(loop.slice(0, 2))).toEqual([]);
  });
});
