/**
 * The audit's time budget, enforced on every AWS attempt: once the deadline has passed, no call
 * (and no retry) is sent. The refused call fails like any AWS error, so each collector records it
 * against the fact it was reading and the checks that need that fact report ERROR, never PASS.
 * Enforcing it per attempt (after the retry middleware) rather than between collection phases also
 * stops long paginations and retry back-offs that would otherwise run past the Lambda's timeout.
 */
import type { FinalizeRequestMiddleware } from '@smithy/types';
import type { AnyPlugin } from './clients';

/** Not retryable: the SDK's retry strategy retries `TimeoutError`, not this name. */
export class DeadlineExceededError extends Error {
  constructor(deadline: number) {
    super(
      `not called: the audit's time budget (audit:TimeBudget) ran out at ${new Date(deadline).toISOString()}`,
    );
    this.name = 'DeadlineExceeded';
  }
}

export class AuditDeadline {
  /** Attempts refused because the deadline had passed. */
  refused = 0;

  constructor(
    readonly deadline: number,
    private readonly now: () => number = Date.now,
  ) {}

  passed(): boolean {
    return this.now() >= this.deadline;
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
          return next(args);
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
