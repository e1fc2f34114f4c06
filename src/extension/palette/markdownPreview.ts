import * as vscode from 'vscode';

/** What a report panel shows right now (the test hook reads it). */
export interface Rendered {
  title: string;
  markdown: string;
  html: string;
}

/**
 * A read-only Markdown report in a webview panel. Not the built-in Markdown preview:
 * it never runs `command:` links (microsoft/vscode#215939), and the review's rows and
 * its Run action are such links. A webview runs exactly the commands named in
 * `commands`, with scripts off; the Markdown is rendered by the built-in Markdown
 * extension (`markdown.api.render`), so it looks like the preview.
 */
export class MarkdownPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly rendered = new vscode.EventEmitter<Rendered>();
  readonly onDidRender = this.rendered.event;
  current: Rendered | undefined;

  constructor(
    private readonly viewType: string,
    private readonly commands: readonly string[],
  ) {}

  get visible(): boolean {
    return this.panel !== undefined;
  }

  async show(title: string, markdown: string): Promise<Rendered> {
    const body = await render(markdown);
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        this.viewType,
        title,
        { viewColumn: vscode.ViewColumn.Active },
        { enableCommandUris: this.commands, enableScripts: false, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.current = undefined;
      });
    } else this.panel.reveal(undefined, false);
    this.panel.title = title;
    const html = page(title, body);
    this.panel.webview.html = html;
    this.current = { title, markdown, html };
    this.rendered.fire(this.current);
    return this.current;
  }

  dispose(): void {
    this.panel?.dispose();
    this.rendered.dispose();
  }
}

async function render(markdown: string): Promise<string> {
  try {
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', markdown);
    if (typeof html === 'string') return html;
  } catch {
    // The built-in Markdown extension is disabled: show the source rather than nothing.
  }
  return `<pre>${escapeHtml(markdown)}</pre>`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// No script, no remote content: the page is the rendered report and the theme's colours.
function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: var(--vscode-markdown-font-family, var(--vscode-font-family)); font-size: var(--vscode-markdown-font-size, 14px); line-height: 1.5; padding: 0 26px 26px; color: var(--vscode-foreground); }
a { color: var(--vscode-textLink-foreground); }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 1px 3px; border-radius: 3px; }
pre { background: var(--vscode-textCodeBlock-background); padding: 8px 12px; overflow-x: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--vscode-editorWidget-border, #8884); padding: 3px 8px; }
th { text-align: left; }
details { margin: 6px 0; }
</style>
</head>
<body>
${body}
</body>
</html>`;
}
