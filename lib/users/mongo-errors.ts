import {
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
import { UnavailableError } from '../errors';

/** A write refused by a unique index. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/**
 * Runs a driver call and turns "cannot reach the server" into a 503
 * UnavailableError, so that callers see a domain error, not the driver's.
 */
export async function unlessUnreachable<T>(
  what: string,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (
      error instanceof MongoNetworkError ||
      error instanceof MongoServerSelectionError
    ) {
      throw new UnavailableError(`${what} is unreachable`, { cause: error });
    }
    throw error;
  }
}
