/**
 * The audit's time budget, enforced on every AWS attempt: once the deadline has passed, no call
 * (and no retry) is sent, and the calls still in flight are aborted (`signal`, which createClients
 * hands to every request). The refused or aborted call fails like any AWS error, so each collector
 * records it against the fact it was reading and the checks that need that fact report ERROR, never
 * PASS. Enforcing it per attempt (after the retry middleware) rather than between collection phases
 * also stops long paginations and retry back-offs that would otherwise run past the Lambda's timeout.
 */
import type { FinalizeRequestMiddleware } from '@smithy/types';
import type { AnyPlugin } from './clients';

/** Not retryable: the SDK's retry strategy retries `TimeoutError`, not this name. */
export class DeadlineExceededError extends Error {
  constructor(deadline: number, inFlight = false) {
    super(
      `${inFlight ? 'aborted in flight' : 'not called'}: the audit's time budget (audit:TimeBudget) ran out at ${new Date(deadline).toISOString()}`,
    );
    this.name = 'DeadlineExceeded';
  }
}

export class AuditDeadline {
  /** Attempts refused because the deadline had passed. */
  refused = 0;
  /** Attempts in flight when the deadline passed, aborted. */
  aborted = 0;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    readonly deadline: number,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setTimeout(() => this.controller.abort(), Math.max(0, deadline - now()));
    // Never keeps the process alive on its own; dispose() clears it when the audit ends first.
    this.timer.unref();
  }

  /** Fires at the deadline: every request still in flight is aborted. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  passed(): boolean {
    return this.now() >= this.deadline;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  plugin(): AnyPlugin {
    return {
      applyToStack: (stack) => {
        // biome-ignore lint/suspicious/noExplicitAny: agnostic of each service's command types
        const deadlineMiddleware: FinalizeRequestMiddleware<any, any> = (next) => async (args) => {
          if (this.passed()) {
            this.refused += 1;
            throw new DeadlineExceededError(this.deadline);
          }
          try {
            return await next(args);
          } catch (error) {
            if (!this.signal.aborted || (error as Error | undefined)?.name !== 'AbortError') throw error;
            this.aborted += 1;
            throw new DeadlineExceededError(this.deadline, true);
          }
        };
        stack.addRelativeTo(deadlineMiddleware, {
          name: 'auditDeadlineMiddleware',
          relation: 'after',
          toMiddleware: 'retryMiddleware',
          override: true,
        });
      },
    };
  }
}
