/**
 * `--format junit`: the JUnit XML CI systems read. One testsuite per check, one testcase per
 * resource it judged: FAIL is a <failure>, ERROR an <error>, SKIPPED <skipped>; PASS and WARN pass
 * (a WARN's message is kept in <system-out>), so a pipeline fails on what the checks call failures.
 */

import { recordText } from '../../domain/display-text';
import type { Finding, Report } from '../../domain/types';
import { accountOf, fixText, isMultiAccount } from '../human-view';
import { findingsWithUnreadableParts } from '../unreadable-parts';

/** XML 1.0 allows no control character but tab and line breaks; recordText removed the others. */
export function xmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const attr = (value: string) => xmlText(recordText(value, 1000));

/** One resource ARN can be in several accounts of a merged report: its test case names the account too. */
function testcase(finding: Finding, account: string | undefined): string {
  const name = account ? `${account} ${finding.resourceArn}` : finding.resourceArn;
  const open = `    <testcase classname="api-network-auditor.${attr(finding.checkId)}" name="${attr(name)}" time="0">`;
  // Our lines, each holding one cleaned line of untrusted text: a name cannot add a line of its own.
  const details = xmlText(
    [
      recordText(finding.message, 2000),
      '',
      `Fix: ${recordText(fixText(finding), 2000)}`,
      `Stages: ${recordText(finding.apis.map((api) => `${api.apiId}/${api.stage}`).join(', '), 1000)}`,
    ].join('\n'),
  );
  const summary = attr(`${finding.severity}: ${finding.title}`);
  switch (finding.status) {
    case 'FAIL':
      return `${open}\n      <failure message="${summary}" type="${attr(finding.severity)}">${details}</failure>\n    </testcase>`;
    case 'ERROR':
      return `${open}\n      <error message="${attr(finding.message)}" type="ERROR">${details}</error>\n    </testcase>`;
    case 'SKIPPED':
      return `${open}\n      <skipped message="${attr(finding.message)}"/>\n    </testcase>`;
    case 'WARN':
      return `${open}\n      <system-out>WARN ${summary}\n${details}</system-out>\n    </testcase>`;
    case 'PASS':
      return `${open}</testcase>`;
  }
}

/** An incomplete audit's unreadable parts are <error>s of the `audit-completeness` suite. */
export function renderJunit(report: Report): string {
  const all = findingsWithUnreadableParts(report);
  const byCheck = new Map<string, Finding[]>();
  for (const finding of all) byCheck.set(finding.checkId, [...(byCheck.get(finding.checkId) ?? []), finding]);
  const count = (findings: Finding[], status: Finding['status']) =>
    findings.filter((finding) => finding.status === status).length;
  const seconds = (report.stats.durationMs / 1000).toFixed(3);
  const suites = [...byCheck.entries()].map(
    ([checkId, findings]) =>
      `  <testsuite name="${attr(checkId)}" tests="${findings.length}" failures="${count(findings, 'FAIL')}" ` +
      `errors="${count(findings, 'ERROR')}" skipped="${count(findings, 'SKIPPED')}" timestamp="${attr(report.generatedAt)}">\n` +
      `${findings.map((finding) => testcase(finding, isMultiAccount(report) ? accountOf(finding, report) : undefined)).join('\n')}\n  </testsuite>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="api-network-auditor" tests="${all.length}" failures="${count(all, 'FAIL')}" errors="${count(all, 'ERROR')}" skipped="${count(all, 'SKIPPED')}" time="${seconds}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
