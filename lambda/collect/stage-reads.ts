/**
 * The first step of the path phase: every selected stage's path (stage-path.ts) and, started as soon
 * as each stage's settings are known, its log evidence (stage-log-evidence.ts), so the log searches
 * overlap the reads of the paths.
 */
import {
  type AuditWindow,
  type ClassifiedStage,
  type Collected,
  collected,
  failed,
  type LogEvidence,
} from '../domain/types';
import type { AwsClients } from './clients';
import { toCollectionError } from './collect-error';
import { limitConcurrency, mapInLanes } from './concurrency';
import { httpStagePathReader } from './http-stage-path';
import { restStagePathReader } from './rest-stage-path';
import { readLogEvidence } from './stage-log-evidence';
import type { StagePath } from './stage-path';

/** Calls in flight per service: API Gateway allows 10 requests per second, ELB refills 10 per second. */
const CONCURRENCY = 5;

export interface StageReads {
  /** Every stage's paths, in the order of the stages: its own first, then its canary's (if any). */
  paths: StagePath[];
  /** Each stage's log evidence, in the order of the stages; the searches run while the paths are read. */
  evidence: Promise<Collected<LogEvidence | null>[]>;
}

/** REST stages wait on `GetResources`; HTTP stages only on the shared quota. */
const laneOf = (stage: ClassifiedStage): string => stage.apiType;

/**
 * Reads each stage's settings and integrations, REST and HTTP stages in separate lanes: REST stages
 * wait on `GetResources` (2.5/s), and in one lane they would leave the shared API Gateway quota
 * (10/s) half idle. Each stage's log search starts as soon as its settings are known.
 */
export async function readStagePaths(
  clients: AwsClients,
  stages: ClassifiedStage[],
  window: AuditWindow,
  accessLogGroupPrefix: string | undefined,
  search: { executionLogs: boolean } = { executionLogs: true },
): Promise<StageReads> {
  const readers = { REST: restStagePathReader(clients), HTTP: httpStagePathReader(clients) };
  const searchLogs = limitConcurrency(CONCURRENCY);
  const evidenceOf = new Map<ClassifiedStage, Promise<Collected<LogEvidence | null>>>();
  const paths: StagePath[][] = await mapInLanes(stages, laneOf, CONCURRENCY, async (stage) => {
    const reader = readers[stage.apiType];
    const settingsRead = reader.readSettings(stage);
    evidenceOf.set(
      stage,
      settingsRead
        .then((settings) =>
          searchLogs(() => readLogEvidence(clients, stage, settings, window, accessLogGroupPrefix, search)),
        )
        .catch((error: unknown) => failed(toCollectionError('logs:FilterLogEvents', error))),
    );
    return reader.readPaths(stage, settingsRead);
  });
  const evidence = Promise.all(
    stages.map((stage) => evidenceOf.get(stage) ?? Promise.resolve(collected(null))),
  );
  return { paths: paths.flat(), evidence };
}
