// `npm run bench [-- <name filter>] [--quick] [--record]`: runs the benchmarks and prints their numbers
// and goals. Record the numbers in docs/benchmarks.md.
//   (no flag)  every goal gets its own status; exit 1 only when a goal recorded as met in
//              bench/baseline.json is now missed (a known floor or a goal never met does not fail).
//   --quick    small versions of each benchmark, as ratios to a floor measured in the same run; exit 1
//              when a ratio is more than 2× its recorded value. Under a minute; runs in .ci/run.
//   --record   a full run that also runs the quick set and writes bench/baseline.json (a goal recorded
//              as met is never downgraded by it: fix the regression, or edit the file with a note).
//              With --quick: the quick set alone, recording its ratios and keeping the goals.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as assign from './assign.bench';
import * as diff from './diff.bench';
import * as e2e from './e2e.bench';
import {
  BASELINE_FILE,
  QUICK_FACTOR,
  describeGoal,
  nextBaseline,
  readBaseline,
  verdict,
  type BenchResult,
  type Goal,
  type QuickResult,
} from './goals';
import * as history from './history.bench';
import * as indexing from './indexing.bench';
import * as runner from './run.bench';
import * as tree from './tree.bench';
import * as activation from './activation.bench';

interface Bench {
  run: () => Promise<BenchResult> | BenchResult;
  quick?: () => Promise<QuickResult> | QuickResult;
}

const benches: Record<string, Bench> = {
  'index and validate 10,000 prompts': indexing,
  'Prompts tree children for 5,000 prompts after one file changes': tree,
  'bulk assign over 1,000 prompt files': assign,
  'suite runner: 1,000 cases at 50 ms, concurrency 8': runner,
  'history: versions of one prompt in 10,000 commits': history,
  'diff between two refs 500 commits apart that change 200 prompts': diff,
  'end to end: the built CLI as a whole process (issue 15)': e2e,
  'activation in the real host (code-server)': activation,
};

function print(r: Record<string, string | number>) {
  for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(48)} ${v}`);
}

async function main() {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const record = args.includes('--record');
  const only = args.find((a) => !a.startsWith('--'));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(
    `machine: ${machine}, ${new Date().toISOString().slice(0, 10)}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const baseline = readBaseline();
  const chosen = Object.entries(benches).filter(([name]) => !only || name.includes(only));
  if (chosen.length === 0)
    throw new Error(`no benchmark name contains "${only}"; names: ${Object.keys(benches).join('; ')}`);

  const allQuick: QuickResult = {};
  let quickFailed = 0;
  if (quick || record) {
    // Recording takes each ratio's worst of three passes, so the 2× margin starts from a slow run, not a lucky one.
    const passes = record ? 3 : 1;
    console.log(
      `\n# quick: ratios to same-run floors; a regression is more than ${QUICK_FACTOR}× the recorded ratio${record ? ` (recording the worst of ${passes} passes)` : ''}`,
    );
    const t0 = performance.now();
    for (const [name, b] of chosen) {
      if (!b.quick) continue;
      const t = performance.now();
      const seen: Record<string, number[]> = {};
      const pass = async () => {
        for (const [k, v] of Object.entries(await b.quick!())) (seen[k] ??= []).push(v);
      };
      for (let i = 0; i < passes; i++) await pass();
      const over = (k: string, v: number) => baseline?.quick[k] !== undefined && v > baseline.quick[k]! * QUICK_FACTOR;
      // A ratio over the line is measured once more and the better of the two counts:
      // one slow pass on a loaded machine is not a regression.
      const retried = !record && Object.entries(seen).some(([k, vs]) => over(k, vs[0]!));
      if (retried) await pass();
      console.log(
        `\n## ${name} (quick, ${((performance.now() - t) / 1000).toFixed(1)} s${retried ? ', measured twice: a ratio was over the line' : ''})`,
      );
      for (const [k, vs] of Object.entries(seen)) {
        const v = record ? Math.max(...vs) : Math.min(...vs);
        allQuick[k] = v;
        const was = baseline?.quick[k];
        const bad = over(k, v);
        if (bad) quickFailed++;
        const all = vs.length > 1 ? ` [${vs.map((x) => x.toPrecision(3)).join(', ')}]` : '';
        console.log(
          `  ${(bad ? 'REGRESSED' : was === undefined ? 'no record' : 'ok').padEnd(10)} ${k.padEnd(64)} ${v.toPrecision(3)}×${all}${was === undefined ? '' : ` (recorded ${was.toPrecision(3)}×, fails above ${(was * QUICK_FACTOR).toPrecision(3)}×)`}`,
        );
      }
    }
    console.log(`\nquick set: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (quick && record) {
      // Only the ratios: the goals' statuses stay as recorded.
      const next = nextBaseline(baseline, [], allQuick, machine, true);
      fs.writeFileSync(BASELINE_FILE, `${JSON.stringify(next, null, 2)}\n`);
      console.log(`recorded the quick ratios in ${BASELINE_FILE}`);
      return;
    }
    if (quick) {
      if (quickFailed) {
        console.log(`\n${quickFailed} ratio(s) more than ${QUICK_FACTOR}× their recorded value.`);
        process.exitCode = 1;
      }
      return;
    }
  }

  const goals: Goal[] = [];
  for (const [name, b] of chosen) {
    const r = await b.run();
    console.log(`\n## ${name}`);
    print(r.numbers);
    for (const g of r.goals) console.log(`  goal: ${describeGoal(g, verdict(g, baseline))}`);
    goals.push(...r.goals);
  }
  const verdicts = goals.map((g) => ({ g, v: verdict(g, baseline) }));
  const count = (v: string) => verdicts.filter((x) => x.v === v).length;
  console.log(
    `\ngoals: ${count('met')} met, ${count('REGRESSED')} regressed (recorded as met, now missed), ${count('known floor')} at a known floor, ${count('not met') + count('not met (no record)')} not met`,
  );
  for (const { g, v } of verdicts) if (v === 'REGRESSED') console.log(`  REGRESSED: ${g.what} (${g.id})`);
  if (record) {
    const next = nextBaseline(baseline, goals, allQuick, machine, !!only);
    fs.writeFileSync(BASELINE_FILE, `${JSON.stringify(next, null, 2)}\n`);
    console.log(`recorded ${BASELINE_FILE}`);
  }
  if (count('REGRESSED')) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
