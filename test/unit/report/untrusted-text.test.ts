/**
 * Names read from AWS are free text: whatever they hold, no output may gain a line, a link, an escape
 * sequence or invisible characters from them. Property tests over arbitrary Unicode, mixed with the
 * pieces an attacker would use.
 */
import fc from 'fast-check';
import {
  csvText,
  emailText,
  markdownCode,
  markdownText,
  printableAscii,
  recordText,
  terminalText,
} from '../../../lambda/domain/display-text';
import type { PathHop } from '../../../lambda/domain/types';
import { buildNotificationMessages } from '../../../lambda/notify/notification-messages';
import { runIdOf } from '../../../lambda/notify/notification-view';
import { planNotification } from '../../../lambda/notify/plan-notification';
import { renderChatNotification } from '../../../lambda/notify/render-chat';
import { renderEmailBody, renderEmailSubject } from '../../../lambda/notify/render-email';
import { DEFAULT_NOTIFY_SETTINGS } from '../../../lambda/notify/settings';
import { renderAsff } from '../../../lambda/report/formats/asff';
import { renderCsv } from '../../../lambda/report/formats/csv';
import { renderHtml } from '../../../lambda/report/formats/html';
import { renderJunit } from '../../../lambda/report/formats/junit';
import { renderOcsf } from '../../../lambda/report/formats/ocsf';
import { renderMarkdown } from '../../../lambda/report/render-markdown';
import { renderText } from '../../../lambda/report/render-text';
import { aFinding, aReport, aStage } from '../../support/report-builders';

const FORGED_LINE = '[NEW] FAIL (critical) forged';
const ATTACK_PIECES = [
  '\n',
  '\r',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u2029',
  '\v',
  '\f',
  '\u001b[31m',
  '\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007',
  '\u009b2J',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\u061c',
  '\ufeff',
  '\u00ad',
  '\u{e0041}',
  '\ud800',
  'https://evil.example/login',
  'HTTP://evil',
  'www.evil.example',
  'WWW.evil',
  'mailto://x',
  '[re-authenticate](https://evil.example)',
  '<https://evil.example>',
  '<a href="x">',
  'ops@evil.example',
  'evil.example',
  'javascript:alert(1)',
  'JavaScript :alert(1)',
  'mailto:ops@evil.example',
  '`',
  '|',
  '*',
  '_',
  '#',
  '- ',
  '1. ',
  '> ',
  '&#10;',
  FORGED_LINE,
];

/** Arbitrary Unicode (lone surrogates included) with attack pieces mixed in. */
const hostile = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom(...ATTACK_PIECES)), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
const LINK = /:\/\/|www\.|\b(javascript|vbscript|mailto)\s*:|[\w.+-]@[\w-]+\.[\w.-]/i;
/** What a mail client makes a link of in a subject: also a bare domain. */
const SUBJECT_LINK = /[A-Za-z0-9]\.[A-Za-z]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is left of Markdown text once escaped characters are taken out: no syntax may remain. */
const unescaped = (markdown: string) => markdown.replace(/\\[\s\S]/g, '');

describe('display text: the one place untrusted text becomes displayable', () => {
  const outputs = {
    email: (text: string) => emailText(text, 300),
    terminal: (text: string) => terminalText(text, 300),
    markdown: (text: string) => markdownText(text, 300),
    'markdown code': (text: string) => markdownCode(text, 300),
    subject: printableAscii,
    record: (text: string) => recordText(text, 300),
    csv: (text: string) => csvText(text, 300),
  };

  it.each(Object.entries(outputs))('%s: one line, no control or format character, no link', (_, render) => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = render(text);
        expect(shown).not.toMatch(LINE_BREAK);
        expect(shown).not.toMatch(INVISIBLE_OR_CONTROL);
        expect(shown).not.toMatch(LINK);
        expect(shown).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 500 },
    );
  });

  it('caps the length in code points', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 4, max: 200 }), (text, max) => {
        expect(Array.from(emailText(text, max)).length).toBeLessThanOrEqual(max);
        expect(Array.from(terminalText(text, max)).length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('markdown: no unescaped character can start markup, a link, an entity or a list item', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = markdownText(text);
        expect(unescaped(shown)).not.toMatch(/[`*_[\]<>#|~@&\\]/);
        expect(shown).not.toMatch(/^([-+]|\d+[.)])/);
      }),
      { numRuns: 500 },
    );
  });

  it('markdown code: one code span that no backtick inside can end', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const span = markdownCode(text);
        expect(span).toMatch(/^`[^`]+`$/);
      }),
    );
  });

  it('subject: no bare domain, e-mail address or script link survives, whatever surrounds it', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(printableAscii(text)).not.toMatch(SUBJECT_LINK);
      }),
      { numRuns: 500 },
    );
    expect(printableAscii('orders evil.example ops@evil.example javascript:alert(1)')).toBe(
      'orders evil[.]example ops[@]evil[.]example javascript[:]alert(1)',
    );
    expect(emailText('mailto:ops@evil.example')).toBe('mailto[:]ops[@]evil.example');
    // Names without any of it stay as they are (the healthy twin).
    expect(printableAscii('orders-prod/v2 (us-east-1) no data: 5xx')).toBe(
      'orders-prod/v2 (us-east-1) no data: 5xx',
    );
  });

  it('keeps ordinary names readable: accents, CJK and emoji pass, only what is dangerous changes', () => {
    expect(emailText('Café 注文 🚀 orders-prod_v2 (us-east-1)')).toBe(
      'Café 注文 🚀 orders-prod_v2 (us-east-1)',
    );
    expect(emailText('a\nb\u202ec\u200bd https://x')).toBe('a bcd https[:]//x');
    expect(markdownText('use *all* [x](y)')).toBe('use \\*all\\* \\[x\\](y)');
    expect(markdownText('- item')).toBe('\\- item');
    expect(csvText('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(csvText(' \t@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvText('orders-prod')).toBe('orders-prod');
  });
});

describe('every rendering of a report with hostile names', () => {
  /** The path model's components with `name` wherever AWS gives free text: names, URIs, rule conditions, route keys. */
  const hostilePath = (name: string): PathHop[] => [
    {
      seq: 1,
      kind: 'stage',
      id: `arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/${name}`,
      label: `stage ${name}`,
      from: [],
      facts: { apiType: 'HTTP', deploymentId: name },
    },
    { seq: 2, kind: 'route', id: `route ${name}`, label: `route GET /${name}`, from: [1] },
    {
      seq: 3,
      kind: 'integration',
      id: 'arn:aws:apigateway:us-east-1::/apis/a1b2c3/integrations/i1',
      label: name,
      from: [2],
      facts: {
        type: 'HTTP_PROXY',
        connectionType: 'VPC_LINK',
        uri: `http://${name}/orders`,
        timeoutMs: 29000,
      },
    },
    {
      seq: 4,
      kind: 'load-balancer',
      id: `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/${name}/1`,
      label: `ALB ${name}`,
      from: [3],
      facts: { type: 'application', zones: [{ zoneName: name, subnetId: name }], securityGroupIds: [name] },
      senders: { description: `VPC link ${name}`, sourceAddresses: [name], securityGroupIds: [name] },
    },
    {
      seq: 5,
      kind: 'rule',
      id: `rule ${name}`,
      label: 'rule 10',
      from: [4],
      facts: {
        priority: name,
        conditions: [{ field: 'http-header', headerName: name, values: [name, name] }],
        actionType: name,
        forward: [{ arn: name, weight: 1 }],
      },
      explanations: [{ explanationCode: 'RULE_MAY_MATCH', source: 'https://docs.aws.amazon.com/x' }],
    },
    {
      seq: 6,
      kind: 'target-group',
      id: `tg ${name}`,
      label: `target group ${name}`,
      from: [5],
      facts: {
        protocol: name,
        port: 80,
        targetType: 'ip',
        weight: 1,
        preserveClientIp: false,
        proxyProtocolV2: false,
        healthCheck: { protocol: name, port: name },
        registeredTargets: 9,
        targetsNotListed: 4,
      },
    },
    ...[7, 8, 9, 10, 11].map(
      (seq): PathHop => ({
        seq,
        kind: 'target',
        id: `${name}-${seq}`,
        label: `target ${name}`,
        from: [6],
        facts: { port: 80, zones: [name], state: name, reason: name, address: name },
      }),
    ),
  ];

  function hostileReport(name: string, message: string) {
    const stage = aStage({ apiName: name, stage: name, auditedPath: hostilePath(name) });
    return aReport({
      apis: [stage],
      findings: [
        aFinding({
          title: name,
          message,
          remediation: message,
          resourceArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/${name}/1`,
          apis: [{ apiId: stage.apiId, stage: stage.stage }],
        }),
      ],
      incompleteReasons: [message],
      complete: false,
    });
  }

  function renderings(name: string, message: string): Record<string, string> {
    const report = hostileReport(name, message);
    const view = {
      report,
      plan: planNotification(report, new Map(), DEFAULT_NOTIFY_SETTINGS, new Date('2026-11-29T12:00:00Z')),
      runId: runIdOf(report),
    };
    const chat = renderChatNotification(view);
    return {
      text: renderText(report, { color: false }),
      'text (wide)': renderText(report, { color: false, wide: true }),
      csv: renderCsv(report),
      junit: renderJunit(report),
      asff: renderAsff(report),
      ocsf: renderOcsf(report),
      markdown: renderMarkdown(report),
      html: renderHtml(report),
      email: renderEmailBody(view),
      subject: renderEmailSubject(view),
      chat: [chat.content.title, chat.content.description, ...(chat.content.nextSteps ?? [])].join('\n'),
      'chat resources': chat.metadata.relatedResources.join(' '),
      published: buildNotificationMessages(view, 'arn:aws:sns:us-east-1:123456789012:t')
        .map((message) => message.Subject ?? '')
        .join('\n'),
    };
  }

  const lineCount = (text: string) => text.split(/\r?\n/).length;
  /** Console links carry names URL-encoded (a `www.` inside one adds no link): count scheme separators. */
  const links = (text: string) => text.match(/:\/\//g)?.length ?? 0;

  it('gains no line (a forged `[NEW] FAIL` one included), no link, no escape sequence and no invisible character', () => {
    const benign = renderings('orders', 'plain message');
    fc.assert(
      fc.property(hostile, hostile, (name, message) => {
        const hostileOutputs = renderings(name, message);
        for (const [output, text] of Object.entries(hostileOutputs)) {
          const baseline = benign[output] ?? '';
          if (output === 'text') {
            // The 80-column layout wraps long text by design, so a long name takes more lines there;
            // its line count is held by the wide layout ('text (wide)'). Every wrapped line still
            // fits 80 columns (only the References footer may be wider) and holds no forged finding line.
            const lines = text.split('\n');
            const footer = lines.indexOf('References');
            const body = footer >= 0 ? lines.slice(0, footer) : lines;
            for (const line of body)
              expect({ output, line, wide: Array.from(line).length > 80 }).toEqual({
                output,
                line,
                wide: false,
              });
            const references = footer >= 0 ? lines.slice(footer + 1).filter(Boolean) : [];
            for (const line of references) expect(line).toMatch(/^ {2}\[\d+\] /);
          } else
            expect({ output, gained: lineCount(text) > lineCount(baseline) }).toEqual({
              output,
              gained: false,
            });
          expect({ output, links: links(text) }).toEqual({ output, links: links(baseline) });
          expect(text.replace(/\r?\n/g, '')).not.toMatch(INVISIBLE_OR_CONTROL);
        }
      }),
      { numRuns: 150 },
    );
  });
});
