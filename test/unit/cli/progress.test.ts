import type { AuditProgress } from '../../../lambda/audit';
import { formatDuration, formatProgress, startProgress } from '../../../lambda/cli/progress';

const event = (overrides: Partial<AuditProgress> = {}): AuditProgress => ({
  phase: 'collect',
  region: 'us-east-1',
  regionIndex: 1,
  regionCount: 1,
  stagesSeen: 40,
  pathsToFollow: 4,
  pathsFollowed: 0,
  awsCalls: 57,
  ...overrides,
});

describe('formatProgress', () => {
  it('says the stages triaged, the paths followed of how many, the AWS calls and the elapsed time', () => {
    expect(formatProgress(event(), 12_000)).toBe(
      'us-east-1 collect: 40 stages triaged, paths 0/4, 57 AWS calls, 0:12',
    );
  });

  it('shows the Region of how many and the time left when several Regions are audited', () => {
    expect(formatProgress(event({ regionIndex: 2, regionCount: 3, phase: 'triage' }), 65_000, 130_000)).toBe(
      'us-east-1 (2/3) triage: 40 stages triaged, 57 AWS calls, 1:05, ~2:10 left',
    );
  });

  it('fits an 80-column terminal for a large account', () => {
    const line = formatProgress(
      event({
        region: 'ap-southeast-2',
        regionIndex: 12,
        regionCount: 17,
        stagesSeen: 12_000,
        pathsToFollow: 1200,
        pathsFollowed: 1200,
        awsCalls: 123_456,
      }),
      3_600_000,
      7_200_000,
    );
    expect(line.length).toBeLessThanOrEqual(80);
  });

  it('formats durations as minutes and seconds', () => {
    expect([
      formatDuration(0),
      formatDuration(59_400),
      formatDuration(61_000),
      formatDuration(3_600_000),
    ]).toEqual(['0:00', '0:59', '1:01', '60:00']);
  });
});

describe('startProgress', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('redraws every second while the audit waits on AWS, and clears the line at the end', () => {
    // Arrange
    let now = 0;
    const written: string[] = [];
    const display = startProgress(
      (text) => written.push(text),
      () => now,
    );

    // Act: one event, then three silent seconds
    display.update(event());
    for (let second = 1; second <= 3; second += 1) {
      now = second * 1000;
      jest.advanceTimersByTime(1000);
    }
    display.finish();

    // Assert
    expect(written.filter((line) => line.includes('paths 0/4')).map((line) => line.slice(-4))).toEqual([
      '0:00',
      '0:01',
      '0:02',
      '0:03',
    ]);
    expect(written.at(-1)).toBe('\r\u001b[K');
  });

  it('estimates the time left from the Regions already audited', () => {
    let now = 0;
    const written: string[] = [];
    const display = startProgress(
      (text) => written.push(text),
      () => now,
    );
    display.update(event({ regionIndex: 1, regionCount: 2, phase: 'triage' }));
    now = 30_000;
    display.update(event({ regionIndex: 2, regionCount: 2, phase: 'triage' }));
    display.finish();
    expect(written.at(-2)).toContain('0:30, ~0:30 left');
    expect(written[0]).not.toContain('left');
  });

  it('writes nothing when no event came', () => {
    const written: string[] = [];
    const display = startProgress((text) => written.push(text));
    jest.advanceTimersByTime(3000);
    display.finish();
    expect(written).toEqual([]);
  });
});
