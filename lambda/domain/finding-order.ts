/** The one order findings are listed in, everywhere (report, text, Markdown, email, chat, merged reports). */
import { type Finding, SEVERITIES, type Status } from './types';

/** Listing order (report.md): FAIL, then WARN and ERROR, then what needs no attention. */
export const LISTING_ORDER: readonly Status[] = ['FAIL', 'WARN', 'ERROR', 'SKIPPED', 'PASS'];

/** By status, then severity (highest first), check id and resource. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    LISTING_ORDER.indexOf(a.status) - LISTING_ORDER.indexOf(b.status) ||
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.checkId.localeCompare(b.checkId) ||
    a.resourceArn.localeCompare(b.resourceArn)
  );
}
