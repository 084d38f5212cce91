/** A day-2 pull request's reason: free text for the reviewer (escaped where it is shown), bounded. */
import { InputError } from '@backstage/errors';

const MAX_REASON_LENGTH = 2000;

/** The reason, checked (the scaffolder only validated the JSON schema); undefined when none is given. */
export function day2Reason(reason: unknown): string | undefined {
  if (reason === undefined || reason === null || reason === '')
    return undefined;
  if (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH) {
    throw new InputError(
      `reason: must be text of at most ${MAX_REASON_LENGTH} characters`,
    );
  }
  return reason;
}
