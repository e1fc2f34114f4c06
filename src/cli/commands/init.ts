import * as path from 'node:path';
import { initWorkspace } from '../../core/init/init';
import type { CliContext } from '../context';

export async function runInit(ctx: CliContext): Promise<number> {
  const { root, out } = ctx;
  // The bundled CLI ships the sample prompts next to itself (see esbuild.mjs).
  const samples = path.join(__dirname, 'samples');
  const r = await initWorkspace(root, samples);
  for (const f of r.created) out(`created  ${f}`);
  for (const f of r.skipped) out(`kept     ${f} (already exists)`);
  out(
    r.created.length
      ? 'Prompt Registry is set up. Next: prompt-registry check'
      : 'Nothing to do: everything already exists.',
  );
  return 0;
}
