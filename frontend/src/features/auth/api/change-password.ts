// Choosing a new password: the changePassword mutation, then signing in
// again with the new password, because changing it ends every session of
// the user, this one included.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { request } from '@/lib/graphql-client';
import { signIn, SignInError, type Viewer } from './session';
import { beginSession, endSession } from './use-session';

/** The server's rule for a password (server/account MinPasswordChars). */
export const MIN_PASSWORD_CHARS = 12;

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($current: String!, $new: String!) {
    changePassword(current: $current, new: $new)
  }
`);

export interface PasswordChange {
  /** The signed-in user's email, to sign in again with. */
  email: string;
  current: string;
  next: string;
}

/** Changes the password, then signs in again; the result is the new session's viewer. */
export async function changePassword({ email, current, next }: PasswordChange): Promise<Viewer> {
  await request(ChangePasswordMutation, { current, new: next });
  return signIn({ email, password: next });
}

/**
 * Changes the signed-in user's password. On success the new session's
 * viewer becomes the session; when the password changed but signing in
 * again failed, the session has ended and the app shows sign-in.
 */
export function useChangePassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSuccess: (viewer) => beginSession(client, viewer),
    onError: (error) => {
      if (error instanceof SignInError) endSession(client);
    },
  });
}
