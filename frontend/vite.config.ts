// Vite config for the SPA (index.html) and the GraphiQL page (graphiql.html),
// and Vitest's config for the component tests. Run from the repository root:
// `npm run dev|build|test` pass `--config frontend/vite.config.ts`.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('./dist', import.meta.url));
const goServer = 'http://127.0.0.1:8080';

// The build empties dist/; put back the committed placeholder that lets the
// Go embed (frontend/embed.go) compile before any build has run.
function keepDistPlaceholder(): Plugin {
  return {
    name: 'keep-dist-placeholder',
    apply: 'build',
    closeBundle() {
      writeFileSync(`${outDir}/.keep`, '');
    },
  };
}

export default defineConfig({
  root,
  // Keep Vite's and Vitest's caches in the root node_modules (git-ignored).
  cacheDir: fileURLToPath(new URL('../node_modules/.vite', import.meta.url)),
  plugins: [react(), keepDistPlaceholder()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir,
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        graphiql: fileURLToPath(new URL('./graphiql.html', import.meta.url)),
      },
      onwarn(warning, defaultHandler) {
        // GraphiQL's packages carry React Compiler "use no memo" directives,
        // which bundling drops harmlessly; don't flood the build log with them.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.id?.includes('node_modules')) return;
        defaultHandler(warning);
      },
    },
    // Monaco, the editor of the GraphiQL page only, is one ~2.8 MB chunk; the
    // SPA's own chunks stay far below this.
    chunkSizeWarningLimit: 3000,
  },
  // Monaco's workers (GraphiQL's editor) are ES modules.
  worker: { format: 'es' },
  optimizeDeps: {
    // These modules import Monaco's workers with `?worker`, which only Vite's
    // own worker plugin understands, not the dev server's dependency bundler.
    // (In `npm run dev` Monaco then runs its workers on the main thread, with
    // a console warning; the built /graphiql page has real workers.)
    exclude: ['graphiql/setup-workers/vite', '@graphiql/react/setup-workers/vite'],
  },
  server: {
    proxy: {
      '/graphql': goServer,
      // Sign-in, sign-out and the session check (the cookie is this origin's).
      '/auth': goServer,
      // Only /graphiql itself: /graphiql.html is this dev server's own page.
      '^/graphiql$': goServer,
      '/exports': goServer,
      '/healthz': goServer,
    },
  },
  test: {
    root,
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    testTimeout: 30_000,
    // Every core: by default Vitest leaves one free, which on a 2-core CI
    // machine runs the files one at a time (225 s against 155 s).
    maxWorkers: '100%',
  },
});
