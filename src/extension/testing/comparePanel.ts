import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { formatMs, formatUsd } from '../../core/format/numbers';
import {
  bestModels,
  caseMatrix,
  COMPARE_COLUMNS,
  compareCells,
  compareMarkdown,
  UNPRICED_NOTE,
  type CompareRow,
} from '../../core/run/compare';
import type { CaseResult } from '../../core/run/results';

export interface Comparison {
  title: string;
  models: string[];
  rows: CompareRow[];
  cases: CaseResult[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const STATUS: Record<string, string> = { pass: '✓ pass', fail: '✗ fail', error: '⚠ error', cancelled: '– cancelled' };

/**
 * The "Compare Models" table in a webview: one row per model (pass rate, p50
 * latency, tokens, cost), then how each case did on each model. One panel,
 * reused for the next comparison; it has an owner (dispose) like everything else.
 */
export class ComparePanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private current?: Comparison;

  show(c: Comparison): void {
    this.current = c;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'promptRegistry.compare',
        c.title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, enableFindWidget: true },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'copyMarkdown' && this.current) {
          void vscode.env.clipboard
            .writeText(markdownReport(this.current))
            .then(() => vscode.window.setStatusBarMessage('Comparison copied as Markdown', 3000));
        }
      });
    }
    this.panel.title = c.title;
    this.panel.webview.html = html(c, randomBytes(16).toString('base64'));
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  get visibleTitle(): string | undefined {
    return this.panel?.title;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** The comparison as Markdown, ready for a pull request or an issue. */
export function markdownReport(c: Comparison): string {
  const matrix = caseMatrix(c.models, c.cases);
  const head = `| Case | ${c.models.map((m) => m.replace(/\|/g, '\\|')).join(' | ')} |`;
  const lines = matrix.map(
    (r) => `| ${r.suite} › ${r.caseName} | ${r.cells.map((x) => (x ? STATUS[x.status] : '—')).join(' | ')} |`,
  );
  return [
    `### ${c.title}`,
    '',
    compareMarkdown(c.rows),
    '',
    head,
    `|${' --- |'.repeat(c.models.length + 1)}`,
    ...lines,
    '',
  ].join('\n');
}

function html(c: Comparison, nonce: string): string {
  const best = bestModels(c.rows);
  const summary = c.rows
    .map(
      (r) =>
        `<tr${best.has(r.model) ? ' class="best"' : ''}>${compareCells(r)
          .map((v, i) => `<td${i ? ' class="num"' : ''}>${esc(v)}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  const matrix = caseMatrix(c.models, c.cases)
    .map((r) => `<tr><td>${esc(r.suite)} › ${esc(r.caseName)}</td>${r.cells.map((x) => cell(x)).join('')}</tr>`)
    .join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<title>${esc(c.title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
table { border-collapse: collapse; margin: 8px 0 20px; }
th, td { padding: 4px 12px; border-bottom: 1px solid var(--vscode-panel-border, #8884); text-align: left; white-space: nowrap; }
th { font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.best td { font-weight: 600; }
tr.best td:nth-child(2) { color: var(--vscode-testing-iconPassed, #3fb950); }
.pass { color: var(--vscode-testing-iconPassed, #3fb950); }
.fail, .error { color: var(--vscode-testing-iconFailed, #f85149); }
.note { color: var(--vscode-descriptionForeground); }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 12px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
</style></head><body>
<h2>${esc(c.title)}</h2>
<table id="summary"><thead><tr>${COMPARE_COLUMNS.map((h, i) => `<th${i ? ' class="num"' : ''}>${h}</th>`).join('')}</tr></thead><tbody>${summary}</tbody></table>
${c.rows.some((r) => r.totals.unpriced) ? `<p class="note">${esc(UNPRICED_NOTE)}</p>` : ''}
<h3>Cases</h3>
<table id="cases"><thead><tr><th>Case</th>${c.models.map((m) => `<th>${esc(m)}</th>`).join('')}</tr></thead><tbody>${matrix}</tbody></table>
<button id="copy">Copy as Markdown</button>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
document.getElementById('copy').addEventListener('click', () => vscode.postMessage({ type: 'copyMarkdown' }));
</script>
</body></html>`;
}

function cell(x: ReturnType<typeof caseMatrix>[number]['cells'][number]): string {
  if (!x) return '<td class="note">—</td>';
  const detail = x.error
    ? esc(x.error)
    : `${formatMs(x.latencyMs)}${x.costUsd !== undefined ? ` · ${formatUsd(x.costUsd)}` : ''}`;
  return `<td class="${x.status}" title="${detail}">${STATUS[x.status] ?? esc(x.status)} <span class="note">${x.error ? '' : detail}</span></td>`;
}
