// The layers of src/core, lowest first. docs/architecture.md points here: this table is the rule.
//
// A folder of src/core may import folders of its own layer or of a lower one, never a higher one, and
// the folders never import each other in a cycle (eslint/folderCycles.mjs). A new folder must be added
// here before anything may import it or be imported by it.
//
// Above the core sit the hosts: src/cli, src/extension and src/runtime. The core never imports a host
// nor `vscode`; the CLI and the extension never import each other; the runtime imports neither.
export const CORE_LAYERS = [
  { name: 'base', folders: ['text', 'yaml', 'schema', 'fs', 'git', 'format'] },
  { name: 'domain', folders: ['config', 'catalog', 'prompt', 'suite', 'assert', 'providers'] },
  {
    name: 'services',
    folders: ['validation', 'run', 'review', 'history', 'views', 'language', 'assign', 'init', 'workspace', 'calls'],
  },
  { name: 'application', folders: ['app'] },
];

/** Which hosts (folders of src) each area may not import. `vscode` is only the extension's. */
export const HOST_BOUNDARIES = {
  core: { forbidden: ['cli', 'extension', 'runtime'], vscode: false },
  cli: { forbidden: ['extension'], vscode: false },
  extension: { forbidden: ['cli'], vscode: true },
  runtime: { forbidden: ['cli', 'extension'], vscode: false },
};

/** The layer of a core folder: its index in CORE_LAYERS and its name, or undefined for a folder not in the table. */
export function layerOf(folder) {
  const index = CORE_LAYERS.findIndex((l) => l.folders.includes(folder));
  return index < 0 ? undefined : { index, name: CORE_LAYERS[index].name };
}
