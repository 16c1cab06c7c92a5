import { describe, expect, it } from 'vitest';
import { FeedbackStore } from '../../src/engine/canary/feedback-store.js';
import { CallIdSet } from '../../src/engine/canary/id-table.js';

describe('FeedbackStore', () => {
  it('keeps the latest feedback per call id and forgets it once taken', () => {
    const store = new FeedbackStore();
    store.keep('a', 20, { rating: 1 });
    store.keep('a', 10, { rating: 0 }); // older: loses
    store.keep('a', 30, { helpful: 1 }); // newer: replaces, metrics included
    expect(store.size).toBe(1);
    expect(store.take('a')).toEqual({ helpful: 1 });
    expect(store.take('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('holds many entries through growth, deletions and reuse of deleted slots', () => {
    const store = new FeedbackStore();
    for (let i = 0; i < 20_000; i++) store.keep(`call-${i}`, i, { score: i % 7 });
    for (let i = 0; i < 20_000; i += 2) expect(store.take(`call-${i}`)).toEqual({ score: i % 7 });
    for (let i = 20_000; i < 30_000; i++) store.keep(`call-${i}`, i, { score: 1 });
    expect(store.size).toBe(20_000);
    expect(store.has('call-1')).toBe(true);
    expect(store.has('call-2')).toBe(false);
    expect(store.take('call-29999')).toEqual({ score: 1 });
    expect(store.take('call-19999')).toEqual({ score: 19999 % 7 });
  });
});

describe('CallIdSet', () => {
  it('says whether a call id is new, through growth', () => {
    const seen = new CallIdSet();
    for (let i = 0; i < 5_000; i++) expect(seen.add(`call-${i}`)).toBe(true);
    for (let i = 0; i < 5_000; i += 7) expect(seen.add(`call-${i}`)).toBe(false);
    expect(seen.size).toBe(5_000);
    expect(seen.has('call-4999')).toBe(true);
    expect(seen.has('call-5000')).toBe(false);
  });
});
