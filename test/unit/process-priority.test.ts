import { spawn } from 'node:child_process';
import { getPriority } from 'node:os';
import { DEFAULT_WORKER_NICE, lowerWorkerPriority } from '../../bot/process-priority.js';

const logger = { info: jest.fn(), warn: jest.fn() };

/** A throwaway process to renice (never this test runner). */
async function withChild(fn: (pid: number) => void): Promise<void> {
  const child = spawn('sleep', ['30']);
  try {
    fn(child.pid!);
  } finally {
    child.kill();
  }
}

describe('worker CPU priority', () => {
  beforeEach(() => jest.clearAllMocks());

  it(`a worker-only process runs at nice ${DEFAULT_WORKER_NICE} by default`, () =>
    withChild((pid) => {
      const expected = Math.max(getPriority(pid), DEFAULT_WORKER_NICE);
      expect(lowerWorkerPriority('worker', {}, logger, pid)).toBe(expected);
      expect(getPriority(pid)).toBe(expected);
    }));

  it.each(['web', 'all'] as const)('a %s process keeps its priority (it answers chat)', (role) =>
    withChild((pid) => {
      const before = getPriority(pid);
      expect(lowerWorkerPriority(role, {}, logger, pid)).toBeUndefined();
      expect(getPriority(pid)).toBe(before);
    }),
  );

  it('DPBOT_WORKER_NICE=0 turns it off; a bad value is refused with a warning, priority untouched', () =>
    withChild((pid) => {
      const before = getPriority(pid);
      expect(lowerWorkerPriority('worker', { DPBOT_WORKER_NICE: '0' }, logger, pid)).toBeUndefined();
      expect(lowerWorkerPriority('worker', { DPBOT_WORKER_NICE: '25' }, logger, pid)).toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith({ DPBOT_WORKER_NICE: '25' }, expect.stringContaining('0–19'));
      expect(getPriority(pid)).toBe(before);
      const fifteen = Math.max(before, 15);
      expect(lowerWorkerPriority('worker', { DPBOT_WORKER_NICE: '15' }, logger, pid)).toBe(fifteen);
      // Never raised again: 5 < 15 keeps 15.
      expect(lowerWorkerPriority('worker', { DPBOT_WORKER_NICE: '5' }, logger, pid)).toBe(fifteen);
    }));
});
