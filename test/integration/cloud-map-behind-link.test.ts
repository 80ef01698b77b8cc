/**
 * HTTP APIs -> VPC link V2 -> Cloud Map service on the emulator (moto's servicediscovery: HTTP
 * namespace, services with and without a custom health check, instances registered with
 * AWS_INSTANCE_IPV4 and AWS_INSTANCE_PORT as in the Cloud Map API reference's RegisterInstance
 * example). moto enforces no security group: the tests assert the audit's reasoning, each finding
 * beside its healthy twin (the `open` API: its tasks admit the link's group, the link lets the port
 * out, its service has a health check).
 */

import { CreateVpcLinkCommand } from '@aws-sdk/client-apigatewayv2';
import { DescribeInstancesCommand, RevokeSecurityGroupEgressCommand } from '@aws-sdk/client-ec2';
import {
  CreateHttpNamespaceCommand,
  CreateServiceCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  RegisterInstanceCommand,
  UpdateInstanceCustomHealthStatusCommand,
} from '@aws-sdk/client-servicediscovery';
import { runAudit } from '../../lambda/audit';
import type { AwsClients } from '../../lambda/collect/clients';
import type { Finding, Report } from '../../lambda/domain/types';
import { type AccountSpec, type SeededAccount, seedAccount } from '../../scripts/seed/seed-account';
import { must, useEmulator } from '../support/emulator';
import { createPrivateHttpApi, putFailingHttpStageTraffic } from '../support/emulator-apis';
import { denyAction, faultInjector } from '../support/faults';
import { LINK_NETWORK } from '../support/link-network';
import { expectValidReport } from '../support/report-schema';

const SHOP: AccountSpec = {
  vpcCidr: LINK_NETWORK.vpcCidr,
  subnets: LINK_NETWORK.subnets,
  securityGroups: [
    { name: 'link-open', ingress: [] },
    { name: 'link-shut', ingress: [] },
    // The healthy twin: the task port from the link's group.
    {
      name: 'tasks-open',
      ingress: [
        { port: 8080, fromGroup: 'link-open' },
        { port: 8080, fromGroup: 'link-shut' },
      ],
    },
    // Written for an ALB that used to stand in front: the port from the load balancers' subnet only.
    { name: 'tasks-closed', ingress: [{ port: 8080, cidr: '10.0.1.0/24' }] },
  ],
  instances: [
    { name: 'open-a', subnet: 'private-a', securityGroups: ['tasks-open'] },
    { name: 'closed-a', subnet: 'private-a', securityGroups: ['tasks-closed'] },
  ],
  targetGroups: [],
  loadBalancers: [],
  flowLogs: false,
  httpApis: [],
  restApis: [],
};

interface CloudMapApi {
  name: string;
  link: 'link-open' | 'link-shut';
  service: string;
}

const APIS: CloudMapApi[] = [
  { name: 'open', link: 'link-open', service: 'open' },
  { name: 'closed', link: 'link-open', service: 'closed' },
  { name: 'empty', link: 'link-open', service: 'empty' },
  { name: 'portless', link: 'link-open', service: 'portless' },
  { name: 'shut', link: 'link-shut', service: 'open' },
  { name: 'mixed', link: 'link-open', service: 'mixed' },
];

async function privateIp(clients: AwsClients, instanceId: string): Promise<string> {
  const described = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return must(described.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress, `address of ${instanceId}`);
}

/** Cloud Map: one HTTP namespace, its services, and their instances; service name -> ARN. */
async function seedCloudMap(clients: AwsClients, seeded: SeededAccount): Promise<Record<string, string>> {
  const sd = clients.serviceDiscovery;
  const operation = await sd.send(new CreateHttpNamespaceCommand({ Name: 'shop' }));
  await sd.send(new GetOperationCommand({ OperationId: operation.OperationId }));
  const namespaces = await sd.send(new ListNamespacesCommand({}));
  const namespaceId = must(namespaces.Namespaces?.find((n) => n.Name === 'shop')?.Id, 'namespace shop');
  // CreateService (Cloud Map API reference): HealthCheckCustomConfig is what ECS services use.
  const service = async (name: string, healthChecked: boolean) => {
    const created = await sd.send(
      new CreateServiceCommand({
        Name: name,
        NamespaceId: namespaceId,
        ...(healthChecked ? { HealthCheckCustomConfig: { FailureThreshold: 1 } } : {}),
      }),
    );
    return must(created.Service, `service ${name}`);
  };
  const openIp = await privateIp(clients, must(seeded.instances['open-a'], 'open-a'));
  const closedIp = await privateIp(clients, must(seeded.instances['closed-a'], 'closed-a'));
  const services = {
    open: await service('open', true),
    closed: await service('closed', false),
    empty: await service('empty', true),
    portless: await service('portless', true),
    mixed: await service('mixed', true),
  };
  // RegisterInstance example (Cloud Map API reference): Attributes AWS_INSTANCE_IPV4 and AWS_INSTANCE_PORT.
  const register = (serviceId: string | undefined, instanceId: string, attributes: Record<string, string>) =>
    sd.send(
      new RegisterInstanceCommand({ ServiceId: serviceId, InstanceId: instanceId, Attributes: attributes }),
    );
  await register(services.open.Id, 'open-task', { AWS_INSTANCE_IPV4: openIp, AWS_INSTANCE_PORT: '8080' });
  await register(services.closed.Id, 'closed-task', {
    AWS_INSTANCE_IPV4: closedIp,
    AWS_INSTANCE_PORT: '8080',
  });
  // The blocked task is UNHEALTHY under the custom health check: DiscoverInstances leaves it out.
  await register(services.mixed.Id, 'healthy-task', { AWS_INSTANCE_IPV4: openIp, AWS_INSTANCE_PORT: '8080' });
  await register(services.mixed.Id, 'unhealthy-task', {
    AWS_INSTANCE_IPV4: closedIp,
    AWS_INSTANCE_PORT: '8080',
  });
  await sd.send(
    new UpdateInstanceCustomHealthStatusCommand({
      ServiceId: services.mixed.Id,
      InstanceId: 'unhealthy-task',
      Status: 'UNHEALTHY',
    }),
  );
  // An ECS service registered with A records: the address, no port (API Gateway guide: use SRV records).
  await register(services.portless.Id, 'a-record-task', { AWS_INSTANCE_IPV4: openIp });
  return Object.fromEntries(
    Object.entries(services).map(([name, created]) => [name, must(created.Arn, `ARN of ${name}`)]),
  );
}

/** The HTTP APIs, each with one route to its Cloud Map service through its link, failing: name -> API id. */
async function createCloudMapApis(
  clients: AwsClients,
  seeded: SeededAccount,
  serviceArns: Record<string, string>,
  now: Date,
): Promise<Record<string, string>> {
  const links: Record<string, string> = {};
  for (const name of ['link-open', 'link-shut']) {
    const link = await clients.apiGatewayV2.send(
      new CreateVpcLinkCommand({
        Name: name,
        SubnetIds: [must(seeded.subnets['link-a'], 'link-a'), must(seeded.subnets['link-b'], 'link-b')],
        SecurityGroupIds: [must(seeded.securityGroups[name], name)],
      }),
    );
    links[name] = must(link.VpcLinkId, `VPC link ${name}`);
  }
  const apiIds: Record<string, string> = {};
  for (const api of APIS) {
    // create-integration with a Cloud Map service ARN (API Gateway guide, private integrations for HTTP APIs).
    const apiId = await createPrivateHttpApi(
      clients,
      api.name,
      links[api.link],
      must(serviceArns[api.service], api.service),
    );
    await putFailingHttpStageTraffic(clients, apiId, now);
    apiIds[api.name] = apiId;
  }
  return apiIds;
}

describe('HTTP APIs through a VPC link V2 to Cloud Map on the emulator', () => {
  const aws = useEmulator();
  const now = new Date();
  let report: Report;
  let serviceArns: Record<string, string>;
  let apiIds: Record<string, string>;

  beforeAll(async () => {
    const clients = aws.clients();
    const seeded = await seedAccount(clients, SHOP, now);
    serviceArns = await seedCloudMap(clients, seeded);
    apiIds = await createCloudMapApis(clients, seeded, serviceArns, now);
    // Terraform's way: the default "all traffic to 0.0.0.0/0" egress rule is revoked.
    await clients.ec2.send(
      new RevokeSecurityGroupEgressCommand({
        GroupId: must(seeded.securityGroups['link-shut'], 'link-shut'),
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    report = await runAudit(aws.auditRequest(now));
  }, 90_000);

  const apiId = (name: string) => must(apiIds[name], name);
  const ofApi = (name: string, checkId: string, findings: readonly Finding[] = report.findings) =>
    findings.filter(
      (finding) => finding.checkId === checkId && finding.apis.some((api) => api.apiId === apiId(name)),
    );
  const statuses = (name: string, checkId: string) => ofApi(name, checkId).map((finding) => finding.status);
  const stageOf = (name: string) =>
    must(
      report.apis.find((stage) => stage.apiId === apiId(name)),
      `stage of ${name}`,
    );

  it('writes a report the schema accepts, whose verdict names the blocking group', () => {
    expectValidReport(report);
    expect(stageOf('closed').verdict?.summary).toMatch(/^cloud-map-instance-security-groups: /);
    expect(stageOf('open').verdict?.kind).toBe('no-network-cause');
  });

  it('follows the link to the service and its instance instead of stopping at "no load balancer"', () => {
    expect(stageOf('open').auditedPath?.map((hop) => hop.kind)).toEqual([
      'stage',
      'route',
      'integration',
      'vpc-link',
      'cloud-map-service',
      'cloud-map-instance',
    ]);
    // The link itself is still judged.
    expect(statuses('open', 'vpc-link-status')).toEqual(['PASS']);
    expect(ofApi('open', 'lb-cross-zone').map((finding) => finding.message)).toEqual([
      expect.stringContaining('go through a VPC link to a Cloud Map service, not to a load balancer'),
    ]);
  });

  it("fails the instance whose group admits the port only from the load balancers' subnet, and passes its twin", () => {
    const [closed, ...rest] = ofApi('closed', 'cloud-map-instance-security-groups');
    expect(rest).toEqual([]);
    expect(closed?.status).toBe('FAIL');
    expect(closed?.message).toMatch(
      /security group sg-\w+ of Cloud Map instance closed-task [\d.]+:8080 \(eni-\w+\) admits no tcp\/8080 from VPC link link-open in us-east-1a \(10\.0\.21\.0\/24\); VPC link link-open in us-east-1b \(10\.0\.22\.0\/24\)/,
    );
    expect(statuses('open', 'cloud-map-instance-security-groups')).toEqual(['PASS']);
    // The fix admits the link's subnets on the port, in the instance's group.
    expect(closed?.fix?.commands).toEqual([
      expect.stringMatching(
        /^aws ec2 authorize-security-group-ingress --region 'us-east-1' --group-id 'sg-\w+' --ip-permissions '\[\{"IpProtocol":"tcp","FromPort":8080,"ToPort":8080,"IpRanges":\[\{"CidrIp":"10\.0\.21\.0\/24"\},\{"CidrIp":"10\.0\.22\.0\/24"\}\]\}\]'$/,
      ),
    ]);
    // The instance's hop is its interface: the report marks the blocking hop on the path.
    const instanceHop = stageOf('closed').auditedPath?.find((hop) => hop.kind === 'cloud-map-instance');
    expect(instanceHop?.id).toBe(closed?.resourceArn);
  });

  it('does not judge an UNHEALTHY instance of a health-checked service: it gets no traffic', () => {
    expect(statuses('mixed', 'cloud-map-instance-security-groups')).toEqual(['PASS']);
    const instances = stageOf('mixed').auditedPath?.filter((hop) => hop.kind === 'cloud-map-instance');
    expect(
      instances?.map((hop) => [hop.label, hop.facts && 'health' in hop.facts ? hop.facts.health : undefined]),
    ).toEqual([
      ['Cloud Map instance healthy-task', 'HEALTHY'],
      ['Cloud Map instance unhealthy-task', 'UNHEALTHY'],
    ]);
  });

  it('fails a service with no instance and one whose instance has no port: nothing to send to', () => {
    expect(
      ofApi('empty', 'cloud-map-instance-security-groups').map((f) => [f.status, f.resourceArn]),
    ).toEqual([['FAIL', serviceArns.empty]]);
    const [portless] = ofApi('portless', 'cloud-map-instance-security-groups');
    expect(portless?.status).toBe('FAIL');
    expect(portless?.message).toContain('AWS_INSTANCE_PORT (a-record-task)');
  });

  it("fails the link whose group lets nothing out to the instance's port; the open link is its twin", () => {
    const shut = ofApi('shut', 'sender-security-group-egress').filter((f) => f.status === 'FAIL');
    expect(shut.map((finding) => finding.message)).toEqual([
      expect.stringContaining(
        'VPC link link-shut has no egress rule that lets tcp/8080 to Cloud Map service open',
      ),
    ]);
    expect(ofApi('open', 'sender-security-group-egress').filter((f) => f.status === 'FAIL')).toEqual([]);
    expect(statuses('open', 'sender-security-group-egress')).toContain('PASS');
  });

  it('advises the service without a health check, and passes those with one', () => {
    expect(statuses('closed', 'cloud-map-health-check')).toEqual(['WARN']);
    expect(statuses('open', 'cloud-map-health-check')).toEqual(['PASS']);
  });

  it.each(['servicediscovery:GetService', 'servicediscovery:ListInstances', 'ec2:DescribeNetworkInterfaces'])(
    'reports ERROR naming %s when it is denied, never PASS',
    async (action) => {
      const denied = await runAudit(
        aws.auditRequest(now, { plugins: [faultInjector([denyAction(action)])] }),
      );
      const results = ofApi('open', 'cloud-map-instance-security-groups', denied.findings);
      expect(results.map((finding) => finding.status)).toEqual(['ERROR']);
      expect(results[0]?.message).toContain(`${action} failed`);
      expect(denied.complete).toBe(false);
    },
  );
});
