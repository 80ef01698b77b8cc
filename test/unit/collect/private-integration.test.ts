import {
  httpApiPrivateScheme,
  listenerAccepts,
  restV2ListenerEntry,
} from '../../../lambda/collect/private-integration';

describe('how API Gateway speaks to a load balancer through a VPC link', () => {
  it('chooses HTTPS for an HTTP API private integration by its TLS configuration, not its URI', () => {
    expect(httpApiPrivateScheme({ ServerNameToVerify: 'orders.example.com' })).toBe('https');
    expect(httpApiPrivateScheme({})).toBe('https');
    // Healthy twin: no TLS configuration, plain HTTP even to a listener on 443.
    expect(httpApiPrivateScheme(undefined)).toBe('http');
    expect(httpApiPrivateScheme(null)).toBe('http');
  });

  it("enters a REST V2 integration's load balancer on the URI's port, defaulting by scheme", () => {
    expect(restV2ListenerEntry('https://orders.example.com/api')).toEqual({ port: 443, scheme: 'https' });
    expect(restV2ListenerEntry('http://orders.example.com:8080/api')).toEqual({ port: 8080, scheme: 'http' });
    expect(restV2ListenerEntry('HTTPS://orders.example.com:8443')).toEqual({ port: 8443, scheme: 'https' });
    expect(
      restV2ListenerEntry('arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/b/c'),
    ).toBeNull();
  });

  it('accepts TLS only on TLS and HTTPS listeners, and plain HTTP only on TCP and HTTP ones', () => {
    expect(listenerAccepts('https', 'HTTPS')).toBe(true);
    expect(listenerAccepts('https', 'TLS')).toBe(true);
    expect(listenerAccepts('https', 'HTTP')).toBe(false);
    expect(listenerAccepts('http', 'TLS')).toBe(false);
    expect(listenerAccepts('http', 'TCP')).toBe(true);
    expect(listenerAccepts('http', 'HTTP')).toBe(true);
  });
});
