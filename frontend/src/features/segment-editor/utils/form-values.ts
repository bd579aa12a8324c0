// The editor form's values, what createSegment and updateSegment get from
// them, and where a rejected save's errors belong.
import type { SegmentInput, SegmentPatch, SegmentStatus } from '@/gql/graphql';
import type { ApiErrorDetail } from '@/lib/graphql-client';
import { fromSaved, newGroup, pathsByKey, toInput, type GroupNode, type SavedGroup } from '../rule/model';

export interface SegmentFormValues {
  name: string;
  description: string;
  status: SegmentStatus;
  websiteIds: string[];
  rule: GroupNode;
}

/** A saved segment, as the details query reads it. */
export interface SavedSegment {
  name: string;
  description?: string | null;
  status: SegmentStatus;
  websites: readonly { id: string }[];
  conditions: SavedGroup;
}

export function emptyValues(): SegmentFormValues {
  return { name: '', description: '', status: 'ACTIVE', websiteIds: [], rule: newGroup() };
}

/** The form of a saved segment; `name` overrides its name (a duplicate's "Copy of …"). */
export function valuesOf(segment: SavedSegment, name = segment.name): SegmentFormValues {
  return {
    name,
    description: segment.description ?? '',
    status: segment.status,
    websiteIds: segment.websites.map((w) => w.id),
    rule: fromSaved(segment.conditions),
  };
}

/** createSegment's input. */
export function toSegmentInput(values: SegmentFormValues): SegmentInput {
  const description = values.description.trim();
  return {
    name: values.name,
    ...(description ? { description } : {}),
    status: values.status,
    websiteIds: values.websiteIds,
    conditions: toInput(values.rule),
  };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * updateSegment's patch: only the fields that differ from the saved ones
 * (renaming sends the name alone, so the rule and membership stay as they
 * are). Empty when nothing changed.
 */
export function toSegmentPatch(initial: SegmentFormValues, values: SegmentFormValues): SegmentPatch {
  const patch: SegmentPatch = {};
  if (values.name !== initial.name) patch.name = values.name;
  if (values.description.trim() !== initial.description.trim()) {
    // null clears the description.
    patch.description = values.description.trim() || null;
  }
  if (values.status !== initial.status) patch.status = values.status;
  if (!sameSet(values.websiteIds, initial.websiteIds)) patch.websiteIds = values.websiteIds;
  const rule = toInput(values.rule);
  if (JSON.stringify(rule) !== JSON.stringify(toInput(initial.rule))) patch.conditions = rule;
  return patch;
}

/** Where the errors of a rejected save go: form fields, conditions (by node key), or the page. */
export interface PlacedErrors {
  fields: Partial<Record<'name' | 'description' | 'status' | 'websiteIds', string>>;
  conditions: Map<string, string[]>;
  other: string[];
}

const formFields = new Set(['name', 'description', 'status', 'websiteIds']);

/**
 * Sorts a save's errors: extensions.condition (a path such as
 * "conditions[1].conditions[0]", "" for the root group) names the condition
 * of the rule as it was sent; extensions.field a form field.
 */
export function placeErrors(details: ApiErrorDetail[], rule: GroupNode): PlacedErrors {
  const keyByPath = new Map([...pathsByKey(rule)].map(([key, path]) => [path, key]));
  const placed: PlacedErrors = { fields: {}, conditions: new Map(), other: [] };
  for (const detail of details) {
    const conditionKey =
      detail.condition !== undefined
        ? keyByPath.get(detail.condition)
        : detail.field === 'conditions'
          ? rule.key
          : undefined;
    if (conditionKey !== undefined) {
      placed.conditions.set(conditionKey, [...(placed.conditions.get(conditionKey) ?? []), detail.message]);
    } else if (detail.field && formFields.has(detail.field)) {
      const field = detail.field as keyof PlacedErrors['fields'];
      placed.fields[field] = placed.fields[field] ? `${placed.fields[field]} ${detail.message}` : detail.message;
    } else {
      placed.other.push(detail.message);
    }
  }
  return placed;
}
