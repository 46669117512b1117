/** Candidate documents as the sources yield them: in output order, JSON loaded on demand. */
import type { Position } from '../sort.js';
import { comparePositions } from '../sort.js';

/** A document to evaluate, at its position in the output order. */
export interface Candidate {
  id: number;
  position: Position;
  /** The stored JSON when the source read it already. */
  json?: string;
}

/** Merges two sequences sorted in output order. */
export function* mergeSorted(
  left: Iterable<Candidate>,
  right: Iterable<Candidate>,
  descending: boolean,
): Generator<Candidate> {
  const leftIterator = left[Symbol.iterator]();
  const rightIterator = right[Symbol.iterator]();
  let leftNext = leftIterator.next();
  let rightNext = rightIterator.next();
  while (leftNext.done !== true || rightNext.done !== true) {
    const takeLeft =
      rightNext.done === true ||
      (leftNext.done !== true && comparePositions(leftNext.value.position, rightNext.value.position, descending) <= 0);
    if (takeLeft) {
      yield leftNext.value as Candidate;
      leftNext = leftIterator.next();
    } else {
      yield rightNext.value;
      rightNext = rightIterator.next();
    }
  }
}

/** Sorts candidates in output order and drops those before `start`. */
export function orderCandidates(candidates: Candidate[], descending: boolean, start: Position | null): Candidate[] {
  candidates.sort((left, right) => comparePositions(left.position, right.position, descending));
  if (start === null) return candidates;
  return candidates.filter((candidate) => comparePositions(candidate.position, start, descending) >= 0);
}
