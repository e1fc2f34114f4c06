import * as vscode from 'vscode';
import { estimatedValues, formatContextWindow, formatPrice } from '../core/catalog/format';
import { modelRows, type ModelRow } from '../core/catalog/listing';
import type { PromptWorkspace } from '../core/workspace/promptWorkspace';
import { plural } from '../core/text/plural';
import { quickPicks } from './quickPicks';

export interface PickModelOptions {
  title: string;
  /** The prompt's current model reference, marked in the list. */
  current?: string;
  /** Runs the catalog refresh; the list is rebuilt in place afterwards. */
  refresh?: () => Promise<unknown>;
}

interface ModelItem extends vscode.QuickPickItem {
  row?: ModelRow;
  selectable?: boolean;
}

const REFRESH: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('refresh'),
  tooltip: 'Refresh models from the provider',
};
const SHOW_ALL: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('eye'),
  tooltip: 'Show inactive and disabled models',
};
const HIDE_UNUSABLE: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('eye-closed'),
  tooltip: 'Hide inactive and disabled models',
};

/** What a picker showed, when it opened: its title, the refs that can be chosen, and every model item as shown. */
export interface PickerShown {
  title: string;
  refs: string[];
  items: { ref: string; description: string; detail: string }[];
}

function shown(title: string, items: readonly ModelItem[], canChoose: (i: ModelItem) => boolean): PickerShown {
  const rows = items.filter((i) => i.row);
  return {
    title,
    refs: rows.filter(canChoose).map((i) => i.row!.ref),
    items: rows.map((i) => ({ ref: i.row!.ref, description: i.description ?? '', detail: i.detail ?? '' })),
  };
}

/**
 * Fires once a model picker is open with its items set. Quick picks have no "shown" event of their own, so
 * anything that drives the picker from outside (the integration tests, through the extension API) waits on
 * this rather than on a guess of how long opening takes. Owned by the extension's store (extension.ts).
 */
export const pickerShown = new vscode.EventEmitter<PickerShown>();

/**
 * The one model picker: enabled, active models grouped by provider, with label,
 * id, prices, context window and "recommended"; a star marks the default, a check
 * the current model. Typing filters; the refresh button reloads in place; the
 * eye shows inactive and disabled models, which cannot be picked.
 */
export function pickModel(ws: PromptWorkspace, opts: PickModelOptions): Promise<ModelRow | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<ModelItem>();
    let showAll = false;
    let done = false;
    qp.title = opts.title;
    qp.placeholder = 'Type to filter by name, id or provider';
    qp.matchOnDescription = true;
    qp.matchOnDetail = true;
    const render = () => {
      const catalog = ws.modelCatalog;
      qp.buttons = [...(opts.refresh ? [REFRESH] : []), showAll ? HIDE_UNUSABLE : SHOW_ALL];
      if (!catalog) {
        qp.items = [
          {
            label: '$(warning) No model catalog yet',
            detail: 'Use the refresh button, or run "prompt-registry models refresh".',
            selectable: false,
          },
        ];
        return;
      }
      const rows = modelRows(catalog, ws.settings, ws.prompts()).filter((r) => showAll || (r.available && r.enabled));
      const items = byProvider(rows, (r) => toItem(r, opts.current));
      const keep = qp.activeItems[0]?.row?.ref;
      qp.items = items;
      const preselect =
        items.find((i) => i.row && i.row.ref === (keep ?? opts.current)) ??
        items.find((i) => i.row?.isDefault && i.selectable);
      if (preselect) qp.activeItems = [preselect];
    };
    qp.onDidTriggerButton(async (b) => {
      if (b === REFRESH && opts.refresh) {
        qp.busy = true;
        try {
          await opts.refresh();
        } finally {
          qp.busy = false;
        }
      } else if (b === SHOW_ALL || b === HIDE_UNUSABLE) {
        showAll = !showAll;
      }
      render();
    });
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!item?.row) return;
      if (!item.selectable) {
        void vscode.window.showWarningMessage(
          `${item.row.ref} cannot be chosen: ${item.row.available ? 'it is not enabled for this workspace (models.enabled)' : 'it is no longer available'}.`,
        );
        return;
      }
      done = true;
      resolve(item.row);
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      if (!done) resolve(undefined);
    });
    render();
    qp.show();
    pickerShown.fire(shown(opts.title, qp.items, (i) => !!i.selectable));
  });
}

/** Items with a separator before each provider's models (rows come sorted by provider). */
function byProvider(rows: ModelRow[], toItem: (r: ModelRow) => ModelItem): ModelItem[] {
  const items: ModelItem[] = [];
  let provider: string | undefined;
  for (const r of rows) {
    if (r.model.provider !== provider) {
      provider = r.model.provider;
      items.push({ label: provider, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push(toItem(r));
  }
  return items;
}

function toItem(r: ModelRow, current?: string): ModelItem {
  const selectable = r.available && r.enabled;
  const state = !r.available ? '$(warning) no longer available' : !r.enabled ? '$(circle-slash) disabled' : '';
  const isCurrent = current !== undefined && (current === r.ref || current === r.model.id);
  return {
    label: `${isCurrent ? '$(check) ' : ''}${r.isDefault ? '$(star-full) ' : ''}${r.label}`,
    description: [r.ref, isCurrent ? 'current' : '', r.isFallback ? 'fallback' : '', state].filter(Boolean).join(' · '),
    detail: describeModel(r),
    row: r,
    selectable,
  };
}

export function describeModel(r: ModelRow): string {
  const parts = [
    `${formatPrice(r.model.inputPricePer1M, r.model.outputPricePer1M)} per 1M in/out`,
    `${formatContextWindow(r.model.contextWindow)} context`,
  ];
  if (r.model.recommended) parts.push('recommended');
  if (r.model.deprecationDate)
    parts.push(`${r.available || !r.model.active ? 'retires' : 'shut down'} ${r.model.deprecationDate}`);
  const estimated = estimatedValues(r.model);
  if (estimated.length) parts.push(`estimated ${estimated.join(', ')} (bundled snapshot)`);
  return parts.join(' · ');
}

/** Multi-select of catalog models for models.enabled; returns the refs to enable. */
export async function pickEnabledModels(ws: PromptWorkspace): Promise<string[] | undefined> {
  const catalog = ws.modelCatalog;
  if (!catalog) {
    void vscode.window.showWarningMessage(
      'There is no model catalog yet: run "Prompt Registry: Refresh Models" first.',
    );
    return undefined;
  }
  const rows = modelRows(catalog, ws.settings, ws.prompts()).filter((r) => r.available || r.enabled);
  const items = byProvider(rows, (r): ModelItem => ({
    label: `${r.isDefault ? '$(star-full) ' : ''}${r.label}`,
    description: [r.ref, r.promptCount ? plural(r.promptCount, 'prompt') : '', r.available ? '' : 'no longer available']
      .filter(Boolean)
      .join(' · '),
    detail: describeModel(r),
    picked: r.enabled,
    row: r,
  }));
  const picked = await pickMany(
    'Enable/Disable Models: checked models may be used in this workspace',
    items,
    undefined,
    false,
  );
  return picked?.map((i) => i.row!.ref);
}

/** Multi-select of usable (active, enabled) models, for comparing; `preselect` refs start checked. */
export async function pickModels(
  ws: PromptWorkspace,
  opts: { title: string; preselect: string[]; placeholder?: string },
): Promise<string[] | undefined> {
  const catalog = ws.modelCatalog;
  if (!catalog) {
    void vscode.window.showWarningMessage(
      'There is no model catalog yet: run "Prompt Registry: Refresh Models" first.',
    );
    return undefined;
  }
  const rows = modelRows(catalog, ws.settings, ws.prompts()).filter((r) => r.available && r.enabled);
  const wanted = new Set(opts.preselect);
  const items = byProvider(rows, (r): ModelItem => ({
    label: `${r.isDefault ? '$(star-full) ' : ''}${r.label}`,
    description: r.ref,
    detail: describeModel(r),
    picked: wanted.has(r.ref) || wanted.has(r.model.id),
    row: r,
  }));
  const picked = await pickMany(opts.title, items, opts.placeholder ?? 'Check two or more models', true);
  return picked?.map((i) => i.row!.ref);
}

/**
 * A multi-select of model items (those with `picked` start checked) through the palette's quick picks (tests
 * can answer it); resolves with the chosen ones, or undefined when dismissed. pickerShown fires once its items
 * are in place. `oneIfNoneChecked`: Enter with nothing checked takes the highlighted model (Compare); for the
 * allowlist nothing checked means nothing chosen.
 */
function pickMany(
  title: string,
  items: ModelItem[],
  placeholder: string | undefined,
  oneIfNoneChecked: boolean,
): Promise<ModelItem[] | undefined> {
  return quickPicks.pick(items, {
    title,
    placeholder,
    canPickMany: true,
    checked: (i) => !!i.picked,
    emptyAcceptsActive: oneIfNoneChecked,
    onShown: () => pickerShown.fire(shown(title, items, () => true)),
  });
}
