import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serializeCatalog } from '../../src/core/catalog/store';
import { modelRows } from '../../src/core/catalog/listing';
import { modelGroups, toggledEnabledList } from '../../src/core/views/modelList';
import { NO_LONGER_AVAILABLE } from '../../src/core/views/modelStatus';
import { promptTooltip, type PromptInfo } from '../../src/core/views/promptIndex';
import { PromptTreeModel, type GroupNode, type PromptNode, type PromptTreeNode } from '../../src/core/views/promptTree';
import { PromptWorkspace } from '../../src/core/workspace/promptWorkspace';
import { catalogOf, model } from './helpers/catalog';
import { FIXTURE_WORKSPACE, tmpDir, writeFiles } from './helpers/tmp';

const NOW = () => new Date('2026-11-21T00:00:00Z');

function fixture(): { ws: PromptWorkspace; tree: PromptTreeModel } {
  const ws = new PromptWorkspace(FIXTURE_WORKSPACE);
  ws.scan();
  const tree = new PromptTreeModel(NOW);
  tree.update([ws]);
  return { ws, tree };
}

/** "label — description [state]" for prompts, "label (count)" for groups, children indented. */
function outline(tree: PromptTreeModel, node?: GroupNode, indent = ''): string[] {
  const out: string[] = [];
  for (const c of tree.children(node)) {
    if (c.kind === 'group') {
      out.push(`${indent}${c.label} (${c.count})`);
      out.push(...outline(tree, c, `${indent}  `));
    } else {
      out.push(`${indent}${c.info.label} — ${c.info.description} [${c.info.status.state}]`);
    }
  }
  return out;
}

function group(tree: PromptTreeModel, label: string, parent?: GroupNode): GroupNode {
  const g = tree.children(parent).find((c): c is GroupNode => c.kind === 'group' && c.label === label);
  assert.ok(g, `no group "${label}"`);
  return g;
}

function promptIn(tree: PromptTreeModel, parent: GroupNode | undefined, label: string): PromptNode {
  const p = tree.children(parent).find((c): c is PromptNode => c.kind === 'prompt' && c.info.label === label);
  assert.ok(p, `no prompt "${label}"`);
  return p;
}

/** A refreshed node as the tests name it: a group's label, or "row:" and a prompt's label. */
const nameOf = (n: PromptTreeNode) => (n.kind === 'group' ? n.label : `row:${n.info.label}`);

function infoOf(tree: PromptTreeModel, ws: PromptWorkspace, rel: string): PromptInfo {
  const i = tree.index(ws)!.get(path.join(ws.root, rel));
  assert.ok(i, `${rel} not indexed`);
  return i;
}

/** Rewrites a file with a stamp the workspace cannot mistake for the old one, and tells the workspace. */
function rewrite(ws: PromptWorkspace, rel: string, text: string): void {
  const abs = path.join(ws.root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
  const t = new Date(Date.now() + 10_000 + Math.random() * 10_000);
  fs.utimesSync(abs, t, t);
  ws.refreshFile(abs);
}

const CATALOG = serializeCatalog(
  catalogOf(
    model('gpt-4o', { displayName: 'GPT-4o', inputPricePer1M: 2.5, outputPricePer1M: 10, contextWindow: 128000 }),
    model('gpt-4o-mini', {
      displayName: 'GPT-4o mini',
      inputPricePer1M: 0.15,
      outputPricePer1M: 0.6,
      contextWindow: 128000,
    }),
    model('old', { active: false }),
  ),
);

function readFileModel(ws: PromptWorkspace, rel: string): string | undefined {
  return ws.get(path.join(ws.root, rel))?.model;
}

function bigRepo(count: number, extra: Record<string, string> = {}): PromptWorkspace {
  const root = tmpDir('pr-views-');
  const files: Record<string, string> = {
    '.prompt-registry/catalog.json': CATALOG,
    'prompt-registry.yaml': 'defaultModel: gpt-4o\nmodels:\n  labels: { gpt-4o: "GPT-4o (general)" }\n',
    ...extra,
  };
  for (let i = 0; i < count; i++) {
    files[`prompts/team-${i % 3}/p${i}.md`] =
      `---\nname: Prompt ${i}\nmodel: ${i % 2 ? 'gpt-4o' : 'gpt-4o-mini'}\ntags: [t${i % 2}, all]\n---\nHello ${i}\n`;
  }
  writeFiles(root, files);
  const ws = new PromptWorkspace(root);
  ws.scan();
  return ws;
}

describe('views: the Prompts tree model', () => {
  it('groups by folder: folders first, then prompts by name; descriptions use the configured label', () => {
    const { tree } = fixture();
    assert.deepEqual(outline(tree), [
      'format (5)',
      '  invalid-field — GPT-4o (general) [ok]',
      '  No model here — no model [missing]',
      '  unknown-field — GPT-4o (general) [ok]',
      '  variables — GPT-4o (general) [ok]',
      '  yaml-syntax — no model [invalid]',
      'models (4)',
      '  inactive-model — gpt-3.5-turbo-0301 [inactive]',
      '  not-enabled — gpt-4.1 [not-enabled]',
      '  retiring — gpt-4o-2024-05-13 [retiring]',
      '  unknown-model — gpt-4oo [unknown]',
      'Clean — GPT-4o (general) [ok]',
      'dup-a — GPT-4o (general) [ok]',
      'dup-b — GPT-4o (general) [ok]',
      'hello — GPT-4o (general) [ok]',
    ]);
  });

  it('gives each prompt element its absolute file, for commands that take tree elements', () => {
    const { tree } = fixture();
    const clean = promptIn(tree, undefined, 'Clean');
    assert.equal(clean.file, path.join(FIXTURE_WORKSPACE, 'prompts', 'clean.md'));
    assert.equal(clean.parent, undefined);
    assert.equal(tree.parent(promptIn(tree, group(tree, 'models'), 'inactive-model'))?.label, 'models');
  });

  it('says what is wrong with each model: warning for inactive, error for unknown, missing and unreadable', () => {
    const { ws, tree } = fixture();
    const severity = (rel: string) => infoOf(tree, ws, rel).status.severity;
    assert.equal(severity('prompts/models/inactive-model.md'), 'warning');
    assert.equal(severity('prompts/models/not-enabled.md'), 'warning');
    assert.equal(severity('prompts/models/retiring.md'), 'warning');
    assert.equal(severity('prompts/models/unknown-model.md'), 'error');
    assert.equal(severity('prompts/format/missing-model.md'), 'error');
    assert.equal(severity('prompts/format/yaml-syntax.md'), 'error');
    assert.equal(severity('prompts/clean.md'), 'ok');
    assert.match(infoOf(tree, ws, 'prompts/models/unknown-model.md').status.message!, /Unknown model "gpt-4oo"/);
  });

  it('tooltips: the problem first, then price per 1M tokens and context window', () => {
    const { ws, tree } = fixture();
    const inactive = promptTooltip(infoOf(tree, ws, 'prompts/models/inactive-model.md'));
    assert.equal(inactive.problem?.severity, 'warning');
    assert.ok(inactive.problem?.message.startsWith(NO_LONGER_AVAILABLE), inactive.problem?.message);
    assert.equal(NO_LONGER_AVAILABLE, 'Model is no longer available');
    assert.equal(inactive.path, 'prompts/models/inactive-model.md');
    assert.deepEqual(inactive.model, [
      'gpt-3.5-turbo-0301 (openai)',
      '$1.50 / $2.00 per 1M tokens (input/output)',
      '4k tokens context window',
    ]);

    const clean = promptTooltip(infoOf(tree, ws, 'prompts/clean.md'));
    assert.equal(clean.problem, undefined);
    assert.equal(clean.title, 'Clean');
    assert.deepEqual(clean.model, [
      'GPT-4o (general): gpt-4o (openai)',
      '$2.50 / $10.00 per 1M tokens (input/output)',
      '128k tokens context window',
      'Recommended',
    ]);

    const missing = promptTooltip(infoOf(tree, ws, 'prompts/format/missing-model.md'));
    assert.equal(missing.problem?.severity, 'error');
    assert.deepEqual(missing.model, []);
  });

  it('groups by model: one group per catalog model (label or display name), unknown ones as written, "No model" last', () => {
    const { tree } = fixture();
    tree.setGrouping('model');
    const groups = tree
      .children()
      .map((g) => (g.kind === 'group' ? `${g.label} (${g.count}) ${g.status?.state}` : '?'));
    assert.deepEqual(groups, [
      'GPT-3.5 Turbo (0301) (1) inactive',
      'GPT-4.1 (1) not-enabled',
      'GPT-4o (2024-05-13) (1) retiring',
      'GPT-4o (general) (7) ok',
      'gpt-4oo (1) unknown',
      'No model (2) missing',
    ]);
    assert.deepEqual(outline(tree, group(tree, 'No model')), [
      'No model here — no model [missing]',
      'yaml-syntax — no model [invalid]',
    ]);
  });

  it("finds a model's group (Show Prompts Using This Model) only when grouping by model", () => {
    const { ws, tree } = fixture();
    assert.equal(tree.modelGroup(ws, 'openai/gpt-4o'), undefined);
    tree.setGrouping('model');
    assert.equal(tree.modelGroup(ws, 'openai/gpt-4o')?.label, 'GPT-4o (general)');
    assert.equal(tree.modelGroup(ws, 'openai/gpt-4o')?.count, 7);
  });

  it('groups by tag: a prompt under each of its tags, untagged ones last', () => {
    const ws = bigRepo(4, { 'prompts/none.md': '---\nmodel: gpt-4o\n---\nHi\n' });
    const tree = new PromptTreeModel(NOW);
    tree.setGrouping('tag');
    tree.update([ws]);
    assert.deepEqual(outline(tree), [
      'all (4)',
      '  Prompt 0 — gpt-4o-mini [ok]',
      '  Prompt 1 — GPT-4o (general) [ok]',
      '  Prompt 2 — gpt-4o-mini [ok]',
      '  Prompt 3 — GPT-4o (general) [ok]',
      't0 (2)',
      '  Prompt 0 — gpt-4o-mini [ok]',
      '  Prompt 2 — gpt-4o-mini [ok]',
      't1 (2)',
      '  Prompt 1 — GPT-4o (general) [ok]',
      '  Prompt 3 — GPT-4o (general) [ok]',
      'Untagged (1)',
      '  none — GPT-4o (general) [ok]',
    ]);
    const ids = new Set<string>();
    const walk = (n?: GroupNode) => {
      for (const c of tree.children(n)) {
        assert.ok(!ids.has(c.id), `duplicate id ${c.id}`);
        ids.add(c.id);
        if (c.kind === 'group') walk(c);
      }
    };
    walk();
  });

  it('sorts names with numbers naturally', () => {
    const ws = bigRepo(12);
    const tree = new PromptTreeModel(NOW);
    tree.update([ws]);
    const labels = tree.children(group(tree, 'team-0')).map((c) => (c.kind === 'prompt' ? c.info.label : c.label));
    assert.deepEqual(labels, ['Prompt 0', 'Prompt 3', 'Prompt 6', 'Prompt 9']);
  });

  it('builds children only for the nodes asked for', () => {
    const ws = bigRepo(30);
    const tree = new PromptTreeModel(NOW);
    tree.update([ws]);
    assert.equal(tree.childrenBuilt, 0);
    const top = tree.children();
    assert.equal(tree.childrenBuilt, 1);
    tree.children(top[0] as GroupNode);
    tree.children(top[0] as GroupNode);
    assert.equal(tree.childrenBuilt, 2, 'a second ask is served from the cache');
  });

  it('after one file changes, re-derives only that prompt and refreshes only its group', () => {
    const ws = bigRepo(60);
    const tree = new PromptTreeModel(NOW);
    tree.update([ws]);
    const ix = tree.index(ws)!;
    assert.equal(ix.derived, 60);
    const expanded = tree.children().filter((c): c is GroupNode => c.kind === 'group');
    for (const g of expanded) tree.children(g);
    const built = tree.childrenBuilt;
    const untouched = infoOf(tree, ws, 'prompts/team-1/p1.md');

    rewrite(ws, 'prompts/team-0/p3.md', '---\nname: Renamed\nmodel: gpt-4o\n---\nHi\n');
    const change = tree.update([ws]);
    assert.equal(ix.derived, 61, 'one prompt derived again');
    assert.equal(infoOf(tree, ws, 'prompts/team-1/p1.md'), untouched, 'the others keep their derived data');
    assert.deepEqual({ all: change.all, nodes: change.nodes.map(nameOf) }, { all: false, nodes: ['team-0'] });
    for (const g of expanded) tree.children(g);
    assert.equal(tree.childrenBuilt, built + 1, 'only team-0 rebuilt its children');
    assert.ok(outline(tree, expanded[0]).includes('Renamed — GPT-4o (general) [ok]'));

    assert.deepEqual(tree.update([ws]), { all: false, nodes: [] }, 'nothing changed, nothing to refresh');
    assert.equal(ix.derived, 61);
  });

  it('a prompt that changes but stays in place refreshes only its own row, with no child list rebuilt', () => {
    const ws = bigRepo(60);
    for (const grouping of ['folder', 'tag'] as const) {
      const tree = new PromptTreeModel(NOW);
      tree.setGrouping(grouping);
      tree.update([ws]);
      const groups = tree.children().filter((c): c is GroupNode => c.kind === 'group');
      for (const g of groups) tree.children(g);
      const byId = (a: PromptTreeNode, b: PromptTreeNode) => a.id.localeCompare(b.id);
      const rowsBefore = groups
        .flatMap((g) =>
          tree.children(g).filter((c): c is PromptNode => c.kind === 'prompt' && c.file.endsWith('p3.md')),
        )
        .sort(byId);
      const built = tree.childrenBuilt;
      const model = readFileModel(ws, 'prompts/team-0/p3.md') === 'gpt-4o' ? 'gpt-4o-mini' : 'gpt-4o';
      // Same name, same tags, another model: by folder and by tag it stays where it is.
      rewrite(ws, 'prompts/team-0/p3.md', `---\nname: Prompt 3\nmodel: ${model}\ntags: [t1, all]\n---\nChanged\n`);
      const change = tree.update([ws]);
      assert.equal(change.all, false, grouping);
      assert.deepEqual(
        change.nodes.map(nameOf),
        rowsBefore.map(() => 'row:Prompt 3'),
        grouping,
      );
      const refreshed = [...change.nodes].sort(byId);
      assert.equal(refreshed.length, grouping === 'tag' ? 2 : 1);
      refreshed.forEach((n, i) => assert.equal(n, rowsBefore[i], `${grouping}: the same row objects, refreshed`));
      assert.equal(
        (change.nodes[0] as PromptNode).info.description,
        model === 'gpt-4o' ? 'GPT-4o (general)' : 'gpt-4o-mini',
      );
      for (const g of groups) tree.children(g);
      assert.equal(tree.childrenBuilt, built, `${grouping}: no child list rebuilt`);
    }
  });

  it('moving a prompt to another model refreshes both model groups, and their counts', () => {
    const ws = bigRepo(6);
    const tree = new PromptTreeModel(NOW);
    tree.setGrouping('model');
    tree.update([ws]);
    const general = group(tree, 'GPT-4o (general)');
    const mini = group(tree, 'GPT-4o mini');
    assert.deepEqual([general.count, mini.count], [3, 3]);
    rewrite(ws, 'prompts/team-0/p0.md', '---\nname: Prompt 0\nmodel: gpt-4o\n---\n');
    const change = tree.update([ws]);
    assert.equal(change.all, false);
    assert.deepEqual(change.nodes.map(nameOf).sort(), ['GPT-4o (general)', 'GPT-4o mini']);
    assert.deepEqual([general.count, mini.count], [4, 2]);
    assert.equal(group(tree, 'GPT-4o (general)'), general, 'group elements stay the same objects');
  });

  it('a new group or an emptied one refreshes its parent; an emptied group disappears', () => {
    const ws = bigRepo(3);
    const tree = new PromptTreeModel(NOW);
    tree.update([ws]);
    rewrite(ws, 'prompts/team-0/deep/new.md', '---\nmodel: gpt-4o\n---\n');
    let change = tree.update([ws]);
    const team0 = group(tree, 'team-0');
    assert.deepEqual({ all: change.all, nodes: change.nodes.map(nameOf) }, { all: false, nodes: ['team-0'] });
    assert.deepEqual(outline(tree, team0), [
      'deep (1)',
      '  new — GPT-4o (general) [ok]',
      'Prompt 0 — gpt-4o-mini [ok]',
    ]);
    assert.equal(team0.count, 2);

    const deep = group(tree, 'deep', team0);
    fs.rmSync(path.join(ws.root, 'prompts/team-0/deep'), { recursive: true });
    ws.remove(path.join(ws.root, 'prompts/team-0/deep/new.md'));
    change = tree.update([ws]);
    assert.deepEqual(change.nodes.map(nameOf), ['team-0']);
    assert.deepEqual(tree.children(deep), [], 'a removed group has no children');
    assert.deepEqual(outline(tree, team0), ['Prompt 0 — gpt-4o-mini [ok]']);

    fs.rmSync(path.join(ws.root, 'prompts/team-0'), { recursive: true });
    ws.scan();
    change = tree.update([ws]);
    assert.equal(change.all, true, 'a top-level group went away: the whole view refreshes');
    assert.deepEqual(
      tree.children().map((c) => (c.kind === 'group' ? c.label : '')),
      ['team-1', 'team-2'],
    );
  });

  it('a config or catalog change re-derives everything (labels are config)', () => {
    const ws = bigRepo(4);
    const tree = new PromptTreeModel(NOW);
    tree.update([ws]);
    fs.writeFileSync(path.join(ws.root, 'prompt-registry.yaml'), 'models:\n  labels: { gpt-4o-mini: "Mini" }\n');
    ws.reloadConfig();
    const change = tree.update([ws]);
    assert.equal(change.all, true);
    assert.equal(tree.index(ws)!.derived, 8);
    assert.equal(infoOf(tree, ws, 'prompts/team-0/p0.md').description, 'Mini');
    assert.equal(infoOf(tree, ws, 'prompts/team-1/p1.md').description, 'gpt-4o');
  });

  it('with several workspaces, each is a top-level node', () => {
    const a = bigRepo(2);
    const b = bigRepo(1);
    const tree = new PromptTreeModel(NOW);
    tree.update([a, b]);
    const top = tree.children();
    assert.deepEqual(
      top.map((c) => (c.kind === 'group' ? `${c.groupKind} ${c.label}` : '')),
      [`workspace ${path.basename(a.root)}`, `workspace ${path.basename(b.root)}`],
    );
    assert.deepEqual(outline(tree, top[1] as GroupNode), ['team-0 (1)', '  Prompt 0 — gpt-4o-mini [ok]']);
    const p = tree.children(tree.children(top[1] as GroupNode)[0] as GroupNode)[0] as PromptTreeNode;
    assert.equal(p.ws, b);
    assert.equal(tree.update([a]).all, true, 'a folder closed: everything refreshes');
    assert.equal(tree.children()[0]?.kind, 'group');
    assert.equal((tree.children()[0] as GroupNode).groupKind, 'folder');
  });

  it('without a catalog, models are not checked and nothing is flagged', () => {
    const root = tmpDir();
    writeFiles(root, { 'prompts/a.md': '---\nmodel: whatever\n---\n' });
    const ws = new PromptWorkspace(root);
    ws.scan();
    const tree = new PromptTreeModel(NOW);
    tree.update([ws]);
    const info = infoOf(tree, ws, 'prompts/a.md');
    assert.equal(info.status.state, 'unchecked');
    assert.equal(info.status.severity, 'ok');
    assert.match(promptTooltip(info).note ?? '', /No model catalog/);
  });
});

describe('views: the Models view model', () => {
  it('rows by provider with label, marks, price, context window and usage; inactive last', () => {
    const { ws, tree } = fixture();
    const groups = modelGroups(ws.modelCatalog!, ws.settings, tree.index(ws)!.usage(), NOW());
    assert.deepEqual(
      groups.map((g) => g.provider),
      ['openai'],
    );
    assert.deepEqual(
      groups[0]!.models.map((m) => `${m.label} | ${m.description} | ${m.contextValue} | ${m.state}`),
      [
        'GPT-4.1 | disabled · $2.00 / $8.00 · 1.0M · 1 prompt | model used | disabled',
        'GPT-4o (general) | default · recommended · $2.50 / $10.00 · 128k · 7 prompts | model usable default used | ok',
        'GPT-4o (2024-05-13) | $5.00 / $15.00 · 128k · 1 prompt | model usable used | ok',
        'GPT-4o mini | fallback · $0.15 / $0.60 · 128k · no prompts | model usable | ok',
        'GPT-3.5 Turbo (0301) | no longer available · $1.50 / $2.00 · 4k · 1 prompt | model used | inactive',
      ],
    );
    const inactive = groups[0]!.models[4]!;
    assert.ok(inactive.tooltip[0]!.startsWith(NO_LONGER_AVAILABLE));
    assert.ok(inactive.tooltip.includes('$1.50 / $2.00 per 1M tokens (input/output)'));
  });

  it('the menus context value matches the patterns in package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    const when: string[] = pkg.contributes.menus['view/item/context']
      .filter((m: { command: string }) => m.command === 'promptRegistry.models.setDefault')
      .map((m: { when: string }) => m.when);
    const regexes = (w: string) =>
      [...w.matchAll(/viewItem =~ \/(.*?)\/(?= |$)/g)].map((m) => new RegExp(m[1]!.replace(/\\\\/g, '\\')));
    const inline = regexes(when[0]!);
    assert.ok(
      inline.every((r) => r.test('model usable used')),
      'inline Set as Default on a usable model that is not the default',
    );
    assert.ok(!inline.every((r) => r.test('model usable default used')), 'no inline Set as Default on the default');
    assert.ok(!inline.every((r) => r.test('model used')), 'no Set as Default on a disabled model');
  });

  it('Enable/Disable: edits the allowlist, or writes one of every other active model when there is none', () => {
    const catalog = catalogOf(model('a'), model('b'), model('c'), model('gone', { active: false }));
    const none = { promptGlobs: [], providers: [], labels: {}, refreshIntervalHours: 1 };
    let rows = modelRows(catalog, none);
    assert.deepEqual(toggledEnabledList(rows[1]!, rows, undefined), ['a', 'c']);
    const withList = { ...none, enabledModels: ['a', 'openai/b'] };
    rows = modelRows(catalog, withList);
    assert.deepEqual(
      toggledEnabledList(
        rows.find((r) => r.ref === 'b')!,
        rows,
        withList.enabledModels,
      ),
      ['a'],
      'any spelling of the model is removed',
    );
    assert.deepEqual(
      toggledEnabledList(
        rows.find((r) => r.ref === 'c')!,
        rows,
        withList.enabledModels,
      ),
      ['a', 'openai/b', 'c'],
    );
  });
});
