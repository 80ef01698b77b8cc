/**
 * Stable explanation codes for what the path model found at a component, in the manner of VPC
 * Reachability Analyzer's explanation codes: each with what it means and the AWS rule it rests on.
 * A result the model produces carries its code in `evidence.explanation`.
 */
import type { CheckResult } from '../domain/types';

export const EXPLANATIONS = {
  COMPONENT_UNREADABLE: {
    meaning: 'a component of the path could not be read: what is behind it is not judged (ERROR)',
    source: 'https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html',
  },
  NO_LOAD_BALANCER: {
    meaning: 'no integration of the stage goes through a VPC link to a load balancer',
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html',
  },
  NO_LOAD_BALANCER_BEHIND_LINK: {
    meaning:
      'an integration goes through a VPC link to something that is neither a load balancer nor a Cloud Map service',
    source:
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html',
  },
  CLOUD_MAP_BEHIND_LINK: {
    meaning:
      'the integrations go through a VPC link V2 to a Cloud Map service: its instances, not a load balancer, receive the connections',
    source:
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html',
  },
  LOAD_BALANCER_GONE: {
    meaning: 'an integration sends to a load balancer that no longer exists',
    source:
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html',
  },
  NO_LISTENER_FOR_ENTRY: {
    meaning: 'no listener of the load balancer answers the port or listener the integration sends to',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html',
  },
  NO_TARGET_GROUP: {
    meaning: "the listener's rules forward the integration's requests to no target group",
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html',
  },
  RULE_MAY_MATCH: {
    meaning:
      'a listener rule tests what the client decides (headers, method, query string, source IP): its target group may receive the traffic; a problem there is never a FAIL alone',
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/rule-condition-types.html',
  },
  RULE_NOT_MATCHED: {
    meaning:
      "a listener rule's host-header or path-pattern cannot match what API Gateway sends (a REST private integration sends the URI's host and path): its target group is not on the path",
    source: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-private-integration.html',
  },
  WEIGHT_ZERO: {
    meaning: 'a weighted forward gives this target group weight 0: it receives no traffic',
    source:
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#forward-actions',
  },
  PROTOCOL_MISMATCH: {
    meaning:
      "the listener does not speak the integration's protocol (plain HTTP to a TLS or HTTPS listener, HTTPS to an HTTP one; an HTTP API private integration speaks HTTPS exactly when it has a TlsConfig): the connection fails",
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-listeners.html',
  },
  CERTIFICATE_NOT_COVERING_NAME: {
    meaning:
      "none of the listener's certificates (its default and SNI list) covers the name API Gateway verifies (REST: the integration URI's host; HTTP APIs: TlsConfig.ServerNameToVerify): the listener presents its default and API Gateway fails the TLS handshake",
    source:
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-api-with-vpclink-using-swagger.html',
  },
  CERTIFICATE_NAMES_UNKNOWN: {
    meaning:
      'the listener may present a certificate whose names the audit does not read (an IAM server certificate): whether it covers the name API Gateway verifies is unknown, never a FAIL on its own',
    source:
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/https-listener-certificates.html',
  },
} as const;

export type ExplanationCode = keyof typeof EXPLANATIONS;

/** The result with its explanation code and the AWS source of the rule in its evidence. */
export const explained = (code: ExplanationCode, result: CheckResult): CheckResult => ({
  ...result,
  evidence: { ...result.evidence, explanation: code, explanationSource: EXPLANATIONS[code].source },
});
