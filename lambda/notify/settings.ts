import type { Severity } from '../domain/types';
import { DEFAULTS } from '../settings/settings';

/** What gets published, and how often an open finding is repeated. */
export interface NotifySettings {
  /** Open findings below this severity are not announced (a finding already announced is still followed). */
  minSeverity: Severity;
  /** Re-send still-open findings after this many hours since they were last announced; 0 turns reminders off. */
  reminderIntervalHours: number;
  /** Publish an "all clear" when the last open finding resolves. */
  sendAllClear: boolean;
}

export const DEFAULT_NOTIFY_SETTINGS: NotifySettings = {
  minSeverity: DEFAULTS.minSeverity,
  reminderIntervalHours: DEFAULTS.reminderIntervalHours,
  sendAllClear: DEFAULTS.sendAllClear,
};
