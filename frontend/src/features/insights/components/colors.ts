// The colours of the compared segments: outlines with at least 3:1 contrast
// against white (WCAG 1.4.11), fills light enough for dark count labels.
export const SEGMENT_COLORS = ['#1864ab', '#c2255c', '#2b8a3e'] as const;
