// Local ESLint rules that hold the architecture: eslint/layers.mjs says what may import what.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importVisitors, resolveSpecifier, ROOT, segmentsOf } from './imports.mjs';
import { CORE_LAYERS, HOST_BOUNDARIES, layerOf } from './layers.mjs';

const TABLE = 'eslint/layers.mjs';
const ORDER = `a layer imports only itself or those below it, ${CORE_LAYERS.map((l) => l.name).join(' → ')}`;

/** (a) and (b): the core imports no host and not `vscode`; the CLI and the extension never import each other. */
const hostBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: `Hosts and core import only what ${TABLE} allows` },
    schema: [],
    messages: {
      host: `src/{{area}} may not import src/{{target}} ({{specifier}}): see HOST_BOUNDARIES in ${TABLE}.`,
      vscode: `src/{{area}} may not import 'vscode': only src/extension runs inside VS Code (${TABLE}).`,
    },
  },
  create(context) {
    const [top, area] = segmentsOf(context.filename);
    const rules = top === 'src' ? HOST_BOUNDARIES[area] : undefined;
    if (!rules) return {};
    return importVisitors((node, specifier) => {
      const target = resolveSpecifier(context.filename, specifier);
      if (target.kind === 'package') {
        if (target.name === 'vscode' && !rules.vscode) context.report({ node, messageId: 'vscode', data: { area } });
        return;
      }
      const [targetTop, targetArea] = target.segments;
      if (targetTop === 'src' && rules.forbidden.includes(targetArea)) {
        context.report({ node, messageId: 'host', data: { area, target: targetArea, specifier } });
      }
    });
  },
};

/**
 * (c): a folder of src/core imports only folders of its own layer or of lower ones. A file outside the
 * table (a new folder, or a file directly under src/core) is reported once, on itself, so that nothing
 * escapes the table; its imports are judged once it has a place.
 */
const coreLayers = {
  meta: {
    type: 'problem',
    docs: { description: `Folders of src/core import only their own layer or lower ones (${TABLE})` },
    schema: [],
    messages: {
      upward: `{{fromLayer}} folder '{{from}}' may not import the {{toLayer}} folder '{{to}}' ({{specifier}}): ${ORDER} (${TABLE}).`,
      looseFile: `src/core/{{file}} is in no layer: files of src/core live in a folder listed in ${TABLE}.`,
      unknownFolder: `src/core/{{folder}} is not in the layer table: add it to a layer in ${TABLE}.`,
    },
  },
  create(context) {
    const [top, area, folder, ...rest] = segmentsOf(context.filename);
    if (top !== 'src' || area !== 'core' || !folder) return {};
    if (rest.length === 0) {
      return {
        Program: (node) => context.report({ node, loc: START, messageId: 'looseFile', data: { file: folder } }),
      };
    }
    const from = layerOf(folder);
    if (!from) {
      return { Program: (node) => context.report({ node, loc: START, messageId: 'unknownFolder', data: { folder } }) };
    }
    return importVisitors((node, specifier) => {
      const target = resolveSpecifier(context.filename, specifier);
      if (target.kind !== 'file') return;
      const [targetTop, targetArea, targetFolder, ...targetRest] = target.segments;
      if (targetTop !== 'src' || targetArea !== 'core' || !targetFolder || targetFolder === folder) return;
      // `../diagnostics` names a file directly under src/core (reported on itself), `../text` a folder's index.
      if (targetRest.length === 0 && !isDirectory(path.join(ROOT, 'src', 'core', targetFolder))) return;
      const to = layerOf(targetFolder);
      if (to && to.index > from.index) {
        context.report({
          node,
          messageId: 'upward',
          data: { from: folder, fromLayer: from.name, to: targetFolder, toLayer: to.name, specifier },
        });
      }
    });
  },
};

const START = { line: 1, column: 0 };

function isDirectory(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export default {
  meta: { name: 'prompt-registry-local' },
  rules: { 'host-boundaries': hostBoundaries, 'core-layers': coreLayers },
};
