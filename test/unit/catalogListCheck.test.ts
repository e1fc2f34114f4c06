import * as assert from 'node:assert/strict';
import { isVariablePrice, modelListProblem } from '../../src/core/catalog/listCheck';

// Each reason is pinned whole: the message is what a user reads to find the provider's bad item.
describe('modelListProblem: why a model list is refused', () => {
  it('accepts an empty list and lists of well-formed models', () => {
    assert.equal(modelListProblem([]), undefined);
    assert.equal(modelListProblem([{ id: 'a' }]), undefined);
    assert.equal(modelListProblem([{ id: 'a' }, { id: 'b' }, { id: 'c' }]), undefined);
  });

  for (const [name, item] of [
    ['null', null],
    ['undefined', undefined],
    ['zero', 0],
    ['an empty string', ''],
    ['false', false],
    ['a string', 'a'],
    ['a number', 7],
    ['true', true],
    ['an array', [{ id: 'a' }]],
  ] as [string, unknown][]) {
    it(`refuses ${name} as an item, counting from 1`, () => {
      assert.equal(modelListProblem([item]), 'model 1 of 1 is not an object');
      assert.equal(modelListProblem([{ id: 'a' }, { id: 'b' }, item]), 'model 3 of 3 is not an object');
    });
  }

  it('stops at the first bad item', () => {
    assert.equal(modelListProblem([{ id: 'a' }, 'x', { id: 5 }]), 'model 2 of 3 is not an object');
  });

  it('says whether an id is missing or not a string, showing the value', () => {
    assert.equal(modelListProblem([{ name: 'x' }]), 'model 1 of 1 has a missing id');
    assert.equal(modelListProblem([{ id: 'a' }, { id: undefined }]), 'model 2 of 2 has a missing id');
    assert.equal(modelListProblem([{ id: 42 }]), 'model 1 of 1 has a non-string (42) id');
    assert.equal(modelListProblem([{ id: null }]), 'model 1 of 1 has a non-string (null) id');
    assert.equal(modelListProblem([{ id: ['a'] }]), 'model 1 of 1 has a non-string (["a"]) id');
  });

  it('cuts a long non-string id to 40 characters', () => {
    const id = { long: 'y'.repeat(100) };
    const shown = JSON.stringify(id).slice(0, 40);
    assert.equal(shown.length, 40);
    assert.equal(modelListProblem([{ id }]), `model 1 of 1 has a non-string (${shown}) id`);
  });

  it('names an id JSON cannot show (a function) without throwing', () => {
    assert.equal(modelListProblem([{ id: () => 1 }]), 'model 1 of 1 has a non-string (undefined) id');
  });

  it('refuses empty and blank ids', () => {
    assert.equal(modelListProblem([{ id: '' }]), 'model 1 of 1 has an empty id');
    assert.equal(modelListProblem([{ id: 'a' }, { id: ' \t ' }]), 'model 2 of 2 has an empty id');
  });

  it('refuses an id listed twice, comparing and naming trimmed ids with both positions', () => {
    assert.equal(
      modelListProblem([{ id: 'a' }, { id: 'b' }, { id: 'a' }]),
      'model id "a" is listed twice (models 1 and 3)',
    );
    assert.equal(
      modelListProblem([{ id: 'x' }, { id: ' a' }, { id: 'a ' }]),
      'model id "a" is listed twice (models 2 and 3)',
    );
  });

  it('reports a repeat against the first listing, not a later one', () => {
    assert.equal(
      modelListProblem([{ id: 'a' }, { id: 'a' }, { id: 'a' }]),
      'model id "a" is listed twice (models 1 and 2)',
    );
  });

  describe('prices', () => {
    const priced = (prompt: unknown, completion: unknown = '0') => [{ id: 'm', pricing: { prompt, completion } }];

    for (const v of ['0', 0, '0.000001', 0.000001, ' 2 ', '1e-6', 100, undefined, null, '-1', -1]) {
      it(`accepts ${JSON.stringify(v) ?? 'undefined'} as a price`, () => {
        assert.equal(modelListProblem(priced(v)), undefined);
        assert.equal(modelListProblem(priced('0', v)), undefined);
      });
    }

    for (const [v, shown] of [
      ['-2', '"-2"'],
      [-0.5, '-0.5'],
      ['-0.000001', '"-0.000001"'],
      ['-1.0', '"-1.0"'],
      [' -1', '" -1"'],
      [-2, '-2'],
    ] as [unknown, string][]) {
      it(`refuses the negative price ${shown}`, () => {
        assert.equal(modelListProblem(priced(v)), `model "m" has a negative pricing.prompt (${shown})`);
        assert.equal(modelListProblem(priced('0', v)), `model "m" has a negative pricing.completion (${shown})`);
      });
    }

    for (const [v, shown] of [
      ['', '""'],
      ['   ', '"   "'],
      ['cheap', '"cheap"'],
      ['1e400', '"1e400"'],
      [Number.NaN, 'null'],
      [Number.POSITIVE_INFINITY, 'null'],
      [true, 'true'],
      [{ usd: 1 }, '{"usd":1}'],
      ['x'.repeat(100), `"${'x'.repeat(39)}`],
    ] as [unknown, string][]) {
      it(`refuses the non-numeric price ${typeof v} ${String(v).slice(0, 12)}`, () => {
        assert.equal(modelListProblem(priced(v)), `model "m" has a non-numeric pricing.prompt (${shown})`);
        assert.equal(modelListProblem(priced('0', v)), `model "m" has a non-numeric pricing.completion (${shown})`);
      });
    }

    it('reports the prompt price first when both are bad', () => {
      assert.equal(modelListProblem(priced('-3', 'x')), 'model "m" has a negative pricing.prompt ("-3")');
    });

    it('names the trimmed id and checks every model, not just the first', () => {
      assert.equal(
        modelListProblem([
          { id: 'a', pricing: { prompt: '0' } },
          { id: ' b ', pricing: { completion: '-5' } },
        ]),
        'model "b" has a negative pricing.completion ("-5")',
      );
    });

    it('ignores a pricing that is not an object, and prices it does not know', () => {
      for (const pricing of [null, 'free', 0, 5, true, [], { image: '-9', request: 'x' }]) {
        assert.equal(modelListProblem([{ id: 'a', pricing }]), undefined, JSON.stringify(pricing));
      }
    });

    it('still checks the ids after a priced model', () => {
      assert.equal(
        modelListProblem([{ id: 'a', pricing: { prompt: '0', completion: '0' } }, { id: 'a' }]),
        'model id "a" is listed twice (models 1 and 2)',
      );
    });
  });
});

describe('isVariablePrice', () => {
  it('is true for exactly "-1" and -1 (OpenRouter routers)', () => {
    assert.equal(isVariablePrice('-1'), true);
    assert.equal(isVariablePrice(-1), true);
  });

  it('is false for every other value, near misses included', () => {
    for (const v of ['-1.0', ' -1', '-1 ', -1.5, '1', 1, 0, '', undefined, null, '-2', -2]) {
      assert.equal(isVariablePrice(v), false, JSON.stringify(v));
    }
  });
});
