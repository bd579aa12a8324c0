// The grid's selection of segments, kept across pages and sorts
// (Select All / Deselect All / Select Visible / Unselect Visible).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { RowSelectionState } from '@/components/data-grid';
import { fetchAllSegmentIds } from '../api/get-segments';

function byNumericId(a: string, b: string): number {
  return Number(a) - Number(b) || a.localeCompare(b);
}

export function useSegmentSelection() {
  const [selection, setSelection] = useState<RowSelectionState>({});

  const selectAllMutation = useMutation({
    mutationFn: fetchAllSegmentIds,
    onSuccess: (ids) => setSelection(Object.fromEntries(ids.map((id) => [id, true]))),
  });

  const selectedIds = Object.keys(selection)
    .filter((id) => selection[id])
    .sort(byNumericId);

  return {
    /** For the grid's checkbox column. */
    selection,
    setSelection,
    /** Selected ids in ascending numeric order. */
    selectedIds,
    /** Selects every segment, on every page (asks the server for all ids). */
    selectAll: () => selectAllMutation.mutate(),
    selectingAll: selectAllMutation.isPending,
    selectAllError: selectAllMutation.error,
    deselectAll() {
      selectAllMutation.reset();
      setSelection({});
    },
    /** Adds the rows on screen to the selection. */
    selectVisible(ids: readonly string[]) {
      setSelection((old) => ({ ...old, ...Object.fromEntries(ids.map((id) => [id, true])) }));
    },
    /** Removes the rows on screen from the selection, keeping the others. */
    unselectVisible(ids: readonly string[]) {
      setSelection((old) => {
        const next = { ...old };
        for (const id of ids) delete next[id];
        return next;
      });
    },
  };
}
