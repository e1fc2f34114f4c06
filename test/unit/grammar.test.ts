// The extension's TextMate grammar, tokenized with the engine VS Code uses (vscode-textmate + vscode-oniguruma),
// injected into VS Code's real Markdown grammar the way package.json contributes it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { REPO_ROOT } from './helpers/tmp';

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

const MARKDOWN = 'text.html.markdown';
const OURS = '.prompt-registry';

/** Each line's tokens as [text, innermost scope], whitespace-only tokens dropped. */
type Line = [string, string][];

describe('prompt grammar (TextMate tokenization)', () => {
  let markdown: textmate.IGrammar;

  before(async () => {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      contributes: { grammars: GrammarContribution[] };
    };
    const contributed = pkg.contributes.grammars;
    const files = new Map<string, string>([
      [MARKDOWN, path.join(REPO_ROOT, 'test/fixtures/grammars/markdown.tmLanguage.json')],
      ...contributed.map((g) => [g.scopeName, path.join(REPO_ROOT, g.path)] as [string, string]),
    ]);
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
        createOnigString: (s) => new oniguruma.OnigString(s),
      }),
      // Grammars Markdown embeds (YAML front matter, fenced languages) are not loaded: their blocks keep the
      // Markdown scopes the injection selector excludes, which is what these tests check.
      loadGrammar: async (scope) => {
        const file = files.get(scope);
        return file ? textmate.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
      },
      getInjections: (scope) => contributed.filter((g) => g.injectTo?.includes(scope)).map((g) => g.scopeName),
    });
    const g = await registry.loadGrammar(MARKDOWN);
    assert.ok(g, 'the Markdown grammar did not load');
    markdown = g;
  });

  function tokenize(text: string): { lines: Line[]; scopes: string[][][] } {
    let state = textmate.INITIAL;
    const lines: Line[] = [];
    const scopes: string[][][] = [];
    for (const line of text.split('\n')) {
      const r = markdown.tokenizeLine(line, state);
      state = r.ruleStack;
      const kept = r.tokens.filter((t) => line.slice(t.startIndex, t.endIndex).trim() !== '');
      lines.push(kept.map((t) => [line.slice(t.startIndex, t.endIndex), t.scopes.at(-1)!]));
      scopes.push(kept.map((t) => t.scopes));
    }
    return { lines, scopes };
  }

  /** Only the tokens our grammar scoped, as [text, scope]. */
  function ours(text: string): [string, string][] {
    return tokenize(text).lines.flatMap((l) => l.filter(([, s]) => s.endsWith(OURS)));
  }

  it('scopes template variables, triple-mustache and & escapes, and {{.}}, inside Markdown paragraphs', () => {
    assert.deepEqual(ours('Hello {{name}}, see {{{ raw_html }}} and {{&user.title}}; each {{.}}.'), [
      ['{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['name', 'variable.other.input.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
      ['{{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['raw_html', 'variable.other.input.prompt-registry'],
      ['}}}', 'punctuation.definition.template.end.prompt-registry'],
      ['{{&', 'punctuation.definition.template.begin.prompt-registry'],
      ['user.title', 'variable.other.input.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
      ['{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['.', 'variable.other.input.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
    ]);
    // Still inside Markdown: the injection adds scopes, it does not replace the paragraph.
    const { scopes } = tokenize('Hello {{name}}');
    const name = scopes[0]!.find((s) => s.at(-1) === 'variable.other.input.prompt-registry')!;
    assert.deepEqual(name.slice(0, 2), [MARKDOWN, 'meta.paragraph.markdown']);
  });

  it('scopes sections ({{#x}}, {{^x}}, {{/x}}) and comments ({{! … }}) on one line', () => {
    assert.deepEqual(ours('{{#items}}- {{name}}{{/items}}{{^items}}none{{/items}}'), [
      ['{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['#', 'keyword.control.section.prompt-registry'],
      ['items', 'variable.other.section.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
      ['{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['name', 'variable.other.input.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
      ['{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['/', 'keyword.control.section.prompt-registry'],
      ['items', 'variable.other.section.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
      ['{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['^', 'keyword.control.section.prompt-registry'],
      ['items', 'variable.other.section.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
      ['{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['/', 'keyword.control.section.prompt-registry'],
      ['items', 'variable.other.section.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
    ]);
    assert.deepEqual(ours('a {{! a note }} b {{x}}'), [
      ['{{!', 'comment.block.template.prompt-registry'],
      [' a note ', 'comment.block.template.prompt-registry'],
      ['}}', 'comment.block.template.prompt-registry'],
      ['{{', 'punctuation.definition.template.begin.prompt-registry'],
      ['x', 'variable.other.input.prompt-registry'],
      ['}}', 'punctuation.definition.template.end.prompt-registry'],
    ]);
  });

  it('marks a line that is exactly system:, user: or assistant: as a role, and nothing else', () => {
    assert.deepEqual(ours('system:\nYou help.\nuser:  \nassistant:\nuser: hi\nSystem:\n  user:'), [
      ['system', 'keyword.control.role.prompt-registry'],
      [':', 'punctuation.separator.role.prompt-registry'],
      ['user', 'keyword.control.role.prompt-registry'],
      [':', 'punctuation.separator.role.prompt-registry'],
      ['assistant', 'keyword.control.role.prompt-registry'],
      [':', 'punctuation.separator.role.prompt-registry'],
    ]);
  });

  // Front matter is not checked here: the vendored Markdown grammar's frontMatter rule does not match in
  // vscode-textmate 9.3.2 outside VS Code (to investigate), so no meta.embedded.block.frontmatter scope appears.
  it('leaves fenced code and inline code to Markdown (no template scopes there)', () => {
    const file = [
      'Ask about {{topic}}.',
      '```',
      '{{in_fence}}',
      'user:',
      '```',
      'Run `{{inline}}` then {{after}}.',
    ].join('\n');
    assert.deepEqual(
      ours(file).filter(([, s]) => s === 'variable.other.input.prompt-registry'),
      [
        ['topic', 'variable.other.input.prompt-registry'],
        ['after', 'variable.other.input.prompt-registry'],
      ],
    );
    assert.deepEqual(
      ours(file).filter(([, s]) => s.startsWith('keyword.control.role')),
      [],
      'user: in a fence is not a role',
    );
  });
});
