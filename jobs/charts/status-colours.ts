/** Status colours of every picture, matching the bot's status icons (✅ ⚠️ ❌ ❔). */
import type { Status } from '../checks/finding.js';

export type CellStatus = Status | 'none';

export const STATUS_COLOURS: Record<CellStatus, string> = {
  ok: '#2e9e48',
  warn: '#f0b400',
  fail: '#d92b2b',
  unknown: '#8c959f',
  none: '#e9edf0',
};

export const CELL_LABELS: Record<CellStatus, string> = {
  fail: 'fail',
  warn: 'warn',
  unknown: 'unknown',
  ok: 'ok',
  none: 'not checked',
};

/** Legend order: worst first. */
export const CELL_ORDER: CellStatus[] = ['fail', 'warn', 'unknown', 'ok', 'none'];

/** Velero Backup phases → colours (Completed green, failures red, running blue). */
export const PHASE_COLOURS: Record<string, string> = {
  Completed: STATUS_COLOURS.ok,
  PartiallyFailed: STATUS_COLOURS.warn,
  Failed: STATUS_COLOURS.fail,
  FailedValidation: '#8e1b1b',
  InProgress: '#3b7dd8',
  New: '#9cc3f0',
  Queued: '#9cc3f0',
  ReadyToStart: '#9cc3f0',
  WaitingForPluginOperations: '#3b7dd8',
  Finalizing: '#3b7dd8',
  Deleting: STATUS_COLOURS.unknown,
};
