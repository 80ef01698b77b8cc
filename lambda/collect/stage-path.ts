/**
 * What the collector knows of one stage's path before it reaches a load balancer: the stage's
 * settings and its integrations with the stage's variables applied (REST: also what its deployment
 * serves). Read per API type (rest-stage-path.ts, http-stage-path.ts).
 */
import type {
  ClassifiedStage,
  Collected,
  DeployedIntegration,
  IntegrationFacts,
  StageSettings,
} from '../domain/types';
import { usesStageVariables } from './integration-uri';

export interface StagePath {
  stage: ClassifiedStage;
  settings: Collected<StageSettings>;
  integrations: Collected<IntegrationFacts[]>;
  /** REST only: what the stage's deployment serves. */
  deployed?: Collected<Record<string, DeployedIntegration> | null>;
}

/** Reads the stages of one API type; what several stages of one API share is read once. */
export interface StagePathReader {
  /** Starts reading the stage's settings (the log evidence waits on them alone). */
  readSettings(stage: ClassifiedStage): Promise<Collected<StageSettings>>;
  /** The stage's path, once its settings (`settingsRead`, already started) and integrations are read. */
  readPath(stage: ClassifiedStage, settingsRead: Promise<Collected<StageSettings>>): Promise<StagePath>;
}

/** When the stage could not be read, an integration that depends on its variables cannot be followed. */
export function blameUnreadStage(
  facts: IntegrationFacts,
  settings: Collected<StageSettings>,
): IntegrationFacts {
  if (settings.ok) return facts;
  const dependsOnStage = [facts.rawConnectionId, facts.uri].some(
    (value) => value && usesStageVariables(value),
  );
  return dependsOnStage ? { ...facts, pathError: settings.error } : facts;
}

export const allIntegrations = (paths: StagePath[]): IntegrationFacts[] =>
  paths.flatMap((path) => (path.integrations.ok ? path.integrations.value : []));

export const stageKey = (stage: ClassifiedStage) => `${stage.apiType}|${stage.apiId}|${stage.stage}`;
