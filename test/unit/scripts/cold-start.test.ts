import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  bundleHandler,
  median,
  sdkClientsLoadedAtStartup,
  VARIANTS,
} from '../../../scripts/measure-cold-start';

describe('the Lambda handler at cold start', () => {
  let directory: string;

  beforeAll(() => {
    // Inside the project, so that the bundle resolves `@aws-sdk/*` from its node_modules.
    const dist = join(__dirname, '..', '..', '..', 'dist');
    mkdirSync(dist, { recursive: true });
    directory = mkdtempSync(join(dist, 'cold-start-test-'));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('loads only the SDK clients the triage needs; EC2, ELB, Logs, SNS, DynamoDB and STS wait for first use', async () => {
    // Arrange
    const external = VARIANTS.find((variant) => variant.name === 'sdk-external');
    if (!external) throw new Error('the sdk-external variant is gone');
    const bundle = await bundleHandler(external, directory);

    // Act
    const loaded = sdkClientsLoadedAtStartup(bundle);

    // Assert
    expect(loaded).toEqual([
      '@aws-sdk/client-api-gateway',
      '@aws-sdk/client-apigatewayv2',
      '@aws-sdk/client-cloudwatch',
    ]);
  }, 30_000);

  it('takes the middle run as the median (the mean of the two middle ones for an even count)', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
