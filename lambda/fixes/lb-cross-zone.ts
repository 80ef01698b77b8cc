/** lb-cross-zone: the target group's effective cross-zone setting is off; turn it on for that group. */
import { z } from 'zod';
import type { Finding, FixSuggestion } from '../domain/types';
import { crossZoneOnFix } from './cross-zone';

const crossZoneOff = z.object({ enabled: z.literal(false) });

export function lbCrossZoneFix(finding: Finding): FixSuggestion | undefined {
  return crossZoneOff.safeParse(finding.evidence).success ? crossZoneOnFix(finding) : undefined;
}
