import { GetRestApisCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { readAccountId } from '../../../lambda/triage/read-account';
import { readTraffic } from '../../../lambda/triage/read-traffic';
import { awsError, listedApi, recordedClients, WINDOW } from './recorded-clients';

/** GetRestApis listing two REST APIs, aaa and bbb, both named `orders`. */
function listTwoRestApisNamedOrders(mocks: ReturnType<typeof recordedClients>['mocks']): void {
  mocks.apiGateway.on(GetRestApisCommand).resolves({
    items: [
      { id: 'aaa', name: 'orders' },
      { id: 'bbb', name: 'orders' },
    ],
  });
}

const at = (minutes: number) => new Date(Date.parse(WINDOW.start) + minutes * 60_000);

describe('readTraffic', () => {
  it('follows every page of the API listings and of ListMetrics (the emulator never paginates them)', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.apiGateway
      .on(GetRestApisCommand, { position: undefined })
      .resolves({ items: [{ id: 'rest1', name: 'orders' }], position: 'p2' })
      .on(GetRestApisCommand, { position: 'p2' })
      .resolves({ items: [{ id: 'rest2', name: 'billing' }] });
    mocks.apiGatewayV2
      .on(GetApisCommand, { NextToken: undefined })
      .resolves({ Items: [listedApi('http1', 'shop')], NextToken: 't2' })
      .on(GetApisCommand, { NextToken: 't2' })
      .resolves({ Items: [listedApi('ws1', 'chat', 'WEBSOCKET')] });
    mocks.cloudWatch
      .on(ListMetricsCommand, { NextToken: undefined })
      .resolves({
        Metrics: [
          {
            Dimensions: [
              { Name: 'ApiName', Value: 'orders' },
              { Name: 'Stage', Value: 'prod' },
            ],
          },
          { Dimensions: [{ Name: 'ApiName', Value: 'orders' }] },
        ],
        NextToken: 'm2',
      })
      .on(ListMetricsCommand, { NextToken: 'm2' })
      .resolves({
        Metrics: [
          {
            Dimensions: [
              { Name: 'ApiName', Value: 'billing' },
              { Name: 'Stage', Value: 'v1' },
            ],
          },
          {
            Dimensions: [
              { Name: 'ApiId', Value: 'http1' },
              { Name: 'Stage', Value: '$default' },
            ],
          },
          {
            Dimensions: [
              { Name: 'ApiId', Value: 'ws1' },
              { Name: 'Stage', Value: 'live' },
            ],
          },
        ],
      });
    mocks.cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    // Act
    const { traffic, errors } = await readTraffic(clients, WINDOW);

    // Assert
    expect(errors).toEqual([]);
    expect(traffic.map((stage) => `${stage.apiType} ${stage.apiId} ${stage.stage}`)).toEqual([
      'HTTP http1 $default',
      'REST rest2 v1',
      'REST rest1 prod',
    ]);
    expect(traffic[0]?.requests).toEqual(new Array(12).fill(0));
  });

  it('gives REST APIs that share a name the merged series and names the others (metrics are keyed by name)', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    listTwoRestApisNamedOrders(mocks);
    mocks.cloudWatch.on(ListMetricsCommand).resolves({
      Metrics: [
        {
          Dimensions: [
            { Name: 'ApiName', Value: 'orders' },
            { Name: 'Stage', Value: 'prod' },
          ],
        },
      ],
    });
    mocks.cloudWatch.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'm0', Timestamps: [at(0), at(55)], Values: [100, 50] },
        { Id: 'm1', Timestamps: [at(55)], Values: [7] },
      ],
    });
    // GetStages as the API reference shows it: `item`, a list of stages.
    mocks.apiGateway.on(GetStagesCommand).resolves({ item: [{ stageName: 'prod', deploymentId: 'd1' }] });

    // Act
    const { traffic } = await readTraffic(clients, WINDOW);

    // Assert
    expect(traffic.map(({ apiId, sharesMetricsWith }) => ({ apiId, sharesMetricsWith }))).toEqual([
      { apiId: 'aaa', sharesMetricsWith: ['bbb'] },
      { apiId: 'bbb', sharesMetricsWith: ['aaa'] },
    ]);
    expect(traffic[0]?.requests).toEqual([100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 50]);
    expect(traffic[0]?.errors5xx).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]);
  });

  it('lists a stage of same-named REST APIs only under the APIs that have it', async () => {
    // Arrange: `orders` aaa has prod, `orders` bbb has dev; CloudWatch has orders/prod and orders/dev.
    const { clients, mocks } = recordedClients();
    listTwoRestApisNamedOrders(mocks);
    mocks.apiGateway.on(GetStagesCommand, { restApiId: 'aaa' }).resolves({ item: [{ stageName: 'prod' }] });
    mocks.apiGateway.on(GetStagesCommand, { restApiId: 'bbb' }).resolves({ item: [{ stageName: 'dev' }] });
    mocks.cloudWatch.on(ListMetricsCommand).resolves({
      Metrics: ['prod', 'dev'].map((stage) => ({
        Dimensions: [
          { Name: 'ApiName', Value: 'orders' },
          { Name: 'Stage', Value: stage },
        ],
      })),
    });
    mocks.cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    // Act
    const { traffic, errors } = await readTraffic(clients, WINDOW);

    // Assert
    expect(errors).toEqual([]);
    expect(
      traffic.map(({ apiId, stage, sharesMetricsWith }) => ({ apiId, stage, sharesMetricsWith })),
    ).toEqual([
      { apiId: 'aaa', stage: 'prod', sharesMetricsWith: undefined },
      { apiId: 'bbb', stage: 'dev', sharesMetricsWith: undefined },
    ]);
  });

  it('keeps every stage of a same-named API whose stages could not be read, and says so', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    listTwoRestApisNamedOrders(mocks);
    mocks.apiGateway.on(GetStagesCommand, { restApiId: 'aaa' }).resolves({ item: [{ stageName: 'prod' }] });
    mocks.apiGateway
      .on(GetStagesCommand, { restApiId: 'bbb' })
      .rejects(awsError('AccessDeniedException', 'denied'));
    mocks.cloudWatch.on(ListMetricsCommand).resolves({
      Metrics: [
        {
          Dimensions: [
            { Name: 'ApiName', Value: 'orders' },
            { Name: 'Stage', Value: 'prod' },
          ],
        },
      ],
    });
    mocks.cloudWatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });

    // Act
    const { traffic, errors } = await readTraffic(clients, WINDOW);

    // Assert
    expect(errors).toEqual([
      expect.objectContaining({ action: 'apigateway:GetStages', code: 'AccessDeniedException' }),
    ]);
    expect(traffic.map(({ apiId, sharesMetricsWith }) => ({ apiId, sharesMetricsWith }))).toEqual([
      { apiId: 'aaa', sharesMetricsWith: ['bbb'] },
      { apiId: 'bbb', sharesMetricsWith: ['aaa'] },
    ]);
  });

  it('reports a listing it was denied as an error naming the action, and goes on with the rest', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.apiGateway.on(GetRestApisCommand).rejects(awsError('AccessDeniedException', 'not authorized'));
    mocks.apiGatewayV2.on(GetApisCommand).resolves({ Items: [listedApi('h1', 'shop')] });
    mocks.cloudWatch.on(ListMetricsCommand).resolves({
      Metrics: [
        {
          Dimensions: [
            { Name: 'ApiId', Value: 'h1' },
            { Name: 'Stage', Value: 'prod' },
          ],
        },
      ],
    });

    // Act
    const { traffic, errors } = await readTraffic(clients, WINDOW);

    // Assert
    expect(errors).toEqual([
      { action: 'apigateway:GetRestApis', code: 'AccessDeniedException', message: 'not authorized' },
    ]);
    expect(traffic.map((stage) => stage.apiId)).toEqual(['h1']);
  });

  it('keeps only the asked-for APIs and spends no metric query on the others', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.apiGatewayV2.on(GetApisCommand).resolves({
      Items: [listedApi('h1', 'a'), listedApi('h2', 'b')],
    });
    mocks.cloudWatch.on(ListMetricsCommand).resolves({
      Metrics: ['h1', 'h2'].map((id) => ({
        Dimensions: [
          { Name: 'ApiId', Value: id },
          { Name: 'Stage', Value: 'prod' },
        ],
      })),
    });

    // Act
    const { traffic } = await readTraffic(clients, WINDOW, { apiIds: ['h2'] });

    // Assert
    expect(traffic.map((stage) => stage.apiId)).toEqual(['h2']);
    const queries = mocks.cloudWatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries;
    expect(queries?.map((query) => query.MetricStat?.Metric?.MetricName)).toEqual(['Count', '5xx']);
  });
});

describe('readAccountId', () => {
  it('returns null when the caller identity cannot be read', async () => {
    // Arrange
    const { clients, mocks } = recordedClients();
    mocks.sts.on(GetCallerIdentityCommand).rejects(awsError('ExpiredToken'));

    // Act
    const account = await readAccountId(clients);

    // Assert
    expect(account).toBeNull();
  });
});
