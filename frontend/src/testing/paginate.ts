// Cursor paging over an in-memory list, as the server pages connections
// (cursor = "cursor:<id>"), so the fakes in tests answer like the real API.
import { connection } from './mock-api';

export function paginate<T extends { id: string }>(all: T[], variables: Record<string, unknown>) {
  const first = variables.first as number | undefined;
  const last = variables.last as number | undefined;
  const after = variables.after as string | undefined;
  const before = variables.before as string | undefined;
  const indexOf = (cursor: string) => all.findIndex((node) => `cursor:${node.id}` === cursor);

  let start = 0;
  let end = all.length;
  if (after) start = indexOf(after) + 1;
  if (before) end = indexOf(before);
  if (first !== undefined) end = Math.min(end, start + first);
  else if (last !== undefined) start = Math.max(start, end - last);

  return connection(all.slice(start, end), { hasPreviousPage: start > 0, hasNextPage: end < all.length }, all.length);
}
