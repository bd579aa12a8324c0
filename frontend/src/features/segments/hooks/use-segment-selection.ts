// The grid's selection of segments: kept across pages, sorts and filters,
// and in sessionStorage (so Back from a drill-down or a segment page brings
// it back). Select All / Deselect All / Select Visible / Unselect Visible.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { RowSelectionState } from '@/components/data-grid';
import type { SegmentFilter } from '@/gql/graphql';
import { fetchSegmentIds } from '../api/get-segments';

/** Where the selection is kept: a JSON array of ids. */
export const SELECTION_STORAGE_KEY = 'segments.report.selection';

function byNumericId(a: string, b: string): number {
  return Number(a) - Number(b) || a.localeCompare(b);
}

/** The stored selection (an empty one when absent or unreadable). */
export function loadSelection(): RowSelectionState {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(SELECTION_STORAGE_KEY) ?? '[]');
    if (!Array.isArray(stored)) return {};
    return Object.fromEntries(stored.filter((id): id is string => typeof id === 'string').map((id) => [id, true]));
  } catch {
    return {};
  }
}

export function selectedIdsOf(selection: RowSelectionState): string[] {
  return Object.keys(selection)
    .filter((id) => selection[id])
    .sort(byNumericId);
}

function saveSelection(ids: readonly string[]) {
  try {
    sessionStorage.setItem(SELECTION_STORAGE_KEY, JSON.stringify(ids));
  } catch {
    /* storage full or unavailable: the selection lives on screen only */
  }
}

const asSelection = (ids: readonly string[]): RowSelectionState => Object.fromEntries(ids.map((id) => [id, true]));

export function useSegmentSelection() {
  const [selection, setSelection] = useState<RowSelectionState>(loadSelection);
  const selectedIds = selectedIdsOf(selection);
  const key = selectedIds.join(',');

  useEffect(() => saveSelection(key ? key.split(',') : []), [key]);

  const selectAllMutation = useMutation({
    mutationFn: fetchSegmentIds,
    onSuccess: (ids) => setSelection(asSelection(ids)),
  });

  function remove(ids: readonly string[]) {
    setSelection((old) => {
      const next = { ...old };
      for (const id of ids) delete next[id];
      return next;
    });
  }

  return {
    /** For the grid's checkbox column. */
    selection,
    setSelection,
    /** Selected ids in ascending numeric order. */
    selectedIds,
    /** Selects exactly the segments matching the filter, on every page (the server lists their ids). */
    selectAll: (filter: SegmentFilter | undefined) => selectAllMutation.mutate(filter),
    selectingAll: selectAllMutation.isPending,
    selectAllError: selectAllMutation.error,
    deselectAll() {
      selectAllMutation.reset();
      setSelection({});
    },
    /** Adds the rows on screen to the selection. */
    selectVisible(ids: readonly string[]) {
      setSelection((old) => ({ ...old, ...asSelection(ids) }));
    },
    /** Removes the rows on screen from the selection, keeping the others. */
    unselectVisible: remove,
    /** Drops ids that are gone (e.g. deleted segments). */
    remove,
  };
}
