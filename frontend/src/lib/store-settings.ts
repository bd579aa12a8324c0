// Installation settings every screen needs to present data (the store's time zone).
import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { request } from './graphql-client';

const StoreSettingsQuery = graphql(`
  query StoreSettings {
    store {
      timeZone
    }
  }
`);

/** Query keys of the installation settings. */
export const storeKeys = {
  settings: ['store', 'settings'] as const,
};

/** The store's IANA time zone; times are shown in it. */
export function useStoreTimeZone() {
  return useQuery({
    queryKey: storeKeys.settings,
    queryFn: ({ signal }) => request(StoreSettingsQuery, {}, signal),
    select: (data) => data.store.timeZone,
    staleTime: Infinity,
  });
}
