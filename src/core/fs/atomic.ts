import * as fs from 'node:fs';
import * as path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** Writes through a temporary file and a rename, so a crash or a concurrent reader never sees half a file. */
export async function writeFileAtomically(
  file: string,
  content: string,
  opts: { fsync?: boolean } = {},
): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, content, { encoding: 'utf8', fsync: opts.fsync ?? true });
}

/** The same for bulk edits of many small files; skips fsync (the rename alone keeps readers safe). */
export function writeFileAtomicallySync(file: string, content: string): void {
  writeFileAtomic.sync(file, content, { encoding: 'utf8', fsync: false });
}
