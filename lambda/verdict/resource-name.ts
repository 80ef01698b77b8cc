/**
 * The short name a person knows a resource by, from its ARN: `sg-0abc`, `orders-tg`, `orders-nlb`,
 * `vpclinks/x1y2`. Raw: names inside ARNs are untrusted; each rendering cleans what it shows.
 */
export function resourceName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/').filter(Boolean);
  switch (parts[0]) {
    case 'targetgroup':
      return parts[1] ?? resource;
    case 'loadbalancer':
    case 'listener':
      // loadbalancer/net/<name>/<id>, listener/net/<name>/<lb id>/<id>
      return parts[2] ?? resource;
    case 'restapis':
    case 'apis':
      return parts.slice(-2).join('/');
    default:
      return parts.at(-1) ?? (resource || arn);
  }
}
