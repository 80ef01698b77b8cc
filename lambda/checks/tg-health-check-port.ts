import type { HealthCheckFacts } from '../domain/types';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import type { Judgement } from './error-minutes';
import { evaluateTargetGroupAdvice, NO_HEALTH_CHECK } from './target-group-advice';

/** Pure: a health check on another port than the traffic port says nothing of the port that serves. */
export function judgeHealthCheckPort(
  where: string,
  healthCheck: HealthCheckFacts,
  trafficPort: number,
): Judgement {
  const evidence = { healthCheckPort: healthCheck.port, trafficPort };
  if (healthCheck.port === 'traffic-port' || Number(healthCheck.port) === trafficPort) {
    return { status: 'PASS', message: `${where} checks health on the traffic port`, evidence };
  }
  return {
    status: 'WARN',
    severity: 'low',
    message: `${where} checks health on port ${healthCheck.port}, not on the traffic port ${trafficPort}: a target can pass while the port that serves API Gateway's requests is closed or failing`,
    evidence,
  };
}

export const tgHealthCheckPort: CheckDefinition = {
  id: 'tg-health-check-port',
  title: 'Health checks test the port that serves traffic',
  group: 'beyond-the-article',
  severity: 'low',
  role: 'condition',
  runsFor: ['high-frequency'],
  risk: 'A health check on a side port (an agent, a sidecar) keeps a target healthy while the service on the traffic port is down: the load balancer keeps sending it requests that fail.',
  remediation:
    'Set the health check port to traffic-port, or make the side port answer only when the service on the traffic port can serve.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) =>
    evaluateTargetGroupAdvice(stages, inventory, 'its health check settings', (where, group) =>
      group.healthCheck ? judgeHealthCheckPort(where, group.healthCheck, group.port) : NO_HEALTH_CHECK(where),
    ),
};
