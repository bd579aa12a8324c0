package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Automatic persisted queries: a client sends the SHA-256 of an operation's
// text instead of the text, and the text with its hash only when the server
// answers PERSISTED_QUERY_NOT_FOUND. Each instance keeps the texts it has
// seen, up to persistedQueriesSize of at most queryCacheMaxBytes each, so a
// client sending many large texts cannot grow the server's memory; a client
// whose hash an instance does not know sends the text again.
const persistedQueriesSize = 1_000

// codePersistedQueryNotFound asks a client of automatic persisted queries
// to send the operation's text with its hash.
const codePersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND"

func init() {
	// A request error, like a failed validation: the answer has no data.
	errcode.RegisterErrorType(codePersistedQueryNotFound, errcode.KindProtocol)
}

// persistedQueries is gqlgen's extension over a bounded store of texts, its
// errors made request errors.
type persistedQueries struct {
	extension.AutomaticPersistedQuery
}

func newPersistedQueries() persistedQueries {
	return persistedQueries{extension.AutomaticPersistedQuery{Cache: persistedTexts{lru.New[string](persistedQueriesSize)}}}
}

// MutateOperationParameters gives a request with only a hash its text, and
// keeps the text of one that sends both.
func (p persistedQueries) MutateOperationParameters(ctx context.Context, raw *graphql.RawParams) *gqlerror.Error {
	err := p.AutomaticPersistedQuery.MutateOperationParameters(ctx, raw)
	if err != nil && err.Extensions["code"] == nil {
		// A hash that does not match its text, an unknown version.
		errcode.Set(err, errcode.ValidationFailed)
	}
	return err
}

// persistedTexts keeps operation texts by their hash.
type persistedTexts struct {
	*lru.LRU[string]
}

// Add keeps small texts only; a larger one still runs, sent in full.
func (c persistedTexts) Add(ctx context.Context, hash, query string) {
	if len(query) <= queryCacheMaxBytes {
		c.LRU.Add(ctx, hash, query)
	}
}
