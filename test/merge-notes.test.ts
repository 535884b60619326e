// A property's notes over its cases: counts keep their largest, and a sentence comes from the case that count is of
// (a new user read "unboundedElements 12113" beside "452 of 1469 elements", from two different cases).
import { describe, expect, test } from 'vitest';
import { mergeNotes } from '../harness/run/property-runner.ts';

describe('mergeNotes', () => {
  test('the sentence beside a count describes the case with the largest count', () => {
    const into = {};
    mergeNotes(into, { unboundedElements: 12113, 'unbounded dst': '12113 of 40000 elements' });
    mergeNotes(into, { unboundedElements: 452, 'unbounded dst': '452 of 1469 elements' });
    expect(into).toEqual({ unboundedElements: 12113, 'unbounded dst': '12113 of 40000 elements' });
    mergeNotes(into, { unboundedElements: 20000, 'unbounded dst': '20000 of 50000 elements' });
    expect(into).toEqual({ unboundedElements: 20000, 'unbounded dst': '20000 of 50000 elements' });
  });

  test('flags hold only if they hold for every case; notes without a count keep the latest sentence', () => {
    const into = {};
    mergeNotes(into, { bitIdentical: true, device: 'shader-f16' });
    mergeNotes(into, { bitIdentical: false, device: 'subgroups' });
    expect(into).toEqual({ bitIdentical: false, device: 'subgroups' });
  });
});
