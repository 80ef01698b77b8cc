/**
 * Turns an AWS SDK failure into the CollectionError a check reports (ERROR, naming the action),
 * so one unreadable resource never stops the audit and never reads as a pass.
 */
import { type Collected, type CollectionError, collected, failed } from '../domain/types';

export function toCollectionError(action: string, error: unknown): CollectionError {
  if (error instanceof Error) {
    const code = errorCode(error);
    return { action, code, message: error.message || code };
  }
  return { action, code: 'Error', message: String(error) };
}

/**
 * The error's AWS code (the SDK sets `name` to it), or Node's system error code (`ECONNRESET`)
 * for a connection that failed before AWS could answer.
 */
export function errorCode(error: unknown): string {
  if (!(error instanceof Error)) return 'Error';
  const { Code, code } = error as { Code?: string; code?: unknown };
  if (Code) return Code;
  if (error.name && error.name !== 'Error') return error.name;
  return typeof code === 'string' && code ? code : 'Error';
}

/** Runs one read; a thrown SDK error becomes `failed({ action, code, message })`. */
export async function attempt<T>(action: string, read: () => Promise<T>): Promise<Collected<T>> {
  try {
    return collected(await read());
  } catch (error) {
    return failed(toCollectionError(action, error));
  }
}

/** A resource that a batched describe call did not return. */
export function notFound(action: string, what: string): CollectionError {
  return { action, code: 'NotFound', message: `${what} was not returned by ${action}` };
}

/** Whether an error carries an AWS code, whatever the SDK's `Exception` suffix on the class name. */
export const hasErrorCode = (error: unknown, code: string): boolean =>
  errorCode(error).replace(/Exception$/, '') === code.replace(/Exception$/, '');
