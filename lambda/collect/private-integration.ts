/**
 * How API Gateway speaks to a load balancer through a VPC link, as pure rules the path model
 * (lambda/path/) plugs in where it matches listeners and rule conditions:
 * - HTTP APIs: the integration URI is a listener ARN, so it says nothing of the scheme. HTTPS is
 *   chosen by `TlsConfig` alone ("If you specify a TLS configuration, private integration traffic
 *   uses the HTTPS protocol. Supported only for HTTP APIs.", AWS::ApiGatewayV2::Integration
 *   TlsConfig, CloudFormation User Guide; the same text in the apigatewayv2 API model).
 * - REST integrations on a V2 link name the load balancer in `integrationTarget`; the listener is
 *   the one on the URI's port (default by scheme), and the URI's scheme decides TLS
 *   (notes/aws-facts.md, "Facts that decide who connects to whom").
 * - HTTP APIs: the stage name in the forwarded path is modelled where listener rules meet the
 *   request (lambda/path/listeners.ts, `knownRequests`).
 */
import { uriHostAndPort } from './integration-uri';

export type BackendScheme = 'http' | 'https';

/** HTTP API private integrations: HTTPS exactly when a TLS configuration is set, whatever the URI. */
export const httpApiPrivateScheme = (
  tlsConfig: { ServerNameToVerify?: string } | null | undefined,
): BackendScheme => (tlsConfig ? 'https' : 'http');

/** The listener a REST integration on a V2 link enters: the URI's port and the scheme it speaks there. */
export function restV2ListenerEntry(uri: string): { port: number; scheme: BackendScheme } | null {
  const target = uriHostAndPort(uri);
  if (!target) return null;
  return { port: target.port, scheme: uri.toLowerCase().startsWith('https:') ? 'https' : 'http' };
}

/** The listener protocols that accept what the integration speaks: TLS and HTTPS for https, TCP and HTTP for http. */
export const listenerAccepts = (scheme: BackendScheme, listenerProtocol: string): boolean =>
  scheme === 'https'
    ? listenerProtocol === 'HTTPS' || listenerProtocol === 'TLS'
    : listenerProtocol === 'HTTP' || listenerProtocol === 'TCP' || listenerProtocol === 'TCP_UDP';
