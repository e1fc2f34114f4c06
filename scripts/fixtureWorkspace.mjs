// The fixture workspace (test/fixtures/workspace) as the real clock sees it. Its catalog dates the
// "retiring" model 2026-12-01 so unit tests with a fixed today see model-retiring; anything that runs on
// the real clock (the extension host, `npm start`) works on a copy whose date is a few days ahead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Copies the fixture workspace into `dir` (a new temp folder by default) and dates the retiring model. */
export function copyFixtureWorkspace(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-fixture-'))) {
  fs.cpSync(path.join(ROOT, 'test/fixtures/workspace'), dir, { recursive: true });
  dateRetiringModel(dir);
  return dir;
}

/** The fixture's retiring model (gpt-4o-2024-05-13) shuts down `days` after the real today in the copy. */
export function dateRetiringModel(workspace, days = 10) {
  const file = path.join(workspace, '.prompt-registry', 'catalog.json');
  const day = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const text = fs.readFileSync(file, 'utf8');
  const dated = text.replace('"deprecationDate": "2026-12-01"', `"deprecationDate": "${day}"`);
  if (dated === text) throw new Error('the fixture catalog no longer has the retiring model dated 2026-12-01');
  fs.writeFileSync(file, dated);
}
