/**
 * Where a stage's log evidence is, and whether there can be any: the one log group that is the
 * stage's own, searched with one FilterLogEvents (log-evidence.ts).
 */
import {
  type AccessLogSettings,
  type AuditWindow,
  type ClassifiedStage,
  type Collected,
  collected,
  failed,
  type LogEvidence,
  type StageSettings,
} from '../domain/types';
import { accessLogFormat, ERROR_TEXT_VARIABLES, errorTextVariablesIn } from './access-log-format';
import type { AwsClients } from './clients';
import { countErrorLines } from './log-evidence';
import { accessLogGroupToSearch, executionLogGroup } from './log-groups';

/**
 * A REST stage whose execution logging is off, stage-wide and in every method setting, writes no
 * execution log lines: nothing to search.
 */
export const executionLoggingOff = (settings: Collected<StageSettings>): boolean =>
  settings.ok &&
  (settings.value.executionLogging?.loggingLevel ?? 'OFF') === 'OFF' &&
  Object.values(settings.value.methodLogging ?? {}).every(
    (method) => (method.loggingLevel ?? 'OFF') === 'OFF',
  );

/**
 * A stage's evidence, from the one log group that is its own: a REST stage's execution log group
 * (named after the API and stage); an HTTP stage's access-log group, only when the format holds
 * error text and the group lies under the configured prefix, counting only the lines that name
 * this API and stage where the format holds `$context.apiId` / `$context.stage`.
 */
export function readLogEvidence(
  clients: AwsClients,
  stage: ClassifiedStage,
  settings: Collected<StageSettings>,
  window: AuditWindow,
  accessLogGroupPrefix: string | undefined,
  search: { executionLogs: boolean } = { executionLogs: true },
): Promise<Collected<LogEvidence | null>> {
  if (stage.apiType === 'REST') {
    // Settings that could not be read do not prove logging is off: the group is still searched.
    if (executionLoggingOff(settings)) return Promise.resolve(collected(null));
    const group = executionLogGroup(stage.apiId, stage.stage);
    if (!search.executionLogs)
      return Promise.resolve(collected({ logGroup: group, notSearched: EXECUTION_LOGS_OPT_IN }));
    return countErrorLines(clients.logs, group, window, { kind: 'whole-group' });
  }
  if (!settings.ok) return Promise.resolve(failed(settings.error));
  const accessLog = settings.value.accessLog;
  const target = accessLogGroupToSearch(accessLog?.destinationArn, accessLogGroupPrefix);
  if (!accessLog || !('search' in target)) {
    return Promise.resolve(
      collected(accessLog && 'skip' in target ? withoutErrorText(accessLog, target.skip) : null),
    );
  }
  const format = accessLogFormat(accessLog.format);
  if (format.errorVariables.length === 0) return Promise.resolve(collected(noErrorText(target.search)));
  return countErrorLines(clients.logs, target.search, window, {
    kind: 'by-format',
    attributedBy: format.attributedBy,
    attribute: format.attribute,
    stage: { apiId: stage.apiId, stage: stage.stage },
  });
}

/** Why a member account's execution log group is not searched (organization mode, the default). */
export const EXECUTION_LOGS_OPT_IN =
  "execution logs are searched in member accounts only when turned on (orgSearchExecutionLogs and the member template's SearchExecutionLogs): they can hold request bodies";

/** An access log whose format holds no error text cannot hold the evidence, wherever it goes. */
const noErrorText = (logGroup: string): LogEvidence => ({
  logGroup,
  notSearched: `the access log format holds no error text (none of ${ERROR_TEXT_VARIABLES.join(', ')}): add $context.integrationErrorMessage to the format so its lines say why an integration failed`,
});

/** Why an access-log group outside the prefix is not searched; the format's own gap comes first. */
function withoutErrorText(accessLog: AccessLogSettings, skip: LogEvidence | null): LogEvidence | null {
  if (!skip) return null;
  return errorTextVariablesIn(accessLog.format).length === 0 ? noErrorText(skip.logGroup) : skip;
}
