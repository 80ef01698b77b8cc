import { findingHeadline } from '../../../lambda/report/human-view';
import { renderText } from '../../../lambda/report/render-text';
import { aFinding, aReport, aStage } from '../cli/fixtures/report';

const ESC = '\u001b[';

const healthyBilling = aStage({
  apiId: 'h77',
  apiName: 'billing',
  apiType: 'HTTP',
  classification: 'healthy',
  errors5xx: 0,
  errorRatio: 0,
  periodsWithErrors: 0,
});

describe('renderText', () => {
  it('shows one line per API stage, worst first, with its classification and error numbers', () => {
    // Arrange: the healthy stage sorts first by name; the failing one must still lead
    const report = aReport({ apis: [healthyBilling, aStage()], findings: [] });

    // Act
    const lines = renderText(report, { color: false, wide: true }).split('\n');

    // Assert
    const stageLines = lines.filter((line) => /^ {2}\S.*\((a1b2c3|h77)\)$/.test(line));
    expect(stageLines).toHaveLength(2);
    expect(stageLines[0]).toMatch(
      /^ {2}high-frequency +2\.83% +340\/12000 +11\/12 {2}orders\/prod \(a1b2c3\)$/,
    );
    expect(stageLines[1]).toMatch(/^ {2}healthy +0% +0\/12000 +0\/12 {2}billing\/prod \(h77\)$/);
  });

  it('lists a stage causes first (what stops traffic before what makes it worse), then its other findings', () => {
    // Arrange
    const report = aReport({
      findings: [
        aFinding({ checkId: 'vpc-flow-logs', status: 'ERROR', severity: 'medium' }),
        aFinding({ checkId: 'stage-execution-logging', status: 'FAIL', severity: 'critical' }),
        aFinding({ checkId: 'lb-cross-zone', status: 'FAIL', severity: 'critical' }),
        aFinding({ checkId: 'integration-timeout', status: 'FAIL', severity: 'medium' }),
        aFinding({ checkId: 'nlb-tcp-target-resets', status: 'WARN', severity: 'medium' }),
      ],
    });

    // Act
    const text = renderText(report, { color: false, wide: true });

    // Assert: the cause (medium) before the condition (critical), then the logging FAIL, WARN, ERROR
    const order = [
      'integration-timeout  id',
      'lb-cross-zone  id',
      'stage-execution-logging  id',
      'nlb-tcp-target-resets  id',
      'vpc-flow-logs  id',
    ].map((id) => text.indexOf(id));
    expect(order.every((position) => position > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain('Verdict: integration-timeout: Zone us-east-1b has no healthy target');
  });

  it('never names a logging gap as the cause: only hygiene FAILs leave the stage without a network cause', () => {
    // Arrange: the twin of the test above without its causes
    const report = aReport({
      findings: [aFinding({ checkId: 'stage-execution-logging', status: 'FAIL', severity: 'medium' })],
    });

    // Act
    const text = renderText(report, { color: false, wide: true });

    // Assert
    expect(text).toContain('Verdict: no network cause found (340 5xx in 12000 requests)');
    expect(text).not.toContain('Verdict: stage-execution-logging');
  });

  it('prints the id, message, resource and remediation of each finding that needs attention', () => {
    // Arrange
    const finding = aFinding();

    // Act
    const text = renderText(aReport({ findings: [finding] }), { color: false, wide: true });

    // Assert
    expect(text).toContain(`FAIL  high     tg-unhealthy-az  id ${finding.id}`);
    expect(text).toContain(finding.title);
    expect(text).toContain(finding.message);
    expect(text).toContain(`on ${finding.resourceArn}`);
    expect(text).toContain(`Fix: ${finding.remediation}`);
    expect(text).toContain(`Docs: ${finding.docs[0]}`);
  });

  it('prints the exact fix commands when the finding has them, whole, instead of the remediation', () => {
    // Arrange
    const command =
      'aws ec2 authorize-security-group-ingress --group-id sg-0123456789abcdef0 --ip-permissions IpProtocol=tcp,FromPort=8080,ToPort=8080,IpRanges=[{CidrIp=10.0.0.0/16}]';
    const finding = aFinding({ fix: { commands: [command], cloudFormation: ['SecurityGroupIngress'] } });

    // Act
    const narrow = renderText(aReport({ findings: [finding] }), { color: false });

    // Assert: a wrapped command does not paste
    expect(narrow.split('\n')).toContain(`          ${command}`);
    expect(narrow).not.toContain(`Fix: ${finding.remediation}`);
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

  it('gives each stage one heading: a shared finding is shown once and named under the other stage', () => {
    // Arrange
    const shared = aFinding({
      apis: [
        { apiId: 'z9', stage: 'prod' },
        { apiId: 'a1b2c3', stage: 'prod' },
      ],
    });
    const report = aReport({
      apis: [aStage(), aStage({ apiId: 'z9', apiName: 'payments', errorRatio: 0.5 })],
      findings: [shared],
    });

    // Act
    const lines = renderText(report, { color: false, wide: true }).split('\n');

    // Assert: every heading is followed by its verdict, never by another heading
    const headings = lines.flatMap((line, index) => (line.startsWith('== ') ? [index] : []));
    expect(headings.map((index) => lines[index])).toEqual([
      '== payments/prod (z9, us-east-1)',
      '== orders/prod (a1b2c3, us-east-1)',
    ]);
    for (const index of headings) expect(lines[index + 1]).toMatch(/^ {2}Verdict: tg-unhealthy-az: /);
    expect(lines.filter((line) => line.includes(`tg-unhealthy-az  id ${shared.id}`))).toHaveLength(1);
    expect(lines).toContain(
      `  Also here, shown under payments/prod (z9, us-east-1): FAIL tg-unhealthy-az ${shared.id}`,
    );
  });

  it('names what could not be read in its first lines and never says nothing needs attention', () => {
    // Arrange: a role that could read nothing
    const report = aReport({
      apis: [],
      findings: [],
      complete: false,
      incompleteReasons: [
        'apigateway:GetRestApis failed in us-east-1 (AccessDeniedException): not authorized',
      ],
    });

    // Act
    const lines = renderText(report, { color: false }).split('\n');

    // Assert
    expect(lines[3]).toMatch(/^INCOMPLETE AUDIT: nothing could be read/);
    expect(lines.slice(0, 8).join('\n')).toContain(
      '- apigateway:GetRestApis failed in us-east-1 (AccessDeniedException)',
    );
    expect(lines.join('\n')).not.toContain('No findings need attention.');
  });

  it('twin: a complete audit with no stages and no findings says nothing needs attention', () => {
    // Act
    const text = renderText(aReport({ apis: [], findings: [] }), { color: false, wide: true });

    // Assert
    expect(text).toContain('No API stages found in the audited Regions.');
    expect(text).toContain('No findings need attention.');
    expect(text).not.toContain('INCOMPLETE');
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
    expect(text).toContain(`Background for every finding: ${article}`);
    expect(text).toContain('Docs: https://docs.aws.amazon.com/a');
    expect(text).toContain('Docs: https://docs.aws.amazon.com/b');
  });
});

describe('renderText at 80 columns (the default)', () => {
  const listenerArn =
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/catalog-alb/29e4f59bfd92ef9b/290d8080cb57faad';
  const longName = 'a-very-long-api-name-that-nobody-would-type-twice-and-then-some-more-words';
  const wideReport = () =>
    aReport({
      apis: [aStage(), aStage({ apiId: 'z9y8x7w6v5', apiName: longName, stage: 'production' })],
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

  it('leads each stage with its verdict, the first cause named, before the findings', () => {
    // Act
    const lines = renderText(wideReport(), { color: false }).split('\n');

    // Assert: tg-unhealthy-az (high) outranks integration-timeout (medium); both are causes
    const heading = lines.indexOf('== orders/prod (a1b2c3, us-east-1)');
    const verdict = lines.slice(heading + 1, heading + 3);
    expect(verdict.join(' ').replace(/\s+/g, ' ')).toBe(
      ' Verdict: tg-unhealthy-az: Zone us-east-1b has no healthy target in target group orders (1 unused); 1 more cause',
    );
    expect(lines[heading + 3]).toMatch(/^ {2}FAIL +high +tg-unhealthy-az {2}id /);
  });

  it('says a stage whose only finding is a warning has no network cause (twin of the cause verdict)', () => {
    const text = renderText(
      aReport({ findings: [aFinding({ checkId: 'lb-cross-zone', status: 'WARN', severity: 'medium' })] }),
      { color: false },
    );
    expect(text).toContain('  Verdict: no network cause found');
  });

  it('wraps a long name in the stage table and the heading, never cutting it', () => {
    const text = renderText(wideReport(), { color: false });
    const table = text.split('\n== ')[0] ?? '';
    expect(table.replace(/\s+/g, '')).toContain(`${longName}/production(z9y8x7w6v5)`);
    expect(text).not.toContain('...');
  });

  it('never lets a name read from AWS add a line', () => {
    const report = aReport({ apis: [aStage({ apiName: 'orders\nFAKE LINE\u001b[31m' })], findings: [] });
    const text = renderText(report, { color: false });
    expect(text).not.toContain('\nFAKE LINE');
    expect(text).not.toContain('\u001b');
  });
});

describe('a failing finding under its check title', () => {
  it('says the title is what was expected, so a failure never reads as the passing state', () => {
    const failing = aFinding({ title: "Targets' security groups admit the NLB" });
    const text = renderText(aReport({ findings: [failing] }), { color: false, wide: true });
    expect(text).toContain("Expected: Targets' security groups admit the NLB");
    expect(text).not.toMatch(/^\s+Targets' security groups admit the NLB$/m);
  });

  it('twin: a PASS keeps the title as it is', () => {
    expect(findingHeadline({ status: 'PASS', title: 'Every zone has a healthy target' })).toBe(
      'Every zone has a healthy target',
    );
  });
});
