import type { CheckResult } from '../domain/types';
import { type CloudMapPath, cloudMapResource, describeCloudMapService } from '../path/cloud-map';
import type { CheckDefinition } from './check-definition';
import { couldNotRead, passed, warned } from './results';

/**
 * DiscoverInstances "ignores" the health filter for a service without a health check and returns
 * every instance (Cloud Map API reference); the developer guide: traffic is then routed to instances
 * "regardless of the instances' health status". API Gateway sends to what DiscoverInstances returns.
 */
export function judgeCloudMapHealthCheck(path: CloudMapPath): CheckResult {
  const resource = cloudMapResource(path.serviceArn);
  const name = describeCloudMapService(path);
  if (!path.service.ok) return couldNotRead(resource, path.apis, name, path.service.error);
  const { healthCheck } = path.service.value;
  const evidence = { healthCheck };
  if (healthCheck === 'none') {
    const message = `${name} has no health check (neither HealthCheckConfig nor HealthCheckCustomConfig): DiscoverInstances returns every instance, so API Gateway keeps sending requests to instances that have stopped answering`;
    return warned(resource, path.apis, message, evidence);
  }
  const kind = healthCheck === 'custom' ? 'a custom health check' : 'a Route 53 health check';
  return passed(resource, path.apis, `${name} has ${kind}: unhealthy instances are left out`, evidence);
}

export const cloudMapHealthCheck: CheckDefinition<'paths'> = {
  id: 'cloud-map-health-check',
  title: 'Cloud Map services check their instances’ health',
  group: 'beyond-the-article',
  severity: 'low',
  role: 'advice',
  runsFor: ['high-frequency'],
  risk: 'A Cloud Map service without a health check never marks an instance unhealthy: DiscoverInstances returns every registered instance, and API Gateway keeps sending requests to instances that crashed or are shutting down until they are deregistered.',
  remediation:
    'Create the service with a custom health check (HealthCheckCustomConfig; ECS reports task health to it) or, for public DNS namespaces, a Route 53 health check. HealthCheckCustomConfig cannot be added to an existing service (CreateService reference): create a new service with it and register the instances there.',
  docs: [
    'https://docs.aws.amazon.com/cloud-map/latest/dg/services-health-checks.html',
    'https://docs.aws.amazon.com/cloud-map/latest/api/API_DiscoverInstances.html',
    'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html',
  ],
  reads: ['paths'],
  evaluate: ({ paths }) =>
    paths.flatMap((path) => path.cloudMapServices.map((cloudMap) => judgeCloudMapHealthCheck(cloudMap))),
};
