import { quickPicks } from '../quickPicks';
import type { WorkspaceRegistry } from '../workspaces';

/**
 * The prompt a palette command acts on when no prompt is the active editor: a pick of every registry prompt
 * (name, id, path). Undefined when dismissed or when there is no prompt (the caller says so).
 */
export async function pickPromptFile(registry: WorkspaceRegistry, title: string): Promise<string | undefined> {
  const items = registry.all().flatMap((ws) =>
    ws
      .prompts()
      .flatMap((p) => (p.file ? [{ ...p, file: p.file }] : []))
      .map((p) => ({
        label: p.name ?? p.id ?? p.file,
        description: p.name && p.name !== p.id ? p.id : undefined,
        detail: ws.files.relative(p.file) ?? p.file,
        file: p.file,
      }))
      .sort((a, b) => a.detail.localeCompare(b.detail)),
  );
  if (!items.length) return undefined;
  return (await quickPicks.pick(items, { title, placeholder: 'The prompt to act on (type to filter)' }))?.[0]?.file;
}
