import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { errorMessage } from '../text/errorMessage';

/**
 * Loads front matter values fast. `yaml`'s Document API (used for source
 * ranges and for edits) costs ~130 µs per small file; js-yaml ~15 µs. Most
 * files are clean and never need a range, so ranges are built lazily with
 * `yaml` only when a diagnostic or an editor feature asks for one.
 * CORE_SCHEMA matches YAML 1.2 core, as `yaml` parses it: no timestamps, no merge keys.
 */
export function fastLoad(text: string): { ok: true; value: unknown } | { ok: false; message: string; offset: number } {
  try {
    return { ok: true, value: load(text, { schema: CORE_SCHEMA, json: false }) };
  } catch (e) {
    if (e instanceof YAMLException) return { ok: false, message: e.reason, offset: e.mark?.position ?? 0 };
    return { ok: false, message: errorMessage(e), offset: 0 };
  }
}
