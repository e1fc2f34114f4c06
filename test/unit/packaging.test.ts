import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaFiles } from '../../src/core/schemas';
import { REPO_ROOT } from './helpers/tmp';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));

describe('packaging', () => {
  it('committed JSON Schemas match the zod schemas (run "npm run schemas" after changing them)', () => {
    for (const [file, schema] of Object.entries(schemaFiles())) {
      const committed = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas', file), 'utf8'));
      assert.deepEqual(committed, JSON.parse(JSON.stringify(schema)), file);
    }
  });

  it('contributes files that exist', () => {
    for (const g of pkg.contributes.grammars) assert.ok(fs.existsSync(path.join(REPO_ROOT, g.path)), g.path);
    for (const v of pkg.contributes.yamlValidation) assert.ok(fs.existsSync(path.join(REPO_ROOT, v.url)), v.url);
  });

  it('activates only for prompt workspaces', () => {
    assert.deepEqual(pkg.activationEvents, ['workspaceContains:prompt-registry.yaml', 'workspaceContains:prompts/**/*.md']);
  });

  it('the injection grammar is valid JSON with the scopes the editor colours', () => {
    const g = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'syntaxes/prompt-injection.tmLanguage.json'), 'utf8'));
    const role = new RegExp(g.repository['role-marker'].match, 'm');
    assert.ok(role.test('user:'));
    assert.ok(!role.test('user: hi'));
    const v = new RegExp(g.repository.variable.match);
    assert.equal(v.exec('Hi {{ name }}!')?.[2], 'name');
    assert.equal(v.exec('{{{raw}}}')?.[2], 'raw');
  });
});
