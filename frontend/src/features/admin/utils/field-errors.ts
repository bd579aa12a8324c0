// Puts the server's refusal next to the field it is about. The account API
// answers BAD_USER_INPUT with a message naming what is wrong ("email …",
// "password has 5 characters …", "a token named "x" exists", "website 9 does
// not exist"); the message goes to that field, or above the form when it
// names none.
import { toApiError } from '@/lib/graphql-client';

const fieldPatterns: [RegExp, string][] = [
  [/\bemail\b|a user with email/i, 'email'],
  [/password/i, 'password'],
  [/token name|a token named|needs a name/i, 'name'],
  [/expir/i, 'expiresAt'],
  [/website/i, 'websiteIds'],
  [/\brole\b|grant|above/i, 'role'],
];

/** The form field a refusal is about (one of `fields`), if any, and the message. */
export function fieldError(error: unknown, fields: readonly string[]): { field?: string; message: string } {
  const apiError = toApiError(error);
  const message = apiError.messages.join(' ');
  if (apiError.code === 'BAD_USER_INPUT' || apiError.code === 'FORBIDDEN') {
    for (const [pattern, field] of fieldPatterns) {
      if (fields.includes(field) && pattern.test(message)) return { field, message };
    }
  }
  return { message };
}

/** Shows a refusal at its field of `form`, else through `setFormError`. */
export function showRefusal(
  error: unknown,
  fields: readonly string[],
  form: { setFieldError: (field: string, message: string) => void },
  setFormError: (message: string) => void,
) {
  const { field, message } = fieldError(error, fields);
  if (field) form.setFieldError(field, message);
  else setFormError(message);
}
