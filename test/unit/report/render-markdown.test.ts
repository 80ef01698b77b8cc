import { escapeMarkdown, renderMarkdown } from '../../../lambda/report/render-markdown';
import { aFinding, aReport, aStage } from '../cli/fixtures/report';

describe('renderMarkdown', () => {
  it('renders the API stages as a table row each', () => {
    // Arrange
    const report = aReport({
      apis: [
        aStage(),
        aStage({
          apiId: 'q1',
          apiName: 'quiet',
          classification: 'no-traffic',
          requests: 0,
          errors5xx: 0,
          errorRatio: 0,
          periodsWithErrors: 0,
        }),
      ],
    });

    // Act
    const markdown = renderMarkdown(report);

    // Assert
    expect(markdown).toContain(
      '| Classification | Stage | Type | Requests | 5xx | 5xx ratio | Periods with errors |',
    );
    expect(markdown).toContain(
      '| high-frequency | orders/prod (a1b2c3, us-east-1) | REST | 12000 | 340 | 2.83% | 11/12 |',
    );
    expect(markdown).toContain('| no-traffic | quiet/prod (q1, us-east-1) | REST | 0 | 0 | 0% | 0/12 |');
  });

  it('lists findings under a heading per stage, FAIL first, with message, resource, fix and docs', () => {
    // Arrange
    const warn = aFinding({
      checkId: 'lb-cross-zone',
      status: 'WARN',
      severity: 'medium',
      title: 'Cross-zone on',
      docs: ['https://docs.aws.amazon.com/cross-zone'],
    });
    const fail = aFinding();
    const report = aReport({
      findings: [warn, fail, aFinding({ checkId: 'vpc-link-status', status: 'PASS' })],
    });

    // Act
    const markdown = renderMarkdown(report);

    // Assert
    expect(markdown).toContain('### orders/prod (a1b2c3, us-east-1)');
    expect(markdown.indexOf('**FAIL** · high · `tg-unhealthy-az`')).toBeLessThan(
      markdown.indexOf('**WARN** · medium · `lb-cross-zone`'),
    );
    expect(markdown).toContain(`  - Resource: \`${fail.resourceArn}\``);
    expect(markdown).toContain(`  - Fix: ${fail.remediation}`);
    expect(markdown).toContain(`  - Docs: <${fail.docs[0]}>`);
    expect(markdown).not.toContain('vpc-link-status');
    expect(markdown).toContain('Summary: 1 FAIL, 1 WARN, 0 ERROR; 1 passed, 0 skipped (not applicable).');
  });

  it('keeps a table intact when a value holds a pipe or a line break', () => {
    // Arrange
    const report = aReport({
      apis: [aStage({ apiName: 'a|b' })],
      findings: [aFinding({ message: 'line one\nline | two' })],
    });

    // Act
    const markdown = renderMarkdown(report);

    // Assert
    expect(markdown).toContain('| a\\|b/prod (a1b2c3, us-east-1) |');
    expect(markdown).toContain('  - line one line \\| two');
  });

  it('opens with what an incomplete audit could not read, and is never an all-clear', () => {
    // Act
    const markdown = renderMarkdown(
      aReport({ apis: [], findings: [], complete: false, incompleteReasons: ['time budget exhausted'] }),
    );

    // Assert
    expect(markdown.split('\n')[2]).toMatch(/^> \*\*INCOMPLETE AUDIT: nothing could be read/);
    expect(markdown).toContain('\n> - time budget exhausted\n');
    expect(markdown).not.toContain('No findings need attention.');
  });

  it('says so when nothing needs attention (twin: a healthy stage, a complete audit)', () => {
    // Act
    const markdown = renderMarkdown(
      aReport({
        apis: [aStage({ classification: 'healthy', errors5xx: 0, errorRatio: 0, periodsWithErrors: 0 })],
        findings: [aFinding({ status: 'PASS' })],
      }),
    );

    // Assert
    expect(markdown).toContain('No findings need attention.');
    expect(markdown).not.toContain('###');
    expect(markdown).not.toContain('INCOMPLETE');
  });

  it('gives a failing stage its verdict even when no finding explains it', () => {
    const markdown = renderMarkdown(aReport({ findings: [aFinding({ status: 'PASS' })] }));
    expect(markdown).toContain('### orders/prod (a1b2c3, us-east-1)\n\n**Verdict:** no network cause found');
  });

  it('escapes Markdown markup in free text', () => {
    expect(escapeMarkdown('use *all* `zones` | [x]_y_')).toBe('use \\*all\\* \\`zones\\` \\| \\[x\\]\\_y\\_');
  });

  it('links a document every finding cites once, after the summary', () => {
    // Arrange
    const article = 'https://repost.aws/knowledge-center/api-gateway-network-endpoint-error';
    const report = aReport({
      findings: [
        aFinding({ docs: [article] }),
        aFinding({ checkId: 'lb-cross-zone', status: 'WARN', docs: [article] }),
      ],
    });

    // Act
    const markdown = renderMarkdown(report);

    // Assert
    expect(markdown.split(article)).toHaveLength(2);
    expect(markdown.trimEnd().endsWith(`Background for every finding above: <${article}>`)).toBe(true);
  });
});

describe('renderMarkdown suppressions', () => {
  it('counts muted findings and excluded checks under the summary, and says nothing when there are none', () => {
    const muted = {
      id: 'f1',
      checkId: 'vpc-flow-logs',
      status: 'FAIL' as const,
      severity: 'low' as const,
      resourceArn: 'arn:x',
      reason: 'r',
    };
    expect(renderMarkdown({ ...aReport(), muted: [muted, { ...muted, id: 'f2' }] })).toContain(
      'Muted: 2 findings (reasons in the JSON report).',
    );
    expect(renderMarkdown(aReport())).not.toContain('Muted');
  });
});
