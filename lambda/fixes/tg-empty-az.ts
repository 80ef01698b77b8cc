/**
 * tg-empty-az: a zone of the load balancer has no registered target. Which instance belongs there
 * is not the audit's to know; cross-zone load balancing lets the other zones' targets serve that
 * zone's share, which is a fix only when some zone has targets.
 */
import { z } from 'zod';
import type { Finding, FixSuggestion } from '../domain/types';
import { crossZoneOnFix } from './cross-zone';

const emptyZones = z.object({
  emptyZones: z.array(z.string()).min(1),
  registeredByZone: z.record(z.string(), z.array(z.string())),
});

export function tgEmptyAzFix(finding: Finding): FixSuggestion | undefined {
  const parsed = emptyZones.safeParse(finding.evidence);
  if (!parsed.success) return undefined;
  const someZoneServes = Object.values(parsed.data.registeredByZone).some((targets) => targets.length > 0);
  return someZoneServes ? crossZoneOnFix(finding) : undefined;
}
