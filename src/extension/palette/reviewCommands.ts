import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunBlockedError, runAtRefs } from '../../core/app/runAtRefs';
import { GitError, listTree } from '../../core/git/git';
import { refChoices, type RefChoices } from '../../core/git/refs';
import { refusalReason, type HostAllowance } from '../../core/providers/keyPolicy';
import { reviewMarkdown } from '../../core/review/markdown';
import { buildReview, type ReviewEntry, type ReviewReport } from '../../core/review/report';
import type { RunComparison } from '../../core/review/runTypes';
import { errorMessage } from '../../core/text/errorMessage';
import { registryLocation } from '../../core/workspace/promptsAtRef';
import type { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import type { ApiKeys } from '../apiKeys';
import { versionUri } from '../history/versionContent';
import type { KeyConsent } from '../keyConsent';
import type { DisposableStore } from '../lifecycle';
import type { Notifier } from '../notifier';
import { pickWorkspace } from '../pickWorkspace';
import { envWithKeys } from '../testing/runCases';
import type { WorkspaceRegistry } from '../workspaces';
import { quickPicks } from '../quickPicks';
import { MarkdownPanel } from './markdownPreview';

const OPEN_DIFF = 'promptRegistry.palette.openPromptDiff';
const RUN_SUITES = 'promptRegistry.palette.reviewRunSuites';
const RUN_TITLE = 'Run Affected Suites at Both Refs';

/** The review on screen: the report the panel shows and where it came from. */
interface Shown {
  ws: PromptWorkspace;
  report: ReviewReport;
}

/** How Run Affected Suites ended (the test hook reads it). */
export type ReviewRunEnd = { kind: 'ran'; run: RunComparison } | { kind: 'refused'; reason: string };

/**
 * Review Prompt Changes…: the `prompt-registry diff BASE` report against a branch
 * or tag, in a panel whose rows open each prompt's diff (BASE ↔ working copy) and
 * whose Run action does what `diff --run` does, re-rendering the report with the
 * suites' results.
 */
export function registerPaletteReview(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  keys: ApiKeys,
  consent: KeyConsent,
  notifier: Notifier,
) {
  const panel = store.add(new MarkdownPanel('promptRegistry.review', [OPEN_DIFF, RUN_SUITES]));
  const ran = store.add(new vscode.EventEmitter<ReviewRunEnd>());
  let shown: Shown | undefined;
  let running = false;

  const render = (s: Shown) => panel.show(`Review: ${s.report.base.ref} → HEAD`, reportMarkdown(s.report));

  const review = async (): Promise<ReviewReport | undefined> => {
    const ws = await pickWorkspace(registry);
    if (!ws) return undefined;
    let refs: RefChoices;
    try {
      refs = await refChoices(ws.root);
    } catch (e) {
      void notifier.warn(
        e instanceof GitError && e.kind === 'not-a-repo'
          ? 'Review Prompt Changes compares git refs, and this folder is not in a git repository.'
          : e instanceof GitError && e.kind === 'untrusted'
            ? 'Review Prompt Changes needs a trusted workspace: git is not run here, because a repository can set git up to run programs. Trust the workspace to review.'
            : `Review Prompt Changes: ${errorMessage(e)}`,
      );
      return undefined;
    }
    const items = refItems(refs);
    if (!items.some((i) => i.ref)) {
      void notifier.info('Review Prompt Changes: this repository has no branch or tag to compare with yet.');
      return undefined;
    }
    const base = (
      await quickPicks.pick(items, {
        title: 'Review Prompt Changes: compare HEAD with…',
        placeholder: 'A branch or tag: the review lists every prompt changed since it',
        active: (i) => i.ref !== undefined && i.ref === refs.defaultRef,
      })
    )?.[0]?.ref;
    if (base === undefined) return undefined;
    let report: ReviewReport;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: `Reviewing prompt changes since ${base}` },
        () => buildReview(ws.root, base, 'HEAD'),
      );
    } catch (e) {
      void notifier.error(`Review Prompt Changes: ${errorMessage(e)}`);
      return undefined;
    }
    shown = { ws, report };
    await render(shown);
    return report;
  };

  const openDiff = async (index?: unknown): Promise<string | undefined> => {
    // Links carry only an index into the report on screen: the command opens nothing the report does not list.
    const s = shown;
    const entry = typeof index === 'number' ? s?.report.entries[index] : undefined;
    if (!s || !entry) return undefined;
    return openEntryDiff(s, entry);
  };

  const runSuites = async (): Promise<ReviewRunEnd | undefined> => {
    if (!vscode.workspace.isTrusted) {
      const reason = `${RUN_TITLE} is disabled: this workspace is not trusted, so no model is called and no suite runs. Trust the workspace to run them.`;
      void notifier.warn(reason);
      return end({ kind: 'refused', reason });
    }
    const s = shown;
    if (!s || !panel.visible) {
      void notifier.info('Open a review first: "Prompt Registry: Review Prompt Changes…".');
      return undefined;
    }
    if (running) {
      void notifier.info('The affected suites are already running: their results will show in the report.');
      return undefined;
    }
    running = true;
    try {
      return await runBoth(s);
    } finally {
      running = false;
    }
  };

  const runBoth = async (s: Shown): Promise<ReviewRunEnd | undefined> => {
    const { env } = await envWithKeys(s.ws, keys);
    let allowances: HostAllowance[] = consent.allowances();
    let allowProviderChange = false;
    // At most one consent round and one provider-change answer: each block is asked about once.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const run = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: 'Running the affected suites at BASE and at HEAD',
            cancellable: true,
          },
          (_p, token) => {
            const ac = new AbortController();
            const sub = token.onCancellationRequested(() => ac.abort());
            return runAtRefs(s.ws.root, s.report, { env, allowances, allowProviderChange, signal: ac.signal }).finally(
              () => sub.dispose(),
            );
          },
        );
        s.report.run = run;
        if (shown === s) await render(s);
        return end({ kind: 'ran', run });
      } catch (e) {
        if (!(e instanceof RunBlockedError)) {
          const reason = `${RUN_TITLE} failed: ${errorMessage(e)}`;
          void notifier.error(reason);
          return end({ kind: 'refused', reason });
        }
        const b = e.block;
        if (b.kind === 'key-refused') {
          const answer = await consent.ask(b.refused);
          if (answer.declined.length) {
            const reason = `Not run, nothing was sent: ${answer.declined.map(refusalReason).join('; ')}.`;
            void notifier.warn(reason);
            return end({ kind: 'refused', reason });
          }
          allowances = answer.allowances;
        } else {
          // As the CLI's --allow-provider-change: a pull request must not choose where suites and keys go.
          const reason = `Nothing was run: ${e.message}. Review where these requests would go first.`;
          const choice = await notifier.warn(reason, 'Run Anyway');
          if (choice !== 'Run Anyway') return end({ kind: 'refused', reason });
          allowProviderChange = true;
        }
      }
    }
    return undefined;
  };

  const end = (e: ReviewRunEnd): ReviewRunEnd => {
    ran.fire(e);
    return e;
  };

  store.add(
    vscode.Disposable.from(
      vscode.commands.registerCommand('promptRegistry.palette.reviewChanges', review),
      vscode.commands.registerCommand(OPEN_DIFF, openDiff),
      vscode.commands.registerCommand(RUN_SUITES, runSuites),
      // The Run action appears in place of the "disabled" line once the workspace is trusted.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if (shown && panel.visible) void render(shown);
      }),
    ),
  );
  return { panel, onDidRun: ran.event };
}

/** The CLI's report, with each row opening its diff and the Run action on top. */
function reportMarkdown(report: ReviewReport): string {
  const link = (command: string, args?: unknown[]) =>
    `command:${command}${args ? `?${encodeURIComponent(JSON.stringify(args))}` : ''}`;
  const actions = vscode.workspace.isTrusted
    ? `[▶ ${RUN_TITLE}](${link(RUN_SUITES)})`
    : `_${RUN_TITLE} is disabled in an untrusted workspace._`;
  const body = reviewMarkdown(report, Number.POSITIVE_INFINITY, {
    promptLink: (e, i) => (e.status === 'removed' ? undefined : link(OPEN_DIFF, [i])),
  });
  return [
    actions,
    '',
    '_The report compares committed changes (HEAD); a prompt opens as BASE ↔ working copy._',
    '',
    body,
  ].join('\n');
}

async function openEntryDiff({ ws, report }: Shown, e: ReviewEntry): Promise<string> {
  const file = path.join(ws.root, ...e.path.split('/'));
  const name = path.basename(file);
  if (e.status === 'added') {
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
    return name;
  }
  const { top, prefix } = await registryLocation(ws.root);
  const before = e.previous?.path ?? e.path;
  const gitPath = prefix ? `${prefix}/${before}` : before;
  const blob = (await listTree(top, report.base.commit, gitPath)).find((t) => t.path === gitPath)?.blob;
  if (!blob) throw new Error(`${gitPath} is not in ${report.base.ref}`);
  const left = versionUri({ top, gitPath, blobSha: blob, label: report.base.commit.slice(0, 7) });
  const title = `${path.posix.basename(before)} (${report.base.ref}) ↔ ${name} (working copy)`;
  await vscode.commands.executeCommand('vscode.diff', left, vscode.Uri.file(file), title);
  return title;
}

interface RefItem extends vscode.QuickPickItem {
  ref?: string;
}

function refItems(c: RefChoices): RefItem[] {
  const groups: [string[], string][] = [
    [c.branches, 'Branches'],
    [c.remotes, 'Remote branches'],
    [c.tags, 'Tags'],
  ];
  const out: RefItem[] = [];
  for (const [names, label] of groups) {
    if (!names.length) continue;
    out.push({ label, kind: vscode.QuickPickItemKind.Separator });
    for (const name of names)
      out.push({
        label: name,
        description: name === c.defaultRef ? (name === c.upstream ? 'upstream · default' : 'default') : undefined,
        ref: name,
      });
  }
  return out;
}
