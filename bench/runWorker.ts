// Child process of run.bench.ts: loads a workspace and plans its suites (timed apart), runs them, prints timing, CPU and peak RSS as JSON.
import * as path from 'node:path';
import { planSuite } from '../src/core/run/plan';
import { runSuites } from '../src/core/run/runner';
import { SuiteWorkspace } from '../src/core/workspace/suiteWorkspace';
import { PromptWorkspace } from '../src/core/workspace/promptWorkspace';

async function main() {
  const [root, optsJson] = process.argv.slice(2);
  const opts = JSON.parse(optsJson!) as { concurrency: number; cache: boolean };
  const t0 = performance.now();
  const ws = new PromptWorkspace(root!, { env: {} });
  ws.scan();
  const suites = new SuiteWorkspace(ws);
  suites.scan();
  const diags = suites.validate();
  const plans = suites.suites().map((s) =>
    planSuite(suites, s, {
      config: ws.settings,
      relative: (f) => path.relative(root!, f),
      diagnostics: diags.get(s.file!) ?? [],
    }),
  );
  const t1 = performance.now();
  const peaks = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 };
  const sampler = process.env.PR_BENCH_MEM
    ? setInterval(() => {
        const m = process.memoryUsage() as unknown as Record<string, number>;
        for (const k of Object.keys(peaks) as (keyof typeof peaks)[])
          peaks[k] = Math.max(peaks[k], Math.round(m[k]! / 1048576));
      }, 100)
    : undefined;
  const run = await runSuites(plans, {
    root: root!,
    config: ws.settings,
    catalog: ws.modelCatalog,
    env: {},
    concurrency: opts.concurrency,
    cache: opts.cache,
  });
  const wallMs = performance.now() - t1;
  const loadMs = t1 - t0;
  if (sampler) {
    clearInterval(sampler);
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    process.stderr.write(
      `${JSON.stringify({ peaks, afterGcHeapMB: Math.round(process.memoryUsage().heapUsed / 1048576), cases: run.cases.length })}\n`,
    );
  }
  const ru = process.resourceUsage();
  process.stdout.write(
    JSON.stringify({
      wallMs,
      loadMs,
      cpuMs: (ru.userCPUTime + ru.systemCPUTime) / 1000,
      maxRssBytes: ru.maxRSS * 1024,
      totals: run.totals,
      firstError: run.cases.find((c) => c.status !== 'pass')?.error,
    }),
  );
}

void main();
