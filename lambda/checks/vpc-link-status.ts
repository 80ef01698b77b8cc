import { vpcLinkArn } from '../domain/arns';
import type { NetworkFacts } from '../domain/check';
import type { CheckResult, Collected, IntegrationFacts, StageInventory } from '../domain/types';
import { describeCanary, integrationResource, type StagePath } from '../path/build';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import {
  couldNotRead,
  failedCheck,
  integrationsUnreadable,
  lookup,
  notApplicable,
  passed,
  stageKeyOf,
  stageLabel,
  stageResource,
  vpcLinkResourceType,
} from './results';

const GONE_CODES = new Set(['NotFoundException', 'NotFound']);

/** Each path of the stage: its own integrations and, for a REST canary, the canary's with its share. */
function evaluatePath(path: StagePath, inventory: NetworkFacts): CheckResult[] {
  const canary = path.variant === 'canary' ? describeCanary(path.share) : undefined;
  return evaluateIntegrations(path.stage, path.integrations, canary, inventory);
}

function evaluateIntegrations(
  stage: StageInventory,
  integrations: Collected<IntegrationFacts[]>,
  canary: string | undefined,
  inventory: NetworkFacts,
): CheckResult[] {
  const apis = [stageKeyOf(stage)];
  const on = canary ? ` on the ${canary}` : '';
  if (!integrations.ok) return [integrationsUnreadable(stage, integrations.error)];
  const viaLink = integrations.value.filter((integration) => integration.connectionType === 'VPC_LINK');
  if (viaLink.length === 0) {
    if (canary) return [];
    return [
      notApplicable(
        stageResource(stage.stage),
        apis,
        `no integration of ${stageLabel(stage.stage)} uses a VPC link`,
      ),
    ];
  }
  return viaLink.map((integration): CheckResult => {
    if (!integration.vpcLinkId) {
      const error = integration.pathError ?? {
        action: 'apigateway:GET',
        code: 'Unresolved',
        message: `connection id ${integration.rawConnectionId ?? '(none)'} did not resolve to a VPC link`,
      };
      return couldNotRead(
        integrationResource(stage, integration),
        apis,
        `the VPC link of ${integration.label}`,
        error,
      );
    }
    const resource = {
      resourceArn: vpcLinkArn(inventory.region, integration.vpcLinkId),
      resourceType: vpcLinkResourceType(integration.vpcLinkVersion),
    };
    const link = lookup(inventory.vpcLinks, integration.vpcLinkId, 'apigateway:GET');
    if (!link.ok) {
      if (GONE_CODES.has(link.error.code)) {
        return failedCheck(
          resource,
          apis,
          `integration ${integration.label}${on} uses VPC link ${integration.vpcLinkId}, which no longer exists`,
          { action: link.error.action, code: link.error.code },
        );
      }
      return couldNotRead(resource, apis, `VPC link ${integration.vpcLinkId}`, link.error);
    }
    const { name, status, statusMessage } = link.value;
    const evidence = { status, statusMessage: statusMessage ?? null };
    if (status === 'AVAILABLE') {
      return passed(resource, apis, `VPC link ${name}${on} is AVAILABLE`, evidence);
    }
    const why =
      status === 'INACTIVE'
        ? ': HTTP API VPC links go INACTIVE after 60 days without traffic; send a request or update the link to wake it'
        : statusMessage
          ? ` (${statusMessage})`
          : '';
    return failedCheck(resource, apis, `VPC link ${name}${on} is ${status}${why}`, evidence);
  });
}

export const vpcLinkStatus: CheckDefinition<'paths' | 'network'> = {
  id: 'vpc-link-status',
  title: 'VPC link is AVAILABLE',
  group: 'beyond-the-article',
  severity: 'critical',
  role: 'cause',
  runsFor: ['high-frequency'],
  risk: 'A VPC link that is not AVAILABLE (pending, failed, deleting, inactive or gone) carries no traffic: every request through it fails.',
  remediation:
    'Fix or recreate the VPC link (its statusMessage says why it failed); for an INACTIVE HTTP API VPC link, send traffic through it or update it to reactivate it.',
  docs: [
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vpc-links.html',
    ARTICLE,
  ],
  reads: ['paths', 'network'],
  evaluate: ({ paths, network }) => paths.flatMap((path) => evaluatePath(path, network)),
};
