// `npm run test:browser`: drives the real VS Code UI (code-server, headless Chromium) as a
// person would, with no test-runner extension: mouse, keyboard and what is on screen.
//   1. the Prompt Registry activity-bar container and its Prompts view,
//   2. the tooltip of the prompt whose model is no longer available,
//   3. the Models view,
//   4. Quick Open a prompt; the model status bar item,
//   5. "Prompt Registry: Change Model…" from the command palette, pick gpt-4o-mini,
//   6. the file on disk changed only in its model line; the status bar follows,
//   7. the History view of clean.md (the workspace is made a git repository with two commits),
//      and Compare With Working Copy from its context menu, with the semantic diff on hover,
//   8. "Prompt Registry: Run Tests…" from the palette, "changed since" main (clean.md changed in step 5;
//      its suite runs on the offline echo provider), and the end-of-run notification.
// Screenshots go to test/screenshots/ (git-ignored): prompts-view.png, prompts-tooltip.png,
// models-view.png, model-picker.png, history-view.png, diff-summary.png, palette-run.png, and
// failure-<step>.png when a step fails.
// Logs of the last run: test/results/browser/. The last line is exactly
// "browser: N passed, M failed"; the exit code is 1 on any failure or on the time limit
// (PR_BROWSER_TIMEOUT_MS, default 4 min).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ROOT,
  codeServerVersion,
  collectLogs,
  ensureBuilt,
  installBuiltExtension,
  installHost,
  launchBrowser,
  makeTempRun,
  startServer,
  stopServer,
  tail,
  writeSettings,
} from '../integration/launch/common.mjs';

const RESULTS_DIR = path.join(ROOT, 'test/results/browser'); // git-ignored
const SHOTS_DIR = path.join(ROOT, 'test/screenshots'); // git-ignored
const SHOTS = [
  'prompts-view.png',
  'prompts-tooltip.png',
  'models-view.png',
  'model-picker.png',
  'history-view.png',
  'diff-summary.png',
  'palette-run.png',
];
const SERVER_LOG = path.join(RESULTS_DIR, 'code-server.log');
const BROWSER_LOG = path.join(RESULTS_DIR, 'browser.log');
const TOTAL_TIMEOUT_MS = Number(process.env.PR_BROWSER_TIMEOUT_MS || 4 * 60_000);
// Waits for the UI: generous (2 cores shared with other test runs) but bounded.
const WAIT_MS = Number(process.env.PR_BROWSER_WAIT_MS || 30_000);
// The first window: workbench, extension host and our extension's activation.
const STARTUP_WAIT_MS = Number(process.env.PR_BROWSER_STARTUP_WAIT_MS || 120_000);

const log = (msg) => console.log(`[browser] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Selectors: ARIA roles and labels where VS Code has them.

const esc = (s) => s.replace(/["\\]/g, '\\$&');
const SEL = {
  workbench: '.monaco-workbench',
  activity: (label) => `.activitybar [role="tab"] a[aria-label="${esc(label)}"]`,
  sidebar: '#workbench\\.parts\\.sidebar',
  sidebarSash: '.monaco-sash.vertical',
  paneHeader: (prefix) => `.pane-header[role="button"][aria-label^="${esc(prefix)}"]`,
  tree: (name) => `[role="tree"][aria-label="${esc(name)}"]`,
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  // Single picks give rows role=option, multi-selects role=checkbox.
  quickRows: '.quick-input-widget .quick-input-list .monaco-list-row',
  hover: '.workbench-hover, .monaco-hover',
  statusBar: '#workbench\\.parts\\.statusbar',
};

// ---------------------------------------------------------------------------------------------
// Steps: each one a thing a person checks. A step whose `needs` failed is not run and counts
// as failed, so a partial run is never reported green.

const steps = [];
const step = (name, title, fn, needs = []) => steps.push({ name, title, fn, needs });

let page;
let workspace;
const ctx = {}; // what steps learn for later steps

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Starts with the label, then the end, a space or a comma: the accessible name is the label
// followed by the description or the extension's accessibility text.
const byLabel = (label) => new RegExp(`^${escapeRe(label)}(?=[\\s,]|$)`);

// Tree row (role=treeitem) by its label, within one view (role=tree named after the view).
function treeRow(view, label) {
  return page.locator(SEL.tree(view)).getByRole('treeitem', { name: byLabel(label) });
}
const rowNames = (view) =>
  page
    .locator(`${SEL.tree(view)} [role="treeitem"]`)
    .evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));

async function expectVisible(locator, what, timeout = WAIT_MS) {
  const shown = locator.filter({ visible: true }).first();
  try {
    await shown.waitFor({ state: 'visible', timeout });
  } catch {
    const n = await locator.count().catch(() => '?');
    throw new Error(`${what}: not visible within ${timeout / 1000} s (${n} matching element(s) in the page)`);
  }
  return shown;
}

// Polls fn() until it returns a truthy value; returns the last value seen on timeout, or throws.
async function until(fn, what, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what} (waited ${timeout / 1000} s; last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
      );
    await sleep(250);
  }
}

async function shot(file, target) {
  const p = path.join(SHOTS_DIR, file);
  if (target) await target.screenshot({ path: p });
  else await page.screenshot({ path: p });
  log(`  screenshot ${path.relative(ROOT, p)}`);
}

// Opens a quick input (F1 / Ctrl+P) and waits until its box is focused.
async function openQuickInput(key, prefix) {
  await page.keyboard.press('Escape');
  await page.keyboard.press(key);
  const box = await expectVisible(page.locator(SEL.quickInputBox), `quick input after ${key}`);
  await until(
    async () =>
      (await box.evaluate((el) => el === document.activeElement)) && (await box.inputValue()).startsWith(prefix),
    `the quick input box is focused and starts with "${prefix}"`,
  );
  return box;
}

// Waits until the quick input's focused row has an accessible name matching re, then Enter.
async function acceptRow(re, what) {
  const focused = page.locator(`${SEL.quickRows}.focused`);
  await until(
    async () => re.test((await focused.first().getAttribute('aria-label', { timeout: 1000 })) ?? ''),
    `${what}: the focused row matches ${re}`,
  ).catch(async (e) => {
    const rows = await page
      .locator(SEL.quickRows)
      .evaluateAll((els) =>
        els.map((el) => `${el.classList.contains('focused') ? '> ' : '  '}${el.getAttribute('aria-label')}`),
      );
    throw new Error(`${e.message}\nrows:\n${rows.join('\n')}`);
  });
  await page.keyboard.press('Enter');
}

// Presses Down (at most 8 times) until the quick input's focused row matches re.
async function focusRow(re) {
  const focused = page.locator(`${SEL.quickRows}.focused`);
  for (let i = 0; i < 8; i++) {
    if (
      re.test(
        (await focused
          .first()
          .getAttribute('aria-label', { timeout: 2000 })
          .catch(() => '')) ?? '',
      )
    )
      return;
    await page.keyboard.press('ArrowDown');
  }
}

// The model status bar item, found by its accessibility label ("Prompt model: …").
async function statusBarText() {
  const item = page.locator(`${SEL.statusBar} [aria-label^="Prompt model:"]`).filter({ visible: true }).first();
  if (!(await item.count())) return null;
  return { text: (await item.innerText()).trim().replace(/\s+/g, ' '), label: await item.getAttribute('aria-label') };
}

step('open-view', 'Prompt Registry container: the Prompts view lists the fixture prompts', async () => {
  await expectVisible(page.locator(SEL.workbench), 'the workbench', STARTUP_WAIT_MS);
  const icon = await expectVisible(
    page.locator(SEL.activity('Prompt Registry')),
    'the "Prompt Registry" activity bar item',
    STARTUP_WAIT_MS,
  );
  await icon.click();
  await expectVisible(page.locator(SEL.paneHeader('Prompts')), 'the Prompts view header');
  // The tree appears once the extension has activated and indexed the workspace.
  await expectVisible(treeRow('Prompts', 'Clean'), 'the "Clean" prompt in the Prompts view', STARTUP_WAIT_MS);
  // A wider side bar, as a person would drag it, so descriptions (models, prices) are readable.
  const sidebar = page.locator(SEL.sidebar);
  const box = await sidebar.boundingBox();
  const sash = page.locator(SEL.sidebarSash).filter({ visible: true });
  const sashes = await sash.evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2, h: r.height };
    }),
  );
  const edge = sashes.find((s) => Math.abs(s.x - (box.x + box.width)) < 8 && s.h > 200);
  if (edge) {
    await page.mouse.move(edge.x, edge.y);
    await page.mouse.down();
    await page.mouse.move(edge.x + 160, edge.y, { steps: 8 });
    await page.mouse.up();
    await until(
      async () => (await sidebar.boundingBox()).width > box.width + 100,
      'the side bar got wider',
      5000,
    ).catch(() => log('  (could not widen the side bar; screenshots may truncate descriptions)'));
  }
  const names = await rowNames('Prompts');
  for (const want of ['format', 'models', 'Clean', 'hello']) {
    if (!names.some((n) => byLabel(want).test(n)))
      throw new Error(`no "${want}" row in the Prompts view; rows: ${names.join(' | ')}`);
  }
  // The folder group that holds the inactive-model prompt; collapsed by default.
  const group = await expectVisible(treeRow('Prompts', 'models'), 'the "models" folder group');
  if ((await group.getAttribute('aria-expanded')) !== 'true') await group.click();
  await until(async () => (await group.getAttribute('aria-expanded')) === 'true', 'the "models" group expanded');
  await expectVisible(treeRow('Prompts', 'inactive-model'), 'the "inactive-model" row under "models"');
  await page.mouse.move(700, 450); // no hover over the tree in the picture
  await shot('prompts-view.png', page.locator(SEL.sidebar));
});

step(
  'tooltip',
  'Prompts view: the inactive-model prompt has a warning icon and the tooltip "Model is no longer available"',
  async () => {
    const row = await expectVisible(treeRow('Prompts', 'inactive-model'), 'the "inactive-model" row');
    const rowName = await row.getAttribute('aria-label');
    const icon = await row
      .locator('.custom-view-tree-node-item-icon')
      .first()
      .getAttribute('class')
      .catch(() => '');
    if (!/codicon-warning\b/.test(icon ?? ''))
      throw new Error(`the "inactive-model" row's icon is not the warning icon (class="${icon}")`);
    // Hover the label as a person would; the tooltip is resolved on hover (resolveTreeItem).
    const label = row.locator('.monaco-icon-label').first();
    const hover = page.locator(SEL.hover).filter({ visible: true });
    let text = '';
    for (let attempt = 1; attempt <= 3 && !text.includes('Model is no longer available'); attempt++) {
      await page.mouse.move(700, 450);
      await label.hover();
      text = await until(
        async () => {
          const t = (await hover.allInnerTexts()).join('\n').trim();
          return t && !/^Loading/i.test(t) && t.includes('inactive-model') ? t : '';
        },
        `the hover of "${rowName}" shows up`,
        15_000,
      ).catch((e) => (attempt === 3 ? Promise.reject(e) : ''));
    }
    log(`  hover text: ${JSON.stringify(text)}`);
    if (!text.includes('Model is no longer available'))
      throw new Error(`the tooltip of "${rowName}" lacks "Model is no longer available": ${JSON.stringify(text)}`);
    ctx.tooltip = text;
    await shot('prompts-tooltip.png');
    await page.mouse.move(700, 450);
  },
  ['open-view'],
);

step(
  'models-view',
  'Models view: each catalog model with its state; gpt-3.5-turbo-0301 no longer available',
  async () => {
    const header = await expectVisible(page.locator(SEL.paneHeader('Models')), 'the Models view header');
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const rows = page.locator(`${SEL.tree('Models')} [role="treeitem"]`);
    await expectVisible(rows, 'rows in the Models view');
    const names = await until(async () => {
      const n = await rowNames('Models');
      return n.some((x) => byLabel('GPT-3.5 Turbo (0301)').test(x)) ? n : null;
    }, 'a "GPT-3.5 Turbo (0301)" row in the Models view');
    const inactive = names.find((x) => byLabel('GPT-3.5 Turbo (0301)').test(x));
    if (!/no longer available/.test(inactive))
      throw new Error(`the GPT-3.5 Turbo (0301) row does not say "no longer available": ${inactive}`);
    const mini = names.find((x) => byLabel('GPT-4o mini').test(x));
    if (!mini || !/\$0\.15 \/ \$0\.60/.test(mini))
      throw new Error(`no "GPT-4o mini" row with its prices ($0.15 / $0.60): ${names.join(' | ')}`);
    ctx.models = names;
    const pane = page.locator('.pane').filter({ has: page.locator(SEL.paneHeader('Models')) });
    await shot('models-view.png', pane.first());
  },
  ['open-view'],
);

step(
  'open-prompt',
  'Quick Open prompts/clean.md; the status bar shows its model and price',
  async () => {
    const box = await openQuickInput('Control+P', '');
    await box.fill('prompts/clean.md');
    await acceptRow(/^clean\.md\b/, 'Quick Open');
    await expectVisible(
      page.locator('.tabs-container [role="tab"].active[aria-label^="clean.md"]'),
      'the clean.md editor tab',
    );
    await expectVisible(
      page.locator('.monaco-editor .view-lines').filter({ hasText: 'model: gpt-4o' }),
      'the clean.md text in the editor',
    );
    const sb = await until(statusBarText, 'the "Prompt model" status bar item');
    log(`  status bar: ${JSON.stringify(sb.text)} (${sb.label})`);
    if (!/GPT-4o \(general\).*\$2\.50 \/ \$10\.00/.test(sb.text))
      throw new Error(`status bar item text: ${JSON.stringify(sb.text)}; expected GPT-4o (general) · $2.50 / $10.00`);
  },
  ['open-view'],
);

step(
  'change-model',
  'Command palette "Prompt Registry: Change Model…": pick gpt-4o-mini',
  async () => {
    const box = await openQuickInput('F1', '>');
    await box.fill('>Prompt Registry: Change Model');
    await acceptRow(/^Prompt Registry: Change Model…/, 'the command palette');
    // The model picker replaces the palette in the same widget.
    await until(
      async () =>
        (await page.locator(SEL.quickInputBox).getAttribute('placeholder')) ===
        'Type to filter by name, id or provider',
      'the model picker (placeholder "Type to filter by name, id or provider")',
    );
    const title = (
      await page
        .locator(`${SEL.quickInput} .quick-input-title`)
        .innerText()
        .catch(() => '')
    ).trim();
    log(`  picker title: ${JSON.stringify(title)}`);
    if (title !== 'Change Model: Clean')
      throw new Error(`model picker title ${JSON.stringify(title)}, expected "Change Model: Clean"`);
    await until(async () => (await page.locator(SEL.quickRows).count()) >= 3, 'model rows in the picker');
    const rows = await page.locator(SEL.quickRows).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    log(`  picker rows: ${rows.join(' | ')}`);
    if (!rows.some((r) => /gpt-4o-mini/.test(r))) throw new Error(`no gpt-4o-mini in the picker: ${rows.join(' | ')}`);
    await shot('model-picker.png');
    await page.keyboard.type('gpt-4o-mini', { delay: 20 });
    await acceptRow(/gpt-4o-mini/, 'the model picker');
    await until(async () => !(await page.locator(SEL.quickInput).isVisible()), 'the model picker closes');
  },
  ['open-prompt'],
);

step(
  'file-on-disk',
  'prompts/clean.md on disk: model: gpt-4o-mini, every other byte unchanged; no other prompt touched',
  async () => {
    const fixture = path.join(ROOT, 'test/fixtures/workspace');
    const original = fs.readFileSync(path.join(fixture, 'prompts/clean.md'));
    const expected = Buffer.from(
      original.toString('latin1').replace(/^model: gpt-4o$/m, 'model: gpt-4o-mini'),
      'latin1',
    );
    if (expected.equals(original)) throw new Error('the fixture prompts/clean.md has no "model: gpt-4o" line');
    const file = path.join(workspace, 'prompts/clean.md');
    await until(
      () => fs.readFileSync(file).equals(expected),
      'prompts/clean.md on disk equals the fixture with model: gpt-4o-mini, byte for byte',
    ).catch((e) => {
      throw new Error(`${e.message}\n--- on disk ---\n${fs.readFileSync(file, 'utf8')}\n--- expected ---\n${expected}`);
    });
    const dirty = await page.locator('.tabs-container [role="tab"].active.dirty').count();
    if (dirty) throw new Error('the clean.md editor is left dirty (unsaved) after Change Model');
    const changed = fs
      .readdirSync(path.join(fixture, 'prompts'), { recursive: true })
      .filter((f) => f.endsWith('.md') && f !== 'clean.md')
      .filter(
        (f) =>
          !fs
            .readFileSync(path.join(fixture, 'prompts', f))
            .equals(fs.readFileSync(path.join(workspace, 'prompts', f))),
      );
    if (changed.length) throw new Error(`other prompt files changed on disk: ${changed.join(', ')}`);
  },
  ['change-model'],
);

step(
  'status-bar',
  'Status bar follows the new model: gpt-4o-mini · $0.15 / $0.60',
  async () => {
    // No label is configured for gpt-4o-mini, so the item shows the model as written.
    const sb = await until(async () => {
      const s = await statusBarText();
      return s && /gpt-4o-mini|GPT-4o mini/.test(s.text) ? s : null;
    }, 'the status bar item shows gpt-4o-mini');
    log(`  status bar: ${JSON.stringify(sb.text)} (${sb.label})`);
    if (!/\$0\.15 \/ \$0\.60/.test(sb.text))
      throw new Error(`status bar item text: ${JSON.stringify(sb.text)}; expected the price $0.15 / $0.60`);
  },
  ['change-model'],
);

step(
  'history',
  'History view: working copy, v2 and v1 of clean.md; Compare With Working Copy, and the semantic diff on hover at line 1',
  async () => {
    const header = await expectVisible(page.locator(SEL.paneHeader('History')), 'the History view header');
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const names = await until(async () => {
      const n = await rowNames('History');
      return n.length >= 3 ? n : null;
    }, 'three rows in the History view (working copy, v2, v1)');
    log(`  history rows: ${names.join(' | ')}`);
    if (
      !/^working copy/.test(names[0]) ||
      !/^v2 +Explain things simply/.test(names[1]) ||
      !/^v1 +Add the clean prompt/.test(names[2])
    ) {
      throw new Error(`History rows: ${names.join(' | ')}`);
    }
    const pane = page.locator('.pane').filter({ has: page.locator(SEL.paneHeader('History')) });
    await page.mouse.move(700, 450);
    await shot('history-view.png', pane.first());
    await treeRow('History', 'v2').first().click({ button: 'right' });
    const item = await expectVisible(
      page.locator('.monaco-menu .action-item').filter({ hasText: 'Compare With Working Copy' }),
      'the "Compare With Working Copy" menu item',
    );
    // The menu acts on a full press (mouse up); hover then Enter is what works reliably in the web workbench.
    await item.hover();
    await until(
      async () => /focused/.test((await item.getAttribute('class')) ?? ''),
      'the menu item focused',
      5000,
    ).catch(() => {});
    await page.keyboard.press('Enter');
    await expectVisible(
      page.locator('.tabs-container [role="tab"].active').filter({ hasText: 'working copy' }),
      'the diff tab "clean.md (v2) ↔ clean.md (working copy)"',
    );
    // Diff editors render no CodeLens by default (diffEditor.codeLens), so a person sees the summary as a hover on line 1.
    const first = page.locator('.monaco-diff-editor .editor.modified .view-line').filter({ hasText: '---' }).first();
    await expectVisible(first, 'the first line of the right side');
    await first.hover({ position: { x: 8, y: 6 } });
    const hover = await expectVisible(
      page.locator(SEL.hover).filter({ hasText: 'What changed in this prompt' }),
      'the hover "What changed in this prompt"',
    );
    const text = (await hover.innerText()).trim();
    log(`  hover: ${JSON.stringify(text)}`);
    if (!/model gpt-4o → gpt-4o-mini/.test(text) || !/input price −\d+ %/.test(text))
      throw new Error(`the hover does not show the model and price change: ${JSON.stringify(text)}`);
    await shot('diff-summary.png');
  },
  ['file-on-disk'],
);

step(
  'palette-run',
  'Command palette "Prompt Registry: Run Tests…", changed since main: "1 passed, 1 failed on local/gpt-4o" with Re-run Failed',
  async () => {
    const box = await openQuickInput('F1', '>');
    await box.fill('>Prompt Registry: Run Tests');
    // Fuzzy matching ranks "Re-run Failed Tests" first; a person presses Down to reach "Run Tests…".
    await focusRow(/^Prompt Registry: Run Tests…/);
    await acceptRow(/^Prompt Registry: Run Tests…/, 'the command palette');
    await until(
      async () =>
        /^Run Tests…/.test(
          (
            await page
              .locator(`${SEL.quickInput} .quick-input-title`)
              .innerText()
              .catch(() => '')
          ).trim(),
        ),
      'the suite picker (title "Run Tests…")',
    );
    const rows = await page.locator(SEL.quickRows).evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    log(`  scope rows: ${rows.join(' | ')}`);
    await page.keyboard.type('changed since', { delay: 20 });
    await acceptRow(/Changed since a git ref/, 'the suite picker');
    await until(
      async () =>
        (
          await page
            .locator(`${SEL.quickInput} .quick-input-title`)
            .innerText()
            .catch(() => '')
        ).trim() === 'Run Tests: suites changed since…',
      'the ref picker (title "Run Tests: suites changed since…")',
    );
    await acceptRow(/^main(?=[\s,]|$)/, 'the ref picker');
    const toast = await expectVisible(
      page.locator('.notifications-toasts .notification-toast').filter({ hasText: /\d+ passed/ }),
      'the end-of-run notification',
    );
    const text = (await toast.innerText()).replace(/\s+/g, ' ').trim();
    log(`  notification: ${JSON.stringify(text)}`);
    if (!/1 passed, 1 failed on local\/gpt-4o · \d+\.\d s/.test(text) || !/Re-run Failed/.test(text))
      throw new Error(`end-of-run notification: ${JSON.stringify(text)}`);
    await shot('palette-run.png');
  },
  ['change-model'],
);

// ---------------------------------------------------------------------------------------------

// Two commits of prompts/clean.md, the fixture being the newest, so the History view has versions.
function commitHistory(dir) {
  const run = (args, when) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when, GIT_CONFIG_NOSYSTEM: '1' },
    });
  const file = path.join(dir, 'prompts/clean.md');
  const fixture = fs.readFileSync(file);
  run(['init', '-q', '-b', 'main']);
  run(['config', 'user.name', 'Ada Reviewer']);
  run(['config', 'user.email', 'ada@example.com']);
  fs.writeFileSync(file, fixture.toString('utf8').replace('You explain things simply.', 'You explain things.'));
  addEchoSuite(dir);
  run(['add', '-A']);
  run(['commit', '-q', '-m', 'Add the clean prompt'], '2026-11-01T10:00:00Z');
  fs.writeFileSync(file, fixture);
  run(['commit', '-q', '-am', 'Explain things simply'], '2026-11-02T10:00:00Z');
}

// The offline echo provider beside openai, and a suite for clean.md on it: step 8 runs it, calling no network.
// One case passes (echo repeats the prompt), one fails, so the notification offers Re-run Failed.
function addEchoSuite(dir) {
  const config = path.join(dir, 'prompt-registry.yaml');
  const text = fs.readFileSync(config, 'utf8');
  const providers =
    'providers:\n  - name: openai\n    baseURL: https://api.openai.com/v1\n    apiKeyEnv: OPENAI_API_KEY\n  - {name: local, type: echo}\n';
  if (!text.includes('\nmodels:\n'))
    throw new Error('the fixture config has no models: section to put providers before');
  fs.writeFileSync(config, text.replace('\nmodels:\n', `\n${providers}models:\n`));
  fs.writeFileSync(
    path.join(dir, 'prompts/clean.suite.yaml'),
    [
      'model: local/gpt-4o',
      'cases:',
      '  - name: explains recursion',
      '    vars: {topic: recursion}',
      '    assert:',
      '      - {type: contains, value: Explain recursion.}',
      '  - name: mentions brevity',
      '    vars: {topic: loops}',
      '    assert:',
      '      - {type: contains, value: briefly}',
      '',
    ].join('\n'),
  );
}

async function main() {
  installHost();
  ensureBuilt();
  const tmpRun = makeTempRun('pr-browser-', RESULTS_DIR);
  workspace = tmpRun.workspace;
  commitHistory(workspace);
  const { tmp } = tmpRun;
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  // Only this check's pictures: a stale one must not pass for this run's.
  for (const f of [...SHOTS, ...steps.map((s) => `failure-${s.name}.png`)])
    fs.rmSync(path.join(SHOTS_DIR, f), { force: true });
  const extensionsDir = path.join(tmp, 'extensions');
  const userDataDir = path.join(tmp, 'user-data');
  installBuiltExtension(extensionsDir);
  writeSettings(userDataDir, {
    // Only our UI: no chat side bar, no welcome views, instant-ish hovers.
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.hover.delay': 300,
  });
  log(`code-server ${codeServerVersion()}; workspace ${workspace}`);

  let server,
    context,
    fatal = null,
    timedOut = false;
  const results = [];
  const timer = setTimeout(() => {
    timedOut = true;
  }, TOTAL_TIMEOUT_MS);
  // Last resort if even the cleanup hangs: stop the server and leave, never green.
  const watchdog = setTimeout(async () => {
    console.log(`\n[browser] FAILED: still running ${(TOTAL_TIMEOUT_MS + 60_000) / 1000} s after start; giving up`);
    console.log(`browser: 0 passed, ${steps.length} failed`);
    await stopServer(server?.child);
    process.exit(1);
  }, TOTAL_TIMEOUT_MS + 60_000);
  watchdog.unref();
  const onSignal = () => {
    fatal = 'interrupted';
    timedOut = true;
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    server = startServer({ tmp, workspace, extensionsDir, userDataDir, logFile: SERVER_LOG });
    const base = await server.url;
    log(`code-server listening on ${base}; opening the workspace in headless Chromium`);
    ({ context, page } = await launchBrowser({
      profileDir: path.join(tmp, 'chromium-profile'),
      logFile: BROWSER_LOG,
      viewport: { width: 1400, height: 900 },
    }));
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60_000 });

    const failedSteps = new Set();
    for (const s of steps) {
      const t0 = Date.now();
      const missing = s.needs.filter((n) => failedSteps.has(n));
      if (timedOut || missing.length) {
        failedSteps.add(s.name);
        const why = timedOut
          ? `not run: ${fatal ?? `time limit (${TOTAL_TIMEOUT_MS / 1000} s)`} reached`
          : `not run: needs ${missing.join(', ')}`;
        results.push({ ...s, ok: false, error: why, ms: 0 });
        console.log(`  ✗ ${s.title} (${why})`);
        continue;
      }
      log(`${s.name}: ${s.title}`);
      // The step races the overall deadline so a hung wait cannot outlive it.
      const deadline = new Promise((_, reject) => {
        const left = TOTAL_TIMEOUT_MS - (Date.now() - started);
        setTimeout(
          () => reject(new Error(`time limit (${TOTAL_TIMEOUT_MS / 1000} s) reached`)),
          Math.max(0, left),
        ).unref();
      });
      try {
        await Promise.race([s.fn(), deadline]);
        results.push({ ...s, ok: true, ms: Date.now() - t0 });
        console.log(`  ✓ ${s.title} (${Date.now() - t0} ms)`);
      } catch (err) {
        failedSteps.add(s.name);
        results.push({ ...s, ok: false, error: err.message, ms: Date.now() - t0 });
        console.log(`  ✗ ${s.title} (${Date.now() - t0} ms)`);
        const shotFile = path.join(SHOTS_DIR, `failure-${s.name}.png`);
        await Promise.race([
          page.screenshot({ path: shotFile }).then(() => log(`  screenshot ${path.relative(ROOT, shotFile)}`)),
          sleep(10_000),
        ]).catch(() => {});
        // Close whatever the step left open, for the steps that do not depend on it.
        await page.keyboard.press('Escape').catch(() => {});
      }
    }
  } catch (err) {
    fatal = err.message;
  } finally {
    clearTimeout(timer);
    await Promise.race([context?.close().catch(() => {}), sleep(10_000)]);
    await stopServer(server?.child);
  }
  const hostLogs = collectLogs(userDataDir, RESULTS_DIR);
  fs.rmSync(tmp, { recursive: true, force: true });

  for (const s of steps.filter((x) => !results.some((r) => r.name === x.name)))
    results.push({ ...s, ok: false, error: `not run: ${fatal}`, ms: 0 });
  const failed = results.filter((r) => !r.ok);
  failed.forEach((r, i) =>
    console.log(
      `\n  ${i + 1}) ${r.name}: ${r.title}\n${r.error
        .split('\n')
        .map((l) => `      ${l}`)
        .join('\n')}`,
    ),
  );
  if (failed.length || fatal) {
    for (const file of [SERVER_LOG, ...hostLogs.filter((f) => !f.endsWith('remoteagent.log')), BROWSER_LOG]) {
      console.log(`\n----- last lines of ${path.relative(ROOT, file)} -----\n${tail(file, 30)}`);
    }
  }
  if (fatal) console.log(`\n[browser] FAILED: ${fatal}`);
  log(
    `logs: ${path.relative(ROOT, RESULTS_DIR)}/; screenshots: ${path.relative(ROOT, SHOTS_DIR)}/ (wall time ${elapsed()})`,
  );
  const passed = results.filter((r) => r.ok).length;
  console.log(`browser: ${passed} passed, ${results.length - passed} failed`);
  return failed.length || fatal ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`[browser] FAILED: ${err.stack ?? err}`);
    console.log(`browser: 0 passed, ${steps.length} failed`);
    process.exit(1);
  },
);
