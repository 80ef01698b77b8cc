/**
 * What the collector knows of one stage's path before it reaches a load balancer: the stage's
 * settings and its integrations with the stage's variables applied (REST: also what its deployment
 * serves). Read per API type (rest-stage-path.ts, http-stage-path.ts).
 */
import type {
  CanaryInventory,
  ClassifiedStage,
  Collected,
  DeployedIntegration,
  IntegrationFacts,
  StageInventory,
  StageSettings,
} from '../domain/types';
import { usesStageVariables } from './integration-uri';

/**
 * One path behind a stage. A stage has one, or two when a REST canary serves part of its requests:
 * then `variant` says which deployment the path serves and `share` the part of the stage's requests
 * it carries (canary `percentTraffic / 100`, the stage's own deployment the rest). Both paths hold the
 * same `stage`; the canary's `settings` carry its variables (the stage's, overridden by
 * `stageVariableOverrides`) and its integrations are resolved with them, so a canary that points at
 * another VPC link or host is followed there. Its integrations are the API's current definition: a
 * canary serves the newer deployment under test (CreateDeployment with `canarySettings`), and no
 * export shows a deployment other than a stage's main one. Without a canary both fields are absent:
 * the one path carries all the stage's requests.
 */
export interface StagePath {
  stage: ClassifiedStage;
  settings: Collected<StageSettings>;
  integrations: Collected<IntegrationFacts[]>;
  /**
   * What the path's deployment serves (its export); absent when no export shows it (a canary on a
   * deployment other than the stage's own: GetExport exports a stage's main deployment only).
   */
  deployed?: Collected<Record<string, DeployedIntegration> | null>;
  variant?: 'primary' | 'canary';
  /** 0-1: the share of the stage's requests this path carries; absent: all of them. */
  share?: number;
  /** The deployment this path serves, when GetStage names it. */
  deploymentId?: string;
}

/** Reads the stages of one API type; what several stages of one API share is read once. */
export interface StagePathReader {
  /** Starts reading the stage's settings (the log evidence waits on them alone). */
  readSettings(stage: ClassifiedStage): Promise<Collected<StageSettings>>;
  /**
   * The stage's paths (its own and, for a REST canary, the canary's), once its settings
   * (`settingsRead`, already started), integrations and deployment's export are read.
   */
  readPaths(stage: ClassifiedStage, settingsRead: Promise<Collected<StageSettings>>): Promise<StagePath[]>;
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

/** The integrations of every path, a canary's included (they lead to the links and load balancers to read). */
export const allIntegrations = (paths: StagePath[]): IntegrationFacts[] =>
  paths.flatMap((path) => (path.integrations.ok ? path.integrations.value : []));

export const stageKey = (stage: ClassifiedStage) => `${stage.apiType}|${stage.apiId}|${stage.stage}`;

/** The path of the stage's own deployment (the first of its paths). */
export const isPrimary = (path: StagePath): boolean => path.variant !== 'canary';

/** What the inventory keeps of a stage's canary path (none without a canary). */
export function canaryOf(paths: StagePath[], own: StagePath): Pick<StageInventory, 'canary'> {
  const canary = paths.find((path) => path.stage === own.stage && path.variant === 'canary');
  if (!canary) return {};
  const inventory: CanaryInventory = {
    share: canary.share ?? 0,
    ...(canary.deploymentId ? { deploymentId: canary.deploymentId } : {}),
    stageVariables: canary.settings.ok ? canary.settings.value.stageVariables : {},
    integrations: canary.integrations,
    ...(canary.deployed ? { deployedIntegrations: canary.deployed } : {}),
  };
  return { canary: inventory };
}
