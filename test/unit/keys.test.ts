import * as assert from 'node:assert/strict';
import type { ResolvedProvider } from '../../src/core/config/load';
import { isLoopback, needsApiKey, NO_KEY_ENV } from '../../src/core/providers/keys';

const openai = (baseURL: string | undefined, extra: Partial<ResolvedProvider> = {}): ResolvedProvider => ({
  name: 'p',
  type: 'openai',
  baseURL,
  apiKeyEnv: 'OPENAI_API_KEY',
  ...extra,
});

describe('keys: whether a provider needs its key', () => {
  it('the built-in echo never needs one, whatever it points at', () => {
    assert.equal(needsApiKey({ name: 'echo', type: 'echo', apiKeyEnv: 'X', apiKeyEnvExplicit: true }), false);
  });

  it('`apiKeyEnv: none` needs none, even for a remote endpoint', () => {
    assert.equal(NO_KEY_ENV, 'none');
    assert.equal(
      needsApiKey(openai('https://api.example.com/v1', { apiKeyEnv: 'none', apiKeyEnvExplicit: true })),
      false,
    );
  });

  it('a loopback server needs none unless the config names an apiKeyEnv for it', () => {
    assert.equal(needsApiKey(openai('http://127.0.0.1:11434/v1')), false);
    assert.equal(needsApiKey(openai('http://localhost:1234/v1', { apiKeyEnvExplicit: false })), false);
    assert.equal(
      needsApiKey(openai('http://127.0.0.1:8080/v1', { apiKeyEnv: 'GW_KEY', apiKeyEnvExplicit: true })),
      true,
    );
  });

  it('every other endpoint needs one, including the default (no baseURL)', () => {
    assert.equal(needsApiKey(openai('https://api.example.com/v1')), true);
    assert.equal(needsApiKey(openai(undefined)), true);
    assert.equal(needsApiKey(openai('not a url')), true);
  });
});

describe('keys: what counts as loopback', () => {
  it('localhost and its subdomains, in any case', () => {
    assert.equal(isLoopback('http://localhost:11434/v1'), true);
    assert.equal(isLoopback('http://app.localhost:3000/v1'), true);
    assert.equal(isLoopback('http://LOCALHOST/v1'), true);
    // A scheme the URL parser does not case-fold keeps its host as written: the rule folds it itself.
    assert.equal(isLoopback('x-local://LocalHost/v1'), true);
  });

  it('a host that merely contains localhost is not', () => {
    assert.equal(isLoopback('http://notlocalhost/v1'), false);
    assert.equal(isLoopback('http://localhost.evil.example/v1'), false);
    assert.equal(isLoopback('http://evil.example/localhost'), false);
  });

  it('the whole of 127.0.0.0/8, however it is written', () => {
    assert.equal(isLoopback('http://127.0.0.1:8080/v1'), true);
    assert.equal(isLoopback('http://127.255.255.254/v1'), true);
    assert.equal(isLoopback('http://127.10.100.1/v1'), true);
    assert.equal(isLoopback('http://127.1/v1'), true); // the URL parser writes it 127.0.0.1
    assert.equal(isLoopback('http://0x7f.1/v1'), true);
  });

  it('an address outside 127/8, or a name that only starts or ends like one, is not', () => {
    assert.equal(isLoopback('http://128.0.0.1/v1'), false);
    assert.equal(isLoopback('http://10.0.0.1/v1'), false);
    assert.equal(isLoopback('http://127.0.0.1.evil.example/v1'), false);
    assert.equal(isLoopback('x-local://evil127.0.0.1/v1'), false);
  });

  it('IPv6 ::1, and no other IPv6 address', () => {
    assert.equal(isLoopback('http://[::1]:8080/v1'), true);
    assert.equal(isLoopback('http://[0:0:0:0:0:0:0:1]/v1'), true);
    assert.equal(isLoopback('http://[::2]/v1'), false);
    assert.equal(isLoopback('http://[::ffff:8.8.8.8]/v1'), false);
  });

  it('no URL, or one that does not parse, is not loopback', () => {
    assert.equal(isLoopback(undefined), false);
    assert.equal(isLoopback(''), false);
    assert.equal(isLoopback('localhost'), false);
    assert.equal(isLoopback('http://'), false);
  });
});
