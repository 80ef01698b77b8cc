import type { CheckDefinition } from './check-definition';
import { ARTICLE } from './docs-links';
import type { Judgement } from './error-minutes';
import { evaluateTargetGroupAdvice } from './target-group-advice';

export const PROXY_PROTOCOL_ATTRIBUTE = 'proxy_protocol_v2.enabled';

/** Pure: with proxy protocol v2 on, every connection starts with a binary header the targets must parse. */
export function judgeProxyProtocol(where: string, attributes: Record<string, string>): Judgement {
  const enabled = attributes[PROXY_PROTOCOL_ATTRIBUTE] === 'true';
  const evidence = { [PROXY_PROTOCOL_ATTRIBUTE]: attributes[PROXY_PROTOCOL_ATTRIBUTE] ?? null };
  if (!enabled)
    return { status: 'PASS', message: `${where} does not send a proxy protocol header`, evidence };
  return {
    status: 'WARN',
    severity: 'medium',
    message: `${where} has proxy protocol v2 on: the NLB starts every connection with a PROXY v2 header, and a target that does not expect it answers API Gateway's requests with errors or closes the connection`,
    evidence,
  };
}

export const tgProxyProtocolV2: CheckDefinition = {
  id: 'tg-proxy-protocol-v2',
  title: 'Proxy protocol v2 is on only where the targets parse it',
  group: 'beyond-the-article',
  severity: 'medium',
  role: 'condition',
  runsFor: ['high-frequency'],
  risk: 'With proxy_protocol_v2.enabled, the NLB prefixes each connection with a binary header; a target (web server, proxy) not configured to read it sees a malformed request and fails or resets it.',
  remediation:
    "Turn proxy protocol v2 off on the target group, or turn on the targets' proxy protocol support (e.g. nginx `listen ... proxy_protocol`) before enabling it.",
  docs: [
    ARTICLE,
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html',
  ],
  reads: ['stages', 'inventory'],
  evaluate: ({ inventory, stages }) =>
    evaluateTargetGroupAdvice(stages, inventory, 'its attributes', (where, group, path) => {
      if (path.loadBalancer.type !== 'network')
        return { status: 'SKIPPED', message: `${where}: proxy protocol v2 is an NLB target group setting` };
      return group.attributes.ok ? judgeProxyProtocol(where, group.attributes.value) : group.attributes.error;
    }),
};
