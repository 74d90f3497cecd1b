import { describe, expect, it } from 'vitest';
import { ExecutionMemory } from '../../../lambdas/notify/message/memory.js';

const ARN = 'arn:aws:states:us-east-1:000000000000:execution:scalelab-lab-lifecycle:lab-1';

function seen(...phases: string[]): ExecutionMemory {
  const memory = new ExecutionMemory();
  for (const phase of phases) memory.notePhase(ARN, phase);
  return memory;
}

describe('ExecutionMemory', () => {
  it('names the failing step behind the error path (tear-down then verdict)', () => {
    expect(seen('validate', 'provision', 'check-health', 'tear-down', 'verdict').failingStepOf(ARN)).toBe(
      'check-health',
    );
    expect(seen('validate', 'tear-down', 'verdict').failingStepOf(ARN)).toBe('validate');
  });

  it('names tear-down or verdict when they are what failed on the success path', () => {
    const path = [
      'validate',
      'provision',
      'check-health',
      'verify-load-balancing',
      'start-stress',
      'arm-observer',
    ];
    expect(seen(...path, 'tear-down', 'tear-down', 'verdict').failingStepOf(ARN)).toBe('tear-down');
    expect(seen(...path, 'tear-down', 'verdict', 'tear-down', 'verdict').failingStepOf(ARN)).toBe('verdict');
  });

  it('names the phase an execution was stopped in, and nothing for an execution it never saw', () => {
    expect(seen('validate', 'provision', 'start-stress', 'arm-observer').failingStepOf(ARN)).toBe(
      'arm-observer',
    );
    expect(new ExecutionMemory().failingStepOf(ARN)).toBeUndefined();
  });

  it('reports a polling phase repeated in a row, but not a phase the workflow enters twice on purpose', () => {
    const memory = new ExecutionMemory();

    expect(memory.notePhase(ARN, 'check-health')).toEqual({ repeated: false });
    expect(memory.notePhase(ARN, 'check-health')).toEqual({ repeated: true });
    expect(memory.notePhase(ARN, 'arm-observer')).toEqual({ repeated: false });
    expect(memory.notePhase(ARN, 'arm-observer')).toEqual({ repeated: false });
    memory.reset(ARN);
    expect(memory.notePhase(ARN, 'check-health')).toEqual({ repeated: false });
  });

  it('forgets the oldest executions beyond its bound', () => {
    const memory = new ExecutionMemory(2);
    memory.notePhase('a', 'validate');
    memory.notePhase('b', 'validate');
    memory.notePhase('c', 'validate');

    expect(memory.failingStepOf('a')).toBeUndefined();
    expect(memory.failingStepOf('c')).toBe('validate');
  });
});
