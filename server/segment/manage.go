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

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
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
// refresh exists exactly when the change that needs it commits.
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
	if err := db.Select(ctx, tx, &catalog, `SELECT 'w' AS kind, id, lower(code) AS code FROM websites
		UNION ALL SELECT 'g', id, lower(code) FROM customer_groups`); err != nil {
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
		conditions, err := json.Marshal(in.Conditions)
		if err != nil {
			return err
		}
		if err := db.Get(ctx, tx, `INSERT INTO segments (name, description, is_active, conditions)
			VALUES ($1, $2, $3, $4) RETURNING id`, []any{in.Name, in.Description, in.Active, conditions}, &id); err != nil {
			return err
		}
		if err := setWebsites(ctx, tx, id, in.WebsiteIDs); err != nil {
			return err
		}
		_, err = m.enqueue(ctx, tx, []int64{id}, actor.FromAPI)
		return err
	})
	return id, err
}

// Update replaces a segment's definition. A new rule or new websites bump
// its rule version (its membership is stale until refreshed) and schedule a
// refresh; a new name, description or status does not.
func (m *Manager) Update(ctx context.Context, id int64, in Input) error {
	return m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var oldJSON []byte
		var oldWebsites []int64
		err := db.Get(ctx, tx, `SELECT conditions, ARRAY(SELECT website_id FROM segment_websites WHERE segment_id = s.id ORDER BY website_id)
			FROM segments s WHERE id = $1 FOR UPDATE`, []any{id}, &oldJSON, pgdialect.Array(&oldWebsites))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Missing("segment %d does not exist", id)
		}
		if err != nil {
			return err
		}
		if err := m.check(ctx, tx, &in); err != nil {
			return err
		}
		var old rule.Group
		if err := json.Unmarshal(oldJSON, &old); err != nil {
			return err
		}
		oldJSON, _ = json.Marshal(old)
		newJSON, _ := json.Marshal(in.Conditions)
		changed := string(oldJSON) != string(newJSON) || !slices.Equal(oldWebsites, in.WebsiteIDs)
		if _, err := db.Exec(ctx, tx, `UPDATE segments SET name = $2, description = $3, is_active = $4, conditions = $5,
			rule_version = rule_version + CASE WHEN $6 THEN 1 ELSE 0 END, updated_at = now() WHERE id = $1`,
			id, in.Name, in.Description, in.Active, newJSON, changed); err != nil {
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

func setWebsites(ctx context.Context, tx bun.Tx, id int64, websites []int64) error {
	if _, err := db.Exec(ctx, tx, `DELETE FROM segment_websites WHERE segment_id = $1 AND website_id <> ALL($2)`, id, websites); err != nil {
		return err
	}
	_, err := db.Exec(ctx, tx, `INSERT INTO segment_websites (segment_id, website_id)
		SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`, id, websites)
	return err
}

// Delete removes segments with their membership and history. With any
// unknown id it deletes nothing.
func (m *Manager) Delete(ctx context.Context, ids []int64) ([]int64, error) {
	ids, err := CheckIDs(ctx, m.db, ids)
	if err != nil {
		return nil, err
	}
	err = pgx.BeginFunc(ctx, m.db.Pool, func(tx pgx.Tx) error {
		// Lock the segments first, so a refresh writing one finishes (or
		// waits) before its members are removed.
		tag, err := tx.Exec(ctx, `DELETE FROM segments WHERE id = ANY($1)`, ids)
		if err == nil {
			// Membership has no foreign key to segments (see the migration).
			_, err = tx.Exec(ctx, `DELETE FROM segment_customers WHERE segment_id = ANY($1)`, ids)
		}
		if err == nil && int(tag.RowsAffected()) != len(ids) {
			// Deleted by someone else meanwhile: report it rather than
			// half-succeed.
			return apperr.Missing("some of segments %v no longer exist", ids)
		}
		return err
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
	_, err = m.db.Pool.Exec(ctx, `UPDATE segments SET is_active = $2, updated_at = now() WHERE id = ANY($1) AND is_active <> $2`, ids, active)
	return ids, err
}

// Refresh schedules a refresh: of the given segments (inactive ones
// included), or with ids nil of every active segment. It returns the run.
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
		return err
	})
	return runID, err
}
