// Entry of the GraphiQL page (graphiql.html, served by the Go server at
// /graphiql): the GraphiQL IDE against this server's /graphql, bundled from
// npm with its Monaco editor workers (no CDN). The server serves this page
// only after sign-in; a session that ends meanwhile leads back to sign-in.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { paths } from '@/config/paths';
import { signInPath } from '@/features/auth/utils/next-path';

const fetcher = createGraphiQLFetcher({
  url: new URL('/graphql', window.location.href).toString(),
  // A session that ended (HTTP 401): sign in again, then come back here.
  fetch: async (input, init) => {
    const response = await globalThis.fetch(input, init);
    if (response.status === 401) window.location.assign(signInPath(paths.graphiql));
    return response;
  },
});

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} />
  </StrictMode>,
);
