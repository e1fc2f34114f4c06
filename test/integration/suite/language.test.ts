// Quick fixes, completion and hover on prompt files in the real extension host, through the same
// commands VS Code's UI uses: vscode.executeCodeActionProvider, executeCompletionItemProvider and
// executeHoverProvider. Every fix must change only the value it is about (quotes, comments, CRLF,
// the body and unsaved text stay), be one undo step, and make its diagnostic go away.
//
// Each test undoes what it changes (unsaved edits are reverted in afterEach; files it writes are removed).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  keys,
  openEditor,
  ours,
  readWs,
  removeWs,
  replaceInDocument,
  revertAndCloseAll,
  waitFor,
  WAIT_MS,
  writeWs,
} from './helpers';

const PICK_MODEL = 'promptRegistry.changeModel';
const PICK_MODEL_FOR_FIELD = 'promptRegistry.language.pickModelForField';

function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return c === undefined ? '' : typeof c === 'object' ? String(c.value) : String(c);
}

/**
 * In a browser (code-server) VS Code's default files.autoSave is "afterDelay", which would save
 * the unsaved edits these tests make and then revert. Turns it off; returns the undo.
 */
async function autoSaveOff(): Promise<() => Promise<void>> {
  const files = vscode.workspace.getConfiguration('files');
  const before = files.inspect<string>('autoSave')?.globalValue;
  await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
  await waitFor('files.autoSave to be off', () => vscode.workspace.getConfiguration('files').get('autoSave') === 'off');
  return () =>
    Promise.resolve(
      vscode.workspace.getConfiguration('files').update('autoSave', before, vscode.ConfigurationTarget.Global),
    );
}

/** Opens `rel`, waits for our `code` diagnostic on it, and returns it with the document. */
async function diagnosticOn(
  rel: string,
  code: string,
  line?: number,
): Promise<{ doc: vscode.TextDocument; diag: vscode.Diagnostic }> {
  const { document: doc } = await openEditor(rel);
  const diag = await waitFor(`${code} on ${rel}`, () =>
    ours(rel).find((d) => codeOf(d) === code && (line === undefined || d.range.start.line === line)),
  );
  return { doc, diag };
}

/**
 * The quick fixes VS Code's light bulb would show at our diagnostic. The command hands back
 * title, kind, edit, command and isPreferred, but not an action's `diagnostics`; the provider sets
 * those, and VS Code only offers an action at a diagnostic's range when the provider returns it there.
 */
async function quickFixes(doc: vscode.TextDocument, diag: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const all =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  // Ours only: VS Code's built-in chat adds "Fix" and "Explain" to every diagnostic.
  return all.filter(
    (a): a is vscode.CodeAction =>
      'kind' in a && (!!a.edit || [PICK_MODEL, PICK_MODEL_FOR_FIELD].includes(a.command?.command ?? '')),
  );
}

function assertNative(actions: vscode.CodeAction[], code: string): void {
  assert.ok(actions.length > 0, `no quick fixes for ${code}`);
  for (const a of actions) {
    assert.ok(a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind), `${a.title}: kind ${a.kind?.value}`);
    assert.ok(a.edit || a.command, `${a.title}: neither edit nor command`);
  }
  assert.equal(
    actions.filter((a) => a.isPreferred).length,
    actions.some((a) => a.edit) ? 1 : 0,
    `exactly one preferred fix among ${actions.map((a) => a.title).join(', ')}`,
  );
}

function titles(actions: vscode.CodeAction[]): string[] {
  return actions.map((a) => `${a.isPreferred ? '* ' : ''}${a.title}`);
}

function byTitle(actions: vscode.CodeAction[], title: string): vscode.CodeAction {
  const a = actions.find((x) => x.title === title);
  assert.ok(a, `no "${title}" among ${JSON.stringify(titles(actions))}`);
  return a;
}

/** Applies a fix's edit, checks the exact text, that the diagnostic goes away, and that one undo restores the text. */
async function applyAndCheck(
  doc: vscode.TextDocument,
  action: vscode.CodeAction,
  expected: string,
  code: string,
  line: number,
): Promise<void> {
  const before = doc.getText();
  assert.ok(action.edit, `${action.title} has no edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit(${action.title}) failed`);
  assert.equal(doc.getText(), expected, `text after "${action.title}"`);
  await waitFor(
    `${code} on line ${line} to go away after "${action.title}"`,
    () => !ours(doc.uri).some((d) => codeOf(d) === code && d.range.start.line === line),
  );
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('undo');
  assert.equal(doc.getText(), before, `one undo restores the text before "${action.title}"`);
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function insertOf(item: vscode.CompletionItem): string {
  const t = item.insertText ?? labelOf(item);
  return typeof t === 'string' ? t : t.value;
}

function docOf(item: vscode.CompletionItem): string {
  const d = item.documentation;
  return d === undefined ? '' : typeof d === 'string' ? d : d.value;
}

async function complete(
  uri: vscode.Uri,
  position: vscode.Position,
  kind: vscode.CompletionItemKind,
  trigger?: string,
): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    position,
    trigger,
  );
  return list.items
    .filter((i) => i.kind === kind)
    .sort((a, b) => (a.sortText ?? labelOf(a)).localeCompare(b.sortText ?? labelOf(b)));
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<{ text: string; range?: vscode.Range }> {
  const hovers =
    (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  const mine = hovers.filter((h) => h.contents.length > 0);
  const text = mine.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n---\n');
  return { text, range: mine[0]?.range };
}

describe('language', function () {
  this.timeout(90_000);
  let restoreAutoSave: (() => Promise<void>) | undefined;

  before(async () => {
    restoreAutoSave = await autoSaveOff();
    await waitFor(
      'the fixture indexed',
      () => keys('prompts/models/unknown-model.md').length > 0 && keys('prompts/format/variables.md').length > 0,
    );
  });

  after(async () => {
    await revertAndCloseAll();
    await restoreAutoSave?.();
  });

  afterEach(async () => {
    await revertAndCloseAll();
  });

  describe('quick fixes are applied through vscode.executeCodeActionProvider', () => {
    it('unknown-model: the "did you mean" candidate (preferred) and Pick model…', async () => {
      const rel = 'prompts/models/unknown-model.md';
      const { doc, diag } = await diagnosticOn(rel, 'unknown-model');
      const actions = await quickFixes(doc, diag);
      assertNative(actions, 'unknown-model');
      assert.deepEqual(titles(actions)[0], '* Change to gpt-4o');
      const pick = byTitle(actions, 'Pick model…');
      assert.equal(pick.command?.command, PICK_MODEL);
      assert.equal((pick.command?.arguments?.[0] as vscode.Uri).fsPath, doc.uri.fsPath);
      await applyAndCheck(
        doc,
        byTitle(actions, 'Change to gpt-4o'),
        readWs(rel).replace('model: gpt-4oo\n', 'model: gpt-4o\n'),
        'unknown-model',
        1,
      );
    });

    it('inactive-model: Replace with… the closest usable models, the best preferred', async () => {
      const rel = 'prompts/models/inactive-model.md';
      const { doc, diag } = await diagnosticOn(rel, 'inactive-model');
      const actions = await quickFixes(doc, diag);
      assertNative(actions, 'inactive-model');
      // Enabled and active: gpt-4o, gpt-4o-mini (gpt-4o-2024-05-13 is retired, gpt-4.1 not enabled).
      assert.deepEqual(titles(actions), ['* Replace with gpt-4o', 'Replace with gpt-4o-mini', 'Pick model…']);
      await applyAndCheck(
        doc,
        actions[0]!,
        readWs(rel).replace('model: gpt-3.5-turbo-0301\n', 'model: gpt-4o\n'),
        'inactive-model',
        1,
      );
    });

    it('model-retiring: the same family first (gpt-4o for gpt-4o-2024-05-13)', async () => {
      const rel = 'prompts/models/retiring.md';
      const { doc, diag } = await diagnosticOn(rel, 'model-retiring');
      const actions = await quickFixes(doc, diag);
      assertNative(actions, 'model-retiring');
      assert.deepEqual(titles(actions), ['* Replace with gpt-4o', 'Replace with gpt-4o-mini', 'Pick model…']);
      await applyAndCheck(
        doc,
        actions[0]!,
        readWs(rel).replace('model: gpt-4o-2024-05-13\n', 'model: gpt-4o\n'),
        'model-retiring',
        1,
      );
    });

    it('missing-model: Use default model (gpt-4o) and Pick model…', async () => {
      const rel = 'prompts/format/missing-model.md';
      const { doc, diag } = await diagnosticOn(rel, 'missing-model');
      const actions = await quickFixes(doc, diag);
      assertNative(actions, 'missing-model');
      assert.deepEqual(titles(actions), ['* Use default model (gpt-4o)', 'Pick model…']);
      assert.equal(byTitle(actions, 'Pick model…').command?.command, PICK_MODEL);
      await applyAndCheck(
        doc,
        actions[0]!,
        readWs(rel).replace('name: No model here\n', 'name: No model here\nmodel: gpt-4o\n'),
        'missing-model',
        0,
      );
    });

    it('undeclared-variable: Declare input', async () => {
      const rel = 'prompts/format/variables.md';
      const { doc, diag } = await diagnosticOn(rel, 'undeclared-variable');
      const actions = await quickFixes(doc, diag);
      assertNative(actions, 'undeclared-variable');
      assert.deepEqual(titles(actions), ['* Declare input "missing"']);
      const expected = readWs(rel).replace(
        '  spare: { type: string }\n',
        '  spare: { type: string }\n  missing: {type: string}\n',
      );
      await applyAndCheck(doc, actions[0]!, expected, 'undeclared-variable', 6);
    });

    it('changes only the value: quotes, comments, CRLF, the body and unsaved text stay byte-for-byte', async () => {
      const rel = 'prompts/lang-crlf.md';
      const original =
        '---\r\n# keep this comment\r\nname:   "Quoted"   # spacing kept\r\nmodel: \'gpt-4oo\'   # typo\r\ntemperature: 0.3\r\n---\r\nBody stays {{x}}.\r\n\r\nuser:\r\nHello.\r\n';
      writeWs(rel, original);
      try {
        const { doc } = await diagnosticOn(rel, 'unknown-model');
        assert.equal(doc.getText(), original);
        // Unsaved text the fix must keep: a new line in the body, and a second undeclared variable.
        await replaceInDocument(doc, 'Hello.', 'Hello {{who}}, unsaved.');
        const diag = await waitFor('unknown-model on the edited text', () =>
          ours(rel).find((d) => codeOf(d) === 'unknown-model'),
        );
        const actions = await quickFixes(doc, diag);
        const expected = original
          .replace("model: 'gpt-4oo'   # typo", "model: 'gpt-4o'   # typo")
          .replace('Hello.', 'Hello {{who}}, unsaved.');
        await applyAndCheck(doc, byTitle(actions, 'Change to gpt-4o'), expected, 'unknown-model', 3);
        assert.ok(doc.isDirty, 'a quick fix does not save');

        // Two undeclared variables (one only in unsaved text): each alone, or both in one edit.
        const who = await waitFor('undeclared {{who}}', () =>
          ours(rel).find((d) => codeOf(d) === 'undeclared-variable' && d.range.start.line === 9),
        );
        const declare = await quickFixes(doc, who);
        assertNative(declare, 'undeclared-variable');
        assert.deepEqual(titles(declare), ['* Declare input "who"', 'Declare all 2 undeclared inputs']);
        const declared = doc
          .getText()
          .replace(
            'temperature: 0.3\r\n',
            'temperature: 0.3\r\ninputs:\r\n  x:\r\n    type: string\r\n  who:\r\n    type: string\r\n',
          );
        await applyAndCheck(doc, declare[1]!, declared, 'undeclared-variable', 9);
      } finally {
        await revertAndCloseAll();
        removeWs(rel);
      }
    });

    it('fallback_model: Replace with… edits that line only; Pick model… sets it through the picker', async () => {
      const rel = 'prompts/lang-fallback.md';
      const original = '---\nmodel: gpt-4o-mini\nfallback_model: gpt-3.5-turbo-0301 # old\n---\nBody\n';
      writeWs(rel, original);
      try {
        const { doc, diag } = await diagnosticOn(rel, 'inactive-model', 2);
        const actions = await quickFixes(doc, diag);
        assertNative(actions, 'inactive-model');
        assert.deepEqual(titles(actions), [
          '* Replace with gpt-4o',
          'Replace with gpt-4o-mini',
          'Pick model… (fallback_model)',
        ]);
        const pick = byTitle(actions, 'Pick model… (fallback_model)');
        assert.equal(pick.command?.command, PICK_MODEL_FOR_FIELD);
        assert.equal(pick.command?.arguments?.[1], 'fallback_model');
        await applyAndCheck(
          doc,
          actions[0]!,
          original.replace('fallback_model: gpt-3.5-turbo-0301', 'fallback_model: gpt-4o'),
          'inactive-model',
          2,
        );

        // The picker preselects the workspace default (the current model is no longer available); accept it.
        let settled = false;
        const done = Promise.resolve(
          vscode.commands.executeCommand<boolean>(pick.command!.command, ...pick.command!.arguments!),
        ).finally(() => (settled = true));
        const deadline = Date.now() + WAIT_MS;
        while (!settled && Date.now() < deadline) {
          await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(await done, true, 'the picker set a model');
        assert.equal(doc.getText(), original.replace('fallback_model: gpt-3.5-turbo-0301', 'fallback_model: gpt-4o'));
      } finally {
        await revertAndCloseAll();
        removeWs(rel);
      }
    });
  });

  describe('completion items (vscode.executeCompletionItemProvider)', () => {
    it('after "model:", catalog ids with prices in the detail, the default first', async () => {
      const rel = 'prompts/hello.md';
      const { document: doc } = await openEditor(rel);
      await replaceInDocument(doc, 'model: gpt-4o', 'model: ');
      const items = await complete(doc.uri, new vscode.Position(1, 7), vscode.CompletionItemKind.EnumMember, ' ');
      // Active models only; the default, then enabled ones, then those outside models.enabled.
      assert.deepEqual(items.map(labelOf), ['gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-mini', 'gpt-4.1']);
      const [def, retiring, , disabled] = items;
      assert.equal(def!.detail, '$2.50 / $10.00 per 1M in/out · 128k context · default · recommended');
      assert.equal(typeof def!.label === 'string' ? undefined : def!.label.description, 'GPT-4o (general)');
      assert.match(docOf(def!), /\| Provider \| openai \|/);
      assert.match(disabled!.detail ?? '', /^\$2\.00 \/ \$8\.00 per 1M in\/out · 1\.0M context · not enabled$/);
      assert.deepEqual(retiring!.tags, [vscode.CompletionItemTag.Deprecated], 'a retired model is struck through');
      assert.equal(insertOf(def!), 'gpt-4o');

      // Right after the colon (trigger ":"), the completion brings its own space.
      await replaceInDocument(doc, 'model: ', 'model:');
      const atColon = await complete(doc.uri, new vscode.Position(1, 6), vscode.CompletionItemKind.EnumMember, ':');
      assert.equal(insertOf(atColon[0]!), ' gpt-4o');
    });

    it('inside {{, the declared inputs', async () => {
      const rel = 'prompts/format/variables.md';
      const { document: doc } = await openEditor(rel);
      await replaceInDocument(doc, '{{missing}}', '{{}}');
      const line = doc.lineAt(6).text;
      const items = await complete(
        doc.uri,
        new vscode.Position(6, line.indexOf('{{}}') + 2),
        vscode.CompletionItemKind.Variable,
        '{',
      );
      assert.deepEqual(items.map(labelOf), ['used', 'spare']);
      assert.equal(items[0]!.detail, 'string · optional');
      assert.equal(insertOf(items[0]!), 'used', 'the tag is already closed');

      await replaceInDocument(doc, '{{}}.', '{{sp');
      const open = await complete(
        doc.uri,
        new vscode.Position(6, doc.lineAt(6).text.length),
        vscode.CompletionItemKind.Variable,
      );
      assert.equal(insertOf(open.find((i) => labelOf(i) === 'spare')!), 'spare}}', 'an open tag gets closed');
    });

    it("at a key position, the format's fields not yet written, with docs", async () => {
      const rel = 'prompts/clean.md';
      const { document: doc } = await openEditor(rel);
      await replaceInDocument(doc, 'temperature: 0.2\n', 'temperature: 0.2\nt\n');
      const items = await complete(doc.uri, new vscode.Position(4, 1), vscode.CompletionItemKind.Property);
      assert.deepEqual(items.map(labelOf).sort(), [
        'description',
        'fallback_model',
        'id',
        'max_tokens',
        'output',
        'tags',
        'top_p',
      ]);
      const tags = items.find((i) => labelOf(i) === 'tags')!;
      assert.equal(tags.detail, 'list of strings');
      assert.equal(insertOf(tags), 'tags: [$0]');
      assert.match(docOf(items.find((i) => labelOf(i) === 'fallback_model')!), /Tried once when the model fails/);
    });

    it('only in prompt files: a Markdown file outside the prompt globs gets nothing', async () => {
      const rel = 'notes-lang.md';
      writeWs(rel, '---\nmodel: \n---\nHello {{\n');
      try {
        const { document: doc } = await openEditor(rel);
        assert.deepEqual(await complete(doc.uri, new vscode.Position(1, 7), vscode.CompletionItemKind.EnumMember), []);
        assert.deepEqual(await complete(doc.uri, new vscode.Position(3, 8), vscode.CompletionItemKind.Variable), []);
      } finally {
        await revertAndCloseAll();
        removeWs(rel);
      }
    });

    it('in prompt-registry.yaml, catalog ids for defaultModel', async () => {
      const { document: doc } = await openEditor('prompt-registry.yaml');
      await replaceInDocument(doc, 'defaultModel: gpt-4o', 'defaultModel: ');
      const line = doc
        .getText()
        .split('\n')
        .findIndex((l) => l.startsWith('defaultModel:'));
      const items = await complete(
        doc.uri,
        new vscode.Position(line, 'defaultModel: '.length),
        vscode.CompletionItemKind.EnumMember,
      );
      // The default must be enabled and active.
      assert.deepEqual(items.map(labelOf).sort(), ['gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-mini']);
    });
  });

  describe('hover (vscode.executeHoverProvider)', () => {
    it('on the model: provider, prices, context window, status, first and last seen, deprecation date', async () => {
      const rel = 'prompts/models/retiring.md';
      const { document: doc } = await openEditor(rel);
      const { text, range } = await hoverText(doc.uri, new vscode.Position(1, 12));
      for (const line of [
        '| Provider | openai |',
        '| Price per 1M tokens (in / out) | $5.00 / $15.00 |',
        '| Context window | 128k tokens |',
        '| First seen | 2025-01-01 |',
        '| Last seen | 2026-01-10 |',
      ]) {
        assert.ok(text.includes(line), `hover lacks "${line}":\n${text}`);
      }
      // The launcher dates the retiring model 10 days ahead of the real clock (dateRetiringModel).
      assert.match(text, /\| Status \| Active · ⚠️ retires on \d{4}-\d{2}-\d{2} \(in (10|9) days\) \|/);
      assert.match(text, /\| Deprecation date \| \d{4}-\d{2}-\d{2} \(in (10|9) days\) \|/);
      assert.deepEqual(
        range && [range.start.line, range.start.character, range.end.line, range.end.character],
        [1, 7, 1, 24],
      );
    });

    it('on an unknown model, an input and a key', async () => {
      const unknown = await openEditor('prompts/models/unknown-model.md');
      assert.match(
        (await hoverText(unknown.document.uri, new vscode.Position(1, 9))).text,
        /\*\*Unknown model\*\* `gpt-4oo`: it is not in the model catalog\. Did you mean `gpt-4o`/,
      );
      const { document: doc } = await openEditor('prompts/format/variables.md');
      const line = doc.lineAt(6).text;
      assert.match(
        (await hoverText(doc.uri, new vscode.Position(6, line.indexOf('used') + 1))).text,
        /^\*\*`used`\*\* · string · optional/,
      );
      assert.match(
        (await hoverText(doc.uri, new vscode.Position(6, line.indexOf('missing') + 1))).text,
        /`\{\{missing\}\}` is not declared in `inputs`/,
      );
      assert.match(
        (await hoverText(doc.uri, new vscode.Position(2, 2))).text,
        /^\*\*`inputs`\*\* · map of name → input/,
      );
    });

    it('in prompt-registry.yaml, on defaultModel and a models.enabled entry', async () => {
      const { document: doc } = await openEditor('prompt-registry.yaml');
      const lines = doc.getText().split(/\r?\n/);
      const def = lines.findIndex((l) => l.startsWith('defaultModel:'));
      const { text, range } = await hoverText(doc.uri, new vscode.Position(def, 'defaultModel: '.length + 2));
      assert.match(text, /^\*\*GPT\\-4o \\\(general\\\)\*\* `gpt-4o`/);
      assert.match(text, /\| Status \| Active · recommended · ⭐ workspace default \|/);
      assert.deepEqual(range && [range.start.character, range.end.character], [14, 20]);
      const enabled = lines.findIndex((l) => l.includes('enabled: ['));
      const at = lines[enabled]!.indexOf('gpt-3.5-turbo-0301') + 3;
      assert.match((await hoverText(doc.uri, new vscode.Position(enabled, at))).text, /No longer available/);
    });
  });
});
