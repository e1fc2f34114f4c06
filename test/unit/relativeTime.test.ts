import * as assert from 'node:assert/strict';
import { relativeTime } from '../../src/core/format/relativeTime';

describe('relativeTime', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
  it('says how long ago, in the largest whole unit', () => {
    assert.equal(relativeTime(ago(10), now), 'just now');
    assert.equal(relativeTime(ago(5 * 60), now), '5 minutes ago');
    assert.equal(relativeTime(ago(3 * 3600), now), '3 hours ago');
    assert.equal(relativeTime(ago(26 * 3600), now), 'yesterday');
    assert.equal(relativeTime(ago(3 * 86400), now), '3 days ago');
    assert.equal(relativeTime(ago(15 * 86400), now), '2 weeks ago');
    assert.equal(relativeTime(ago(70 * 86400), now), '2 months ago');
    assert.equal(relativeTime(ago(800 * 86400), now), '2 years ago');
  });
  it('keeps a date it cannot read as it is', () => {
    assert.equal(relativeTime('not a date', now), 'not a date');
  });
});
