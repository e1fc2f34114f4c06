import * as vscode from 'vscode';
import type { StateSeverity } from '../../core/views/modelStatus';
import { promptTooltip, type PromptInfo } from '../../core/views/promptIndex';

/** A problem icon in the list's own warning/error colours, or `fallback` when there is none. */
export function stateIcon(severity: StateSeverity, fallback: string): vscode.ThemeIcon {
  if (severity === 'error') return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (severity === 'warning') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  return new vscode.ThemeIcon(fallback);
}

/** Name and path, the model's problem, then its price and context window. User text is escaped. */
export function promptTooltipMarkdown(info: PromptInfo, footer?: string): vscode.MarkdownString {
  const t = promptTooltip(info);
  const md = new vscode.MarkdownString('', true);
  md.appendMarkdown(`**${escapeMarkdown(t.title)}** — ${escapeMarkdown(t.path)}\n\n`);
  if (t.problem) md.appendMarkdown(`$(${t.problem.severity}) ${escapeMarkdown(t.problem.message)}\n\n`);
  else if (t.note) md.appendMarkdown(`$(info) ${escapeMarkdown(t.note)}\n\n`);
  appendLines(md, t.model);
  if (footer) md.appendMarkdown(`\n\n${escapeMarkdown(footer)}`);
  return md;
}

/** Lines as one paragraph, each on its own line. */
export function appendLines(md: vscode.MarkdownString, lines: readonly string[]): vscode.MarkdownString {
  return md.appendMarkdown(lines.map(escapeMarkdown).join('  \n'));
}

/**
 * Escapes Markdown and theme-icon syntax in user text. Unlike appendText it
 * keeps spaces as spaces, so long messages still wrap in the hover.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, '\\$&');
}
