import type { CaseResult } from '../core/run/results';
import { caseLine } from './format/runText';

export interface Progress {
  caseDone(r: CaseResult): void;
  end(): void;
}

/**
 * Progress on stderr (stdout stays clean for --reporter json/junit): a bar
 * redrawn in place on a terminal, one plain line per finished case otherwise
 * (CI logs cannot redraw).
 */
export function makeProgress(total: number, stream: { write(s: string): unknown }, tty: boolean): Progress {
  let done = 0;
  let failed = 0;
  if (!tty) {
    return {
      caseDone: (r) => {
        done++;
        stream.write(`${caseLine(r, done, total)}\n`);
      },
      end: () => undefined,
    };
  }
  let last = 0;
  const draw = (label: string) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : width;
    stream.write(
      `\r\x1b[2K[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}${failed ? ` · ${failed} not passed` : ''}  ${label.slice(0, 60)}`,
    );
  };
  return {
    caseDone: (r) => {
      done++;
      if (r.status !== 'pass') failed++;
      const now = Date.now();
      // Redrawing for each of 1,000 fast cases would cost more than the cases.
      if (now - last > 50 || done === total) {
        last = now;
        draw(`${r.suite} › ${r.caseName}`);
      }
    },
    end: () => stream.write('\r\x1b[2K'),
  };
}
