// Package logging is the server's structured logs: the handler LOG_FORMAT
// chooses (text or JSON), the request id a request carries in its context
// (and hands on to the jobs it queues), and the facts a request's log line
// gathers as it passes through the layers that learn them.
//
// The HTTP layer (server/web) gives every request an id, honouring a sane
// X-Request-ID from the client, and a [Note]; inner layers fill the note in
// (the GraphQL layer its operation name, the sign-in gate's principal) and
// the HTTP layer writes one line per request from it when the answer is
// done. Every line logged with a context that carries a request id carries
// it too ([Handler]), so a refresh queued by a request logs under that
// request's id on whichever instance works it.
//
// Nothing here logs secrets: a principal is logged as its kind and id,
// never its name, e-mail or token.
package logging
