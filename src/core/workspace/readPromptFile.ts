import * as fs from 'node:fs';
import type { Diagnostic } from '../text/diagnostics';
import { ZERO_RANGE } from '../text/lineIndex';
import { errorMessage } from '../text/errorMessage';

/** Larger files are reported, not parsed: nobody writes a 10 MB prompt on purpose. */
export const MAX_PROMPT_BYTES = 10 * 1024 * 1024;
const SNIFF_BYTES = 8000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type FileRead =
  { ok: true; text: string; stamp: string } | { ok: false; diagnostic: Diagnostic; stamp: string; missing?: boolean };

/** Stamp of a file on disk: a cheap change detector so unchanged files are not re-read. */
export function statFile(file: string): { stats: fs.Stats; stamp: string } | undefined {
  const stats = fs.statSync(file, { throwIfNoEntry: false });
  return stats ? { stats, stamp: stampOf(stats) } : undefined;
}

/**
 * mtime and size, plus ctime and inode: `touch -d`, `cp -p` or a rename over the file can bring
 * back an old mtime and size, but not its ctime and inode (the persistent check cache relies on it).
 */
export function stampOf(st: fs.Stats): string {
  return `${st.mtimeMs}:${st.size}:${st.ctimeMs}:${st.ino}`;
}

/** Reads and decodes a prompt file; `known` skips a second stat when the caller just made one. */
export function readPromptFile(file: string, known?: fs.Stats): FileRead {
  let buf: Buffer;
  let stamp: string;
  try {
    const st = known ?? fs.statSync(file);
    stamp = stampOf(st);
    if (st.size > MAX_PROMPT_BYTES) {
      return {
        ok: false,
        stamp,
        diagnostic: {
          severity: 'error',
          code: 'file-too-large',
          message: `File is ${(st.size / 1048576).toFixed(1)} MB; prompts larger than ${MAX_PROMPT_BYTES / 1048576} MB are not parsed`,
          range: ZERO_RANGE,
        },
      };
    }
    buf = fs.readFileSync(file);
  } catch (e) {
    return {
      ok: false,
      stamp: 'missing',
      missing: true,
      diagnostic: {
        severity: 'error',
        code: 'not-text',
        message: `Cannot read file: ${errorMessage(e)}`,
        range: ZERO_RANGE,
      },
    };
  }
  const decoded = decodeText(buf);
  return decoded.ok ? { ok: true, text: decoded.text, stamp } : { ok: false, stamp, diagnostic: decoded.diagnostic };
}

export function decodeText(buf: Uint8Array): { ok: true; text: string } | { ok: false; diagnostic: Diagnostic } {
  const sniff = buf.subarray(0, SNIFF_BYTES);
  if (sniff.includes(0)) {
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        code: 'not-text',
        message: 'File looks binary (it contains NUL bytes); a prompt must be UTF-8 text',
        range: ZERO_RANGE,
      },
    };
  }
  try {
    return { ok: true, text: utf8.decode(buf) };
  } catch {
    return {
      ok: false,
      diagnostic: { severity: 'error', code: 'not-text', message: 'File is not valid UTF-8 text', range: ZERO_RANGE },
    };
  }
}
