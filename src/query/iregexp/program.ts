/**
 * Thompson construction: a RegexNode becomes a flat NFA program. Counted repetition is
 * expanded, so the program size is capped (MAX_REGEX_STATES) to bound memory.
 */
import { MAX_REGEX_STATES } from '../limits.js';
import { type CodePointTest, InvalidPattern, type RegexNode } from './syntax.js';

/** One NFA instruction. */
export type Instruction =
  | { op: 'char'; test: CodePointTest }
  | { op: 'split'; first: number; second: number }
  | { op: 'jump'; to: number }
  | { op: 'anchor'; at: 'start' | 'end' }
  | { op: 'match' };

/** An NFA program; execution starts at instruction 0. */
export type Program = readonly Instruction[];

/** Compiles `node`; throws InvalidPattern when the program would exceed MAX_REGEX_STATES. */
export function compileProgram(node: RegexNode): Program {
  const program: Instruction[] = [];
  emit(node, program);
  program.push({ op: 'match' });
  return program;
}

function push(program: Instruction[], instruction: Instruction): number {
  if (program.length >= MAX_REGEX_STATES) throw new InvalidPattern('pattern too large', 0);
  program.push(instruction);
  return program.length - 1;
}

function emit(node: RegexNode, program: Instruction[]): void {
  switch (node.kind) {
    case 'empty':
      return;
    case 'char':
      push(program, { op: 'char', test: node.test });
      return;
    case 'anchor':
      push(program, { op: 'anchor', at: node.at });
      return;
    case 'concat':
      for (const item of node.items) emit(item, program);
      return;
    case 'alternation':
      emitAlternation(node.items, program);
      return;
    case 'repeat':
      emitRepeat(node.item, node.min, node.max, program);
  }
}

/** split L1, next; L1: a; jump end; next: split L2, ... */
function emitAlternation(items: readonly RegexNode[], program: Instruction[]): void {
  const jumps: Array<{ op: 'jump'; to: number }> = [];
  items.forEach((item, index) => {
    if (index === items.length - 1) {
      emit(item, program);
      return;
    }
    const split = { op: 'split' as const, first: program.length + 1, second: -1 };
    push(program, split);
    emit(item, program);
    const jump = { op: 'jump' as const, to: -1 };
    push(program, jump);
    jumps.push(jump);
    split.second = program.length;
  });
  for (const jump of jumps) jump.to = program.length;
}

function emitRepeat(item: RegexNode, min: number, max: number, program: Instruction[]): void {
  for (let count = 0; count < min; count += 1) emit(item, program);
  if (max === Infinity) {
    // L: split body, end; body; jump L
    const split = { op: 'split' as const, first: program.length + 1, second: -1 };
    const loop = push(program, split);
    emit(item, program);
    push(program, { op: 'jump', to: loop });
    split.second = program.length;
    return;
  }
  const splits: Array<{ op: 'split'; first: number; second: number }> = [];
  for (let count = min; count < max; count += 1) {
    const split = { op: 'split' as const, first: program.length + 1, second: -1 };
    push(program, split);
    splits.push(split);
    emit(item, program);
  }
  for (const split of splits) split.second = program.length;
}
