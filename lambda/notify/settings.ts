import type { Severity } from '../domain/types';

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
  minSeverity: 'medium',
  reminderIntervalHours: 24,
  sendAllClear: true,
};
