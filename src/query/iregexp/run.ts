/**
 * Runs an NFA program over a string by simulating every state at once (Thompson/Pike): time is
 * O(input length x program size), never exponential, and the evaluation budget is ticked per
 * input code point, so no input can hang the process.
 */
import { tick } from '../budget.js';
import type { Program } from './program.js';

/** Whether `program` matches the whole of `input` (`anchored`), or some substring of it. */
export function runProgram(program: Program, input: string, anchored: boolean): boolean {
  const state = new Simulation(program, input.length);
  let current: number[] = [];
  state.addThread(current, 0, 0);
  for (let index = 0; index < input.length; ) {
    tick();
    if (!anchored && state.matched(current)) return true;
    const codePoint = input.codePointAt(index) ?? 0;
    index += codePoint > 0xffff ? 2 : 1;
    state.generation += 1;
    const next: number[] = [];
    for (const pc of current) {
      const instruction = program[pc];
      if (instruction?.op === 'char' && instruction.test(codePoint)) state.addThread(next, pc + 1, index);
    }
    if (!anchored) state.addThread(next, 0, index);
    current = next;
    if (current.length === 0 && anchored) return false;
  }
  return state.matched(current);
}

class Simulation {
  generation = 1;
  readonly #seen: Uint32Array;

  constructor(
    readonly program: Program,
    readonly length: number,
  ) {
    this.#seen = new Uint32Array(program.length);
  }

  matched(threads: readonly number[]): boolean {
    return threads.some((pc) => this.program[pc]?.op === 'match');
  }

  /** Adds `start` and every state reachable from it without consuming input (at `position`). */
  addThread(threads: number[], start: number, position: number): void {
    const stack = [start];
    while (stack.length > 0) {
      const pc = stack.pop() as number;
      if (this.#seen[pc] === this.generation) continue;
      this.#seen[pc] = this.generation;
      const instruction = this.program[pc];
      if (instruction === undefined) continue;
      if (instruction.op === 'jump') stack.push(instruction.to);
      else if (instruction.op === 'split') stack.push(instruction.second, instruction.first);
      else if (instruction.op === 'anchor') {
        if (instruction.at === 'start' ? position === 0 : position === this.length) stack.push(pc + 1);
      } else threads.push(pc);
    }
  }
}
