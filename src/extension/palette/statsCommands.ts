import * as vscode from 'vscode';
import { noCallsMessage, statsMarkdown, type StatsGrouping } from '../../core/app/statsMarkdown';
import { readCallRecords } from '../../core/calls/callLog';
import { callStats } from '../../core/calls/stats';
import type { DisposableStore } from '../lifecycle';
import type { Notifier } from '../notifier';
import { pickWorkspace } from '../pickWorkspace';
import type { WorkspaceRegistry } from '../workspaces';
import { MarkdownPanel, type Rendered } from './markdownPreview';
import { PalettePicker } from './palettePick';

const LAST_BY = 'promptRegistry.palette.callStatsBy';

/** Show Call Statistics: `prompt-registry calls stats` by prompt or by model (the last choice is kept per workspace). */
export function registerPaletteStats(
  store: DisposableStore,
  registry: WorkspaceRegistry,
  state: vscode.Memento,
  notifier: Notifier,
) {
  const picker = store.add(new PalettePicker());
  const panel = store.add(new MarkdownPanel('promptRegistry.callStats', []));

  const show = async (): Promise<Rendered | undefined> => {
    const ws = await pickWorkspace(registry);
    if (!ws) return undefined;
    const by = await picker.pick<StatsGrouping>(
      'Show Call Statistics',
      [
        { label: 'By prompt', description: 'one row per prompt id', value: 'prompt' },
        { label: 'By model', description: 'one row per model', value: 'model' },
      ],
      { active: state.get<StatsGrouping>(LAST_BY, 'prompt') },
    );
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
  return { picker, panel };
}
