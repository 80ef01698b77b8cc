import type { HealthCheckFacts } from '../domain/types';
import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import type { Judgement } from './error-minutes';
import { evaluateTargetGroupAdvice, NO_HEALTH_CHECK } from './target-group-advice';

/**
 * Pure: every target behind a VPC link integration serves HTTP (API Gateway sends HTTP(S) requests),
 * so a TCP health check proves only that the port accepts connections, not that the application answers.
 */
export function judgeTcpHealthCheck(where: string, healthCheck: HealthCheckFacts): Judgement {
  if (healthCheck.protocol !== 'TCP') {
    return {
      status: 'PASS',
      message: `${where} checks its targets' health over ${healthCheck.protocol}`,
      evidence: { healthCheckProtocol: healthCheck.protocol },
    };
  }
  return {
    status: 'WARN',
    severity: 'low',
    message: `${where} checks its targets' health over TCP, yet they serve API Gateway's HTTP requests: a target whose application fails but whose port still accepts connections stays healthy and keeps getting traffic`,
    evidence: { healthCheckProtocol: healthCheck.protocol },
  };
}

export const tgTcpHealthCheck: CheckDefinition = {
  id: 'tg-tcp-health-check',
  title: 'Health checks test the HTTP application, not only the port',
  group: 'beyond-the-article',
  severity: 'low',
  role: 'condition',
  runsFor: ['high-frequency'],
  risk: 'A TCP health check stays green while the application behind the port fails (hung workers, a crashed app behind a proxy, exhausted pools): the load balancer keeps sending requests that fail.',
  remediation:
    'Use an HTTP or HTTPS health check on a path that exercises the application (e.g. /health answering 200 only when it can serve), on the traffic port.',
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) =>
    evaluateTargetGroupAdvice(stages, inventory, 'its health check settings', (where, group) =>
      group.healthCheck ? judgeTcpHealthCheck(where, group.healthCheck) : NO_HEALTH_CHECK(where),
    ),
};
