import type { Case, CaseIndex, CaseList } from '../types.js';

const indexes = new WeakMap<CaseList, CaseIndex>();

/**
 * The index of a list of cases, one per list: the head's and a rerun base's samples, their
 * tables and the report's details share it. Its map by id (~30 bytes a case) is made only when
 * something looks a case up by id, as a comparison with a baseline does; the rest go by position.
 */
export function caseIndex(cases: CaseList): CaseIndex {
  let index = indexes.get(cases);
  if (!index) indexes.set(cases, (index = new PositionalCases(cases)));
  return index;
}

class PositionalCases implements CaseIndex {
  private byId?: Map<string, number>;

  constructor(private readonly cases: CaseList) {}

  get length(): number {
    return this.cases.length;
  }

  at(position: number): Case {
    return this.cases.at(position)!;
  }

  position(id: string): number | undefined {
    if (!this.byId) {
      this.byId = new Map();
      let position = 0;
      for (const c of this.cases) this.byId.set(c.id, position++);
    }
    return this.byId.get(id);
  }
}
