import type { PartStore } from '../../lambda/org/run-parts';

/** The parts bucket in memory, for the org handlers' unit tests (the S3 store is tested on the emulator). */
export class MemoryPartStore implements PartStore {
  readonly objects = new Map<string, string>();
  readonly buckets: string[] = [];

  forBucket = (bucket: string): PartStore => {
    this.buckets.push(bucket);
    return this;
  };

  async put(key: string, body: string): Promise<void> {
    this.objects.set(key, body);
  }

  async get(key: string): Promise<string | null> {
    return this.objects.get(key) ?? null;
  }
}

/** The variables the CDK construct sets on the org functions (lib/network-auditor.ts). */
export const ORG_ENV = {
  AWS_REGION: 'eu-west-1',
  AUDIT_REGIONS: 'us-east-1,eu-west-1',
  LOOKBACK_MINUTES: '60',
  PERIOD_SECONDS: '300',
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:999999999999:auditor',
  STATE_TABLE_NAME: 'auditor-state',
  PARTS_BUCKET: 'auditor-parts',
  MEMBER_ROLE_NAME: 'ApiNetworkAuditorMember',
  ORG_ACCOUNTS: '111111111111,222222222222',
};
