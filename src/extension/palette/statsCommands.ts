import * as vscode from 'vscode';
import { noCallsMessage, statsMarkdown, type StatsGrouping } from '../../core/app/statsMarkdown';
import { readCallRecords } from '../../core/calls/callLog';
import { callStats } from '../../core/calls/stats';
import type { DisposableStore } from '../lifecycle';
import type { Notifier } from '../notifier';
import { pickWorkspace } from '../pickWorkspace';
import type { WorkspaceRegistry } from '../workspaces';
import { quickPicks } from '../quickPicks';
import { MarkdownPanel, type Rendered } from './markdownPreview';

const LAST_BY = 'promptRegistry.palette.callStatsBy';

/** Show Call Statistics: `prompt-registry calls stats` by prompt or by model (the last choice is kept per workspace). */
export function registerPaletteStats(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  state: vscode.Memento,
  notifier: Notifier,
) {
  const panel = store.add(new MarkdownPanel('promptRegistry.callStats', []));

  const show = async (): Promise<Rendered | undefined> => {
    const ws = await pickWorkspace(registry);
    if (!ws) return undefined;
    const last = state.get<StatsGrouping>(LAST_BY, 'prompt');
    const items: (vscode.QuickPickItem & { by: StatsGrouping })[] = [
      { label: 'By prompt', description: 'one row per prompt id', by: 'prompt' },
      { label: 'By model', description: 'one row per model', by: 'model' },
    ];
    const by = (await quickPicks.pick(items, { title: 'Show Call Statistics', active: (i) => i.by === last }))?.[0]?.by;
    if (!by) return undefined;
    await state.update(LAST_BY, by);
    const stats = callStats(readCallRecords(ws.root), { by });
    if (stats.total.calls === 0) {
      void notifier.info(noCallsMessage());
      return undefined;
    }
    return panel.show(`Call Statistics by ${by}`, statsMarkdown(stats, by));
  };

  store.add(vscode.commands.registerCommand('promptRegistry.palette.callStats', show));
  return { panel };
}
