// The Prompts and Models views and the model status bar item, in the real extension host.
// Providers come from the extension's API (activate's return value).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptTreeNode, GroupNode, PromptNode } from '../../../src/core/views/promptTree';
import type { ModelStatusBar } from '../../../src/extension/statusBar';
import type { ModelNode, ModelsNode, ModelsProvider } from '../../../src/extension/views/modelsView';
import type { PromptsProvider } from '../../../src/extension/views/promptsView';
import type { ViewSync } from '../../../src/extension/views/viewSync';
import {
  EXTENSION_ID,
  keys,
  openEditor,
  readWs,
  removeWs,
  revertAndCloseAll,
  waitFor,
  writeWs,
  wsPath,
} from './helpers';

interface Api {
  views: {
    prompts: PromptsProvider;
    models: ModelsProvider;
    sync: ViewSync;
    promptsView: vscode.TreeView<PromptTreeNode>;
  };
  statusBar: ModelStatusBar;
}

const CONFIG = 'prompt-registry.yaml';

function api(): Api {
  const exports = vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api | undefined;
  assert.ok(exports?.views, 'the extension API has no views');
  return exports;
}

const prompts = () => api().views.prompts;
const models = () => api().views.models;

/** What a tree row shows, with the parts the tests compare. */
interface Row {
  label: string;
  description?: string;
  icon?: string;
  color?: string;
  tooltip: string;
  contextValue?: string;
}

function row(item: vscode.TreeItem): Row {
  const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined;
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const tooltip = item.tooltip instanceof vscode.MarkdownString ? plain(item.tooltip) : (item.tooltip ?? '');
  return {
    label,
    description: typeof item.description === 'string' ? item.description : undefined,
    icon: icon?.id,
    color: icon?.color?.id,
    tooltip,
    contextValue: item.contextValue,
  };
}

/** A Markdown tooltip's text with the escapes taken out, for matching. */
function plain(md: vscode.MarkdownString): string {
  return md.value.replace(/\\(.)/g, '$1');
}

/** The item as VS Code ends up with it on hover: getTreeItem, then resolveTreeItem (tooltips). */
function promptItem(n: PromptTreeNode): vscode.TreeItem {
  const item = prompts().getTreeItem(n);
  return prompts().resolveTreeItem(item, n);
}

function promptRows(parent?: GroupNode): Row[] {
  return prompts()
    .getChildren(parent)
    .map((n) => row(promptItem(n)));
}

function findGroup(label: string, parent?: GroupNode): GroupNode | undefined {
  return prompts()
    .getChildren(parent)
    .find((n): n is GroupNode => n.kind === 'group' && n.label === label);
}

function findPrompt(parent: GroupNode | undefined, label: string): PromptNode | undefined {
  return prompts()
    .getChildren(parent)
    .find((n): n is PromptNode => n.kind === 'prompt' && n.info.label === label);
}

/** Rows of the models view under the single provider "openai", keyed by label. */
function modelRowsByLabel(): Map<string, Row & { node: ModelNode }> {
  const out = new Map<string, Row & { node: ModelNode }>();
  for (const p of models().getChildren()) {
    for (const m of models().getChildren(p as ModelsNode)) {
      if (m.kind === 'model') out.set(m.item.label, { ...row(models().getTreeItem(m)), node: m });
    }
  }
  return out;
}

function modelNode(label: string): ModelNode {
  const r = modelRowsByLabel().get(label);
  assert.ok(r, `no model row "${label}" in ${[...modelRowsByLabel().keys()].join(', ')}`);
  return r.node;
}

describe('views', function () {
  this.timeout(60_000);
  let savedConfig: string;

  before(async () => {
    savedConfig = readWs(CONFIG);
    await vscode.commands.executeCommand('promptRegistry.prompts.groupByFolder');
    // The fixture as it is on disk, clean.md (gpt-4o on openai) checked clean, before any view is read.
    await waitFor(
      'the Prompts view to list the fixture prompts',
      () => findGroup('models') && findGroup('format') && keys('prompts/clean.md').length === 0,
    );
    // The views' model follows the registry on a debounce (what a person sees 100 ms later); the rows read below
    // come from the model directly, so apply what is pending rather than race it.
    api().views.sync.flush();
  });

  afterEach(async () => {
    await revertAndCloseAll();
    await vscode.commands.executeCommand('promptRegistry.prompts.groupByFolder');
  });

  after(async () => {
    if (readWs(CONFIG) !== savedConfig) writeWs(CONFIG, savedConfig);
    await waitFor('the default model to be gpt-4o again', () =>
      modelRowsByLabel().get('GPT-4o (general)')?.description?.startsWith('default'),
    );
  });

  it('the Prompts view groups by folder: folders first, then prompts by name, the model label as description', () => {
    const top = promptRows();
    assert.deepEqual(
      top.map((r) => [r.label, r.description]),
      [
        ['format', '5 prompts'],
        ['models', '4 prompts'],
        ['Clean', 'GPT-4o (general)'],
        ['dup-a', 'GPT-4o (general)'],
        ['dup-b', 'GPT-4o (general)'],
        ['hello', 'GPT-4o (general)'],
      ],
    );
    const clean = promptItem(findPrompt(undefined, 'Clean')!);
    assert.equal(clean.contextValue, 'prompt');
    assert.equal(clean.command?.command, 'vscode.open');
    assert.equal((clean.command?.arguments?.[0] as vscode.Uri).fsPath, findPrompt(undefined, 'Clean')!.file);
    assert.equal((clean.iconPath as vscode.ThemeIcon).id, 'comment-discussion');
    assert.match(row(clean).tooltip, /\$2\.50 \/ \$10\.00 per 1M tokens \(input\/output\)/);
    assert.match(row(clean).tooltip, /128k tokens context window/);
    assert.deepEqual(
      promptRows(findGroup('models')).map((r) => [r.label, r.description]),
      [
        ['inactive-model', 'gpt-3.5-turbo-0301'],
        ['not-enabled', 'gpt-4.1'],
        ['retiring', 'gpt-4o-2024-05-13'],
        ['unknown-model', 'gpt-4oo'],
      ],
    );
  });

  it('an inactive model gets a warning icon and the tooltip "Model is no longer available" with price and context window', () => {
    const r = row(promptItem(findPrompt(findGroup('models'), 'inactive-model')!));
    assert.equal(r.icon, 'warning');
    assert.equal(r.color, 'list.warningForeground');
    assert.match(r.tooltip, /Model is no longer available/);
    assert.match(r.tooltip, /\$1\.50 \/ \$2\.00 per 1M tokens \(input\/output\)/);
    assert.match(r.tooltip, /4k tokens context window/);
  });

  it('an unknown or missing model gets an error icon', () => {
    const unknown = row(promptItem(findPrompt(findGroup('models'), 'unknown-model')!));
    assert.deepEqual([unknown.icon, unknown.color], ['error', 'list.errorForeground']);
    assert.match(unknown.tooltip, /Unknown model/);
    const missing = row(promptItem(findPrompt(findGroup('format'), 'No model here')!));
    assert.deepEqual([missing.icon, missing.color, missing.description], ['error', 'list.errorForeground', 'no model']);
  });

  it('the title-bar toggle groups by model, then by tag, then by folder again', async () => {
    await vscode.commands.executeCommand('promptRegistry.prompts.groupByModel');
    assert.equal(api().views.sync.grouping, 'model');
    assert.deepEqual(
      promptRows().map((r) => [r.label, r.description, r.icon]),
      [
        ['GPT-3.5 Turbo (0301)', 'gpt-3.5-turbo-0301 · 1 prompt', 'warning'],
        ['GPT-4.1', 'gpt-4.1 · 1 prompt', 'warning'],
        ['GPT-4o (2024-05-13)', 'gpt-4o-2024-05-13 · 1 prompt', 'warning'],
        ['GPT-4o (general)', 'gpt-4o · 7 prompts', 'symbol-enum'],
        ['gpt-4oo', '1 prompt', 'error'],
        ['No model', '2 prompts', 'error'],
      ],
    );
    assert.equal(api().views.promptsView.description, 'by model');
    await vscode.commands.executeCommand('promptRegistry.prompts.groupByTag');
    assert.deepEqual(
      promptRows().map((r) => [r.label, r.description]),
      [['Untagged', '13 prompts']],
    );
    await vscode.commands.executeCommand('promptRegistry.prompts.groupByFolder');
    assert.equal(promptRows()[0]?.label, 'format');
  });

  it('the view follows files changed on disk: added, edited, deleted', async () => {
    const rel = 'prompts/models/fresh.md';
    try {
      writeWs(rel, '---\nname: Fresh\nmodel: gpt-4o-mini\n---\nHi\n');
      const added = await waitFor('Fresh in the models folder', () => {
        const n = findGroup('models') && findPrompt(findGroup('models'), 'Fresh');
        return n && row(promptItem(n));
      });
      assert.deepEqual([added.description, added.icon], ['gpt-4o-mini', 'comment-discussion']);
      assert.equal(findGroup('models')!.count, 5);
      await waitFor('GPT-4o mini used by 1 prompt in the Models view', () =>
        modelRowsByLabel().get('GPT-4o mini')?.description?.includes('1 prompt'),
      );

      writeWs(rel, '---\nname: Fresh\nmodel: gpt-4oo\n---\nHi\n');
      const edited = await waitFor('Fresh flagged as unknown', () => {
        const n = findPrompt(findGroup('models'), 'Fresh');
        const r = n && row(promptItem(n));
        return r?.icon === 'error' ? r : undefined;
      });
      assert.equal(edited.description, 'gpt-4oo');
    } finally {
      removeWs(rel);
    }
    await waitFor('Fresh gone', () => !findPrompt(findGroup('models'), 'Fresh') && findGroup('models')?.count === 4);
  });

  it('the view follows config changes (labels)', async () => {
    writeWs(CONFIG, savedConfig.replace('gpt-4o: "GPT-4o (general)"', 'gpt-4o: "Omni"'));
    await waitFor(
      'Clean described as Omni',
      () => promptRows().find((r) => r.label === 'Clean')?.description === 'Omni',
    );
    writeWs(CONFIG, savedConfig);
    await waitFor(
      'Clean described as GPT-4o (general) again',
      () => promptRows().find((r) => r.label === 'Clean')?.description === 'GPT-4o (general)',
    );
  });

  it('the Models view: by provider, with ⭐ default, fallback, disabled, no longer available, usage counts and menu context', () => {
    const providers = models().getChildren();
    assert.deepEqual(
      providers.map((p) => row(models().getTreeItem(p)).label),
      ['openai'],
    );
    assert.deepEqual(
      [...modelRowsByLabel().values()].map((r) => [r.label, r.description, r.contextValue, r.icon]),
      [
        ['GPT-4.1', 'disabled · $2.00 / $8.00 · 1.0M · 1 prompt', 'model used', 'circle-slash'],
        [
          'GPT-4o (general)',
          'default · recommended · $2.50 / $10.00 · 128k · 7 prompts',
          'model usable default used',
          'star-full',
        ],
        ['GPT-4o (2024-05-13)', '$5.00 / $15.00 · 128k · 1 prompt', 'model usable used', 'symbol-enum'],
        ['GPT-4o mini', 'fallback · $0.15 / $0.60 · 128k · no prompts', 'model usable', 'symbol-enum'],
        ['GPT-3.5 Turbo (0301)', 'no longer available · $1.50 / $2.00 · 4k · 1 prompt', 'model used', 'warning'],
      ],
    );
    assert.match(modelRowsByLabel().get('GPT-3.5 Turbo (0301)')!.tooltip, /Model is no longer available/);
  });

  it('Set as Default writes defaultModel in prompt-registry.yaml, keeping comments; the view moves the ⭐', async () => {
    assert.equal(
      await vscode.commands.executeCommand('promptRegistry.models.setDefault', modelNode('GPT-4o mini')),
      true,
    );
    const after = readWs(CONFIG);
    assert.equal(after, savedConfig.replace('defaultModel: gpt-4o\n', 'defaultModel: gpt-4o-mini\n'));
    await waitFor('⭐ on GPT-4o mini', () =>
      modelRowsByLabel().get('GPT-4o mini')?.description?.startsWith('default · fallback'),
    );
    assert.equal(modelRowsByLabel().get('GPT-4o mini')!.contextValue, 'model usable default');
    writeWs(CONFIG, savedConfig);
    await waitFor('⭐ back on GPT-4o', () =>
      modelRowsByLabel().get('GPT-4o (general)')?.description?.startsWith('default'),
    );
  });

  it('Enable/Disable takes a model out of models.enabled and puts it back', async () => {
    assert.equal(
      await vscode.commands.executeCommand('promptRegistry.models.toggleEnabled', modelNode('GPT-4o (2024-05-13)')),
      true,
    );
    const otherLines = (t: string) => t.replace(/enabled: \[.*\]/, 'enabled: …');
    assert.equal(otherLines(readWs(CONFIG)), otherLines(savedConfig), 'only the list changed');
    assert.deepEqual(enabledList(), ['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo-0301']);
    await waitFor('GPT-4o (2024-05-13) shown disabled', () =>
      modelRowsByLabel().get('GPT-4o (2024-05-13)')?.description?.startsWith('disabled'),
    );
    assert.equal(modelRowsByLabel().get('GPT-4o (2024-05-13)')!.contextValue, 'model used');

    assert.equal(
      await vscode.commands.executeCommand('promptRegistry.models.toggleEnabled', modelNode('GPT-4o (2024-05-13)')),
      true,
    );
    assert.deepEqual(enabledList(), ['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo-0301', 'gpt-4o-2024-05-13']);
    await waitFor(
      'GPT-4o (2024-05-13) enabled again',
      () => modelRowsByLabel().get('GPT-4o (2024-05-13)')?.contextValue === 'model usable used',
    );
    assert.match(readWs(CONFIG), /# No automatic model refresh while tests run/);
    writeWs(CONFIG, savedConfig);
  });

  it("Show Prompts Using This Model groups by model and reveals that model's group", async () => {
    await vscode.commands.executeCommand('workbench.view.extension.promptRegistry');
    await vscode.commands.executeCommand('promptRegistry.models.showPrompts', modelNode('GPT-4o (general)'));
    assert.equal(api().views.sync.grouping, 'model');
    const selected = await waitFor('the GPT-4o group selected', () => {
      const s = api().views.promptsView.selection[0];
      return s?.kind === 'group' ? s : undefined;
    });
    assert.equal(selected.label, 'GPT-4o (general)');
    assert.equal(selected.count, 7);
  });

  it('Replace This Model in All Prompts moves every prompt on the model to the target, through assignModel', async () => {
    const rel = 'prompts/models/retiring.md';
    const before = readWs(rel);
    try {
      const result = await vscode.commands.executeCommand<{ updated: number; failed: unknown[] }>(
        'promptRegistry.models.replaceEverywhere',
        modelNode('GPT-4o (2024-05-13)'),
        { target: 'gpt-4o-mini', confirm: false },
      );
      assert.ok(result, 'the replace was not applied (is promptRegistry.assignModel registered?)');
      assert.equal(result.updated, 1);
      assert.deepEqual(result.failed, []);
      assert.equal(readWs(rel), before.replace('model: gpt-4o-2024-05-13', 'model: gpt-4o-mini'));
      await waitFor(
        'the Models view counts the moved prompt',
        () =>
          modelRowsByLabel().get('GPT-4o mini')?.description?.includes('1 prompt') &&
          modelRowsByLabel().get('GPT-4o (2024-05-13)')?.description?.includes('no prompts'),
      );
    } finally {
      await revertAndCloseAll();
      writeWs(rel, before);
    }
    await waitFor('retiring.md back on its model', () =>
      modelRowsByLabel().get('GPT-4o (2024-05-13)')?.description?.includes('1 prompt'),
    );
  });

  // No hook shows whether the quick pick opened (the picker is tested through assign.test.ts), so this checks what a
  // click runs: Change Model on the prompt shown, not on whichever editor is active when it runs.
  it("the status bar shows the active prompt's model and price, warns on a problem, and a click runs Change Model on that prompt", async () => {
    const bar = api().statusBar;
    await openEditor('prompts/clean.md');
    await waitFor('the status bar on clean.md', () => bar.shown && bar.item.text.includes('GPT-4o'));
    assert.equal(bar.item.text, '$(symbol-enum) GPT-4o (general) · $2.50 / $10.00');
    assert.equal(bar.item.backgroundColor, undefined);
    const click = () => (typeof bar.item.command === 'object' ? bar.item.command : undefined);
    const target = () => (click()?.arguments?.[0] as vscode.Uri | undefined)?.fsPath;
    assert.equal(click()?.command, 'promptRegistry.changeModel');
    assert.equal(target(), wsPath('prompts/clean.md'));

    await openEditor('prompts/models/inactive-model.md');
    await waitFor('the status bar on inactive-model.md', () => bar.item.text.includes('gpt-3.5'));
    assert.equal(bar.item.text, '$(warning) gpt-3.5-turbo-0301 · $1.50 / $2.00');
    assert.equal((bar.item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.warningBackground');
    assert.match(plain(bar.item.tooltip as vscode.MarkdownString), /Model is no longer available/);
    assert.deepEqual(
      [click()?.command, target()],
      ['promptRegistry.changeModel', wsPath('prompts/models/inactive-model.md')],
    );

    await openEditor('prompts/models/unknown-model.md');
    await waitFor('the status bar on unknown-model.md', () => bar.item.text.includes('gpt-4oo'));
    assert.equal((bar.item.backgroundColor as vscode.ThemeColor | undefined)?.id, 'statusBarItem.errorBackground');

    await openEditor(CONFIG);
    await waitFor('the status bar hidden on a file that is not a prompt', () => !bar.shown);
  });
});

function enabledList(): string[] {
  const m = readWs(CONFIG).match(/enabled: \[(.*)\]/);
  assert.ok(m, 'no flow list for models.enabled');
  return m[1]!.split(',').map((s) => s.trim());
}
