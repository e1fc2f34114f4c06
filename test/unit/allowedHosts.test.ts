import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  ALLOW_HOSTS_ENV,
  allowedHostsFile,
  flagAllowances,
  userAllowances,
} from '../../src/core/providers/allowedHosts';
import { tmpDir, writeFiles } from './helpers/tmp';

const userFile = (home: string) => path.join(home, '.config', 'prompt-registry', 'allowed-hosts');

describe('allowed hosts: where the user-level file is', () => {
  it('XDG_CONFIG_HOME first, on every platform', () => {
    assert.equal(
      allowedHostsFile({ XDG_CONFIG_HOME: '/xdg', APPDATA: 'C:\\AppData' }, 'win32', '/home/u'),
      path.join('/xdg', 'prompt-registry', 'allowed-hosts'),
    );
    assert.equal(
      allowedHostsFile({ XDG_CONFIG_HOME: ' /xdg ' }, 'linux', '/home/u'),
      path.join('/xdg', 'prompt-registry', 'allowed-hosts'),
    );
  });

  it('APPDATA only on Windows', () => {
    assert.equal(
      allowedHostsFile({ APPDATA: 'C:\\AppData' }, 'win32', '/home/u'),
      path.join('C:\\AppData', 'prompt-registry', 'allowed-hosts'),
    );
    assert.equal(allowedHostsFile({ APPDATA: 'C:\\AppData' }, 'linux', '/home/u'), userFile('/home/u'));
    assert.equal(allowedHostsFile({ APPDATA: 'C:\\AppData' }, 'darwin', '/home/u'), userFile('/home/u'));
  });

  it('a blank or missing variable falls through to ~/.config', () => {
    assert.equal(allowedHostsFile({ XDG_CONFIG_HOME: '  ' }, 'linux', '/home/u'), userFile('/home/u'));
    assert.equal(allowedHostsFile({ XDG_CONFIG_HOME: '', APPDATA: ' ' }, 'win32', '/home/u'), userFile('/home/u'));
    assert.equal(allowedHostsFile({}, 'win32', '/home/u'), userFile('/home/u'));
  });
});

describe('allowed hosts: what the user allows', () => {
  it('no variable and no file allow nothing and report nothing', () => {
    const home = tmpDir('pr-allow-');
    assert.deepEqual(userAllowances({}, path.join(home, 'missing')), { hosts: [], problems: [] });
    assert.deepEqual(userAllowances({ [ALLOW_HOSTS_ENV]: 'env.example' }, path.join(home, 'missing')), {
      hosts: [{ host: 'env.example', source: 'env' }],
      problems: [],
    });
  });

  it('the variable first, then the file; each problem names where it was, and the rest still count', () => {
    const home = tmpDir('pr-allow-');
    const file = path.join(home, 'allowed-hosts');
    writeFiles(home, { 'allowed-hosts': 'file.example:8443\nnot a host\n' });
    assert.equal(ALLOW_HOSTS_ENV, 'PROMPT_REGISTRY_ALLOW_HOSTS');
    assert.deepEqual(userAllowances({ PROMPT_REGISTRY_ALLOW_HOSTS: 'env.example, bad host' }, file), {
      hosts: [
        { host: 'env.example', source: 'env' },
        { host: 'file.example', port: 8443, source: 'file' },
      ],
      problems: [
        'PROMPT_REGISTRY_ALLOW_HOSTS: "bad host" is not a host or host:port (for example api.example.com or 127.0.0.1:8080)',
        `${file}: "not a host" is not a host or host:port (for example api.example.com or 127.0.0.1:8080)`,
      ],
    });
  });

  it('reads the file where allowedHostsFile says by default', () => {
    const xdg = tmpDir('pr-xdg-');
    writeFiles(xdg, { 'prompt-registry/allowed-hosts': 'xdg.example\n' });
    assert.deepEqual(userAllowances({ XDG_CONFIG_HOME: xdg }).hosts, [{ host: 'xdg.example', source: 'file' }]);
  });
});

describe('allowed hosts: --allow-host', () => {
  it('each value is one host; a bad one is a problem naming the flag, the rest still count', () => {
    assert.deepEqual(flagAllowances([]), { hosts: [], problems: [] });
    assert.deepEqual(flagAllowances(['gw.example:9000', 'bad host', '[::1]']), {
      hosts: [
        { host: 'gw.example', port: 9000, source: 'flag' },
        { host: '::1', source: 'flag' },
      ],
      problems: ['--allow-host: "bad host" is not a host or host:port (for example api.example.com or 127.0.0.1:8080)'],
    });
  });

  it('a value is not a list: a comma makes it a problem, not two hosts', () => {
    assert.deepEqual(flagAllowances(['a.example,b.example']).hosts, []);
  });
});
