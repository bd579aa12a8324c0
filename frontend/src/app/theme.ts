// The app's Mantine theme: Mantine's defaults with a primary shade dark
// enough for WCAG 2.1 AA text contrast on white, and a visible focus ring
// for keyboard users everywhere.
import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  focusRing: 'auto',
});
