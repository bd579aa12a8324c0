// The filter row's inputs: typing is written to the URL after a pause
// (debounced), and a URL change from elsewhere (Clear filters, Back) shows in the input.
import { NativeSelect, NumberInput, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';

/** How long typing pauses before the filter applies. */
export const FILTER_DEBOUNCE_MS = 400;

function useDebouncedValue(value: string, onChange: (value: string) => void) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  const [written, setWritten] = useState(value);
  if (value !== seen) {
    setSeen(value);
    // Not our own write coming back: someone else changed the URL.
    if (value !== written) {
      setText(value);
      setWritten(value);
    }
  }
  const write = useDebouncedCallback((next: string) => {
    setWritten(next);
    onChange(next);
  }, FILTER_DEBOUNCE_MS);
  return {
    text,
    change(next: string) {
      setText(next);
      write(next);
    },
    /** Enter applies the filter at once. */
    onKeyDown(event: { key: string }) {
      if (event.key === 'Enter') write.flush();
    },
  };
}

interface FilterProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  width?: number;
}

export function TextFilter({ label, value, onChange, placeholder, width = 160 }: FilterProps) {
  const input = useDebouncedValue(value, onChange);
  return (
    <TextInput
      size="xs"
      aria-label={label}
      placeholder={placeholder}
      value={input.text}
      onChange={(event) => input.change(event.currentTarget.value)}
      onKeyDown={input.onKeyDown}
      w={width}
    />
  );
}

export function NumberFilter({ label, value, onChange, placeholder, width = 72 }: FilterProps) {
  const input = useDebouncedValue(value, onChange);
  return (
    <NumberInput
      size="xs"
      aria-label={label}
      placeholder={placeholder}
      value={input.text}
      onChange={(next) => input.change(next === '' ? '' : String(next))}
      onKeyDown={input.onKeyDown}
      min={0}
      allowDecimal={false}
      allowNegative={false}
      hideControls
      w={width}
    />
  );
}

export function SelectFilter({
  label,
  value,
  onChange,
  data,
  width = 130,
}: Omit<FilterProps, 'placeholder'> & { data: { value: string; label: string }[] }) {
  return (
    <NativeSelect
      size="xs"
      aria-label={label}
      value={value}
      data={data}
      onChange={(event) => onChange(event.currentTarget.value)}
      w={width}
    />
  );
}
