// `npm run bench`: runs every benchmark and prints its numbers. Record them in docs/benchmarks.md.
import * as os from 'node:os';
import * as assign from './assign.bench';
import * as diff from './diff.bench';
import * as history from './history.bench';
import * as indexing from './indexing.bench';
import * as runner from './run.bench';
import * as tree from './tree.bench';

const benches: Record<string, { run: () => Record<string, string | number> | Promise<Record<string, string | number>> }> = {
  'index and validate 10,000 prompts': indexing,
  'Prompts tree children for 5,000 prompts after one file changes': tree,
  'bulk assign over 1,000 prompt files': assign,
  'suite runner: 1,000 cases at 50 ms, concurrency 8': runner,
  'history: versions of one prompt in 10,000 commits': history,
  'diff between two refs 500 commits apart that change 200 prompts': diff,
};

async function main() {
  const only = process.argv[2];
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
  let failed = false;
  for (const [name, b] of Object.entries(benches)) {
    if (only && !name.includes(only)) continue;
    const r = await b.run();
    console.log(`\n## ${name}`);
    for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(32)} ${v}`);
    if (r.met === 'NO') failed = true;
  }
  if (failed) {
    console.log('\nSome goals were not met.');
    process.exitCode = 1;
  }
}

void main();
