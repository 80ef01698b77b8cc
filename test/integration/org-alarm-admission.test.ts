/**
 * The alarm path's gate (issue 25) on the emulator's DynamoDB: the intake handler, as the pipe calls
 * it, admits one run per stage and alarm window, caps the runs per window, and drops (never fails on)
 * what it refuses. The Organizations look-up is not needed: the accounts are listed (ORG_ACCOUNTS).
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Admission } from '../../lambda/org/alarm-admission';
import { createIntakeHandler } from '../../lambda/org/alarm-intake-handler';
import memberContributor from '../fixtures/alarm-events/member-rest-contributor-alarm.json';
import { useEmulator } from '../support/emulator';
import { ORG_ENV } from '../support/memory-part-store';
import { createNotifyFixture } from './notify-fixtures';

const MEMBER = memberContributor.account;
/** The fixture's alarm for another stage of the same API (a second contributor of the same alarm). */
const forStage = (stage: string, time = memberContributor.time) => ({
  ...memberContributor,
  id: `event-${stage}-${time}`,
  time,
  detail: {
    ...memberContributor.detail,
    alarmContributor: { id: `contributor-${stage}`, attributes: { ApiName: 'orders-rest', Stage: stage } },
  },
});
const message = (event: unknown, id: string) => ({ messageId: id, body: JSON.stringify(event) });

describe('the alarm intake (pipe enrichment) on the emulator', () => {
  const aws = useEmulator();

  async function setUp(name: string, runsPerWindow: number) {
    const fixture = await createNotifyFixture(aws.clients(), aws.target(), name);
    const documents = DynamoDBDocumentClient.from(aws.clients().dynamodb);
    const recorded: { messageId: string; admission: Admission }[] = [];
    const handler = createIntakeHandler({
      admission: {
        documents,
        organizations: () => {
          throw new Error('the listed accounts need no Organizations call');
        },
      },
      env: {
        ...ORG_ENV,
        STATE_TABLE_NAME: fixture.tableName,
        ORG_ACCOUNTS: `111111111111,${MEMBER}`,
        ALARM_RUNS_PER_WINDOW: String(runsPerWindow),
      },
      record: (messageId, admission) => recorded.push({ messageId, admission }),
    });
    return { handler, recorded, documents, tableName: fixture.tableName };
  }

  it('admits a stage once per window: the same alarm again, or redelivered, starts no second run', async () => {
    // Arrange
    const { handler, recorded } = await setUp('intake-dedup', 10);

    // Act
    const first = await handler([message(memberContributor, 'm1')]);
    const again = await handler([message(forStage('prod', '2025-12-01T13:44:00Z'), 'm2')]);
    const nextWindow = await handler([message(forStage('prod', '2025-12-01T14:01:00Z'), 'm3')]);

    // Assert
    expect(first).toEqual([memberContributor]);
    expect(again).toEqual([]);
    expect(nextWindow).toHaveLength(1);
    expect(recorded.map((entry) => (entry.admission.admitted ? 'admitted' : entry.admission.reason))).toEqual(
      ['admitted', 'duplicate', 'admitted'],
    );
  });

  it('starts at most the cap of runs per window, whatever the number of stages, and counts the rest', async () => {
    // Arrange
    const { handler, recorded } = await setUp('intake-cap', 2);
    const batch = ['a', 'b', 'c', 'd'].map((stage) => message(forStage(stage), `m-${stage}`));

    // Act
    const admitted = [];
    for (const each of batch) admitted.push(...(await handler([each])));

    // Assert
    expect(admitted).toHaveLength(2);
    expect(recorded.filter((entry) => !entry.admission.admitted).map((entry) => entry.admission)).toEqual([
      expect.objectContaining({ reason: 'capped' }),
      expect.objectContaining({ reason: 'capped' }),
    ]);
  });

  it('drops an event of an account it does not audit, and a malformed one, without throwing', async () => {
    // Arrange
    const { handler, recorded } = await setUp('intake-refuse', 10);
    const outsider = { ...memberContributor, account: '999999999999' };

    // Act
    const admitted = await handler([
      message(outsider, 'outsider'),
      { messageId: 'garbage', body: '{"source":"aws.cloudwatch"' },
    ]);

    // Assert
    expect(admitted).toEqual([]);
    expect(recorded.map((entry) => !entry.admission.admitted && entry.admission.reason)).toEqual([
      'not-audited',
      'invalid',
    ]);
  });

  it('keeps its marks under keys no finding id takes, with an expiry', async () => {
    // Arrange
    const { handler, recorded, documents, tableName } = await setUp('intake-marks', 10);

    // Act
    await handler([message(memberContributor, 'm1')]);

    // Assert
    const [entry] = recorded;
    const key = entry?.admission.admitted ? entry.admission.key : '';
    expect(key).toBe(`#alarm-run#${MEMBER}#eu-west-1#REST:orders-rest/prod#2025-12-01T13:30:00.000Z`);
    const item = await documents.send(new GetCommand({ TableName: tableName, Key: { findingId: key } }));
    expect(item.Item?.expiresAt).toBe(Date.parse('2025-12-01T14:15:00.000Z') / 1000);
  });
});
