import type { Case, CaseIndex } from '../types.js';

const indexes = new WeakMap<readonly Case[], CaseIndex>();

/**
 * The index of a list of cases, one per list: the head's and a rerun base's samples, their
 * tables and the report's details share it. Its map by id (~30 bytes a case) is made only when
 * something looks a case up by id, as a comparison with a baseline does; the rest go by position.
 */
export function caseIndex(cases: readonly Case[]): CaseIndex {
  let index = indexes.get(cases);
  if (!index) indexes.set(cases, (index = new PositionalCases(cases)));
  return index;
}

class PositionalCases implements CaseIndex {
  private byId?: Map<string, number>;

  constructor(private readonly cases: readonly Case[]) {}

  get length(): number {
    return this.cases.length;
  }

  at(position: number): Case {
    return this.cases[position]!;
  }

  position(id: string): number | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (let i = 0; i < this.cases.length; i++) this.byId.set(this.cases[i]!.id, i);
    }
    return this.byId.get(id);
  }
}
