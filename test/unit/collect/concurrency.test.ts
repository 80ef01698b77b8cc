import { limitConcurrency, mapInLanes } from '../../../lambda/collect/concurrency';

/** A promise the test resolves when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('limitConcurrency', () => {
  it('never runs more tasks at once than the limit, and runs them all', async () => {
    // Arrange
    const run = limitConcurrency(2);
    let inFlight = 0;
    let peak = 0;
    const task = (value: number) => async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await tick();
      inFlight -= 1;
      return value * 10;
    };

    // Act
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((value) => run(task(value))));

    // Assert
    expect(peak).toBe(2);
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('frees the slot of a task that fails, so the queue keeps moving', async () => {
    // Arrange
    const run = limitConcurrency(1);

    // Act
    const failing = run(async () => {
      throw new Error('denied');
    });
    const next = run(async () => 'ran');

    // Assert
    await expect(failing).rejects.toThrow('denied');
    await expect(next).resolves.toBe('ran');
  });

  it('refuses a limit below one', () => {
    expect(() => limitConcurrency(0)).toThrow(RangeError);
  });
});

describe('mapInLanes', () => {
  it('finishes a free lane while another lane is blocked', async () => {
    // Arrange
    const restGate = gate();
    const items = ['REST:a', 'REST:b', 'REST:c', 'HTTP:x', 'HTTP:y'];
    const finished: string[] = [];

    // Act
    const mapping = mapInLanes(
      items,
      (item) => item.split(':')[0] ?? '',
      1,
      async (item) => {
        if (item.startsWith('REST')) await restGate.opened;
        finished.push(item);
        return item.toUpperCase();
      },
    );
    for (let i = 0; i < 5; i++) await tick();
    const finishedBeforeRestOpened = [...finished];
    restGate.open();
    const results = await mapping;

    // Assert
    expect(finishedBeforeRestOpened).toEqual(['HTTP:x', 'HTTP:y']);
    expect(results).toEqual(['REST:A', 'REST:B', 'REST:C', 'HTTP:X', 'HTTP:Y']);
  });

  it('keeps at most the limit in flight within each lane', async () => {
    // Arrange
    const inFlight = new Map<string, number>();
    const peak = new Map<string, number>();
    const items = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? `A${i}` : `B${i}`));

    // Act
    await mapInLanes(
      items,
      (item) => item.charAt(0),
      2,
      async (item) => {
        const lane = item.charAt(0);
        inFlight.set(lane, (inFlight.get(lane) ?? 0) + 1);
        peak.set(lane, Math.max(peak.get(lane) ?? 0, inFlight.get(lane) ?? 0));
        await tick();
        inFlight.set(lane, (inFlight.get(lane) ?? 0) - 1);
      },
    );

    // Assert
    expect(Object.fromEntries(peak)).toEqual({ A: 2, B: 2 });
  });
});
