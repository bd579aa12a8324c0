package segment

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/rule"
)

// MaxNameLength bounds a segment's name, in characters.
const MaxNameLength = 255

// Input is a segment's editable definition.
type Input struct {
	Name        string
	Description *string
	Active      bool
	WebsiteIDs  []int64
	Conditions  rule.Group
}

// Enqueue schedules a refresh of the given segments inside tx, so the
// refresh exists exactly when the change that needs it commits; by is who
// asked. With ids nil it covers every active segment.
type Enqueue func(ctx context.Context, tx bun.Tx, ids []int64, by actor.Actor) (runID int64, err error)

// Manager creates, edits and deletes segments.
type Manager struct {
	db      *db.DB
	enqueue Enqueue
}

// NewManager returns a Manager over d that schedules refreshes with enqueue.
func NewManager(d *db.DB, enqueue Enqueue) *Manager {
	return &Manager{db: d, enqueue: enqueue}
}

// check validates in and puts it in canonical form. Every problem is
// reported at once; nothing is saved when there is any.
func (m *Manager) check(ctx context.Context, tx bun.Tx, in *Input) error {
	var problems []apperr.Problem
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		problems = append(problems, apperr.Problem{Field: "name", Message: "a segment needs a name"})
	case utf8.RuneCountInString(in.Name) > MaxNameLength:
		problems = append(problems, apperr.Problem{Field: "name", Message: fmt.Sprintf("at most %d characters, got %d", MaxNameLength, utf8.RuneCountInString(in.Name))})
	}
	if in.Description != nil {
		if d := strings.TrimSpace(*in.Description); d == "" {
			in.Description = nil
		} else {
			in.Description = &d
		}
	}
	in.WebsiteIDs = slices.Clone(in.WebsiteIDs)
	slices.Sort(in.WebsiteIDs)
	in.WebsiteIDs = slices.Compact(in.WebsiteIDs)

	codes := rule.Codes{Websites: map[string]bool{}, Groups: map[string]bool{}}
	known := map[int64]bool{}
	var catalog []struct {
		Kind string `bun:"kind"`
		ID   int64  `bun:"id"`
		Code string `bun:"code"`
	}
	if err := tx.NewSelect().Table("websites").ColumnExpr("'w' AS kind, id, lower(code) AS code").
		UnionAll(tx.NewSelect().Table("customer_groups").ColumnExpr("'g', id, lower(code)")).
		Scan(ctx, &catalog); err != nil {
		return err
	}
	for _, c := range catalog {
		if c.Kind == "w" {
			codes.Websites[c.Code] = true
			known[c.ID] = true
		} else {
			codes.Groups[c.Code] = true
		}
	}
	if len(in.WebsiteIDs) == 0 {
		problems = append(problems, apperr.Problem{Field: "websiteIds", Message: "choose at least one website"})
	}
	for _, id := range in.WebsiteIDs {
		if !known[id] {
			problems = append(problems, apperr.Problem{Field: "websiteIds", Message: fmt.Sprintf("website %d does not exist", id)})
		}
	}
	var ve *rule.ValidationError
	if err := rule.Validate(&in.Conditions, codes); errors.As(err, &ve) {
		problems = append(problems, ve.AsProblems("conditions")...)
	} else if err != nil {
		return err
	}
	if len(problems) > 0 {
		return apperr.Invalids(problems)
	}
	return nil
}

// Create saves a new segment and schedules its first refresh.
func (m *Manager) Create(ctx context.Context, in Input) (int64, error) {
	var id int64
	err := m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := m.check(ctx, tx, &in); err != nil {
			return err
		}
		s := &Segment{Name: in.Name, Description: in.Description, Active: in.Active, Conditions: in.Conditions}
		if _, err := tx.NewInsert().Model(s).Column("name", "description", "is_active", "conditions").
			Returning("id").Exec(ctx); err != nil {
			return err
		}
		id = s.ID
		if err := audit.Record(ctx, tx, audit.SegmentCreated, []int64{id}, map[string]any{"websiteIds": in.WebsiteIDs, "active": in.Active}); err != nil {
			return err
		}
		if err := setWebsites(ctx, tx, id, in.WebsiteIDs); err != nil {
			return err
		}
		_, err := m.enqueue(ctx, tx, []int64{id}, actor.FromAPI)
		return err
	})
	return id, err
}

// Update replaces a segment's definition. A new rule or new websites bump
// its rule version (its membership is stale until refreshed) and schedule a
// refresh; a new name, description or status does not.
func (m *Manager) Update(ctx context.Context, id int64, in Input) error {
	return m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		old := &Segment{ID: id}
		err := tx.NewSelect().Model(old).Column("conditions").
			ColumnExpr("ARRAY(SELECT website_id FROM segment_websites WHERE segment_id = s.id ORDER BY website_id) AS website_ids").
			WherePK().For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Missing("segment %d does not exist", id)
		}
		if err != nil {
			return err
		}
		if err := m.check(ctx, tx, &in); err != nil {
			return err
		}
		oldJSON, _ := json.Marshal(old.Conditions)
		newJSON, _ := json.Marshal(in.Conditions)
		changed := string(oldJSON) != string(newJSON) || !slices.Equal(old.WebsiteIDs, in.WebsiteIDs)
		bump := 0
		if changed {
			bump = 1
		}
		if _, err := tx.NewUpdate().
			Model(&Segment{ID: id, Name: in.Name, Description: in.Description, Active: in.Active, Conditions: in.Conditions}).
			Column("name", "description", "is_active", "conditions").
			Set("rule_version = rule_version + ?", bump).Set("updated_at = now()").
			WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.SegmentUpdated, []int64{id}, map[string]any{"websiteIds": in.WebsiteIDs, "active": in.Active, "ruleChanged": changed}); err != nil {
			return err
		}
		if !changed {
			return nil
		}
		if err := setWebsites(ctx, tx, id, in.WebsiteIDs); err != nil {
			return err
		}
		_, err = m.enqueue(ctx, tx, []int64{id}, actor.FromAPI)
		return err
	})
}

// setWebsites makes websites (checked, not empty) the segment's websites,
// leaving rows that stay untouched.
func setWebsites(ctx context.Context, tx bun.Tx, id int64, websites []int64) error {
	if _, err := tx.NewDelete().Model((*website)(nil)).Where("segment_id = ?", id).
		Where("website_id NOT IN (?)", bun.In(websites)).Exec(ctx); err != nil {
		return err
	}
	rows := make([]website, len(websites))
	for i, w := range websites {
		rows[i] = website{SegmentID: id, WebsiteID: w}
	}
	_, err := tx.NewInsert().Model(&rows).On("CONFLICT DO NOTHING").Exec(ctx)
	return err
}

// Delete removes segments with their membership and history. With any
// unknown id it deletes nothing.
func (m *Manager) Delete(ctx context.Context, ids []int64) ([]int64, error) {
	ids, err := CheckIDs(ctx, m.db, ids)
	if err != nil {
		return nil, err
	}
	err = m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Lock the segments first, so a refresh writing one finishes (or
		// waits) before its members are removed.
		res, err := tx.NewDelete().Model((*Segment)(nil)).Where("id IN (?)", bun.In(ids)).Exec(ctx)
		if err == nil {
			// Membership has no foreign key to segments (see the migration).
			_, err = tx.NewDelete().Model((*member)(nil)).Where("segment_id IN (?)", bun.In(ids)).Exec(ctx)
		}
		var deleted int64
		if err == nil {
			deleted, err = res.RowsAffected()
		}
		if err == nil && int(deleted) != len(ids) {
			// Deleted by someone else meanwhile: report it rather than
			// half-succeed.
			return apperr.Missing("some of segments %v no longer exist", ids)
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.SegmentDeleted, ids, nil)
	})
	return ids, err
}

// SetStatus activates or deactivates segments; with any unknown id it
// changes nothing. Membership is kept either way.
func (m *Manager) SetStatus(ctx context.Context, ids []int64, active bool) ([]int64, error) {
	ids, err := CheckIDs(ctx, m.db, ids)
	if err != nil {
		return nil, err
	}
	err = m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var changed []int64
		if err := tx.NewUpdate().Model((*Segment)(nil)).Set("is_active = ?", active).Set("updated_at = now()").
			Where("id IN (?)", bun.In(ids)).Where("is_active <> ?", active).Returning("id").Scan(ctx, &changed); err != nil {
			return err
		}
		if len(changed) == 0 {
			return nil // nothing changed, nothing to record
		}
		slices.Sort(changed)
		return audit.Record(ctx, tx, audit.SegmentStatusChanged, changed, map[string]any{"active": active})
	})
	return ids, err
}

// Refresh schedules a refresh: of the given segments (inactive ones
// included), or with ids nil of every active segment, as asked by by. It
// returns the run.
func (m *Manager) Refresh(ctx context.Context, ids []int64, by actor.Actor) (int64, error) {
	if ids != nil {
		var err error
		if ids, err = CheckIDs(ctx, m.db, ids); err != nil {
			return 0, err
		}
	}
	var runID int64
	err := m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
		runID, err = m.enqueue(ctx, tx, ids, by)
		if err != nil {
			return err
		}
		var segments any = ids
		if ids == nil {
			segments = "all"
		}
		return audit.Record(ctx, tx, audit.RefreshRequested, ids, map[string]any{"segments": segments, "full": false, "run": runID})
	})
	return runID, err
}
