// GraphQL Code Generator: typed documents for every query in frontend/src.
// Run from the repository root with `npm run codegen`; the output in
// frontend/src/gql/ is committed and must be regenerated after changing a
// query or schema.graphql.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['frontend/src/**/*.{ts,tsx}', '!frontend/src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'frontend/src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Time: 'string' },
        strictScalars: true,
        avoidOptionals: false,
      },
    },
  },
};

export default config;
