/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Narrows the audit log: an event must match every field set; omitted fields do not filter. */
export type AuditFilter = {
  /** Only these actions (any of them), such as segment_deleted. */
  actions?: Array<string> | null | undefined;
  /** Only events at or after this time. */
  from?: string | null | undefined;
  /** Only this principal, as AuditEvent.principal writes it ("user:7"). */
  principal?: string | null | undefined;
  /** Only events before this time. */
  to?: string | null | undefined;
};

/**
 * A group of conditions: "if ALL / ANY of these conditions are TRUE / FALSE". ALL+true: every
 * condition holds; ANY+true: at least one holds; ALL+false: none holds; ANY+false: at least one does
 * not hold. An empty group, of any match and expect, holds for every customer.
 */
export type ConditionGroupInput = {
  /** The group's conditions, in order; their paths are conditions[0], conditions[1], ... */
  conditions: Array<ConditionInput>;
  /** The value the conditions must have: true (TRUE) or false (FALSE). */
  expect?: boolean | null | undefined;
  /** Whether every condition (ALL) or at least one (ANY) must have the expected value. */
  match?: Match | null | undefined;
};

/** One condition of a group: set exactly one field. */
export type ConditionInput =
  {   /** A test of one customer attribute. */
  customer: CustomerConditionInput; group?: never; orders?: never; }
  |  { customer?: never;   /** A nested group; its conditions' paths continue this one's, as in conditions[1].conditions[0]. */
  group: ConditionGroupInput; orders?: never; }
  |  { customer?: never; group?: never;   /** A test of one measure over the customer's orders. */
  orders: OrderConditionInput; };

/** A new API token. */
export type CreateApiTokenInput = {
  /** When it stops working; omitted: never. */
  expiresAt?: string | null | undefined;
  /** Its name, for people: what it is for. */
  name: string;
  /** The token's role; not above the caller's own. */
  role: Role;
  /** Limit the token to these websites; omitted or empty: every website (only for a caller who sees every website). */
  websiteIds?: Array<string | number> | null | undefined;
};

/** A new user. */
export type CreateUserInput = {
  /** The email address the user signs in with; unique, ignoring case. */
  email: string;
  /**
   * The password the user first signs in with, chosen by the admin and passed on to the user, who
   * is asked to change it (mustChangePassword) with changePassword.
   */
  password: string;
  /** The user's role; not above the caller's own. */
  role: Role;
  /** Limit the user to these websites; omitted or empty: every website (only for a caller who sees every website). */
  websiteIds?: Array<string | number> | null | undefined;
};

/** CSV field separator; SEMICOLON suits Excel in locales with a decimal comma (Nordic, German). */
export type CsvDelimiter =
  /** Fields separated by , */
  | 'COMMA'
  /** Fields separated by ; */
  | 'SEMICOLON';

/**
 * A test of one customer attribute. Which operators apply, and the values' format, depend on the
 * field (see CustomerField and Operator); values are checked and stored in canonical form when the
 * segment is saved.
 */
export type CustomerConditionInput = {
  /** The attribute tested. */
  field: CustomerField;
  /** How it is compared with the values; it must apply to the field. */
  operator: Operator;
  /** The values, as text, as many as the operator takes (none for IS_EMPTY, two for BETWEEN, 1 to 1000 for IN and NOT_IN), each at most 255 characters. */
  values: Array<string>;
};

/**
 * A customer attribute a condition tests. Text fields take EQ, NEQ, CONTAINS, NOT_CONTAINS,
 * STARTS_WITH, IN, NOT_IN, IS_EMPTY, IS_NOT_EMPTY, comparing ignoring case; their values are kept as
 * given and must not be empty. Code fields take EQ, NEQ, IN, NOT_IN, IS_EMPTY, IS_NOT_EMPTY. The date
 * and number fields take EQ, NEQ, GT, GTE, LT, LTE, BETWEEN. Address fields are the default billing
 * address's.
 */
export type CustomerField =
  /** Text: the city. */
  | 'CITY'
  /** Code: an ISO 3166-1 alpha-2 country code such as SE, any case (stored upper case); unknown codes are rejected. */
  | 'COUNTRY'
  /** Date: the sign-up day in the store's time zone; values YYYY-MM-DD. */
  | 'CUSTOMER_SINCE'
  /** Number: whole days from the sign-up day to today, in the store's time zone; values whole numbers such as 30. */
  | 'DAYS_SINCE_SIGNUP'
  /** Text: the email address. */
  | 'EMAIL'
  /** Text: the first name. */
  | 'FIRST_NAME'
  /** Code: a CustomerGroup.code, any case (stored lower case); unknown codes are rejected. */
  | 'GROUP'
  /** Text: the last name. */
  | 'LAST_NAME'
  /** Text: the phone number. */
  | 'PHONE'
  /** Text: the state or province. */
  | 'REGION'
  /** Code: a Website.code, any case (stored lower case); unknown codes are rejected. */
  | 'WEBSITE'
  /** Text: the postal code. */
  | 'ZIP';

/**
 * Narrows a customer listing: a customer must match every field set; omitted or empty fields do not
 * filter. Text filters match when the column contains the text, ignoring case, literally. An
 * ANALYST may filter only by websiteIds, groupIds and countryCodes (a filter on a person's name or
 * email with a count would tell whether that person is a member); the other fields need VIEWER.
 */
export type CustomerFilter = {
  /** In any of these countries: ISO 3166-1 alpha-2 codes, any case. */
  countryCodes?: Array<string> | null | undefined;
  /** Signed up at or after this time (inclusive). */
  customerSinceFrom?: string | null | undefined;
  /** Signed up at or before this time (inclusive); not before customerSinceFrom. */
  customerSinceTo?: string | null | undefined;
  /** Email contains this text. */
  email?: string | null | undefined;
  /** In any of these customer groups. */
  groupIds?: Array<string | number> | null | undefined;
  /** Only these customers. */
  ids?: Array<string | number> | null | undefined;
  /** Full name (first name, a space, last name) contains this text. */
  name?: string | null | undefined;
  /** Phone contains this text. */
  phone?: string | null | undefined;
  /** State or province contains this text. */
  region?: string | null | undefined;
  /** On any of these websites. */
  websiteIds?: Array<string | number> | null | undefined;
  /** Postal code contains this text. */
  zip?: string | null | undefined;
};

/** A sort of a customer listing; ties break by id. */
export type CustomerOrder = {
  /** The direction. */
  direction?: SortDirection | null | undefined;
  /** The column. */
  field: CustomerOrderField;
};

/** A column a customer listing sorts by; text sorts in Unicode (ICU root) order. */
export type CustomerOrderField =
  /** The country code. */
  | 'COUNTRY'
  /** The sign-up time. */
  | 'CUSTOMER_SINCE'
  /** The email address. */
  | 'EMAIL'
  /** The group's name. */
  | 'GROUP'
  /** The id. */
  | 'ID'
  /** Last name, then first name. */
  | 'NAME'
  /** The phone number. */
  | 'PHONE'
  /** The state or province. */
  | 'REGION'
  /** The postal code. */
  | 'ZIP';

/** The file type of an export. */
export type ExportFormat =
  /** Comma- (or semicolon-) separated values, UTF-8 with a byte order mark, one header row. */
  | 'CSV'
  /** Excel 2003 XML Spreadsheet (.xml), which Excel and LibreOffice open as a workbook. */
  | 'EXCEL_XML';

/** What to export: the rows segmentCustomers lists for the same segmentIds, mode, excludeSegmentIds, filter and orderBy, every page. */
export type ExportInput = {
  /** The CSV field separator; ignored for EXCEL_XML. */
  csvDelimiter?: CsvDelimiter | null | undefined;
  /** Leave out customers in any of these segments (0 to 100 ids; none of them in segmentIds, else BAD_USER_INPUT). */
  excludeSegmentIds?: Array<string | number> | null | undefined;
  /** Only customers matching every field set here; omitted fields do not filter. */
  filter?: CustomerFilter | null | undefined;
  /** The file type. */
  format: ExportFormat;
  /** How several segments combine; ignored for one. */
  mode?: SegmentSetMode | null | undefined;
  /** The row order; default by id, ascending. */
  orderBy?: CustomerOrder | null | undefined;
  /** The segments to combine: 1 to 100 ids, inactive segments included. */
  segmentIds: Array<string | number>;
};

/** Where a background job (a refresh or an export) is in its life. */
export type JobState =
  /** Given up; error says why. */
  | 'FAILED'
  /** Waiting for a worker. */
  | 'QUEUED'
  /** Being worked on. */
  | 'RUNNING'
  /** Done; the result is in place. */
  | 'SUCCEEDED';

/** How a group combines its conditions. */
export type Match =
  /** Every condition must have the expected value. */
  | 'ALL'
  /** At least one condition must have the expected value. */
  | 'ANY';

/**
 * How a condition compares its field or measure with its values. Every condition is true or false
 * for every customer, never unknown. Empty means null, or only spaces, for text and codes: NEQ, NOT_IN
 * and NOT_CONTAINS hold for empty text and codes, no other operator does except IS_EMPTY; on an empty
 * date or number nothing holds, NEQ included. Text compares ignoring case, Unicode-aware (Å = å).
 */
export type Operator =
  /** Between two values, low then high, both included; low above high is rejected. Dates, numbers and order measures. */
  | 'BETWEEN'
  /** Contains the one value, literally (% and _ match themselves). Text fields. */
  | 'CONTAINS'
  /** Equals the one value. Every field and measure. */
  | 'EQ'
  /** Greater than the one value. Dates, numbers and order measures. */
  | 'GT'
  /** Greater than or equal to the one value. Dates, numbers and order measures. */
  | 'GTE'
  /** Equals any of the values (1 to 10,000). Text and code fields. */
  | 'IN'
  /** Is empty; takes no values. Text and code fields. */
  | 'IS_EMPTY'
  /** Is not empty; takes no values. Text and code fields. */
  | 'IS_NOT_EMPTY'
  /** Less than the one value. Dates, numbers and order measures. */
  | 'LT'
  /** Less than or equal to the one value. Dates, numbers and order measures. */
  | 'LTE'
  /** Differs from the one value. Every field and measure. */
  | 'NEQ'
  /** Does not contain the one value, literally. Text fields. */
  | 'NOT_CONTAINS'
  /** Equals none of the values (1 to 10,000). Text and code fields. */
  | 'NOT_IN'
  /** Starts with the one value, literally. Text fields. */
  | 'STARTS_WITH';

/**
 * A test of one measure over the customer's orders (the counted orders: those within withinDays and
 * in statuses, when set). Operators: EQ, NEQ, GT, GTE, LT, LTE, BETWEEN.
 */
export type OrderConditionInput = {
  /** The measure tested. */
  measure: OrderMeasure;
  /** How it is compared with the values: EQ, NEQ, GT, GTE, LT, LTE or BETWEEN. */
  operator: Operator;
  /** Only orders in these statuses (at most 50, each at most 64 characters), ignoring case (stored trimmed, lower case, sorted); omitted or empty counts every status. */
  statuses?: Array<string> | null | undefined;
  /** The values, as text: one, or two for BETWEEN (see OrderMeasure for their format). */
  values: Array<string>;
  /** Only orders placed in the last N days, today included, in the store's time zone (1 to 36500). */
  withinDays?: number | null | undefined;
};

/**
 * A measure over a customer's counted orders (see OrderConditionInput). Operators: EQ, NEQ, GT,
 * GTE, LT, LTE, BETWEEN. Amounts are in the store's base currency (Query.store.baseCurrency); their
 * values are decimals with a dot and no thousands separators, such as 1234.50 (stored as 1234.5).
 */
export type OrderMeasure =
  /** SALES_TOTAL divided by ORDER_COUNT, compared exactly (0 when none); values amounts. */
  | 'AVERAGE_ORDER_VALUE'
  /**
   * Whole days from the last counted order's day to today, in the store's time zone; values whole
   * numbers. A customer without counted orders has none, and then no operator holds, NEQ included.
   */
  | 'DAYS_SINCE_LAST_ORDER'
  /** The number of counted orders (0 when none); values whole numbers. */
  | 'ORDER_COUNT'
  /** The sum of the counted orders' grand totals (0 when none); values amounts. */
  | 'SALES_TOTAL';

/** What a principal (a user or an API token) may do. Each role includes the ones before it. */
export type Role =
  /** Also manages users and API tokens and reads the audit log. */
  | 'ADMIN'
  /** Segments, their counts, rules and refresh history, and combined counts (totalCount); no customer rows, no exports. */
  | 'ANALYST'
  /** Also creates, changes, deletes, activates, refreshes and exports segments. */
  | 'EDITOR'
  /** Also customer rows (drill-down nodes and edges) and filters that could single out a person. */
  | 'VIEWER';

/** Narrows the segment list: a segment must match every field set; omitted or empty fields do not filter. */
export type SegmentFilter = {
  /** Only segments with at most this many members (inclusive); not below customerCountMin. */
  customerCountMax?: number | null | undefined;
  /** Only segments with at least this many members (inclusive). */
  customerCountMin?: number | null | undefined;
  /** Only ids at most this (inclusive); not below idMin. */
  idMax?: number | null | undefined;
  /** Only ids at least this (inclusive). */
  idMin?: number | null | undefined;
  /** Only these segments. */
  ids?: Array<string | number> | null | undefined;
  /** Name contains this text, ignoring case. */
  name?: string | null | undefined;
  /** Only segments in this status. */
  status?: SegmentStatus | null | undefined;
  /** Segments on any of these websites. */
  websiteIds?: Array<string | number> | null | undefined;
};

/** A segment's whole editable definition. */
export type SegmentInput = {
  /**
   * The rule: its root group. At most 5 levels of groups (the root is level 1), 200 customer and
   * order conditions, 200 groups below the root and 10000 values and statuses in all.
   */
  conditions: ConditionGroupInput;
  /** Free text for people, at most 2000 characters; trimmed, and blank means none. */
  description?: string | null | undefined;
  /** The segment's name: 1 to 255 characters after trimming spaces; need not be unique. */
  name: string;
  /** ACTIVE segments are refreshed by the schedule and by a refresh of every segment. */
  status?: SegmentStatus | null | undefined;
  /** The websites whose customers the segment selects (at least one; duplicates ignored). */
  websiteIds: Array<string | number>;
};

/** A sort of the segment list; ties break by id. */
export type SegmentOrder = {
  /** The direction. */
  direction?: SortDirection | null | undefined;
  /** The column. */
  field: SegmentOrderField;
};

/** A column the segment list sorts by; text sorts in Unicode (ICU root) order. */
export type SegmentOrderField =
  /** Members at the last refresh. */
  | 'CUSTOMER_COUNT'
  /** The id. */
  | 'ID'
  /** The name. */
  | 'NAME'
  /** When membership was last refreshed; never-refreshed segments count as empty. */
  | 'REFRESHED_AT'
  /** Active before inactive, ascending. */
  | 'STATUS'
  /** The segment's first website code. */
  | 'WEBSITE';

/**
 * Changes to a segment (updateSegment): omitted fields are kept, and the fields given are checked
 * as in SegmentInput. description: null clears the description; null for any other field is
 * BAD_USER_INPUT (with extensions.field).
 */
export type SegmentPatch = {
  /** The new rule (its root group), limited as in SegmentInput; a different rule makes membership stale. */
  conditions?: ConditionGroupInput | null | undefined;
  /** The new description, at most 2000 characters; trimmed, and null or blank clears it. */
  description?: string | null | undefined;
  /** The new name: 1 to 255 characters after trimming spaces. */
  name?: string | null | undefined;
  /** The new status; a status change alone leaves membership as it is. */
  status?: SegmentStatus | null | undefined;
  /** The new websites (at least one; duplicates ignored); a different set makes membership stale. */
  websiteIds?: Array<string | number> | null | undefined;
};

/** How several segments combine in a drill-down. */
export type SegmentSetMode =
  /** Customers in every one of the segments. */
  | 'INTERSECTION'
  /** Customers in any of the segments. */
  | 'UNION';

/** Whether a segment takes part in the refresh of every segment. */
export type SegmentStatus =
  /** Refreshed by the schedule and by a refresh of every segment. */
  | 'ACTIVE'
  /** Left out of the schedule and of a refresh of every segment; keeps its last membership, can be drilled into and refreshed by id. */
  | 'INACTIVE';

/** The direction of a sort. Ties always break by id in the same direction, so pages never overlap. */
export type SortDirection =
  /** Smallest first; empty values (null) last. */
  | 'ASC'
  /** Largest first; empty values (null) first. */
  | 'DESC';

/** Changes to a user; omitted fields are kept. */
export type UpdateUserInput = {
  /** Disable (true) or enable (false) signing in. */
  disabled?: boolean | null | undefined;
  /** A new password (a reset by the admin, passed on to the user, who is asked to change it). */
  password?: string | null | undefined;
  /** The new role; not above the caller's own. */
  role?: Role | null | undefined;
  /** The new websites; an empty list means every website (only for a caller who sees every website). */
  websiteIds?: Array<string | number> | null | undefined;
};

export type AdminUsersQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AdminUsersQuery = { users: { pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, email: string, role: Role, disabled: boolean, mustChangePassword: boolean, createdAt: string, createdBy: string, websites: Array<{ id: string, name: string }> }> } };

export type AdminWebsitesQueryVariables = Exact<{ [key: string]: never; }>;


export type AdminWebsitesQuery = { websites: Array<{ id: string, name: string }> };

export type AdminCreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type AdminCreateUserMutation = { createUser: { id: string, email: string } };

export type AdminUpdateUserMutationVariables = Exact<{
  id: string | number;
  input: UpdateUserInput;
}>;


export type AdminUpdateUserMutation = { updateUser: { id: string, role: Role, disabled: boolean } };

export type AdminApiTokensQueryVariables = Exact<{
  includeRevoked?: boolean | null | undefined;
}>;


export type AdminApiTokensQuery = { apiTokens: Array<{ id: string, name: string, role: Role, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, revokedAt: string | null, createdBy: string, websites: Array<{ id: string, name: string }> }> };

export type AdminCreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type AdminCreateApiTokenMutation = { createApiToken: { secret: string, token: { id: string, name: string } } };

export type AdminRevokeApiTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type AdminRevokeApiTokenMutation = { revokeApiToken: { id: string, revokedAt: string | null } };

export type AdminAuditEventsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: AuditFilter | null | undefined;
}>;


export type AdminAuditEventsQuery = { auditEvents: { pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, at: string, principal: string, principalName: string, action: string, subjectIds: Array<string>, details: string, clientAddress: string }> } };

export type ChangePasswordMutationVariables = Exact<{
  current: string;
  new: string;
}>;


export type ChangePasswordMutation = { changePassword: boolean };

export type SegmentOverlapQueryVariables = Exact<{
  segmentIds: Array<string | number> | string | number;
}>;


export type SegmentOverlapQuery = { segmentOverlap: { unionCount: number, intersectionCount: number, segments: Array<{ id: string, name: string }>, pairs: Array<{ segmentIds: Array<string>, intersectionCount: number, unionCount: number }>, regions: Array<{ segmentIds: Array<string>, excludedSegmentIds: Array<string>, customerCount: number }> } };

export type ExportJobFieldsFragment = { id: string, state: JobState, format: ExportFormat, rowsWritten: number, rowCount: number | null, fileName: string | null, url: string | null, expiresAt: string | null, error: string | null };

export type ExportSegmentCustomersMutationVariables = Exact<{
  input: ExportInput;
}>;


export type ExportSegmentCustomersMutation = { exportSegmentCustomers: { id: string, state: JobState, format: ExportFormat, rowsWritten: number, rowCount: number | null, fileName: string | null, url: string | null, expiresAt: string | null, error: string | null } };

export type ExportJobQueryVariables = Exact<{
  id: string | number;
}>;


export type ExportJobQuery = { exportJob: { id: string, state: JobState, format: ExportFormat, rowsWritten: number, rowCount: number | null, fileName: string | null, url: string | null, expiresAt: string | null, error: string | null } | null };

export type SegmentCustomersQueryVariables = Exact<{
  segmentIds: Array<string | number> | string | number;
  mode?: SegmentSetMode | null | undefined;
  excludeSegmentIds?: Array<string | number> | string | number | null | undefined;
  filter?: CustomerFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  orderBy?: CustomerOrder | null | undefined;
}>;


export type SegmentCustomersQuery = { segmentCustomers: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, name: string, email: string, phone: string | null, zip: string | null, region: string | null, customerSince: string, group: { id: string, name: string }, country: { code: string, name: string } | null }> } };

export type SegmentCustomerCountQueryVariables = Exact<{
  segmentIds: Array<string | number> | string | number;
  mode?: SegmentSetMode | null | undefined;
  excludeSegmentIds?: Array<string | number> | string | number | null | undefined;
  filter?: CustomerFilter | null | undefined;
}>;


export type SegmentCustomerCountQuery = { segmentCustomers: { totalCount: number } };

export type DrillDownChoicesQueryVariables = Exact<{ [key: string]: never; }>;


export type DrillDownChoicesQuery = { customerGroups: Array<{ id: string, name: string }>, websites: Array<{ id: string, code: string, name: string }> };

export type DrillDownSegmentsQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
  first: number;
  after?: string | null | undefined;
}>;


export type DrillDownSegmentsQuery = { segments: { pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, name: string, status: SegmentStatus, customerCount: number, refreshedAt: string | null, membershipStale: boolean }> } };

type EditorRuleLeaf_ConditionGroup_Fragment = { __typename: 'ConditionGroup' };

type EditorRuleLeaf_CustomerCondition_Fragment = { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> };

type EditorRuleLeaf_OrderCondition_Fragment = { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null };

export type EditorRuleLeafFragment =
  | EditorRuleLeaf_ConditionGroup_Fragment
  | EditorRuleLeaf_CustomerCondition_Fragment
  | EditorRuleLeaf_OrderCondition_Fragment
;

export type EditorRuleLevel5Fragment = { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
    | { __typename: 'ConditionGroup' }
    | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
    | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
  > };

export type EditorRuleLevel4Fragment = { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
    | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
        | { __typename: 'ConditionGroup' }
        | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
        | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
      > }
    | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
    | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
  > };

export type EditorRuleLevel3Fragment = { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
    | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
        | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
            | { __typename: 'ConditionGroup' }
            | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
            | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
          > }
        | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
        | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
      > }
    | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
    | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
  > };

export type EditorRuleLevel2Fragment = { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
    | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
        | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
            | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
                | { __typename: 'ConditionGroup' }
                | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
                | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
              > }
            | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
            | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
          > }
        | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
        | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
      > }
    | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
    | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
  > };

export type EditorRuleFragment = { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
    | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
        | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
            | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
                | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
                    | { __typename: 'ConditionGroup' }
                    | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
                    | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
                  > }
                | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
                | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
              > }
            | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
            | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
          > }
        | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
        | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
      > }
    | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
    | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
  > };

export type SegmentDetailsQueryVariables = Exact<{
  id: string | number;
}>;


export type SegmentDetailsQuery = { segment: { id: string, name: string, description: string | null, status: SegmentStatus, customerCount: number, refreshedAt: string | null, membershipStale: boolean, websites: Array<{ id: string, code: string, name: string }>, conditions: { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
        | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
            | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
                | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
                    | { __typename: 'ConditionGroup', match: Match, expect: boolean, conditions: Array<
                        | { __typename: 'ConditionGroup' }
                        | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
                        | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
                      > }
                    | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
                    | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
                  > }
                | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
                | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
              > }
            | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
            | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
          > }
        | { __typename: 'CustomerCondition', field: CustomerField, operator: Operator, values: Array<string> }
        | { __typename: 'OrderCondition', measure: OrderMeasure, operator: Operator, values: Array<string>, withinDays: number | null, statuses: Array<string> | null }
      > }, refreshHistory: Array<{ finishedAt: string, customerCount: number, added: number, removed: number }> } | null };

export type EditorListsQueryVariables = Exact<{ [key: string]: never; }>;


export type EditorListsQuery = { websites: Array<{ id: string, code: string, name: string }>, customerGroups: Array<{ id: string, code: string, name: string }>, store: { timeZone: string, baseCurrency: string } };

export type PreviewSegmentCountQueryVariables = Exact<{
  websiteIds: Array<string | number> | string | number;
  conditions: ConditionGroupInput;
}>;


export type PreviewSegmentCountQuery = { previewSegmentCount: number };

export type CreateSegmentMutationVariables = Exact<{
  input: SegmentInput;
}>;


export type CreateSegmentMutation = { createSegment: { id: string } };

export type UpdateSegmentMutationVariables = Exact<{
  id: string | number;
  input: SegmentPatch;
}>;


export type UpdateSegmentMutation = { updateSegment: { id: string } };

export type SegmentsGridQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  filter?: SegmentFilter | null | undefined;
  orderBy?: SegmentOrder | null | undefined;
}>;


export type SegmentsGridQuery = { segments: { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, nodes: Array<{ id: string, name: string, status: SegmentStatus, customerCount: number, refreshedAt: string | null, membershipStale: boolean, websites: Array<{ id: string, name: string }> }> } };

export type SegmentIdsQueryVariables = Exact<{
  filter?: SegmentFilter | null | undefined;
}>;


export type SegmentIdsQuery = { segmentIds: Array<string> };

export type SegmentNamesQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
  first: number;
}>;


export type SegmentNamesQuery = { segments: { nodes: Array<{ id: string, name: string }> } };

export type WebsitesQueryVariables = Exact<{ [key: string]: never; }>;


export type WebsitesQuery = { websites: Array<{ id: string, code: string, name: string }> };

export type RefreshJobFieldsFragment = { id: string, state: JobState, segmentsDone: number, segmentsTotal: number, error: string | null, full: boolean };

export type RefreshSegmentDataMutationVariables = Exact<{
  segmentIds?: Array<string | number> | string | number | null | undefined;
  full?: boolean | null | undefined;
}>;


export type RefreshSegmentDataMutation = { refreshSegmentData: { id: string, state: JobState, segmentsDone: number, segmentsTotal: number, error: string | null, full: boolean } };

export type RefreshJobQueryVariables = Exact<{
  id: string | number;
}>;


export type RefreshJobQuery = { refreshJob: { id: string, state: JobState, segmentsDone: number, segmentsTotal: number, error: string | null, full: boolean } | null };

export type SetSegmentStatusMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
  status: SegmentStatus;
}>;


export type SetSegmentStatusMutation = { setSegmentStatus: Array<{ id: string, status: SegmentStatus }> };

export type DeleteSegmentsMutationVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type DeleteSegmentsMutation = { deleteSegments: Array<string> };

export type PageInfoFieldsFragment = { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null };

export type StoreSettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type StoreSettingsQuery = { store: { timeZone: string } };

export const ExportJobFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"rowsWritten"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportJobFieldsFragment, unknown>;
export const EditorRuleLeafFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLeaf"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Condition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OrderCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"withinDays"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"}}]}}]}}]} as unknown as DocumentNode<EditorRuleLeafFragment, unknown>;
export const EditorRuleLevel5FragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel5"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLeaf"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Condition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OrderCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"withinDays"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"}}]}}]}}]} as unknown as DocumentNode<EditorRuleLevel5Fragment, unknown>;
export const EditorRuleLevel4FragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel4"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel5"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLeaf"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Condition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OrderCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"withinDays"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel5"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}}]}}]}}]} as unknown as DocumentNode<EditorRuleLevel4Fragment, unknown>;
export const EditorRuleLevel3FragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel3"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel4"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLeaf"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Condition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OrderCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"withinDays"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel5"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel4"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel5"}}]}}]}}]}}]} as unknown as DocumentNode<EditorRuleLevel3Fragment, unknown>;
export const EditorRuleLevel2FragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel2"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel3"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLeaf"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Condition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OrderCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"withinDays"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel5"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel4"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel5"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel3"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel4"}}]}}]}}]}}]} as unknown as DocumentNode<EditorRuleLevel2Fragment, unknown>;
export const EditorRuleFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRule"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel2"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLeaf"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Condition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OrderCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"withinDays"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel5"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel4"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel5"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel3"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel4"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel2"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel3"}}]}}]}}]}}]} as unknown as DocumentNode<EditorRuleFragment, unknown>;
export const RefreshJobFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RefreshJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RefreshJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"segmentsDone"}},{"kind":"Field","name":{"kind":"Name","value":"segmentsTotal"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"full"}}]}}]} as unknown as DocumentNode<RefreshJobFieldsFragment, unknown>;
export const PageInfoFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<PageInfoFieldsFragment, unknown>;
export const AdminUsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"disabled"}},{"kind":"Field","name":{"kind":"Name","value":"mustChangePassword"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<AdminUsersQuery, AdminUsersQueryVariables>;
export const AdminWebsitesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminWebsites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<AdminWebsitesQuery, AdminWebsitesQueryVariables>;
export const AdminCreateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminCreateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateUserInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<AdminCreateUserMutation, AdminCreateUserMutationVariables>;
export const AdminUpdateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminUpdateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateUserInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"disabled"}}]}}]}}]} as unknown as DocumentNode<AdminUpdateUserMutation, AdminUpdateUserMutationVariables>;
export const AdminApiTokensDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminApiTokens"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"includeRevoked"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiTokens"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"includeRevoked"},"value":{"kind":"Variable","name":{"kind":"Name","value":"includeRevoked"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastUsedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdBy"}}]}}]}}]} as unknown as DocumentNode<AdminApiTokensQuery, AdminApiTokensQueryVariables>;
export const AdminCreateApiTokenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminCreateApiToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateApiTokenInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createApiToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"secret"}}]}}]}}]} as unknown as DocumentNode<AdminCreateApiTokenMutation, AdminCreateApiTokenMutationVariables>;
export const AdminRevokeApiTokenDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdminRevokeApiToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}}]}}]} as unknown as DocumentNode<AdminRevokeApiTokenMutation, AdminRevokeApiTokenMutationVariables>;
export const AdminAuditEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"AdminAuditEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"AuditFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"auditEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"principal"}},{"kind":"Field","name":{"kind":"Name","value":"principalName"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"subjectIds"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"clientAddress"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<AdminAuditEventsQuery, AdminAuditEventsQueryVariables>;
export const ChangePasswordDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ChangePassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"current"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"new"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"changePassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"current"},"value":{"kind":"Variable","name":{"kind":"Name","value":"current"}}},{"kind":"Argument","name":{"kind":"Name","value":"new"},"value":{"kind":"Variable","name":{"kind":"Name","value":"new"}}}]}]}}]} as unknown as DocumentNode<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const SegmentOverlapDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SegmentOverlap"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"segmentIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segmentOverlap"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"segmentIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"segmentIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"unionCount"}},{"kind":"Field","name":{"kind":"Name","value":"intersectionCount"}},{"kind":"Field","name":{"kind":"Name","value":"pairs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segmentIds"}},{"kind":"Field","name":{"kind":"Name","value":"intersectionCount"}},{"kind":"Field","name":{"kind":"Name","value":"unionCount"}}]}},{"kind":"Field","name":{"kind":"Name","value":"regions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segmentIds"}},{"kind":"Field","name":{"kind":"Name","value":"excludedSegmentIds"}},{"kind":"Field","name":{"kind":"Name","value":"customerCount"}}]}}]}}]}}]} as unknown as DocumentNode<SegmentOverlapQuery, SegmentOverlapQueryVariables>;
export const ExportSegmentCustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ExportSegmentCustomers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ExportInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportSegmentCustomers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportJobFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"rowsWritten"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportSegmentCustomersMutation, ExportSegmentCustomersMutationVariables>;
export const ExportJobDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ExportJob"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"exportJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ExportJobFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ExportJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ExportJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"format"}},{"kind":"Field","name":{"kind":"Name","value":"rowsWritten"}},{"kind":"Field","name":{"kind":"Name","value":"rowCount"}},{"kind":"Field","name":{"kind":"Name","value":"fileName"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]} as unknown as DocumentNode<ExportJobQuery, ExportJobQueryVariables>;
export const SegmentCustomersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SegmentCustomers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"segmentIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mode"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SegmentSetMode"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"excludeSegmentIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segmentCustomers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"segmentIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"segmentIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"mode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mode"}}},{"kind":"Argument","name":{"kind":"Name","value":"excludeSegmentIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"excludeSegmentIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"group"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"zip"}},{"kind":"Field","name":{"kind":"Name","value":"country"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"region"}},{"kind":"Field","name":{"kind":"Name","value":"customerSince"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<SegmentCustomersQuery, SegmentCustomersQueryVariables>;
export const SegmentCustomerCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SegmentCustomerCount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"segmentIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mode"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SegmentSetMode"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"excludeSegmentIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segmentCustomers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"segmentIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"segmentIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"mode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mode"}}},{"kind":"Argument","name":{"kind":"Name","value":"excludeSegmentIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"excludeSegmentIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}}]} as unknown as DocumentNode<SegmentCustomerCountQuery, SegmentCustomerCountQueryVariables>;
export const DrillDownChoicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DrillDownChoices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<DrillDownChoicesQuery, DrillDownChoicesQueryVariables>;
export const DrillDownSegmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DrillDownSegments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"customerCount"}},{"kind":"Field","name":{"kind":"Name","value":"refreshedAt"}},{"kind":"Field","name":{"kind":"Name","value":"membershipStale"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<DrillDownSegmentsQuery, DrillDownSegmentsQueryVariables>;
export const SegmentDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SegmentDetails"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customerCount"}},{"kind":"Field","name":{"kind":"Name","value":"refreshedAt"}},{"kind":"Field","name":{"kind":"Name","value":"membershipStale"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRule"}}]}},{"kind":"Field","name":{"kind":"Name","value":"refreshHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"IntValue","value":"30"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"finishedAt"}},{"kind":"Field","name":{"kind":"Name","value":"customerCount"}},{"kind":"Field","name":{"kind":"Name","value":"added"}},{"kind":"Field","name":{"kind":"Name","value":"removed"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLeaf"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Condition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CustomerCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"OrderCondition"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"measure"}},{"kind":"Field","name":{"kind":"Name","value":"operator"}},{"kind":"Field","name":{"kind":"Name","value":"values"}},{"kind":"Field","name":{"kind":"Name","value":"withinDays"}},{"kind":"Field","name":{"kind":"Name","value":"statuses"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel5"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel4"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel5"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel3"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel4"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRuleLevel2"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel3"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"EditorRule"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"match"}},{"kind":"Field","name":{"kind":"Name","value":"expect"}},{"kind":"Field","name":{"kind":"Name","value":"conditions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLeaf"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroup"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"EditorRuleLevel2"}}]}}]}}]}}]} as unknown as DocumentNode<SegmentDetailsQuery, SegmentDetailsQueryVariables>;
export const EditorListsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EditorLists"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customerGroups"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"store"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"baseCurrency"}}]}}]}}]} as unknown as DocumentNode<EditorListsQuery, EditorListsQueryVariables>;
export const PreviewSegmentCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PreviewSegmentCount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"websiteIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"conditions"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConditionGroupInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previewSegmentCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"websiteIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"websiteIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"conditions"},"value":{"kind":"Variable","name":{"kind":"Name","value":"conditions"}}}]}]}}]} as unknown as DocumentNode<PreviewSegmentCountQuery, PreviewSegmentCountQueryVariables>;
export const CreateSegmentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateSegment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SegmentInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createSegment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<CreateSegmentMutation, CreateSegmentMutationVariables>;
export const UpdateSegmentDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateSegment"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SegmentPatch"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateSegment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<UpdateSegmentMutation, UpdateSegmentMutationVariables>;
export const SegmentsGridDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SegmentsGrid"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SegmentFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SegmentOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"orderBy"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PageInfoFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"customerCount"}},{"kind":"Field","name":{"kind":"Name","value":"refreshedAt"}},{"kind":"Field","name":{"kind":"Name","value":"membershipStale"}},{"kind":"Field","name":{"kind":"Name","value":"websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PageInfoFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"PageInfo"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]} as unknown as DocumentNode<SegmentsGridQuery, SegmentsGridQueryVariables>;
export const SegmentIdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SegmentIds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SegmentFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segmentIds"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}]}]}}]} as unknown as DocumentNode<SegmentIdsQuery, SegmentIdsQueryVariables>;
export const SegmentNamesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SegmentNames"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"segments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"ID"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<SegmentNamesQuery, SegmentNamesQueryVariables>;
export const WebsitesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"websites"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<WebsitesQuery, WebsitesQueryVariables>;
export const RefreshSegmentDataDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefreshSegmentData"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"segmentIds"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"full"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refreshSegmentData"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"segmentIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"segmentIds"}}},{"kind":"Argument","name":{"kind":"Name","value":"full"},"value":{"kind":"Variable","name":{"kind":"Name","value":"full"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RefreshJobFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RefreshJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RefreshJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"segmentsDone"}},{"kind":"Field","name":{"kind":"Name","value":"segmentsTotal"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"full"}}]}}]} as unknown as DocumentNode<RefreshSegmentDataMutation, RefreshSegmentDataMutationVariables>;
export const RefreshJobDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RefreshJob"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"refreshJob"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"RefreshJobFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"RefreshJobFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RefreshJob"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"segmentsDone"}},{"kind":"Field","name":{"kind":"Name","value":"segmentsTotal"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"full"}}]}}]} as unknown as DocumentNode<RefreshJobQuery, RefreshJobQueryVariables>;
export const SetSegmentStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetSegmentStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SegmentStatus"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setSegmentStatus"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}},{"kind":"Argument","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<SetSegmentStatusMutation, SetSegmentStatusMutationVariables>;
export const DeleteSegmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteSegments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteSegments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}]}]}}]} as unknown as DocumentNode<DeleteSegmentsMutation, DeleteSegmentsMutationVariables>;
export const StoreSettingsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StoreSettings"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"store"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"timeZone"}}]}}]}}]} as unknown as DocumentNode<StoreSettingsQuery, StoreSettingsQueryVariables>;