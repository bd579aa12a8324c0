export { DataGrid, nextSort } from './data-grid';
export type { DataGridProps, GridSort, RowSelectionState, SortDirection } from './data-grid';
export { GridPager } from './grid-pager';
export type { GridPagerProps } from './grid-pager';
export { ConnectionPager } from './connection-pager';
export type { ConnectionPagerProps } from './connection-pager';
