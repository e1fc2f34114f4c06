import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseConfig, type ResolvedProvider } from '../../src/core/config/load';
import { allowedHostsFile, userAllowances } from '../../src/core/providers/allowedHosts';
import {
  decideKey,
  hostSpec,
  originOf,
  parseHostList,
  type HostAllowance,
  type RefusedKey,
} from '../../src/core/providers/keyPolicy';
import { providerChanges, originChanges } from '../../src/core/review/providerChanges';
import { tmpDir, writeFiles } from './helpers/tmp';

const KEY = 'sk-key-0123456789';
const provider = (yaml: string): ResolvedProvider =>
  parseConfig(`providers:\n  - name: p\n${yaml}`, '/x/prompt-registry.yaml', {}).config.providers[0]!;

describe('key policy: where a key may go', () => {
  it('origin is scheme, host and port', () => {
    assert.deepEqual(originOf('https://api.openai.com/v1'), {
      origin: 'https://api.openai.com',
      scheme: 'https',
      host: 'api.openai.com',
      port: 443,
    });
    assert.equal(originOf('http://127.0.0.1:8080/v1')!.origin, 'http://127.0.0.1:8080');
    assert.equal(originOf('http://[::1]:9/v1')!.host, '::1');
    assert.equal(originOf('not a url'), undefined);
  });

  it('built in: each well-known variable with its vendor host, over https on 443 only', () => {
    const cases: [string, string][] = [
      ['OPENAI_API_KEY', 'https://api.openai.com/v1'],
      ['OPENROUTER_API_KEY', 'https://openrouter.ai/api/v1'],
      ['ANTHROPIC_API_KEY', 'https://api.anthropic.com/v1'],
      ['GEMINI_API_KEY', 'https://generativelanguage.googleapis.com/v1beta/openai'],
      ['GOOGLE_API_KEY', 'https://generativelanguage.googleapis.com/v1beta/openai'],
      ['MISTRAL_API_KEY', 'https://api.mistral.ai/v1'],
      ['GROQ_API_KEY', 'https://api.groq.com/openai/v1'],
      ['DEEPSEEK_API_KEY', 'https://api.deepseek.com/v1'],
      ['XAI_API_KEY', 'https://api.x.ai/v1'],
    ];
    for (const [v, url] of cases) {
      const d = decideKey(provider(`    baseURL: ${url}\n    apiKeyEnv: ${v}\n`), KEY, []);
      assert.equal(d.kind, 'allowed', `${v} → ${url}`);
      assert.equal(d.kind === 'allowed' && d.by, 'built-in');
    }
    // The vendor's host for another vendor's key, another port or plain http is somewhere else.
    assert.equal(
      decideKey(provider('    baseURL: https://openrouter.ai/api/v1\n    apiKeyEnv: OPENAI_API_KEY\n'), KEY, []).kind,
      'refused',
    );
    assert.equal(
      decideKey(provider('    baseURL: https://api.openai.com:8443/v1\n    apiKeyEnv: OPENAI_API_KEY\n'), KEY, []).kind,
      'refused',
    );
    assert.equal(
      decideKey(provider('    baseURL: http://api.openai.com/v1\n    apiKeyEnv: OPENAI_API_KEY\n'), KEY, []).kind,
      'refused',
    );
    assert.equal(
      decideKey(
        provider('    baseURL: https://api.openai.com.evil.example/v1\n    apiKeyEnv: OPENAI_API_KEY\n'),
        KEY,
        [],
      ).kind,
      'refused',
    );
  });

  it("the issue's example: any.host never gets $OPENAI_API_KEY, named or inherited", () => {
    const named = decideKey(provider('    baseURL: https://any.host/v1\n    apiKeyEnv: OPENAI_API_KEY\n'), KEY, []);
    assert.equal(named.kind, 'refused');
    assert.deepEqual(named, {
      kind: 'refused',
      provider: 'p',
      variable: 'OPENAI_API_KEY',
      origin: 'https://any.host',
      host: 'any.host',
      port: 443,
    });
    // Inherited from the default: a remote endpoint needs its key (providers/keys.ts), so it is refused too.
    const inherited = parseConfig('providers:\n  - name: openai\n    baseURL: https://any.host/v1\n', '/x', {}).config
      .providers[0]!;
    assert.equal(decideKey(inherited, KEY, []).kind, 'refused');
    // A local server that needs no key is called, but without the key.
    const local = parseConfig('providers:\n  - name: openai\n    baseURL: http://127.0.0.1:11434/v1\n', '/x', {}).config
      .providers[0]!;
    assert.equal(decideKey(local, KEY, []).kind, 'withheld');
  });

  it('no exception for loopback: a local server that asks for a key is refused until allowed; one that does not gets none', () => {
    const asks = provider('    baseURL: http://127.0.0.1:8080/v1\n    apiKeyEnv: LOCAL_KEY\n');
    assert.equal(decideKey(asks, KEY, []).kind, 'refused');
    assert.equal(decideKey(provider('    baseURL: http://localhost:11434/v1\n'), KEY, []).kind, 'withheld');
    const allowed = decideKey(asks, KEY, [{ host: '127.0.0.1', port: 8080, source: 'flag' }]);
    assert.equal(allowed.kind, 'allowed');
    assert.equal(allowed.kind === 'allowed' && allowed.by, 'flag');
  });

  it('allowances: a bare host allows every port, host:port only that port, a variable-bound one only that variable', () => {
    const p = provider('    baseURL: http://gw.example:9000/v1\n    apiKeyEnv: GW_KEY\n');
    const ok = (a: HostAllowance[]) => decideKey(p, KEY, a).kind;
    assert.equal(ok([{ host: 'gw.example', source: 'env' }]), 'allowed');
    assert.equal(ok([{ host: 'gw.example', port: 9000, source: 'file' }]), 'allowed');
    assert.equal(ok([{ host: 'gw.example', port: 9001, source: 'file' }]), 'refused');
    assert.equal(ok([{ host: 'other.example', source: 'env' }]), 'refused');
    assert.equal(ok([{ host: 'gw.example', port: 9000, variable: 'GW_KEY', source: 'editor' }]), 'allowed');
    assert.equal(ok([{ host: 'gw.example', port: 9000, variable: 'OPENAI_API_KEY', source: 'editor' }]), 'refused');
  });

  it('nothing to decide without a key or for echo', () => {
    assert.equal(
      decideKey(provider('    baseURL: https://any.host/v1\n    apiKeyEnv: X\n'), undefined, []).kind,
      'no-key',
    );
    assert.equal(decideKey(provider('    type: echo\n'), KEY, []).kind, 'no-key');
  });

  it('parses host lists: commas, lines, comments, ports, IPv6; names what it cannot read', () => {
    const r = parseHostList(
      'a.example, b.example:8080\n# comment\n[::1]:9  # loopback v6\nbad host\nc.example:99999',
      'file',
    );
    assert.deepEqual(r.hosts, [
      { host: 'a.example', source: 'file' },
      { host: 'b.example', port: 8080, source: 'file' },
      { host: '::1', port: 9, source: 'file' },
    ]);
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0]!, /"bad host" is not a host/);
    assert.equal(hostSpec({ host: '::1', port: 9 } as RefusedKey), '[::1]:9');
  });

  it('user allowances come from PROMPT_REGISTRY_ALLOW_HOSTS and the user-level file, never the repository', () => {
    const home = tmpDir('pr-xdg-');
    const env = { XDG_CONFIG_HOME: home, PROMPT_REGISTRY_ALLOW_HOSTS: 'env.example' };
    assert.equal(allowedHostsFile(env), path.join(home, 'prompt-registry', 'allowed-hosts'));
    assert.equal(
      allowedHostsFile({}, 'linux', '/home/u'),
      path.join('/home/u', '.config', 'prompt-registry', 'allowed-hosts'),
    );
    assert.equal(
      allowedHostsFile({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u'),
      path.join('C:\\Users\\u\\AppData\\Roaming', 'prompt-registry', 'allowed-hosts'),
    );
    assert.deepEqual(userAllowances(env).hosts, [{ host: 'env.example', source: 'env' }]);
    writeFiles(home, { 'prompt-registry/allowed-hosts': '# mine\nfile.example:8443\n' });
    assert.deepEqual(
      userAllowances(env).hosts.map((h) => [h.host, h.port, h.source]),
      [
        ['env.example', undefined, 'env'],
        ['file.example', 8443, 'file'],
      ],
    );
  });
});

describe('provider changes between two configs', () => {
  const cfg = (yaml: string) => parseConfig(yaml, '/x/prompt-registry.yaml', {}).config;

  it('lists added and removed providers, baseURL, apiKeyEnv and type changes, and the grader', () => {
    const base = cfg(
      'providers:\n  - name: a\n    baseURL: https://a.example/v1\n  - name: gone\n    type: echo\ngrader:\n  model: g1\n',
    );
    const head = cfg(
      'providers:\n  - name: a\n    baseURL: https://evil.example/v1\n    apiKeyEnv: A_KEY\n  - name: new\n    baseURL: https://n.example/v1\ngrader:\n  model: g2\n  provider: new\n',
    );
    assert.deepEqual(providerChanges(base, head), [
      { provider: 'a', field: 'baseURL', before: 'https://a.example/v1', after: 'https://evil.example/v1' },
      { provider: 'a', field: 'apiKeyEnv', before: 'OPENAI_API_KEY', after: 'A_KEY' },
      { provider: 'new', field: 'provider', after: 'https://n.example/v1 (key: $OPENAI_API_KEY)' },
      { provider: 'gone', field: 'provider', before: 'echo' },
      { provider: 'grader', field: 'grader.model', before: 'g1', after: 'g2' },
      { provider: 'grader', field: 'grader.provider', before: undefined, after: 'new' },
    ]);
    assert.deepEqual(providerChanges(base, base), []);
  });

  it('origin changes: only providers HEAD would call, and only where the origin moved', () => {
    const base = cfg(
      'providers:\n  - name: a\n    baseURL: https://a.example/v1\n  - name: b\n    baseURL: https://b.example/v1\n',
    );
    const head = cfg(
      'providers:\n  - name: a\n    baseURL: https://a.example/v2\n  - name: b\n    baseURL: https://b.evil/v1\n  - name: c\n    baseURL: https://c.example/v1\n',
    );
    assert.deepEqual(originChanges(base, head.providers), [
      { provider: 'b', before: 'https://b.example', after: 'https://b.evil' },
      { provider: 'c', after: 'https://c.example' },
    ]);
    assert.deepEqual(originChanges(base, head.providers.slice(0, 1)), []);
  });
});
