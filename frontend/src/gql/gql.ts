/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AdminUsers($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        email\n        role\n        websites {\n          id\n          name\n        }\n        disabled\n        mustChangePassword\n        createdAt\n        createdBy\n      }\n    }\n  }\n": typeof types.AdminUsersDocument,
    "\n  query AdminWebsites {\n    websites {\n      id\n      name\n    }\n  }\n": typeof types.AdminWebsitesDocument,
    "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n      email\n    }\n  }\n": typeof types.AdminCreateUserDocument,
    "\n  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      disabled\n    }\n  }\n": typeof types.AdminUpdateUserDocument,
    "\n  query AdminApiTokens($includeRevoked: Boolean) {\n    apiTokens(includeRevoked: $includeRevoked) {\n      id\n      name\n      role\n      websites {\n        id\n        name\n      }\n      createdAt\n      lastUsedAt\n      expiresAt\n      revokedAt\n      createdBy\n    }\n  }\n": typeof types.AdminApiTokensDocument,
    "\n  mutation AdminCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token {\n        id\n        name\n      }\n      secret\n    }\n  }\n": typeof types.AdminCreateApiTokenDocument,
    "\n  mutation AdminRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.AdminRevokeApiTokenDocument,
    "\n  query AdminAuditEvents($first: Int, $after: String, $filter: AuditFilter) {\n    auditEvents(first: $first, after: $after, filter: $filter) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        at\n        principal\n        principalName\n        action\n        subjectIds\n        details\n        clientAddress\n      }\n    }\n  }\n": typeof types.AdminAuditEventsDocument,
    "\n  mutation ChangePassword($current: String!, $new: String!) {\n    changePassword(current: $current, new: $new)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query SegmentOverlap($segmentIds: [ID!]!) {\n    segmentOverlap(segmentIds: $segmentIds) {\n      segments {\n        id\n        name\n      }\n      unionCount\n      intersectionCount\n      pairs {\n        segmentIds\n        intersectionCount\n        unionCount\n      }\n      regions {\n        segmentIds\n        excludedSegmentIds\n        customerCount\n      }\n    }\n  }\n": typeof types.SegmentOverlapDocument,
    "\n  fragment ExportJobFields on ExportJob {\n    id\n    state\n    format\n    rowsWritten\n    rowCount\n    fileName\n    url\n    expiresAt\n    error\n  }\n": typeof types.ExportJobFieldsFragmentDoc,
    "\n  mutation ExportSegmentCustomers($input: ExportInput!) {\n    exportSegmentCustomers(input: $input) {\n      ...ExportJobFields\n    }\n  }\n": typeof types.ExportSegmentCustomersDocument,
    "\n  query ExportJob($id: ID!) {\n    exportJob(id: $id) {\n      ...ExportJobFields\n    }\n  }\n": typeof types.ExportJobDocument,
    "\n  query SegmentCustomers(\n    $segmentIds: [ID!]!\n    $mode: SegmentSetMode\n    $excludeSegmentIds: [ID!]\n    $filter: CustomerFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $orderBy: CustomerOrder\n  ) {\n    segmentCustomers(\n      segmentIds: $segmentIds\n      mode: $mode\n      excludeSegmentIds: $excludeSegmentIds\n      filter: $filter\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      orderBy: $orderBy\n    ) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        email\n        group {\n          id\n          name\n        }\n        phone\n        zip\n        country {\n          code\n          name\n        }\n        region\n        customerSince\n      }\n    }\n  }\n": typeof types.SegmentCustomersDocument,
    "\n  query SegmentCustomerCount(\n    $segmentIds: [ID!]!\n    $mode: SegmentSetMode\n    $excludeSegmentIds: [ID!]\n    $filter: CustomerFilter\n  ) {\n    segmentCustomers(segmentIds: $segmentIds, mode: $mode, excludeSegmentIds: $excludeSegmentIds, filter: $filter) {\n      totalCount\n    }\n  }\n": typeof types.SegmentCustomerCountDocument,
    "\n  query DrillDownChoices {\n    customerGroups {\n      id\n      name\n    }\n    websites {\n      id\n      code\n      name\n    }\n  }\n": typeof types.DrillDownChoicesDocument,
    "\n  query DrillDownSegments($ids: [ID!]!, $first: Int!, $after: String) {\n    segments(filter: { ids: $ids }, first: $first, after: $after) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        status\n        customerCount\n        refreshedAt\n        membershipStale\n      }\n    }\n  }\n": typeof types.DrillDownSegmentsDocument,
    "\n  fragment EditorRuleLeaf on Condition {\n    __typename\n    ... on CustomerCondition {\n      field\n      operator\n      values\n    }\n    ... on OrderCondition {\n      measure\n      operator\n      values\n      withinDays\n      statuses\n    }\n  }\n  fragment EditorRuleLevel5 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n    }\n  }\n  fragment EditorRuleLevel4 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel5\n      }\n    }\n  }\n  fragment EditorRuleLevel3 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel4\n      }\n    }\n  }\n  fragment EditorRuleLevel2 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel3\n      }\n    }\n  }\n  fragment EditorRule on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel2\n      }\n    }\n  }\n": typeof types.EditorRuleLeafFragmentDoc,
    "\n  query SegmentDetails($id: ID!) {\n    segment(id: $id) {\n      id\n      name\n      description\n      status\n      websites {\n        id\n        code\n        name\n      }\n      customerCount\n      refreshedAt\n      membershipStale\n      conditions {\n        ...EditorRule\n      }\n      refreshHistory(last: 30) {\n        finishedAt\n        customerCount\n        added\n        removed\n      }\n    }\n  }\n": typeof types.SegmentDetailsDocument,
    "\n  query EditorLists {\n    websites {\n      id\n      code\n      name\n    }\n    customerGroups {\n      id\n      code\n      name\n    }\n    store {\n      timeZone\n      baseCurrency\n    }\n  }\n": typeof types.EditorListsDocument,
    "\n  query PreviewSegmentCount($websiteIds: [ID!]!, $conditions: ConditionGroupInput!) {\n    previewSegmentCount(websiteIds: $websiteIds, conditions: $conditions)\n  }\n": typeof types.PreviewSegmentCountDocument,
    "\n  mutation CreateSegment($input: SegmentInput!) {\n    createSegment(input: $input) {\n      id\n    }\n  }\n": typeof types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: SegmentPatch!) {\n    updateSegment(id: $id, input: $input) {\n      id\n    }\n  }\n": typeof types.UpdateSegmentDocument,
    "\n  query SegmentsGrid(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $filter: SegmentFilter\n    $orderBy: SegmentOrder\n  ) {\n    segments(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        status\n        customerCount\n        refreshedAt\n        membershipStale\n        websites {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.SegmentsGridDocument,
    "\n  query SegmentIds($filter: SegmentFilter) {\n    segmentIds(filter: $filter)\n  }\n": typeof types.SegmentIdsDocument,
    "\n  query SegmentNames($ids: [ID!]!, $first: Int!) {\n    segments(first: $first, filter: { ids: $ids }, orderBy: { field: ID, direction: ASC }) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n": typeof types.SegmentNamesDocument,
    "\n  query Websites {\n    websites {\n      id\n      code\n      name\n    }\n  }\n": typeof types.WebsitesDocument,
    "\n  fragment RefreshJobFields on RefreshJob {\n    id\n    state\n    segmentsDone\n    segmentsTotal\n    error\n    full\n  }\n": typeof types.RefreshJobFieldsFragmentDoc,
    "\n  mutation RefreshSegmentData($segmentIds: [ID!], $full: Boolean) {\n    refreshSegmentData(segmentIds: $segmentIds, full: $full) {\n      ...RefreshJobFields\n    }\n  }\n": typeof types.RefreshSegmentDataDocument,
    "\n  query RefreshJob($id: ID!) {\n    refreshJob(id: $id) {\n      ...RefreshJobFields\n    }\n  }\n": typeof types.RefreshJobDocument,
    "\n  mutation SetSegmentStatus($ids: [ID!]!, $status: SegmentStatus!) {\n    setSegmentStatus(ids: $ids, status: $status) {\n      id\n      status\n    }\n  }\n": typeof types.SetSegmentStatusDocument,
    "\n  mutation DeleteSegments($ids: [ID!]!) {\n    deleteSegments(ids: $ids)\n  }\n": typeof types.DeleteSegmentsDocument,
    "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    hasPreviousPage\n    startCursor\n    endCursor\n  }\n": typeof types.PageInfoFieldsFragmentDoc,
    "\n  query StoreSettings {\n    store {\n      timeZone\n    }\n  }\n": typeof types.StoreSettingsDocument,
};
const documents: Documents = {
    "\n  query AdminUsers($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        email\n        role\n        websites {\n          id\n          name\n        }\n        disabled\n        mustChangePassword\n        createdAt\n        createdBy\n      }\n    }\n  }\n": types.AdminUsersDocument,
    "\n  query AdminWebsites {\n    websites {\n      id\n      name\n    }\n  }\n": types.AdminWebsitesDocument,
    "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n      email\n    }\n  }\n": types.AdminCreateUserDocument,
    "\n  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      disabled\n    }\n  }\n": types.AdminUpdateUserDocument,
    "\n  query AdminApiTokens($includeRevoked: Boolean) {\n    apiTokens(includeRevoked: $includeRevoked) {\n      id\n      name\n      role\n      websites {\n        id\n        name\n      }\n      createdAt\n      lastUsedAt\n      expiresAt\n      revokedAt\n      createdBy\n    }\n  }\n": types.AdminApiTokensDocument,
    "\n  mutation AdminCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token {\n        id\n        name\n      }\n      secret\n    }\n  }\n": types.AdminCreateApiTokenDocument,
    "\n  mutation AdminRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.AdminRevokeApiTokenDocument,
    "\n  query AdminAuditEvents($first: Int, $after: String, $filter: AuditFilter) {\n    auditEvents(first: $first, after: $after, filter: $filter) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        at\n        principal\n        principalName\n        action\n        subjectIds\n        details\n        clientAddress\n      }\n    }\n  }\n": types.AdminAuditEventsDocument,
    "\n  mutation ChangePassword($current: String!, $new: String!) {\n    changePassword(current: $current, new: $new)\n  }\n": types.ChangePasswordDocument,
    "\n  query SegmentOverlap($segmentIds: [ID!]!) {\n    segmentOverlap(segmentIds: $segmentIds) {\n      segments {\n        id\n        name\n      }\n      unionCount\n      intersectionCount\n      pairs {\n        segmentIds\n        intersectionCount\n        unionCount\n      }\n      regions {\n        segmentIds\n        excludedSegmentIds\n        customerCount\n      }\n    }\n  }\n": types.SegmentOverlapDocument,
    "\n  fragment ExportJobFields on ExportJob {\n    id\n    state\n    format\n    rowsWritten\n    rowCount\n    fileName\n    url\n    expiresAt\n    error\n  }\n": types.ExportJobFieldsFragmentDoc,
    "\n  mutation ExportSegmentCustomers($input: ExportInput!) {\n    exportSegmentCustomers(input: $input) {\n      ...ExportJobFields\n    }\n  }\n": types.ExportSegmentCustomersDocument,
    "\n  query ExportJob($id: ID!) {\n    exportJob(id: $id) {\n      ...ExportJobFields\n    }\n  }\n": types.ExportJobDocument,
    "\n  query SegmentCustomers(\n    $segmentIds: [ID!]!\n    $mode: SegmentSetMode\n    $excludeSegmentIds: [ID!]\n    $filter: CustomerFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $orderBy: CustomerOrder\n  ) {\n    segmentCustomers(\n      segmentIds: $segmentIds\n      mode: $mode\n      excludeSegmentIds: $excludeSegmentIds\n      filter: $filter\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      orderBy: $orderBy\n    ) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        email\n        group {\n          id\n          name\n        }\n        phone\n        zip\n        country {\n          code\n          name\n        }\n        region\n        customerSince\n      }\n    }\n  }\n": types.SegmentCustomersDocument,
    "\n  query SegmentCustomerCount(\n    $segmentIds: [ID!]!\n    $mode: SegmentSetMode\n    $excludeSegmentIds: [ID!]\n    $filter: CustomerFilter\n  ) {\n    segmentCustomers(segmentIds: $segmentIds, mode: $mode, excludeSegmentIds: $excludeSegmentIds, filter: $filter) {\n      totalCount\n    }\n  }\n": types.SegmentCustomerCountDocument,
    "\n  query DrillDownChoices {\n    customerGroups {\n      id\n      name\n    }\n    websites {\n      id\n      code\n      name\n    }\n  }\n": types.DrillDownChoicesDocument,
    "\n  query DrillDownSegments($ids: [ID!]!, $first: Int!, $after: String) {\n    segments(filter: { ids: $ids }, first: $first, after: $after) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        status\n        customerCount\n        refreshedAt\n        membershipStale\n      }\n    }\n  }\n": types.DrillDownSegmentsDocument,
    "\n  fragment EditorRuleLeaf on Condition {\n    __typename\n    ... on CustomerCondition {\n      field\n      operator\n      values\n    }\n    ... on OrderCondition {\n      measure\n      operator\n      values\n      withinDays\n      statuses\n    }\n  }\n  fragment EditorRuleLevel5 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n    }\n  }\n  fragment EditorRuleLevel4 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel5\n      }\n    }\n  }\n  fragment EditorRuleLevel3 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel4\n      }\n    }\n  }\n  fragment EditorRuleLevel2 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel3\n      }\n    }\n  }\n  fragment EditorRule on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel2\n      }\n    }\n  }\n": types.EditorRuleLeafFragmentDoc,
    "\n  query SegmentDetails($id: ID!) {\n    segment(id: $id) {\n      id\n      name\n      description\n      status\n      websites {\n        id\n        code\n        name\n      }\n      customerCount\n      refreshedAt\n      membershipStale\n      conditions {\n        ...EditorRule\n      }\n      refreshHistory(last: 30) {\n        finishedAt\n        customerCount\n        added\n        removed\n      }\n    }\n  }\n": types.SegmentDetailsDocument,
    "\n  query EditorLists {\n    websites {\n      id\n      code\n      name\n    }\n    customerGroups {\n      id\n      code\n      name\n    }\n    store {\n      timeZone\n      baseCurrency\n    }\n  }\n": types.EditorListsDocument,
    "\n  query PreviewSegmentCount($websiteIds: [ID!]!, $conditions: ConditionGroupInput!) {\n    previewSegmentCount(websiteIds: $websiteIds, conditions: $conditions)\n  }\n": types.PreviewSegmentCountDocument,
    "\n  mutation CreateSegment($input: SegmentInput!) {\n    createSegment(input: $input) {\n      id\n    }\n  }\n": types.CreateSegmentDocument,
    "\n  mutation UpdateSegment($id: ID!, $input: SegmentPatch!) {\n    updateSegment(id: $id, input: $input) {\n      id\n    }\n  }\n": types.UpdateSegmentDocument,
    "\n  query SegmentsGrid(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $filter: SegmentFilter\n    $orderBy: SegmentOrder\n  ) {\n    segments(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        status\n        customerCount\n        refreshedAt\n        membershipStale\n        websites {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.SegmentsGridDocument,
    "\n  query SegmentIds($filter: SegmentFilter) {\n    segmentIds(filter: $filter)\n  }\n": types.SegmentIdsDocument,
    "\n  query SegmentNames($ids: [ID!]!, $first: Int!) {\n    segments(first: $first, filter: { ids: $ids }, orderBy: { field: ID, direction: ASC }) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n": types.SegmentNamesDocument,
    "\n  query Websites {\n    websites {\n      id\n      code\n      name\n    }\n  }\n": types.WebsitesDocument,
    "\n  fragment RefreshJobFields on RefreshJob {\n    id\n    state\n    segmentsDone\n    segmentsTotal\n    error\n    full\n  }\n": types.RefreshJobFieldsFragmentDoc,
    "\n  mutation RefreshSegmentData($segmentIds: [ID!], $full: Boolean) {\n    refreshSegmentData(segmentIds: $segmentIds, full: $full) {\n      ...RefreshJobFields\n    }\n  }\n": types.RefreshSegmentDataDocument,
    "\n  query RefreshJob($id: ID!) {\n    refreshJob(id: $id) {\n      ...RefreshJobFields\n    }\n  }\n": types.RefreshJobDocument,
    "\n  mutation SetSegmentStatus($ids: [ID!]!, $status: SegmentStatus!) {\n    setSegmentStatus(ids: $ids, status: $status) {\n      id\n      status\n    }\n  }\n": types.SetSegmentStatusDocument,
    "\n  mutation DeleteSegments($ids: [ID!]!) {\n    deleteSegments(ids: $ids)\n  }\n": types.DeleteSegmentsDocument,
    "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    hasPreviousPage\n    startCursor\n    endCursor\n  }\n": types.PageInfoFieldsFragmentDoc,
    "\n  query StoreSettings {\n    store {\n      timeZone\n    }\n  }\n": types.StoreSettingsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminUsers($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        email\n        role\n        websites {\n          id\n          name\n        }\n        disabled\n        mustChangePassword\n        createdAt\n        createdBy\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminUsers($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        email\n        role\n        websites {\n          id\n          name\n        }\n        disabled\n        mustChangePassword\n        createdAt\n        createdBy\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminWebsites {\n    websites {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query AdminWebsites {\n    websites {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n      email\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateUser($input: CreateUserInput!) {\n    createUser(input: $input) {\n      id\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      disabled\n    }\n  }\n"): (typeof documents)["\n  mutation AdminUpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) {\n      id\n      role\n      disabled\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminApiTokens($includeRevoked: Boolean) {\n    apiTokens(includeRevoked: $includeRevoked) {\n      id\n      name\n      role\n      websites {\n        id\n        name\n      }\n      createdAt\n      lastUsedAt\n      expiresAt\n      revokedAt\n      createdBy\n    }\n  }\n"): (typeof documents)["\n  query AdminApiTokens($includeRevoked: Boolean) {\n    apiTokens(includeRevoked: $includeRevoked) {\n      id\n      name\n      role\n      websites {\n        id\n        name\n      }\n      createdAt\n      lastUsedAt\n      expiresAt\n      revokedAt\n      createdBy\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token {\n        id\n        name\n      }\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation AdminCreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token {\n        id\n        name\n      }\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdminRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation AdminRevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminAuditEvents($first: Int, $after: String, $filter: AuditFilter) {\n    auditEvents(first: $first, after: $after, filter: $filter) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        at\n        principal\n        principalName\n        action\n        subjectIds\n        details\n        clientAddress\n      }\n    }\n  }\n"): (typeof documents)["\n  query AdminAuditEvents($first: Int, $after: String, $filter: AuditFilter) {\n    auditEvents(first: $first, after: $after, filter: $filter) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        at\n        principal\n        principalName\n        action\n        subjectIds\n        details\n        clientAddress\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($current: String!, $new: String!) {\n    changePassword(current: $current, new: $new)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($current: String!, $new: String!) {\n    changePassword(current: $current, new: $new)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentOverlap($segmentIds: [ID!]!) {\n    segmentOverlap(segmentIds: $segmentIds) {\n      segments {\n        id\n        name\n      }\n      unionCount\n      intersectionCount\n      pairs {\n        segmentIds\n        intersectionCount\n        unionCount\n      }\n      regions {\n        segmentIds\n        excludedSegmentIds\n        customerCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentOverlap($segmentIds: [ID!]!) {\n    segmentOverlap(segmentIds: $segmentIds) {\n      segments {\n        id\n        name\n      }\n      unionCount\n      intersectionCount\n      pairs {\n        segmentIds\n        intersectionCount\n        unionCount\n      }\n      regions {\n        segmentIds\n        excludedSegmentIds\n        customerCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExportJobFields on ExportJob {\n    id\n    state\n    format\n    rowsWritten\n    rowCount\n    fileName\n    url\n    expiresAt\n    error\n  }\n"): (typeof documents)["\n  fragment ExportJobFields on ExportJob {\n    id\n    state\n    format\n    rowsWritten\n    rowCount\n    fileName\n    url\n    expiresAt\n    error\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExportSegmentCustomers($input: ExportInput!) {\n    exportSegmentCustomers(input: $input) {\n      ...ExportJobFields\n    }\n  }\n"): (typeof documents)["\n  mutation ExportSegmentCustomers($input: ExportInput!) {\n    exportSegmentCustomers(input: $input) {\n      ...ExportJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExportJob($id: ID!) {\n    exportJob(id: $id) {\n      ...ExportJobFields\n    }\n  }\n"): (typeof documents)["\n  query ExportJob($id: ID!) {\n    exportJob(id: $id) {\n      ...ExportJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentCustomers(\n    $segmentIds: [ID!]!\n    $mode: SegmentSetMode\n    $excludeSegmentIds: [ID!]\n    $filter: CustomerFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $orderBy: CustomerOrder\n  ) {\n    segmentCustomers(\n      segmentIds: $segmentIds\n      mode: $mode\n      excludeSegmentIds: $excludeSegmentIds\n      filter: $filter\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      orderBy: $orderBy\n    ) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        email\n        group {\n          id\n          name\n        }\n        phone\n        zip\n        country {\n          code\n          name\n        }\n        region\n        customerSince\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentCustomers(\n    $segmentIds: [ID!]!\n    $mode: SegmentSetMode\n    $excludeSegmentIds: [ID!]\n    $filter: CustomerFilter\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $orderBy: CustomerOrder\n  ) {\n    segmentCustomers(\n      segmentIds: $segmentIds\n      mode: $mode\n      excludeSegmentIds: $excludeSegmentIds\n      filter: $filter\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      orderBy: $orderBy\n    ) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        email\n        group {\n          id\n          name\n        }\n        phone\n        zip\n        country {\n          code\n          name\n        }\n        region\n        customerSince\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentCustomerCount(\n    $segmentIds: [ID!]!\n    $mode: SegmentSetMode\n    $excludeSegmentIds: [ID!]\n    $filter: CustomerFilter\n  ) {\n    segmentCustomers(segmentIds: $segmentIds, mode: $mode, excludeSegmentIds: $excludeSegmentIds, filter: $filter) {\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query SegmentCustomerCount(\n    $segmentIds: [ID!]!\n    $mode: SegmentSetMode\n    $excludeSegmentIds: [ID!]\n    $filter: CustomerFilter\n  ) {\n    segmentCustomers(segmentIds: $segmentIds, mode: $mode, excludeSegmentIds: $excludeSegmentIds, filter: $filter) {\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DrillDownChoices {\n    customerGroups {\n      id\n      name\n    }\n    websites {\n      id\n      code\n      name\n    }\n  }\n"): (typeof documents)["\n  query DrillDownChoices {\n    customerGroups {\n      id\n      name\n    }\n    websites {\n      id\n      code\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DrillDownSegments($ids: [ID!]!, $first: Int!, $after: String) {\n    segments(filter: { ids: $ids }, first: $first, after: $after) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        status\n        customerCount\n        refreshedAt\n        membershipStale\n      }\n    }\n  }\n"): (typeof documents)["\n  query DrillDownSegments($ids: [ID!]!, $first: Int!, $after: String) {\n    segments(filter: { ids: $ids }, first: $first, after: $after) {\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        status\n        customerCount\n        refreshedAt\n        membershipStale\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EditorRuleLeaf on Condition {\n    __typename\n    ... on CustomerCondition {\n      field\n      operator\n      values\n    }\n    ... on OrderCondition {\n      measure\n      operator\n      values\n      withinDays\n      statuses\n    }\n  }\n  fragment EditorRuleLevel5 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n    }\n  }\n  fragment EditorRuleLevel4 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel5\n      }\n    }\n  }\n  fragment EditorRuleLevel3 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel4\n      }\n    }\n  }\n  fragment EditorRuleLevel2 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel3\n      }\n    }\n  }\n  fragment EditorRule on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel2\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment EditorRuleLeaf on Condition {\n    __typename\n    ... on CustomerCondition {\n      field\n      operator\n      values\n    }\n    ... on OrderCondition {\n      measure\n      operator\n      values\n      withinDays\n      statuses\n    }\n  }\n  fragment EditorRuleLevel5 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n    }\n  }\n  fragment EditorRuleLevel4 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel5\n      }\n    }\n  }\n  fragment EditorRuleLevel3 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel4\n      }\n    }\n  }\n  fragment EditorRuleLevel2 on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel3\n      }\n    }\n  }\n  fragment EditorRule on ConditionGroup {\n    __typename\n    match\n    expect\n    conditions {\n      ...EditorRuleLeaf\n      ... on ConditionGroup {\n        ...EditorRuleLevel2\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentDetails($id: ID!) {\n    segment(id: $id) {\n      id\n      name\n      description\n      status\n      websites {\n        id\n        code\n        name\n      }\n      customerCount\n      refreshedAt\n      membershipStale\n      conditions {\n        ...EditorRule\n      }\n      refreshHistory(last: 30) {\n        finishedAt\n        customerCount\n        added\n        removed\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentDetails($id: ID!) {\n    segment(id: $id) {\n      id\n      name\n      description\n      status\n      websites {\n        id\n        code\n        name\n      }\n      customerCount\n      refreshedAt\n      membershipStale\n      conditions {\n        ...EditorRule\n      }\n      refreshHistory(last: 30) {\n        finishedAt\n        customerCount\n        added\n        removed\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EditorLists {\n    websites {\n      id\n      code\n      name\n    }\n    customerGroups {\n      id\n      code\n      name\n    }\n    store {\n      timeZone\n      baseCurrency\n    }\n  }\n"): (typeof documents)["\n  query EditorLists {\n    websites {\n      id\n      code\n      name\n    }\n    customerGroups {\n      id\n      code\n      name\n    }\n    store {\n      timeZone\n      baseCurrency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PreviewSegmentCount($websiteIds: [ID!]!, $conditions: ConditionGroupInput!) {\n    previewSegmentCount(websiteIds: $websiteIds, conditions: $conditions)\n  }\n"): (typeof documents)["\n  query PreviewSegmentCount($websiteIds: [ID!]!, $conditions: ConditionGroupInput!) {\n    previewSegmentCount(websiteIds: $websiteIds, conditions: $conditions)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSegment($input: SegmentInput!) {\n    createSegment(input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation CreateSegment($input: SegmentInput!) {\n    createSegment(input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSegment($id: ID!, $input: SegmentPatch!) {\n    updateSegment(id: $id, input: $input) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateSegment($id: ID!, $input: SegmentPatch!) {\n    updateSegment(id: $id, input: $input) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentsGrid(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $filter: SegmentFilter\n    $orderBy: SegmentOrder\n  ) {\n    segments(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        status\n        customerCount\n        refreshedAt\n        membershipStale\n        websites {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentsGrid(\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $filter: SegmentFilter\n    $orderBy: SegmentOrder\n  ) {\n    segments(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {\n      totalCount\n      pageInfo {\n        ...PageInfoFields\n      }\n      nodes {\n        id\n        name\n        status\n        customerCount\n        refreshedAt\n        membershipStale\n        websites {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentIds($filter: SegmentFilter) {\n    segmentIds(filter: $filter)\n  }\n"): (typeof documents)["\n  query SegmentIds($filter: SegmentFilter) {\n    segmentIds(filter: $filter)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SegmentNames($ids: [ID!]!, $first: Int!) {\n    segments(first: $first, filter: { ids: $ids }, orderBy: { field: ID, direction: ASC }) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query SegmentNames($ids: [ID!]!, $first: Int!) {\n    segments(first: $first, filter: { ids: $ids }, orderBy: { field: ID, direction: ASC }) {\n      nodes {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Websites {\n    websites {\n      id\n      code\n      name\n    }\n  }\n"): (typeof documents)["\n  query Websites {\n    websites {\n      id\n      code\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RefreshJobFields on RefreshJob {\n    id\n    state\n    segmentsDone\n    segmentsTotal\n    error\n    full\n  }\n"): (typeof documents)["\n  fragment RefreshJobFields on RefreshJob {\n    id\n    state\n    segmentsDone\n    segmentsTotal\n    error\n    full\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSegmentData($segmentIds: [ID!], $full: Boolean) {\n    refreshSegmentData(segmentIds: $segmentIds, full: $full) {\n      ...RefreshJobFields\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSegmentData($segmentIds: [ID!], $full: Boolean) {\n    refreshSegmentData(segmentIds: $segmentIds, full: $full) {\n      ...RefreshJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RefreshJob($id: ID!) {\n    refreshJob(id: $id) {\n      ...RefreshJobFields\n    }\n  }\n"): (typeof documents)["\n  query RefreshJob($id: ID!) {\n    refreshJob(id: $id) {\n      ...RefreshJobFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetSegmentStatus($ids: [ID!]!, $status: SegmentStatus!) {\n    setSegmentStatus(ids: $ids, status: $status) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SetSegmentStatus($ids: [ID!]!, $status: SegmentStatus!) {\n    setSegmentStatus(ids: $ids, status: $status) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSegments($ids: [ID!]!) {\n    deleteSegments(ids: $ids)\n  }\n"): (typeof documents)["\n  mutation DeleteSegments($ids: [ID!]!) {\n    deleteSegments(ids: $ids)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    hasPreviousPage\n    startCursor\n    endCursor\n  }\n"): (typeof documents)["\n  fragment PageInfoFields on PageInfo {\n    hasNextPage\n    hasPreviousPage\n    startCursor\n    endCursor\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StoreSettings {\n    store {\n      timeZone\n    }\n  }\n"): (typeof documents)["\n  query StoreSettings {\n    store {\n      timeZone\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;