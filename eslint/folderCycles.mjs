#!/usr/bin/env node
// (d) of eslint/layers.mjs: the folders of src/core never import each other in a cycle. A folder-level
// graph is whole-program, which an ESLint rule (one file at a time) cannot see, so this runs beside
// ESLint in `npm run lint`. Type-only imports count: a cycle of types still ties the folders together.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Every elementary cycle between the folders of `coreDir` (files directly in it count as one node each),
 * with the imports that make each step. Cycles are listed shortest first, each starting at its smallest
 * folder name, so the output is stable.
 */
export function findFolderCycles(coreDir) {
  const edges = folderGraph(coreDir);
  const cycles = [];
  for (const component of stronglyConnected(edges)) {
    if (component.length < 2) continue;
    for (const folders of elementaryCycles(component, edges)) {
      cycles.push({
        folders,
        steps: folders.map((from, i) => {
          const to = folders[(i + 1) % folders.length];
          return { from, to, imports: edges.get(from).get(to) };
        }),
      });
    }
  }
  return cycles.sort((a, b) => a.folders.length - b.folders.length || a.folders.join().localeCompare(b.folders.join()));
}

/** One block per cycle: the ring of folders, then for each step the file:line and specifier that form it. */
export function formatCycles(cycles, root = process.cwd()) {
  return cycles
    .map((c) => {
      const ring = [...c.folders, c.folders[0]].join(' → ');
      const steps = c.steps.flatMap((s) =>
        s.imports.map(
          (i) => `  ${s.from} → ${s.to}: ${path.relative(root, i.file)}:${i.line} imports '${i.specifier}'`,
        ),
      );
      return [`folder cycle: ${ring}`, ...steps].join('\n');
    })
    .join('\n\n');
}

/** folder → (imported folder → the imports doing it). */
function folderGraph(coreDir) {
  const edges = new Map();
  for (const file of sourceFiles(coreDir)) {
    const from = nodeOf(coreDir, file);
    if (!edges.has(from)) edges.set(from, new Map());
    const text = fs.readFileSync(file, 'utf8');
    const lines = lineStarts(text);
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), ref.fileName);
      const relative = path.relative(coreDir, target);
      if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) continue;
      const to = nodeOf(coreDir, target);
      if (to === from) continue;
      const byTarget = edges.get(from);
      if (!byTarget.has(to)) byTarget.set(to, []);
      byTarget.get(to).push({ file, line: lineOf(lines, ref.pos), specifier: ref.fileName });
    }
  }
  // A folder that only is imported (say, one holding nothing but types) is a node too.
  for (const to of [...edges.values()].flatMap((targets) => [...targets.keys()])) {
    if (!edges.has(to)) edges.set(to, new Map());
  }
  return edges;
}

/** A file's node: its first folder under coreDir, or, directly in coreDir, its own name without extension. */
function nodeOf(coreDir, file) {
  const [first, ...rest] = path.relative(coreDir, file).split(path.sep);
  if (rest.length > 0 || isDirectory(path.join(coreDir, first))) return first;
  return first.replace(/\.(m|c)?[jt]sx?$/, '');
}

function sourceFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(m|c)?tsx?$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** Tarjan's algorithm; each component's folders sorted by name. */
function stronglyConnected(edges) {
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v).keys()) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return components;
}

/**
 * The elementary cycles within one component: each found once, from its smallest folder. A component of
 * a couple of dozen folders is searched in full; past LIMIT cycles the rest are left out (the SCC is
 * already a tangle, and the first ones show where to cut).
 */
function elementaryCycles(component, edges) {
  const LIMIT = 50;
  const members = new Set(component);
  const cycles = [];
  for (const start of component) {
    const path = [start];
    const onPath = new Set(path);
    const walk = (v) => {
      for (const w of [...edges.get(v).keys()].sort()) {
        if (cycles.length >= LIMIT || !members.has(w) || w < start) continue;
        if (w === start) cycles.push([...path]);
        else if (!onPath.has(w)) {
          path.push(w);
          onPath.add(w);
          walk(w);
          path.pop();
          onPath.delete(w);
        }
      }
    };
    walk(start);
  }
  return cycles;
}

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(starts, pos) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function isDirectory(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const coreDir = path.resolve(process.argv[2] ?? 'src/core');
  const cycles = findFolderCycles(coreDir);
  if (cycles.length) {
    console.error(formatCycles(cycles));
    console.error(
      `\n${cycles.length} folder cycle(s) in ${path.relative(process.cwd(), coreDir) || '.'} (see eslint/layers.mjs)`,
    );
    process.exitCode = 1;
  } else {
    console.log(`no folder cycles in ${path.relative(process.cwd(), coreDir) || '.'}`);
  }
}
