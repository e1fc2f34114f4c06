import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseConfig, type ResolvedProvider } from '../../src/core/config/load';
import { allowedHostsFile, userAllowances } from '../../src/core/providers/allowedHosts';
import {
  allowanceFor,
  decideKey,
  hostSpec,
  keyToSend,
  originOf,
  parseHost,
  parseHostList,
  refusalReason,
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

describe('key policy: each guard, case by case', () => {
  const raw = (baseURL: string | undefined, apiKeyEnv = 'OPENAI_API_KEY', explicit = true): ResolvedProvider => ({
    name: 'p',
    type: 'openai',
    baseURL,
    apiKeyEnv,
    apiKeyEnvExplicit: explicit,
  });
  const everyHost: HostAllowance[] = [
    { host: 'not a url', source: 'flag' },
    { host: 'files.example', source: 'flag' },
  ];

  it('an origin needs a URL with a known default port or an explicit one', () => {
    assert.equal(originOf(undefined), undefined);
    assert.equal(originOf(''), undefined);
    assert.equal(originOf('ftp://files.example/v1'), undefined);
    assert.deepEqual(originOf('ftp://files.example:2121/v1'), {
      origin: 'ftp://files.example:2121',
      scheme: 'ftp',
      host: 'files.example',
      port: 2121,
    });
    assert.deepEqual(originOf('http://gw.example/v1'), {
      origin: 'http://gw.example',
      scheme: 'http',
      host: 'gw.example',
      port: 80,
    });
    assert.equal(originOf('https://api.openai.com:443/v1')!.origin, 'https://api.openai.com');
  });

  it('no baseURL is the default endpoint, api.openai.com, where OPENAI_API_KEY goes', () => {
    assert.deepEqual(decideKey(raw(undefined, 'OPENAI_API_KEY', false), KEY, []), {
      kind: 'allowed',
      provider: 'p',
      variable: 'OPENAI_API_KEY',
      origin: 'https://api.openai.com',
      host: 'api.openai.com',
      by: 'built-in',
    });
    // The same default, another variable: not built in.
    assert.equal(decideKey(raw(undefined, 'GW_KEY'), KEY, []).kind, 'refused');
  });

  it('a baseURL without an origin is refused whatever is allowed, even a local server that needs no key', () => {
    for (const url of ['not a url', 'ftp://files.example/v1', 'x-local://localhost/v1']) {
      const d = decideKey(raw(url, 'OPENAI_API_KEY', false), KEY, everyHost);
      assert.deepEqual(d, {
        kind: 'refused',
        provider: 'p',
        variable: 'OPENAI_API_KEY',
        origin: url,
        host: url,
        port: 0,
      });
    }
  });

  it('built in means https on 443: plain http on port 443 is not the vendor', () => {
    assert.equal(decideKey(raw('https://api.openai.com:443/v1'), KEY, []).kind, 'allowed');
    assert.equal(decideKey(raw('http://api.openai.com:443/v1'), KEY, []).kind, 'refused');
    assert.equal(decideKey(raw('https://api.openai.com:80/v1'), KEY, []).kind, 'refused');
  });

  it('a variable with no built-in host on https:443 goes only where the user allows', () => {
    const p = raw('https://gw.example/v1', 'GW_KEY');
    assert.equal(decideKey(p, KEY, []).kind, 'refused');
    assert.deepEqual(decideKey(p, KEY, [{ host: 'gw.example', source: 'env' }]), {
      kind: 'allowed',
      provider: 'p',
      variable: 'GW_KEY',
      origin: 'https://gw.example',
      host: 'gw.example',
      by: 'env',
    });
  });

  it('the first matching allowance names who allowed it', () => {
    const p = raw('http://gw.example:9000/v1', 'GW_KEY');
    const d = decideKey(p, KEY, [
      { host: 'gw.example', port: 9001, source: 'env' },
      { host: 'gw.example', variable: 'OTHER', source: 'file' },
      { host: 'gw.example', port: 9000, source: 'editor' },
      { host: 'gw.example', source: 'flag' },
    ]);
    assert.equal(d.kind === 'allowed' && d.by, 'editor');
  });

  it('an empty key is no key', () => {
    assert.deepEqual(decideKey(raw('https://any.host/v1'), '', []), {
      kind: 'no-key',
      provider: 'p',
      variable: 'OPENAI_API_KEY',
    });
  });

  it('a local server that needs no key, not allowed: withheld, named by origin', () => {
    assert.deepEqual(decideKey(raw('http://127.0.0.1:11434/v1', 'OPENAI_API_KEY', false), KEY, []), {
      kind: 'withheld',
      provider: 'p',
      variable: 'OPENAI_API_KEY',
      origin: 'http://127.0.0.1:11434',
      host: '127.0.0.1',
    });
  });

  it('only an allowed decision sends the key', () => {
    const allowed = decideKey(raw(undefined, 'OPENAI_API_KEY', false), KEY, []);
    const refused = decideKey(raw('https://any.host/v1'), KEY, []);
    const withheld = decideKey(raw('http://localhost:11434/v1', 'OPENAI_API_KEY', false), KEY, []);
    const noKey = decideKey(raw('https://any.host/v1'), undefined, []);
    assert.deepEqual(
      [allowed, refused, withheld, noKey].map((d) => [d.kind, keyToSend(d, KEY)]),
      [
        ['allowed', KEY],
        ['refused', undefined],
        ['withheld', undefined],
        ['no-key', undefined],
      ],
    );
  });

  it('"Always for this host" allows exactly the refused variable on the refused host and port', () => {
    const p = raw('http://gw.example:9000/v1', 'GW_KEY');
    const refused = decideKey(p, KEY, []) as RefusedKey;
    const a = allowanceFor(refused, 'editor');
    assert.deepEqual(a, { host: 'gw.example', port: 9000, variable: 'GW_KEY', source: 'editor' });
    assert.equal(decideKey(p, KEY, [a]).kind, 'allowed');
    assert.equal(decideKey(raw('http://gw.example:9001/v1', 'GW_KEY'), KEY, [a]).kind, 'refused');
    assert.equal(decideKey(raw('http://gw.example:9000/v1', 'OTHER_KEY'), KEY, [a]).kind, 'refused');
  });

  it('a host is a name or a bracketed IPv6 address, with a port from 1 to 65535', () => {
    assert.deepEqual(parseHost(' GW.Example:1 ', 'env'), { host: 'gw.example', port: 1, source: 'env' });
    assert.deepEqual(parseHost('gw.example:65535', 'env'), { host: 'gw.example', port: 65535, source: 'env' });
    assert.deepEqual(parseHost('[::1]', 'flag'), { host: '::1', source: 'flag' });
    for (const bad of ['gw.example:0', 'gw.example:65536', 'gw.example:', '::1', 'a/b', '']) {
      assert.ok('problem' in parseHost(bad, 'env'), bad);
    }
    assert.deepEqual(parseHost('  bad host  ', 'env'), {
      problem: '"bad host" is not a host or host:port (for example api.example.com or 127.0.0.1:8080)',
    });
  });

  it('a host list skips blank items and never allows a host written in a comment', () => {
    assert.deepEqual(parseHostList('a.example, ,\n , b.example,\r\n\n', 'file'), {
      hosts: [
        { host: 'a.example', source: 'file' },
        { host: 'b.example', source: 'file' },
      ],
      problems: [],
    });
    // A lone CR or U+2028 (which a regexp's `.` stops at) does not end the comment.
    for (const odd of ['\r', '\u2028']) {
      assert.deepEqual(parseHostList(`a.example # off: b.example, c.example${odd}\n`, 'file'), {
        hosts: [{ host: 'a.example', source: 'file' }],
        problems: [],
      });
    }
    assert.deepEqual(parseHostList('# all off, a.example\n', 'file'), { hosts: [], problems: [] });
  });

  it('hostSpec writes what a user would type: brackets for IPv6, the port when there is one', () => {
    const spec = (host: string, port: number) => hostSpec({ host, port } as RefusedKey);
    assert.equal(spec('gw.example', 9000), 'gw.example:9000');
    assert.equal(spec('gw.example', 0), 'gw.example');
    assert.equal(spec('::1', 8080), '[::1]:8080');
    assert.equal(spec('::1', 0), '[::1]');
  });

  it('the refusal reason names the variable and the origin', () => {
    const refused = decideKey(raw('http://gw.example:9000/v1', 'GW_KEY'), KEY, []) as RefusedKey;
    assert.equal(
      refusalReason(refused),
      'GW_KEY is not sent to http://gw.example:9000: that host is not allowed for it',
    );
  });
});
