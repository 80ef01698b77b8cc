/**
 * The audited path in human views: one line of facts per component, its senders and codes, and a
 * target group's targets capped with "and N more" (never dropped from the JSON).
 */
import type { Inventory, PathHop } from '../../../lambda/domain/types';
import { auditedPath } from '../../../lambda/path/components';
import { renderHtml } from '../../../lambda/report/formats/html';
import {
  componentCodes,
  componentFacts,
  componentSenders,
  shownComponents,
  TARGETS_SHOWN,
} from '../../../lambda/report/path-view';
import { renderMarkdown } from '../../../lambda/report/render-markdown';
import { renderText } from '../../../lambda/report/render-text';
import { ACCOUNT, nlbScenario, nlbScenarioWithTargets, REGION } from '../../support/inventory-builders';
import { aFinding, aReport, aStage } from '../../support/report-builders';

const pathOf = (inventory: Inventory): PathHop[] => {
  const [stage] = inventory.stages;
  if (!stage) throw new Error('no stage');
  return auditedPath(stage, inventory);
};

const instance = (index: number) =>
  `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/i-${index.toString(16).padStart(8, '0')}`;

const targetsShown = (shown: ReturnType<typeof shownComponents>) =>
  shown.flatMap((one) => ('hop' in one && one.hop.kind === 'target' ? [one.hop.id] : []));

describe('the path as people read it', () => {
  it('describes each hop by the facts that decide it', () => {
    const path = pathOf(nlbScenario({ loadBalancer: { scheme: 'internal' } }).build());
    expect(path.map((hop) => `${hop.kind}: ${componentFacts(hop)}`)).toEqual([
      'stage: ',
      'integration: HTTP_PROXY over VPC_LINK · http://orders-nlb-50dc6c495c0c9188.elb.us-east-1.amazonaws.com:80/orders · timeout 29000 ms',
      'vpc-link: V1 AVAILABLE',
      'load-balancer: internal network · zones us-east-1a, us-east-1b · security groups none · cross-zone on',
      'listener: ',
      'rule: default action',
      'target-group: TCP:8080 to instance targets · client IP preservation on · cross-zone on · 2 registered',
      'target: us-east-1a · 10.0.11.5:8080 · healthy',
      'target: us-east-1b · 10.0.12.5:8080 · healthy',
    ]);
    expect(componentSenders(path[3] as PathHop)).toBe('from API Gateway through PrivateLink: 0.0.0.0/0');
    expect(componentSenders(path[7] as PathHop)).toBe('from NLB orders-nlb nodes: 10.0.1.10, 10.0.2.10');
    expect(path.map(componentCodes).filter(Boolean)).toEqual([]);
  });

  it('describes a rule by its conditions and weights, a TLS listener by its certificates', () => {
    const rule: PathHop = {
      seq: 6,
      kind: 'rule',
      id: 'rule-arn',
      label: 'rule 20',
      from: [5],
      facts: {
        priority: '20',
        conditions: [
          { field: 'host-header', values: ['orders.internal.example.com'] },
          { field: 'http-header', headerName: 'X-Canary', values: ['1'] },
        ],
        actionType: 'forward',
        forward: [
          { arn: 'blue', weight: 1 },
          { arn: 'green', weight: 0 },
        ],
      },
      explanations: [{ explanationCode: 'RULE_MAY_MATCH', source: 'https://docs.aws.amazon.com/x' }],
    };
    expect(componentFacts(rule)).toBe(
      'priority 20 · host-header is orders.internal.example.com · http-header X-Canary is 1 · weights 1/0',
    );
    expect(componentCodes(rule)).toBe('RULE_MAY_MATCH');
    const listener: PathHop = {
      seq: 5,
      kind: 'listener',
      id: 'listener-arn',
      label: 'listener TLS:443',
      from: [4],
      facts: { protocol: 'TLS', port: 443, certificateArns: ['cert-a', 'cert-b'] },
    };
    expect(componentFacts(listener)).toBe('2 certificate(s)');
  });

  it(`shows ${TARGETS_SHOWN} targets of a group of 200 and counts the rest, those the JSON leaves out included`, () => {
    const path = pathOf(nlbScenarioWithTargets(200).build());
    const shown = shownComponents(path, () => false);
    expect(targetsShown(shown)).toEqual([instance(0), instance(1), instance(2)]);
    const more = shown.filter((one) => 'moreTargets' in one);
    expect(more).toEqual([expect.objectContaining({ moreTargets: 197 })]);
    // The count follows the last target shown.
    expect(shown.findIndex((one) => 'moreTargets' in one)).toBe(shown.length - 1);
  });

  it('always shows a target a failure names, however far down the group it is', () => {
    const path = pathOf(nlbScenarioWithTargets(200).build());
    const shown = shownComponents(path, (hop) => hop.id === instance(40));
    expect(targetsShown(shown)).toEqual([instance(0), instance(1), instance(2), instance(40)]);
    expect(shown.filter((one) => 'moreTargets' in one)).toEqual([
      expect.objectContaining({ moreTargets: 196 }),
    ]);
  });

  it('shows every target of a small group and counts none (twin)', () => {
    const path = pathOf(nlbScenarioWithTargets(TARGETS_SHOWN).build());
    const shown = shownComponents(path, () => false);
    expect(targetsShown(shown)).toHaveLength(TARGETS_SHOWN);
    expect(shown.filter((one) => 'moreTargets' in one)).toEqual([]);
  });
});

describe('the HTML path graph of a stage with 200 targets', () => {
  const path = pathOf(nlbScenarioWithTargets(200).build());
  const render = (resourceArn: string) =>
    renderHtml(
      aReport({
        apis: [aStage({ auditedPath: path })],
        findings: [
          aFinding({
            resourceArn,
            resourceType: 'AWS::EC2::Instance',
            checkId: 'nlb-target-security-groups',
          }),
        ],
      }),
    );
  const hops = (html: string) => html.match(/<li class="hop/g)?.length ?? 0;

  it('draws the hops before the targets, three targets and one "and N more"', () => {
    const html = render(instance(0));
    // stage, integration, link, NLB, listener, rule, target group; 3 targets; "and 197 more".
    expect(hops(html)).toBe(7 + TARGETS_SHOWN + 1);
    expect(html).toContain('and 197 more targets of target group orders-tg');
    expect(html.match(/data-blocked="true"/g)).toHaveLength(1);
  });

  it('draws a blocked target beyond the first three on the path, marked where it is', () => {
    const html = render(instance(40));
    expect(hops(html)).toBe(7 + TARGETS_SHOWN + 2);
    expect(html).toContain('and 196 more targets of target group orders-tg');
    const blocked = html.slice(html.indexOf('data-blocked="true"'));
    expect(blocked.slice(0, 400)).toContain('target i-00000028:8080');
  });
});

describe('the path in the text and Markdown reports', () => {
  const path = pathOf(nlbScenarioWithTargets(200).build());
  const report = (auditedPath?: PathHop[]) =>
    aReport({
      apis: [aStage(auditedPath ? { auditedPath } : {})],
      findings: [aFinding({ resourceArn: instance(40), resourceType: 'AWS::EC2::Instance' })],
    });

  it('lists the components under the stage, one line each, targets capped and the named one kept', () => {
    const text = renderText(report(path), { color: false, wide: true });
    const listed = text.split('\n').filter((line) => /^ {4}(#\d+|and \d+ more)/.test(line));
    expect(listed.map((line) => line.trim().split(': ')[0])).toEqual([
      '#1 stage orders/prod',
      '#2 GET /orders',
      '#3 VPC link orders-link (V1)',
      '#4 NLB orders-nlb',
      '#5 listener TCP:80',
      '#6 default rule',
      '#7 target group orders-tg',
      '#8 target i-00000000:8080',
      '#9 target i-00000001:8080 (from #7)',
      '#10 target i-00000002:8080 (from #7)',
      '#48 target i-00000028:8080 (from #7)',
      'and 196 more targets of target group orders-tg',
    ]);
    expect(text).toContain('#4 NLB orders-nlb: scheme unknown network');
    const markdown = renderMarkdown(report(path));
    expect(markdown).toContain('**Path followed:**');
    expect(markdown).toContain('- and 196 more targets of target group orders-tg');
    expect(markdown.split('\n').filter((line) => line.startsWith('- \\#'))).toHaveLength(11);
  });

  it('lists no path for a stage without one (twin)', () => {
    expect(renderText(report(), { color: false, wide: true })).not.toContain('Path followed');
    expect(renderMarkdown(report())).not.toContain('Path followed');
  });

  it('keeps every line of the 80-column layout within 80 columns', () => {
    for (const line of renderText(report(path), { color: false }).split('\n')) {
      if (line.startsWith('  [')) continue; // the References footer cites whole URLs
      expect(Array.from(line).length).toBeLessThanOrEqual(80);
    }
  });
});
