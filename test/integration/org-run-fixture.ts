/**
 * The auditor account's side of an organization-wide run on the emulator: the topic and state table
 * (notify-fixtures), the parts bucket, the environment the three functions read, and the deployed
 * handlers themselves, imported once that environment is set. The caller restores `process.env`.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type EmulatorHandle, TEST_CREDENTIALS, TEST_REGION } from '../support/emulator';
import { MEMBER_ROLE } from '../support/member-accounts';
import { createNotifyFixture, type NotifyFixture } from './notify-fixtures';

export interface OrgSteps {
  list: typeof import('../../lambda/org/list-targets-handler').handler;
  item: typeof import('../../lambda/org/audit-target-handler').handler;
  merge: typeof import('../../lambda/org/merge-handler').handler;
}

export async function prepareOrgRun(
  aws: EmulatorHandle,
  run: { name: string; bucket: string; accounts: readonly string[]; metricsNamespace: string },
): Promise<{ fixture: NotifyFixture; steps: OrgSteps }> {
  const fixture = await createNotifyFixture(aws.clients({ rateLimits: false }), aws.target(), run.name);
  const s3 = new S3Client({ ...aws.target(), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: run.bucket }));
  Object.assign(process.env, {
    AWS_REGION: TEST_REGION,
    AWS_ENDPOINT_URL: aws.emulator().endpoint,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AUDIT_REGIONS: TEST_REGION,
    TOPIC_ARN: fixture.topicArn,
    STATE_TABLE_NAME: fixture.tableName,
    PARTS_BUCKET: run.bucket,
    MEMBER_ROLE_NAME: MEMBER_ROLE,
    ORG_ACCOUNTS: run.accounts.join(','),
    POWERTOOLS_SERVICE_NAME: 'api-network-auditor',
    POWERTOOLS_METRICS_NAMESPACE: run.metricsNamespace,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const steps = {
    list: (await import('../../lambda/org/list-targets-handler')).handler,
    item: (await import('../../lambda/org/audit-target-handler')).handler,
    merge: (await import('../../lambda/org/merge-handler')).handler,
  };
  return { fixture, steps };
}
