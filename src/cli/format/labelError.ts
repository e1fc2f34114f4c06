import type { LabelError, LabelRefusal } from '../../core/history/labels';

const REMEDY: Record<LabelRefusal, string> = {
  uncommitted: ': commit them first, or publish a committed version with --version N or --ref REF',
  deleted: ': publish a committed version with --version N or --ref REF',
  'has-errors': '. Publish another version, or pass --force',
  'shallow-history': ': run "git fetch --unshallow", or publish with --ref',
};

/** A label refusal with the command line's way out. */
export function labelErrorText(e: LabelError): string {
  return e.refusal ? `${e.message}${REMEDY[e.refusal]}` : e.message;
}
