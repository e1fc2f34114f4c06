import * as assert from 'node:assert/strict';
import { decideRefresh, fetchableProviders, type RefreshContext } from '../../src/core/catalog/refreshDecision';

const openai = { name: 'openai', type: 'openai' as const };
const declared = { name: 'local', type: 'openai' as const, models: [{ id: 'm' }] };
const echo = { name: 'echo', type: 'echo' as const };

function ctx(over: Partial<RefreshContext>): RefreshContext {
  return { trigger: 'automatic', trusted: true, setUp: true, providers: [openai, declared, echo], ...over };
}

describe('refresh decision (the trust rule for every refresh)', () => {
  it('an untrusted workspace refreshes nothing, whoever asks and whatever is configured', () => {
    for (const trigger of ['automatic', 'manual'] as const)
      for (const setUp of [true, false])
        assert.deepEqual(decideRefresh(ctx({ trigger, setUp, trusted: false })), {
          kind: 'skipped',
          reason: 'untrusted',
        });
  });

  it('a trusted, set-up folder with a list to fetch refreshes exactly the fetchable providers', () => {
    for (const trigger of ['automatic', 'manual'] as const)
      assert.deepEqual(decideRefresh(ctx({ trigger })), { kind: 'run', providers: ['openai'] });
  });

  it('an automatic refresh needs a folder set up for Prompt Registry; the user may always ask', () => {
    assert.deepEqual(decideRefresh(ctx({ setUp: false })), { kind: 'skipped', reason: 'not-set-up' });
    assert.deepEqual(decideRefresh(ctx({ setUp: false, trigger: 'manual' })), { kind: 'run', providers: ['openai'] });
  });

  it('an automatic refresh with only declared or non-OpenAI providers fetches nothing; a manual one still runs', () => {
    assert.deepEqual(decideRefresh(ctx({ providers: [declared, echo] })), {
      kind: 'skipped',
      reason: 'nothing-to-fetch',
    });
    assert.deepEqual(decideRefresh(ctx({ providers: [declared, echo], trigger: 'manual' })), {
      kind: 'run',
      providers: [],
    });
  });

  it('fetchable providers are the OpenAI-compatible ones without declared models, in config order', () => {
    assert.deepEqual(fetchableProviders([echo, { ...openai, name: 'b' }, declared, openai]), ['b', 'openai']);
  });
});
