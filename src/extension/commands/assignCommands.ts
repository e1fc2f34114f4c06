import * as path from 'node:path';
import * as vscode from 'vscode';
import { summaryLine, targetProblem } from '../../core/assign/assign';
import { describeCostChange, estimateCostChange } from '../../core/catalog/cost';
import { resolveModel } from '../../core/catalog/lookup';
import type { ParsedPrompt } from '../../core/prompt/types';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { assignInEditor, type BulkResult } from '../bulkEdit';
import type { CatalogSync } from '../catalogSync';
import type { DisposableStore } from '../lifecycle';
import { pickModel } from '../modelPicker';
import type { Notifier } from '../notifier';
import { pickWorkspace } from '../pickWorkspace';
import type { WorkspaceRegistry } from '../workspaces';
import { plural } from '../../core/text/plural';

export interface AssignArgs {
  files: string[];
  model: string;
  /** Ask before applying (count and cost). Default true. */
  confirm?: boolean;
}

/** Change Model…, Assign Model to Prompts…, Set Default Model on Prompts Without One. */
export function registerAssignCommands(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  sync: CatalogSync,
  log: vscode.LogOutputChannel,
  notifier: Notifier,
): void {
  // Drives the editor-title "Change Model…" button; set only when it flips, as this runs on every change.
  let lastIsPrompt: boolean | undefined;
  const setPromptContext = (editor: vscode.TextEditor | undefined) => {
    const isPrompt = !!registry.promptFileAt(editor?.document.uri);
    if (isPrompt === lastIsPrompt) return;
    lastIsPrompt = isPrompt;
    void vscode.commands.executeCommand('setContext', 'promptRegistry.isPromptFile', isPrompt);
  };

  const run = async (
    ws: PromptWorkspace,
    prompts: ParsedPrompt[],
    model: string,
    confirm: boolean,
    title: string,
  ): Promise<BulkResult | undefined> => {
    const problem = targetProblem(model, ws.modelCatalog, ws.settings);
    if (problem) {
      void notifier.error(`Cannot assign ${model}: ${problem}.`);
      return undefined;
    }
    if (confirm && prompts.length > 1) {
      const catalog = ws.modelCatalog;
      const target = catalog ? resolveModel(model, catalog) : undefined;
      const cost =
        catalog && target?.kind === 'found'
          ? describeCostChange(estimateCostChange(prompts, target.model, catalog))
          : 'cost change unknown (no catalog)';
      const go = await notifier.ask(
        `${title}: set ${model} on ${prompts.length} prompts?`,
        `Estimated cost: ${cost}.\nThis is one edit: a single undo reverts it.`,
        ['Assign'],
      );
      if (go !== 'Assign') return undefined;
    }
    const result = await assignInEditor(
      prompts.map((p) => p.file!),
      model,
    );
    report(ws, model, result, log, notifier);
    return result;
  };

  store.add(
    vscode.Disposable.from(
      vscode.window.onDidChangeActiveTextEditor((e) => setPromptContext(e)),
      registry.onDidChange(() => setPromptContext(vscode.window.activeTextEditor)),

      vscode.commands.registerCommand('promptRegistry.changeModel', async (arg?: unknown, selection?: unknown[]) => {
        const active = registry.promptFileAt(vscode.window.activeTextEditor?.document.uri)?.file;
        const files = filesFromArgs(arg, selection) ?? (active ? [active] : undefined);
        if (!files?.length) {
          void notifier.info('Change Model works on a prompt file: open one, or select prompts in the Prompts view.');
          return;
        }
        const ws = registry.forFile(files[0]!);
        if (!ws) return;
        const prompts = files.map((f) => ws.get(f)).filter((p): p is ParsedPrompt => !!p);
        const current = prompts.length === 1 ? prompts[0]!.model : undefined;
        const picked = await pickModel(ws, {
          title:
            prompts.length === 1
              ? `Change Model: ${prompts[0]!.name ?? prompts[0]!.id}`
              : `Change Model of ${prompts.length} prompts`,
          current,
          refresh: () => sync.refresh(ws, { manual: true }),
        });
        if (!picked) return;
        return run(ws, prompts, picked.ref, true, 'Change Model');
      }),

      vscode.commands.registerCommand('promptRegistry.assignModel', async (arg?: unknown, selection?: unknown[]) => {
        if (isAssignArgs(arg)) {
          const ws = arg.files.length ? registry.forFile(arg.files[0]!) : await pickWorkspace(registry);
          if (!ws) return undefined;
          const prompts = arg.files.map(
            (f) =>
              ws.get(f) ?? ({ file: f, id: path.basename(f), params: {}, messages: [] } as unknown as ParsedPrompt),
          );
          return run(ws, prompts, arg.model, arg.confirm ?? true, 'Assign Model');
        }
        const fromTree = filesFromArgs(arg, selection);
        const ws = fromTree?.length ? registry.forFile(fromTree[0]!) : await pickWorkspace(registry);
        if (!ws) return undefined;
        const prompts = fromTree?.length
          ? fromTree.map((f) => ws.get(f)).filter((p): p is ParsedPrompt => !!p)
          : await choosePrompts(ws);
        if (!prompts?.length) return undefined;
        const picked = await pickModel(ws, {
          title: `Assign a model to ${plural(prompts.length, 'prompt')}`,
          refresh: () => sync.refresh(ws, { manual: true }),
        });
        if (!picked) return undefined;
        return run(ws, prompts, picked.ref, true, 'Assign Model');
      }),

      vscode.commands.registerCommand('promptRegistry.backfillModels', async () => {
        const ws = await pickWorkspace(registry);
        if (!ws) return undefined;
        const model = ws.settings.defaultModel;
        if (!model) {
          const choice = await notifier.warn(
            'There is no default model (defaultModel in prompt-registry.yaml, or LLM_MODEL).',
            'Set Default Model',
          );
          if (choice) await vscode.commands.executeCommand('promptRegistry.setDefaultModel');
          return undefined;
        }
        const missing = ws.prompts().filter((p) => !p.model && !p.diagnostics.some((d) => d.code === 'yaml-syntax'));
        if (!missing.length) {
          void notifier.info('Every prompt already has a model.');
          return { updated: 0, unchanged: 0, failed: [] };
        }
        const go = await notifier.ask(
          `Set ${model} on ${plural(missing.length, 'prompt')} without a model?`,
          missing
            .slice(0, 10)
            .map((p) => ws.files.relative(p.file!))
            .join('\n') + (missing.length > 10 ? `\n… and ${missing.length - 10} more` : ''),
          ['Set Model'],
        );
        if (go !== 'Set Model') return undefined;
        return run(ws, missing, model, false, 'Backfill');
      }),
    ),
  );
}

function report(
  ws: PromptWorkspace,
  model: string,
  r: BulkResult,
  log: vscode.LogOutputChannel,
  notifier: Notifier,
): void {
  const line = summaryLine({ updated: r.updated, unchanged: r.unchanged, failed: r.failed.length });
  log.info(`Assigned ${model}: ${line}`);
  for (const f of r.failed) log.warn(`  failed ${ws.files.relative(f.file) ?? f.file}: ${f.reason}`);
  if (r.failed.length) {
    void notifier
      .warn(
        `${line}. ${r.failed
          .map((f) => `${path.basename(f.file)}: ${f.reason}`)
          .slice(0, 3)
          .join('; ')}`,
        'Show Log',
      )
      .then((c) => c && log.show(true));
  } else {
    void notifier.info(`Model ${model}: ${line}.`);
  }
}

/** Multi-select of prompts, filterable by current model, tag and folder (all are searchable text). */
async function choosePrompts(ws: PromptWorkspace): Promise<ParsedPrompt[] | undefined> {
  const prompts = [...ws.prompts()].sort((a, b) => a.file!.localeCompare(b.file!));
  const models = [...new Set(prompts.map((p) => p.model ?? '(no model)'))].sort();
  const tags = [...new Set(prompts.flatMap((p) => p.tags))].sort();
  const folders = [...new Set(prompts.map((p) => path.dirname(ws.files.relative(p.file!) ?? p.file!)))].sort();
  type By = {
    label: string;
    description?: string;
    kind?: vscode.QuickPickItemKind;
    filter?: (p: ParsedPrompt) => boolean;
  };
  const by: By[] = [
    { label: '$(checklist) Choose prompts one by one', filter: () => false },
    { label: 'current model', kind: vscode.QuickPickItemKind.Separator },
    ...models.map((m) => ({
      label: `$(symbol-enum) ${m}`,
      description: `${prompts.filter((p) => (p.model ?? '(no model)') === m).length} prompts`,
      filter: (p: ParsedPrompt) => (p.model ?? '(no model)') === m,
    })),
    ...(tags.length ? [{ label: 'tag', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...tags.map((t) => ({
      label: `$(tag) ${t}`,
      description: `${prompts.filter((p) => p.tags.includes(t)).length} prompts`,
      filter: (p: ParsedPrompt) => p.tags.includes(t),
    })),
    { label: 'folder', kind: vscode.QuickPickItemKind.Separator },
    ...folders.map((f) => ({
      label: `$(folder) ${f}`,
      filter: (p: ParsedPrompt) =>
        path.dirname(ws.files.relative(p.file!) ?? '') === f || (ws.files.relative(p.file!) ?? '').startsWith(`${f}/`),
    })),
  ];
  const start = await vscode.window.showQuickPick(by, {
    title: 'Assign Model: which prompts? (pre-selects them; adjust on the next step)',
    matchOnDescription: true,
  });
  if (!start?.filter) return undefined;
  const items = prompts.map((p) => ({
    label: p.name ?? p.id,
    description: [p.model ?? 'no model', ...p.tags.map((t) => `#${t}`)].join(' · '),
    detail: ws.files.relative(p.file!),
    picked: start.filter!(p),
    prompt: p,
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Assign Model: select prompts (type a model, #tag or folder to filter)',
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
  return chosen?.map((c) => c.prompt);
}

function isAssignArgs(v: unknown): v is AssignArgs {
  return (
    !!v &&
    typeof v === 'object' &&
    Array.isArray((v as AssignArgs).files) &&
    typeof (v as AssignArgs).model === 'string'
  );
}

/** Files from a command's arguments: tree elements (with `file`), Uris, or the tree's multi-selection. */
function filesFromArgs(arg: unknown, selection?: unknown[]): string[] | undefined {
  const one = (v: unknown): string | undefined => {
    if (v instanceof vscode.Uri) return v.scheme === 'file' ? v.fsPath : undefined;
    if (v && typeof v === 'object') {
      const o = v as { file?: unknown; resourceUri?: unknown };
      if (typeof o.file === 'string') return o.file;
      if (o.resourceUri instanceof vscode.Uri) return o.resourceUri.fsPath;
    }
    return undefined;
  };
  const list = (selection?.length ? selection : arg !== undefined ? [arg] : [])
    .map(one)
    .filter((f): f is string => !!f);
  return list.length ? [...new Set(list)] : undefined;
}
