/**
 * Progress on a terminal's stderr: one line rewritten at least once a second (the clock moves even
 * while a slow AWS call holds the audit), with what was done, the AWS calls and the time.
 */
import type { AuditProgress } from '../audit';

/** Elapsed and remaining time as `m:ss`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Time left, from the Regions already done: the only part of an audit whose cost is known before
 * the next one starts (a Region's cost depends on how many of its stages fail). Undefined until one is.
 */
export function estimateRemainingMs(
  event: AuditProgress,
  elapsedMs: number,
  doneRegionsMs: number,
): number | undefined {
  const regionsDone = event.regionIndex - 1;
  if (regionsDone === 0 || event.phase === 'done') return undefined;
  const perRegion = doneRegionsMs / regionsDone;
  return Math.max(0, perRegion * event.regionCount - elapsedMs);
}

/** `us-east-1 (1/2) collect: 40 stages triaged, paths 0/4, 57 AWS calls, 0:12, ~0:20 left`. */
export function formatProgress(event: AuditProgress, elapsedMs: number, remainingMs?: number): string {
  const where =
    event.regionCount > 1 ? `${event.region} (${event.regionIndex}/${event.regionCount})` : event.region;
  const paths =
    event.phase === 'collect' || event.phase === 'evaluate'
      ? `, paths ${event.pathsFollowed}/${event.pathsToFollow}`
      : '';
  const left = remainingMs === undefined ? '' : `, ~${formatDuration(remainingMs)} left`;
  const time = `${formatDuration(elapsedMs)}${left}`;
  const full = `${where} ${event.phase}: ${event.stagesSeen} stages triaged${paths}, ${event.awsCalls} AWS calls, ${time}`;
  if (full.length <= PROGRESS_WIDTH) return full;
  // A large account on several Regions: the Region's number stands for its name.
  const short = `${event.regionIndex}/${event.regionCount} ${event.phase}: ${event.stagesSeen} triaged${paths}, ${event.awsCalls} calls, ${time}`;
  return short.slice(0, PROGRESS_WIDTH);
}

/** The progress line stays on one line of an 80-column terminal (a wrapped line is not rewritten in place). */
const PROGRESS_WIDTH = 79;

const MIN_REDRAW_MS = 100;

export interface ProgressDisplay {
  update(event: AuditProgress): void;
  finish(): void;
}

/** Redraws on every event and on a one-second tick; `finish` clears the line. */
export function startProgress(
  write: (text: string) => void,
  clock: () => number = Date.now,
  tickMs = 1000,
): ProgressDisplay {
  const started = clock();
  let last: AuditProgress | undefined;
  let lastDrawn = Number.NEGATIVE_INFINITY;
  let regionStarted = started;
  let regionsTimedMs = 0;
  const draw = () => {
    if (!last) return;
    lastDrawn = clock();
    const elapsed = lastDrawn - started;
    write(`\r\u001b[K${formatProgress(last, elapsed, estimateRemainingMs(last, elapsed, regionsTimedMs))}`);
  };
  const timer = setInterval(draw, tickMs);
  timer.unref?.();
  return {
    update: (event) => {
      if (last && event.regionIndex !== last.regionIndex) {
        regionsTimedMs += clock() - regionStarted;
        regionStarted = clock();
      }
      last = event;
      // An event per AWS call: redraw at most ten times a second.
      if (clock() - lastDrawn >= MIN_REDRAW_MS || event.phase !== 'collect') draw();
    },
    finish: () => {
      clearInterval(timer);
      if (last) write('\r\u001b[K');
    },
  };
}
