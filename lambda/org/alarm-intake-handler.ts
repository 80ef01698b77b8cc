/**
 * The alarm path's gate (issue 25): the enrichment step of the EventBridge pipe from the alarm queue
 * (SQS FIFO) to the state machine. EventBridge Pipes passes a batch of SQS messages and starts one
 * run per element returned; an event this step refuses is dropped here (logged, counted in
 * `AlarmEventsRefused` by reason), so it never becomes a run, let alone a failed one. An empty array
 * invokes no target (EventBridge user guide, "Event enrichment in Amazon EventBridge Pipes":
 * "Filtering events using enrichment").
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { parseEnvironment } from '../config/environment';
import { type Admission, type AdmissionDeps, admitAlarmEvent } from './alarm-admission';
import { parseOrgEnvironment } from './org-environment';

/** What Pipes hands the enrichment for an SQS source: the messages, each with its body as text. */
const pipeBatchSchema = z.array(z.looseObject({ messageId: z.string(), body: z.string() }));

export interface IntakeDeps {
  admission: Omit<AdmissionDeps, 'source' | 'tableName' | 'runsPerWindow'>;
  env: Record<string, string | undefined>;
  record: (messageId: string, admission: Admission) => void;
}

function bodyOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function createIntakeHandler(deps: IntakeDeps) {
  return async (batch: unknown): Promise<unknown[]> => {
    const environment = parseEnvironment(deps.env);
    const org = parseOrgEnvironment(deps.env);
    const admissionDeps: AdmissionDeps = {
      ...deps.admission,
      tableName: environment.stateTableName,
      runsPerWindow: org.alarmRunsPerWindow,
      source: {
        regions: environment.auditRegions,
        ...(org.accounts ? { accounts: org.accounts } : {}),
        ...(org.organizationalUnitIds ? { organizationalUnitIds: org.organizationalUnitIds } : {}),
      },
    };
    const admitted: unknown[] = [];
    for (const message of pipeBatchSchema.parse(batch)) {
      const admission = await admitAlarmEvent(bodyOf(message.body), admissionDeps);
      deps.record(message.messageId, admission);
      if (admission.admitted) admitted.push(admission.event);
    }
    return admitted;
  };
}

const logger = new Logger();
const metrics = new Metrics();

const intakeHandler = createIntakeHandler({
  admission: {
    documents: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    organizations: () => new OrganizationsClient({}),
  },
  env: process.env,
  record: (messageId, admission) => {
    if (admission.admitted) {
      logger.info('Alarm event admitted', { messageId, key: admission.key });
      metrics.addMetric('AlarmEventsAdmitted', MetricUnit.Count, 1);
      return;
    }
    logger.warn('Alarm event refused', { messageId, reason: admission.reason, detail: admission.detail });
    metrics
      .singleMetric()
      .addDimension('reason', admission.reason)
      .addMetric('AlarmEventsRefused', MetricUnit.Count, 1);
  },
});

export async function handler(batch: unknown): Promise<unknown[]> {
  try {
    return await intakeHandler(batch);
  } finally {
    metrics.publishStoredMetrics();
  }
}
