import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the folder above eslint/. Paths are judged relative to it, wherever ESLint runs from. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where a file sits, as the segments of its path under the repository root (`['src', 'core', 'git', 'log.ts']`). */
export function segmentsOf(absoluteFile) {
  return path.relative(ROOT, absoluteFile).split(path.sep);
}

/**
 * What a specifier names: a package (`vscode`, `node:fs`) or a file, as path segments under the root.
 * Relative specifiers are resolved against the importing file; the project has no path aliases.
 */
export function resolveSpecifier(absoluteFile, specifier) {
  if (!specifier.startsWith('.')) return { kind: 'package', name: packageName(specifier) };
  return { kind: 'file', segments: segmentsOf(path.resolve(path.dirname(absoluteFile), specifier)) };
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * ESLint visitors calling `onImport(node, specifier)` for every way a module is named: import and export
 * declarations (type-only too), `import x = require()`, `import()` expressions and types, and `require()`.
 */
export function importVisitors(onImport) {
  const literal = (node, source) => {
    if (source && source.type === 'Literal' && typeof source.value === 'string') onImport(node, source.value);
  };
  return {
    ImportDeclaration: (node) => literal(node, node.source),
    ExportNamedDeclaration: (node) => literal(node, node.source),
    ExportAllDeclaration: (node) => literal(node, node.source),
    ImportExpression: (node) => literal(node, node.source),
    TSImportEqualsDeclaration: (node) => {
      if (node.moduleReference.type === 'TSExternalModuleReference') literal(node, node.moduleReference.expression);
    },
    TSImportType: (node) =>
      literal(node, node.argument?.type === 'TSLiteralType' ? node.argument.literal : node.argument),
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require') literal(node, node.arguments[0]);
    },
  };
}
