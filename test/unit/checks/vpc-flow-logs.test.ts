import { vpcFlowLogs } from '../../../lambda/checks/vpc-flow-logs';
import { collected, failed } from '../../../lambda/domain/types';
import {
  accessDenied,
  albScenario,
  aRestIntegration,
  NLB_ARN,
  nlbScenario,
  onlyResult,
} from '../../support/inventory-builders';

const flowLog = (resourceId: string, status = 'ACTIVE') => ({
  id: `fl-${resourceId}`,
  resourceId,
  status,
  trafficType: 'ALL',
});

describe('vpc-flow-logs', () => {
  it('passes a load balancer in a VPC with an active VPC-level flow log', () => {
    const result = onlyResult(vpcFlowLogs, nlbScenario().build());
    expect(result).toMatchObject({ status: 'PASS', resourceArn: NLB_ARN });
    expect(result.message).toContain('flow log fl-1 (ALL) covers the whole VPC vpc-1');
  });

  it('passes when every subnet of the load balancer has a flow log', () => {
    const builder = albScenario({ flowLogs: [flowLog('subnet-lb-a'), flowLog('subnet-lb-b')] });
    expect(onlyResult(vpcFlowLogs, builder.build()).message).toContain('cover every subnet');
  });

  it('passes when every network interface of the load balancer is covered', () => {
    const builder = nlbScenario({ flowLogs: [flowLog('eni-lb-a'), flowLog('subnet-lb-b')] });
    expect(onlyResult(vpcFlowLogs, builder.build()).message).toContain('cover every network interface');
  });

  it('fails when no active flow log covers an interface, naming it', () => {
    // Arrange: a flow log on one interface, and an inactive one on the VPC
    const builder = nlbScenario({ flowLogs: [flowLog('eni-lb-a'), flowLog('vpc-1', 'FAILED')] });
    // Act
    const result = onlyResult(vpcFlowLogs, builder.build());
    // Assert
    expect(result.status).toBe('FAIL');
    expect(result.message).toBe(
      'no active flow log covers eni-lb-b (10.0.2.10, subnet-lb-b) of NLB orders-nlb (VPC vpc-1: 1 active flow logs elsewhere)',
    );
  });

  it('fails naming the subnets when there is no flow log and no interface is known', () => {
    const builder = nlbScenario({ flowLogs: [], loadBalancer: { networkInterfaces: collected([]) } });
    expect(onlyResult(vpcFlowLogs, builder.build()).message).toContain(
      'subnet subnet-lb-a (us-east-1a), subnet subnet-lb-b',
    );
  });

  it('skips a stage without a load balancer', () => {
    const builder = nlbScenario({
      stage: {
        integrations: collected([aRestIntegration({ connectionType: 'INTERNET', vpcLinkId: undefined })]),
      },
    });
    expect(onlyResult(vpcFlowLogs, builder.build()).status).toBe('SKIPPED');
  });

  it('reports ERROR naming the action when flow logs or interfaces could not be read', () => {
    const noFlowLogs = nlbScenario().failing('flowLogsByVpc', 'vpc-1', 'ec2:DescribeFlowLogs');
    expect(onlyResult(vpcFlowLogs, noFlowLogs.build()).evidence).toEqual({
      action: 'ec2:DescribeFlowLogs',
      code: 'AccessDenied',
    });
    const noInterfaces = nlbScenario({
      flowLogs: [],
      loadBalancer: { networkInterfaces: failed(accessDenied('ec2:DescribeNetworkInterfaces')) },
    });
    expect(onlyResult(vpcFlowLogs, noInterfaces.build())).toMatchObject({ status: 'ERROR' });
  });
});
