import { coerceVar, renderPrompt, RenderError } from '../../core/prompt/render';
import { PromptWorkspace } from '../../core/workspace/promptWorkspace';
import { style } from '../style';
import { UsageError } from '../usage';
import type { CliContext } from '../context';

export function runRender(
  ctx: CliContext,
  { id, vars: varArgs, json }: { id: string; vars: string[]; json: boolean },
): number {
  const { root, out, err } = ctx;
  const ws = new PromptWorkspace(root);
  ws.scan();
  const prompt = ws.findById(id);
  if (!prompt) throw new UsageError(`No prompt with id "${id}". Run "prompt-registry list" to see the ids.`);
  const vars: Record<string, unknown> = {};
  for (const a of varArgs) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var takes name=value, got "${a}"`);
    const name = a.slice(0, eq);
    vars[name] = coerceVar(prompt, name, a.slice(eq + 1));
  }
  try {
    const messages = renderPrompt(prompt, vars);
    if (json) out(JSON.stringify({ id: prompt.id, model: prompt.model, params: prompt.params, messages }, null, 2));
    else for (const m of messages) out(`${style.bold(`[${m.role}]`)}\n${m.content}\n`);
    return 0;
  } catch (e) {
    if (e instanceof RenderError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}
