// The drill-down's filter row: name, email, phone, ZIP and state/province
// (contains, applied after a pause in typing), group, country and website
// (selects), customer since from/to (whole days in the store's time zone).
// It edits the address (see utils/route-params); the screen reads it back.
import { Button, Paper, Select, SimpleGrid, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedCallback } from '@mantine/hooks';
import { memo, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFilterChoices } from '../api/get-segment-customers';
import { countryOptions } from '@/lib/countries';
import {
  type CustomerFilterState,
  emptyFilters,
  hasFilters,
  TEXT_FILTERS,
  type TextFilter,
} from '../utils/route-params';

/** How long typing pauses before a text filter applies. */
export const FILTER_DEBOUNCE_MS = 400;

export interface CustomerFiltersProps {
  filters: CustomerFilterState;
  /** Applies changed fields (the others stay as they are in the address). */
  onChange: (patch: Partial<CustomerFilterState>) => void;
  /** False for a viewer who may not see rows (ANALYST): only group, country and website. */
  rows: boolean;
}

type Drafts = Record<TextFilter, string>;
const draftsOf = (filters: CustomerFilterState): Drafts =>
  Object.fromEntries(TEXT_FILTERS.map((key) => [key, filters[key]])) as Drafts;

/** The filter row; memoized, since the screen re-renders with every page it loads. */
export const CustomerFilters = memo(function CustomerFilters({ filters, onChange, rows }: CustomerFiltersProps) {
  const { t, i18n } = useTranslation('segment-customers');
  const choices = useFilterChoices();
  // Names and order follow the language: computed again when it changes.
  const countries = useMemo(() => countryOptions(), [i18n.language]);
  // The ~250 countries become options when the list opens, not on every render.
  const [countriesOpen, setCountriesOpen] = useState(false);
  const countryData = countriesOpen
    ? countries
    : countries.filter((option) => option.value === filters.countryCode);

  // What is typed shows at once; the address follows after a pause.
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(filters));
  const applied = JSON.stringify(draftsOf(filters));
  useEffect(() => setDrafts(JSON.parse(applied) as Drafts), [applied]);
  const applyText = useDebouncedCallback((key: TextFilter, value: string) => onChange({ [key]: value.trim() }), FILTER_DEBOUNCE_MS);

  const labels: Record<TextFilter, string> = {
    name: t('filter.name'),
    email: t('filter.email'),
    phone: t('filter.phone'),
    zip: t('filter.zip'),
    region: t('filter.region'),
  };

  return (
    <Paper
      withBorder
      p="sm"
      component="form"
      role="search"
      aria-label={t('filter.label')}
      onSubmit={(event) => event.preventDefault()}
    >
      <SimpleGrid cols={{ base: 2, sm: 3, md: 4, lg: 6 }} spacing="xs" verticalSpacing="xs">
        {rows
          ? TEXT_FILTERS.map((key) => (
              <TextInput
                key={key}
                size="xs"
                label={labels[key]}
                value={drafts[key]}
                onChange={(event) => {
                  const value = event.currentTarget.value;
                  setDrafts((previous) => ({ ...previous, [key]: value }));
                  applyText(key, value);
                }}
              />
            ))
          : null}
        <Select
          size="xs"
          label={t('filter.group')}
          placeholder={t('filter.any')}
          clearable
          value={filters.groupId}
          onChange={(value) => onChange({ groupId: value })}
          data={(choices.data?.customerGroups ?? []).map((group) => ({ value: group.id, label: group.name }))}
        />
        <Select
          size="xs"
          label={t('filter.country')}
          placeholder={t('filter.any')}
          searchable
          clearable
          nothingFoundMessage={t('filter.noCountry')}
          value={filters.countryCode}
          onChange={(value) => onChange({ countryCode: value })}
          onDropdownOpen={() => setCountriesOpen(true)}
          onDropdownClose={() => setCountriesOpen(false)}
          data={countryData}
        />
        <Select
          size="xs"
          label={t('filter.website')}
          placeholder={t('filter.any')}
          clearable
          value={filters.websiteId}
          onChange={(value) => onChange({ websiteId: value })}
          data={(choices.data?.websites ?? []).map((website) => ({ value: website.id, label: website.name }))}
        />
        {rows ? (
          <>
            <DatePickerInput
              size="xs"
              label={t('filter.from')}
              valueFormat="YYYY-MM-DD"
              clearable
              value={filters.from}
              maxDate={filters.to ?? undefined}
              onChange={(value) => onChange({ from: value })}
            />
            <DatePickerInput
              size="xs"
              label={t('filter.to')}
              valueFormat="YYYY-MM-DD"
              clearable
              value={filters.to}
              minDate={filters.from ?? undefined}
              onChange={(value) => onChange({ to: value })}
            />
          </>
        ) : null}
      </SimpleGrid>
      {hasFilters(filters) ? (
        <Button size="compact-xs" variant="subtle" mt="xs" onClick={() => onChange(emptyFilters)}>
          {t('filter.clear')}
        </Button>
      ) : null}
    </Paper>
  );
});
