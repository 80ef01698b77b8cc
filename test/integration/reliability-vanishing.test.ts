/**
 * Resources that disappear while the audit reads them: the fault middleware deletes a load balancer
 * or a VPC link in the emulator right before the call that reads it, after the audit has already
 * reached it from the API. What is gone is a FAIL naming it; what could not be read, ERROR; nothing crashes.
 */
import { DeleteVpcLinkCommand } from '@aws-sdk/client-apigatewayv2';
import { DeleteLoadBalancerCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { type AuditRequest, runAudit } from '../../lambda/audit';
import type { AwsClients } from '../../lambda/collect/clients';
import { BROKEN_ACCOUNT } from '../../scripts/seed/broken-account';
import { type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { useEmulator } from '../support/emulator';
import { FaultLog, faultInjector, onceBefore } from '../support/faults';
import { expectValidReport } from '../support/report-schema';

const TEST_TIMEOUT_MS = 60_000;

describe('the audit when resources vanish mid-audit', () => {
  const aws = useEmulator();
  const now = new Date();
  let clients: AwsClients;
  let seeded: SeededAccount;
  let request: AuditRequest;

  beforeAll(async () => {
    clients = aws.clients({ rateLimits: false });
    seeded = await seedAccount(clients, BROKEN_ACCOUNT, now);
    request = aws.auditRequest(now);
  }, TEST_TIMEOUT_MS);

  it(
    'reports FAIL, not ERROR, for a load balancer deleted after the API that leads to it was read',
    async () => {
      // Arrange: the HTTP API's integration (a listener ARN) is read, then the ALB and its listener vanish.
      const alb = seeded.loadBalancers['catalog-alb']?.arn ?? '';
      const catalogApi = seeded.httpApis['catalog-http'] ?? '';
      const log = new FaultLog();
      const deleteAlb = onceBefore(
        (a) => a.service === 'ElasticLoadBalancingV2',
        async () => {
          await clients.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: alb }));
        },
      );

      // Act
      const report = await runAudit({ ...request, plugins: [faultInjector([deleteAlb], log)] });

      // Assert
      expect(log.count('before')).toBeGreaterThan(0);
      const onCatalogPath = report.findings.filter(
        (finding) =>
          finding.apis.some((api) => api.apiId === catalogApi) &&
          ['integration-listener', 'tg-empty-az', 'tg-unhealthy-az', 'lb-cross-zone'].includes(
            finding.checkId,
          ),
      );
      // The listener's ARN names its load balancer, so the diagnosis is the load balancer itself:
      // one FAIL saying it no longer exists, and nothing to judge behind it (SKIPPED, never PASS).
      const listenerFinding = onCatalogPath.find((finding) => finding.checkId === 'integration-listener');
      expect(listenerFinding).toMatchObject({ status: 'FAIL', resourceArn: alb });
      expect(listenerFinding?.message).toContain('no longer exists (LoadBalancerNotFound)');
      for (const finding of onCatalogPath.filter((f) => f.checkId !== 'integration-listener')) {
        expect(finding.status).toBe('SKIPPED');
        expect(finding.message).toContain('integration-listener reports it');
      }
      // The NLB path, untouched, is still audited and still fails where it should.
      const nlbTargetGroup = seeded.targetGroups['orders-tg'] ?? '';
      expect(
        report.findings.find((f) => f.checkId === 'tg-empty-az' && f.resourceArn === nlbTargetGroup)?.status,
      ).toBe('FAIL');
      expectValidReport(report);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports FAIL "no longer exists" for an HTTP VPC link deleted after the integration that uses it was read',
    async () => {
      // Arrange
      const linkId = seeded.vpcLinks['orders-link'] ?? '';
      const deleteLink = onceBefore(
        (a) => a.service === 'ApiGatewayV2' && a.operation === 'GetVpcLinks',
        async () => {
          await clients.apiGatewayV2.send(new DeleteVpcLinkCommand({ VpcLinkId: linkId }));
        },
      );

      // Act
      const report = await runAudit({ ...request, plugins: [faultInjector([deleteLink])] });

      // Assert
      const linkStatus = report.findings.filter(
        (finding) =>
          finding.checkId === 'vpc-link-status' && finding.resourceArn.endsWith(`/vpclinks/${linkId}`),
      );
      expect(linkStatus).toHaveLength(1);
      // A link the integration names but AWS no longer has is itself a cause of the 504: FAIL, not PASS.
      expect(linkStatus[0]?.status).toBe('FAIL');
      expect(linkStatus[0]?.message).toContain(`uses VPC link ${linkId}, which no longer exists`);
      expect(linkStatus[0]?.evidence).toEqual({ action: 'apigateway:GetVpcLinks', code: 'NotFound' });
      expectValidReport(report);
    },
    TEST_TIMEOUT_MS,
  );
});
