import { renderText } from '../../../lambda/report/render-text';
import { aFinding, aReport, aStage } from '../cli/fixtures/report';

const ESC = '\u001b[';

describe('renderText', () => {
  it('shows one line per API stage with its classification and error ratio', () => {
    // Arrange
    const report = aReport({
      apis: [
        aStage(),
        aStage({
          apiId: 'h77',
          apiName: 'billing',
          apiType: 'HTTP',
          classification: 'healthy',
          errors5xx: 0,
          errorRatio: 0,
          periodsWithErrors: 0,
        }),
      ],
      findings: [],
    });

    // Act
    const text = renderText(report, { color: false, wide: true });

    // Assert
    const stageLines = text
      .split('\n')
      .filter((line) => line.includes('(a1b2c3, us-east-1)') || line.includes('(h77, us-east-1)'));
    expect(stageLines).toHaveLength(2);
    expect(stageLines[0]).toMatch(
      /high-frequency +orders\/prod \(a1b2c3, us-east-1\) +REST +5xx 2\.83% \(340 of 12000 requests\), errors in 11\/12 periods/,
    );
    expect(stageLines[1]).toMatch(/healthy +billing\/prod \(h77, us-east-1\) +HTTP +5xx 0%/);
  });

  it('lists FAIL before WARN before ERROR, and the higher severity first within a status', () => {
    // Arrange
    const report = aReport({
      findings: [
        aFinding({ checkId: 'vpc-flow-logs', status: 'ERROR', severity: 'medium' }),
        aFinding({ checkId: 'lb-cross-zone', status: 'WARN', severity: 'medium' }),
        aFinding({ checkId: 'integration-timeout', status: 'FAIL', severity: 'medium' }),
        aFinding({ checkId: 'tg-empty-az', status: 'FAIL', severity: 'critical' }),
      ],
    });

    // Act
    const text = renderText(report, { color: false, wide: true });

    // Assert
    const order = ['tg-empty-az', 'integration-timeout', 'lb-cross-zone', 'vpc-flow-logs'].map((id) =>
      text.indexOf(id),
    );
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('prints the message, the resource and the remediation of each finding that needs attention', () => {
    // Arrange
    const finding = aFinding();

    // Act
    const text = renderText(aReport({ findings: [finding] }), { color: false, wide: true });

    // Assert
    expect(text).toContain(`FAIL  high     tg-unhealthy-az  ${finding.title}`);
    expect(text).toContain(finding.message);
    expect(text).toContain(`Resource: ${finding.resourceArn}`);
    expect(text).toContain(`Fix: ${finding.remediation}`);
    expect(text).toContain(`Docs: ${finding.docs[0]}`);
  });

  it('summarises passes and skips in one line instead of listing them', () => {
    // Arrange
    const report = aReport({
      findings: [
        aFinding({ checkId: 'vpc-link-status', status: 'PASS', title: 'VPC link is available' }),
        aFinding({ checkId: 'nlb-access-logs-tls', status: 'PASS', title: 'NLB access logs are written' }),
        aFinding({ checkId: 'stage-execution-logging', status: 'SKIPPED', title: 'Execution logging on' }),
        aFinding({ checkId: 'lb-cross-zone', status: 'WARN' }),
      ],
    });

    // Act
    const text = renderText(report, { color: false, wide: true });

    // Assert
    expect(text).not.toContain('VPC link is available');
    expect(text).not.toContain('stage-execution-logging');
    expect(text).toContain('Summary: 0 FAIL, 1 WARN, 0 ERROR; 2 passed, 1 skipped (not applicable).');
  });

  it('groups a finding shared by several stages once, under all of them', () => {
    // Arrange
    const report = aReport({
      apis: [aStage(), aStage({ apiId: 'z9', apiName: 'payments' })],
      findings: [
        aFinding({
          apis: [
            { apiId: 'z9', stage: 'prod' },
            { apiId: 'a1b2c3', stage: 'prod' },
          ],
        }),
        aFinding({ checkId: 'integration-timeout', apis: [{ apiId: 'z9', stage: 'prod' }] }),
      ],
    });

    // Act
    const text = renderText(report, { color: false, wide: true });

    // Assert
    expect(text).toContain('Findings for orders/prod (a1b2c3, us-east-1), payments/prod (z9, us-east-1)');
    expect(text).toContain('Findings for payments/prod (z9, us-east-1)\n');
    expect(text.match(/tg-unhealthy-az/g)).toHaveLength(1);
  });

  it('says why the audit is incomplete', () => {
    // Arrange
    const report = aReport({
      complete: false,
      incompleteReasons: ['ec2:DescribeFlowLogs could not be read: vpc-flow-logs not evaluated'],
    });

    // Act
    const text = renderText(report, { color: false, wide: true });

    // Assert
    expect(text).toContain('Incomplete audit:\n  - ec2:DescribeFlowLogs could not be read');
  });

  it('says so when there are no stages and nothing needs attention', () => {
    // Act
    const text = renderText(aReport({ apis: [], findings: [] }), { color: false, wide: true });

    // Assert
    expect(text).toContain('No API stages found in the audited Regions.');
    expect(text).toContain('No findings need attention.');
  });

  it('colours statuses only when asked to', () => {
    // Arrange
    const report = aReport();

    // Act
    const coloured = renderText(report, { color: true, wide: true });
    const plain = renderText(report, { color: false, wide: true });

    // Assert
    expect(coloured).toContain(`${ESC}31mFAIL `);
    expect(plain).not.toContain(ESC);
    expect(
      coloured
        .split(ESC)
        .map((part, index) => (index === 0 ? part : part.replace(/^\d+m/, '')))
        .join(''),
    ).toBe(plain);
  });

  it('prints a document every finding cites once at the end instead of under each finding', () => {
    // Arrange
    const article = 'https://repost.aws/knowledge-center/api-gateway-network-endpoint-error';
    const report = aReport({
      findings: [
        aFinding({ docs: [article, 'https://docs.aws.amazon.com/a'] }),
        aFinding({
          checkId: 'lb-cross-zone',
          status: 'WARN',
          docs: [article, 'https://docs.aws.amazon.com/b'],
        }),
      ],
    });

    // Act
    const text = renderText(report, { color: false, wide: true });

    // Assert
    expect(text.split(article)).toHaveLength(2);
    expect(text).toContain(`Background for every finding above: ${article}`);
    expect(text).toContain('Docs: https://docs.aws.amazon.com/a');
    expect(text).toContain('Docs: https://docs.aws.amazon.com/b');
  });
});

describe('renderText at 80 columns (the default)', () => {
  const listenerArn =
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/catalog-alb/29e4f59bfd92ef9b/290d8080cb57faad';
  const wideReport = () =>
    aReport({
      apis: [
        aStage(),
        aStage({
          apiId: 'z9y8x7w6v5',
          apiName: 'a-very-long-api-name-that-nobody-would-type-twice',
          stage: 'production',
        }),
      ],
      findings: [
        aFinding({
          checkId: 'integration-timeout',
          severity: 'medium',
          resourceArn: 'arn:aws:apigateway:us-east-1::/apis/a1b2c3/integrations/rtwsifxj',
          message: `the maximum IntegrationLatency, 4800 ms, is 96% of the 5000 ms timeout of integration rtwsifxj ${listenerArn}: targets do not answer in time`,
        }),
        aFinding(),
        aFinding({ checkId: 'lb-cross-zone', status: 'WARN', severity: 'medium' }),
      ],
    });

  it('keeps every line within 80 columns except the references footer', () => {
    // Act
    const lines = renderText(wideReport(), { color: false }).split('\n');

    // Assert
    const footerStart = lines.indexOf('References');
    expect(footerStart).toBeGreaterThan(0);
    const tooWide = lines.slice(0, footerStart).filter((line) => line.length > 80);
    expect(tooWide).toEqual([]);
    for (const line of lines.slice(footerStart + 1).filter(Boolean))
      expect(line).toMatch(/^ {2}\[\d+\] (arn:|https:)/);
  });

  it('puts ARNs and URLs in the footer, each once, cited by number where they occur', () => {
    // Act
    const text = renderText(wideReport(), { color: false });

    // Assert
    const [body = '', footer = ''] = text.split('\nReferences\n');
    expect(body).not.toContain('arn:aws');
    expect(body).not.toContain('https://');
    expect(footer.match(new RegExp(listenerArn, 'g'))).toHaveLength(1);
    const number = /\[(\d+)\] arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/.exec(footer)?.[1];
    expect(body).toContain(`integration rtwsifxj [${number}]:`);
  });

  it('leads each stage with its verdict and probable cause in one line, before the findings', () => {
    // Act
    const lines = renderText(wideReport(), { color: false }).split('\n');

    // Assert: the highest FAIL of the stage is the probable cause
    const heading = lines.indexOf('orders/prod (a1b2c3, us-east-1)');
    expect(lines[heading + 1]).toBe('  FAIL, 3 findings; probable cause: tg-unhealthy-az (high)');
    expect(lines[heading + 2]).toMatch(/^ {2}FAIL +high +tg-unhealthy-az on \[\d+\]$/);
  });

  it('gives the verdict WARN to a stage whose worst finding is a warning (healthy twin of the FAIL verdict)', () => {
    const text = renderText(
      aReport({ findings: [aFinding({ checkId: 'lb-cross-zone', status: 'WARN', severity: 'medium' })] }),
      {
        color: false,
      },
    );
    expect(text).toContain('  WARN, 1 finding; probable cause: lb-cross-zone (medium)');
    expect(text).not.toMatch(/FAIL, \d+ finding/);
  });

  it('shows the stage table in columns that fit, cutting a long name rather than the line', () => {
    const lines = renderText(wideReport(), { color: false }).split('\n');
    expect(lines).toContain(
      '  high-frequency  orders/prod (a1b2c3)               2.83%    340/12000    11/12',
    );
    expect(lines.find((line) => line.includes('a-very-long-api'))).toMatch(/-\.\.\. \(z9y8x7w6v5\) +2\.83%/);
  });

  it('never lets a name read from AWS add a line', () => {
    const report = aReport({ apis: [aStage({ apiName: 'orders\nFAKE LINE\u001b[31m' })], findings: [] });
    const text = renderText(report, { color: false });
    expect(text).not.toContain('\nFAKE LINE');
    expect(text).not.toContain('\u001b');
  });
});
