package audit

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/auth"
)

// The actions the log records.
const (
	SignIn               = "sign_in"
	SignInFailed         = "sign_in_failed"
	SignOut              = "sign_out"
	UserCreated          = "user_created"
	UserUpdated          = "user_updated"
	UserPasswordChanged  = "user_password_changed"
	TokenCreated         = "token_created"
	TokenRevoked         = "token_revoked"
	SegmentCreated       = "segment_created"
	SegmentUpdated       = "segment_updated"
	SegmentDeleted       = "segment_deleted"
	SegmentStatusChanged = "segment_status_changed"
	RefreshRequested     = "refresh_requested"
	ExportCreated        = "export_created"
	ExportDownloaded     = "export_downloaded"
)

// Event is one entry of the log as written and read.
type Event struct {
	bun.BaseModel `bun:"table:audit_events,alias:ae"`

	ID int64     `bun:"id,pk,autoincrement"`
	At time.Time `bun:"at,nullzero,default:now()"`
	// Principal is who acted, in actor form ("user:7", "token:3", "cli"),
	// or "anonymous" for a failed sign-in.
	Principal string `bun:"principal"`
	// PrincipalName is the principal's display name at the time.
	PrincipalName string `bun:"principal_name"`
	Action        string `bun:"action"`
	// SubjectIDs are the ids acted on (segments, a user, a token, an export).
	SubjectIDs []int64 `bun:"subject_ids,array"`
	// Details say what changed; never more personal data than an id.
	Details    map[string]any `bun:"details,type:jsonb"`
	ClientAddr string         `bun:"client_addr"`
}

// ByLink is the principal of what a bearer link does (a download through a
// signed export link): whoever holds the link, who signs in to nothing.
const ByLink = "link"

// Record writes one event for ctx's principal and client address, in idb
// (the caller's transaction when the event describes a change).
func Record(ctx context.Context, idb bun.IDB, action string, subjectIDs []int64, details map[string]any) error {
	return record(ctx, idb, "", action, subjectIDs, details)
}

// RecordByLink writes one event done through a bearer link (principal
// ByLink), with ctx's client address.
func RecordByLink(ctx context.Context, idb bun.IDB, action string, subjectIDs []int64, details map[string]any) error {
	return record(ctx, idb, ByLink, action, subjectIDs, details)
}

func record(ctx context.Context, idb bun.IDB, principal, action string, subjectIDs []int64, details map[string]any) error {
	e := &Event{Action: action, SubjectIDs: subjectIDs, Details: details, ClientAddr: auth.ClientAddr(ctx)}
	if e.SubjectIDs == nil {
		e.SubjectIDs = []int64{}
	}
	if e.Details == nil {
		e.Details = map[string]any{}
	}
	if principal != "" {
		e.Principal = principal
	} else if p := auth.From(ctx); p != nil {
		e.Principal, e.PrincipalName = p.Actor().String(), p.Name
	} else {
		e.Principal = "anonymous"
	}
	if _, err := idb.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}
