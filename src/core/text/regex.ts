import { errorMessage } from './errorMessage';

/**
 * A suite's regex value: `/pattern/flags` (as in JavaScript) or a bare pattern.
 * Returns the RegExp, or the reason it does not compile.
 */
export function toRegExp(value: string): RegExp | string {
  const literal = /^\/([\s\S]+)\/([dgimsuvy]*)$/.exec(value);
  try {
    // The g and y flags make test() stateful across calls; one answer, one test.
    return literal ? new RegExp(literal[1]!, literal[2]!.replace(/[gy]/g, '')) : new RegExp(value);
  } catch (e) {
    return errorMessage(e).replace(/^Invalid regular expression: /, '');
  }
}
