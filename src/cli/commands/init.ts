import * as path from 'node:path';
import { initWorkspace } from '../../core/init/init';

export async function runInit(root: string, out: (s: string) => void): Promise<number> {
  // The bundled CLI ships the sample prompts next to itself (see esbuild.mjs).
  const samples = path.join(__dirname, 'samples');
  const r = await initWorkspace(root, samples);
  for (const f of r.created) out(`created  ${f}`);
  for (const f of r.skipped) out(`kept     ${f} (already exists)`);
  out(r.created.length ? 'Prompt Registry is set up. Next: prompt-registry check' : 'Nothing to do: everything already exists.');
  return 0;
}
