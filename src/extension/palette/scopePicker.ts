import * as path from 'node:path';
import * as vscode from 'vscode';
import { projectOf, type Project } from '../../core/app/project';
import { describeScope, idsForScopes, scopeChoices, type SuiteScope } from '../../core/app/suiteScope';
import { changedSince, GitError } from '../../core/git/changedFiles';
import { refChoices, type RefChoices } from '../../core/git/refs';
import { plural } from '../../core/text/plural';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import type { Notifier } from '../notifier';
import { quickPicks } from '../quickPicks';
import type { WorkspaceRegistry } from '../workspaces';

const REMEMBERED = 'promptRegistry.palette.lastScopes';

/** The last "Run Tests…" choice; a file scope is not kept (the next run starts from another editor). */
interface Remembered {
  scopes: SuiteScope[];
  onModel: boolean;
}

interface ScopeItem extends vscode.QuickPickItem {
  scope?: SuiteScope;
  onModel?: true;
}

export interface ScopeChoice {
  project: Project;
  scopes: SuiteScope[];
  /** Test item ids to run: suite files, and single failed cases. */
  ids: string[];
  /** "Run on model…" was checked (the caller asks which model). */
  onModel: boolean;
  /** "changed since main, tag support". */
  words: string;
}

/**
 * The suite picker of "Run Tests…" and "Compare Models…": any of all suites, the active file's, changed since a
 * ref, a tag, a folder, or what failed last time, with the last choice checked. Undefined when dismissed, or when
 * nothing matches (the user is told which choice matched nothing).
 */
export async function pickScopes(
  ws: PromptWorkspace,
  registry: WorkspaceRegistry,
  state: vscode.Memento,
  notifier: Notifier,
  opts: { title: string; failed: string[]; allowModel: boolean },
): Promise<ScopeChoice | undefined> {
  const suites = registry.suitesOf(ws);
  if (!suites) return undefined;
  const project = projectOf(ws, suites);
  const all = idsForScopes(project, [{ kind: 'all' }]);
  if (!all.length) {
    void notifier.info(
      'Prompt Registry: this workspace has no test suites yet (add a <prompt>.suite.yaml next to a prompt).',
    );
    return undefined;
  }
  const refs = await refChoices(ws.root).catch((e: unknown) => {
    if (e instanceof GitError) return undefined; // not a repository: no "changed since"
    throw e;
  });
  const remembered = state.get<Remembered>(REMEMBERED);
  const items = scopeItems(project, registry, refs, opts);
  const same = (a: SuiteScope, b: SuiteScope) =>
    a.kind === b.kind && JSON.stringify({ ...a, ref: undefined }) === JSON.stringify({ ...b, ref: undefined });
  const picked = await quickPicks.pick(items, {
    title: opts.title,
    placeholder: 'Enter runs the highlighted choice; check several to run them together',
    canPickMany: true,
    checked: (i) =>
      (!!i.scope && !!remembered?.scopes.some((r) => same(r, i.scope!))) || (!!i.onModel && !!remembered?.onModel),
    active: (i) => !!i.scope,
  });
  if (!picked) return undefined;
  let scopes = picked.flatMap((i) => (i.scope ? [i.scope] : []));
  const onModel = picked.some((i) => i.onModel);
  if (!scopes.length) scopes = [{ kind: 'all' }]; // only "Run on model…" was checked
  const changed = new Map<string, ReadonlySet<string>>();
  for (const [i, s] of scopes.entries()) {
    if (s.kind !== 'changed') continue;
    const last = remembered?.scopes.find((r) => r.kind === 'changed');
    const ref = await pickRef(refs!, last?.kind === 'changed' ? last.ref : undefined);
    if (!ref) return undefined;
    try {
      changed.set(ref, await changedSince(ws.root, ref));
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      void notifier.error(`Run Tests: cannot compare with "${ref}": ${e.message}.`);
      return undefined;
    }
    scopes[i] = { kind: 'changed', ref };
  }
  await state.update(REMEMBERED, { scopes: scopes.filter((s) => s.kind !== 'file'), onModel } satisfies Remembered);
  const words = scopes.map((s) => describeScope(s, project.relative)).join(', ');
  const ids = idsForScopes(project, scopes, { changed, failed: opts.failed });
  if (!ids.length) {
    void notifier.info(`Prompt Registry: no suites to run (${words}).`);
    return undefined;
  }
  return { project, scopes, ids, onModel, words };
}

function scopeItems(
  project: Project,
  registry: WorkspaceRegistry,
  refs: RefChoices | undefined,
  opts: { failed: string[]; allowModel: boolean },
): ScopeItem[] {
  const count = (scope: SuiteScope) => plural(idsForScopes(project, [scope]).length, 'suite');
  const items: ScopeItem[] = [
    { label: '$(checklist) All suites', description: count({ kind: 'all' }), scope: { kind: 'all' } },
  ];
  const active = vscode.window.activeTextEditor?.document.uri;
  const file = active?.scheme === 'file' ? active.fsPath : undefined;
  if (file && registry.forFile(file)?.root === project.root) {
    const scope: SuiteScope = { kind: 'file', file };
    const n = idsForScopes(project, [scope]).length;
    if (n) items.push({ label: `$(file) Suites of ${path.basename(file)}`, description: plural(n, 'suite'), scope });
  }
  if (refs)
    items.push({
      label: '$(git-compare) Changed since a git ref…',
      description: refs.defaultRef ? `e.g. ${refs.defaultRef}` : undefined,
      scope: { kind: 'changed', ref: refs.defaultRef ?? 'HEAD' },
    });
  if (opts.failed.length)
    items.push({
      label: '$(error) Failed last time',
      description: plural(opts.failed.length, 'case'),
      scope: { kind: 'failed' },
    });
  const { tags, folders } = scopeChoices(project);
  for (const tag of tags)
    items.push({ label: `$(tag) Tag: ${tag}`, description: count({ kind: 'tag', tag }), scope: { kind: 'tag', tag } });
  for (const folder of folders)
    items.push({
      label: `$(folder) Folder: ${folder}`,
      description: count({ kind: 'folder', folder }),
      scope: { kind: 'folder', folder },
    });
  if (opts.allowModel)
    items.push(
      { label: 'Options', kind: vscode.QuickPickItemKind.Separator },
      { label: '$(symbol-misc) Run on model…', description: 'every case on one model you pick', onModel: true },
    );
  return items;
}

interface RefItem extends vscode.QuickPickItem {
  ref?: string;
}

/** Branches and tags, the upstream (or main) first, the last ref used next; "Another ref…" takes a commit or HEAD~3. */
async function pickRef(refs: RefChoices, last: string | undefined): Promise<string | undefined> {
  const first = [refs.defaultRef, last].filter((r, i, a): r is string => !!r && a.indexOf(r) === i);
  const kinds: [string[], string][] = [
    [refs.branches, 'branch'],
    [refs.remotes, 'remote branch'],
    [refs.tags, 'tag'],
  ];
  const kindOf = (r: string) => kinds.find(([list]) => list.includes(r))?.[1];
  const items: RefItem[] = [
    ...first.map((ref) => ({
      label: ref,
      description: [ref === refs.upstream ? 'upstream' : ref === refs.defaultRef ? 'default' : 'last used', kindOf(ref)]
        .filter(Boolean)
        .join(' · '),
      ref,
    })),
    ...kinds.flatMap(([list, kind]) =>
      list.filter((r) => !first.includes(r)).map((ref) => ({ label: ref, description: kind, ref })),
    ),
    { label: '$(edit) Another ref…', description: 'a commit, HEAD~3, …' },
  ];
  const [picked] =
    (await quickPicks.pick(items, {
      title: 'Run Tests: suites changed since…',
      placeholder: 'A branch, tag or commit',
    })) ?? [];
  if (!picked) return undefined;
  if (picked.ref) return picked.ref;
  const typed = await vscode.window.showInputBox({
    title: 'Run Tests: changed since which ref?',
    placeHolder: 'HEAD~3',
  });
  return typed?.trim() || undefined;
}
