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
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/db"
	"github.com/segments/segments/server/rule"
)

// Bounds on a segment's texts, in characters.
const (
	MaxNameLength        = 255
	MaxDescriptionLength = 2000
)

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
// asked. With ids nil it covers every active segment. full asks for every
// customer to be re-evaluated (RefreshOptions.Full); otherwise the refresh
// is incremental.
type Enqueue func(ctx context.Context, tx bun.Tx, ids []int64, by actor.Actor, full bool) (runID int64, err error)

// Manager creates, edits and deletes segments.
type Manager struct {
	db      *db.DB
	enqueue Enqueue
}

// NewManager returns a Manager over d that schedules refreshes with enqueue.
func NewManager(d *db.DB, enqueue Enqueue) *Manager {
	return &Manager{db: d, enqueue: enqueue}
}

// Patch is a change to some of a segment's definition (Update): nil fields
// are kept. Description pointing to blank text clears the description.
type Patch struct {
	Name        *string
	Description *string
	Active      *bool
	WebsiteIDs  *[]int64
	Conditions  *rule.Group
}

// AsPatch returns the patch that replaces every field with in's: a nil
// description clears the saved one.
func (in Input) AsPatch() Patch {
	desc := ""
	if in.Description != nil {
		desc = *in.Description
	}
	return Patch{Name: &in.Name, Description: &desc, Active: &in.Active, WebsiteIDs: &in.WebsiteIDs, Conditions: &in.Conditions}
}

// checkText checks and trims a segment's name (when name is not nil) and
// description (when desc is not nil; blank becomes nil).
func checkText(name *string, desc **string) (problems []apperr.Problem) {
	if name != nil {
		*name = strings.TrimSpace(*name)
		switch n := utf8.RuneCountInString(*name); {
		case *name == "":
			problems = append(problems, apperr.Problem{Field: "name", Message: "a segment needs a name"})
		case n > MaxNameLength:
			problems = append(problems, apperr.Problem{Field: "name", Message: fmt.Sprintf("at most %d characters, got %d", MaxNameLength, n)})
		case !utf8.ValidString(*name) || strings.ContainsRune(*name, 0):
			problems = append(problems, apperr.Problem{Field: "name", Message: "contains a NUL character or invalid UTF-8"})
		}
	}
	if desc != nil && *desc != nil {
		if d := strings.TrimSpace(**desc); d == "" {
			*desc = nil
		} else {
			*desc = &d
			switch n := utf8.RuneCountInString(d); {
			case n > MaxDescriptionLength:
				problems = append(problems, apperr.Problem{Field: "description", Message: fmt.Sprintf("at most %d characters, got %d", MaxDescriptionLength, n)})
			case !utf8.ValidString(d) || strings.ContainsRune(d, 0):
				problems = append(problems, apperr.Problem{Field: "description", Message: "contains a NUL character or invalid UTF-8"})
			}
		}
	}
	return problems
}

// checkSize reports the limits a rule exceeds (nil: no rule to check) as
// problems of "conditions"; oversized says there are such problems, and
// then nothing else is worth checking (a rule with 100,000 statuses costs
// nothing more).
func checkSize(g *rule.Group) (problems []apperr.Problem, oversized bool) {
	var ve *rule.ValidationError
	if g != nil && errors.As(rule.CheckSize(g), &ve) {
		return ve.AsProblems("conditions"), true
	}
	return nil, false
}

// precheck is what check can tell without the database: the name, the
// description and the rule's size. oversized says the rule exceeds a limit:
// Create and Update then refuse it before they open a transaction, with the
// problems found.
func precheck(in *Input) (problems []apperr.Problem, oversized bool) {
	problems = checkText(&in.Name, &in.Description)
	p, oversized := checkSize(&in.Conditions)
	return append(problems, p...), oversized
}

// check validates in and puts it in canonical form. Every problem is
// reported at once; nothing is saved when there is any.
func (m *Manager) check(ctx context.Context, idb bun.IDB, in *Input) error {
	problems, oversized := precheck(in)
	if oversized {
		return apperr.Invalids(problems)
	}
	more, err := checkDefinition(ctx, idb, &in.WebsiteIDs, &in.Conditions, nil)
	if err != nil {
		return err
	}
	if problems = append(problems, more...); len(problems) > 0 {
		return apperr.Invalids(problems)
	}
	return nil
}

// checkDefinition validates a segment's websites and rule and puts them in
// canonical form; a nil one is not checked. A scoped principal knows only
// its websites: another website's id or code gets the answer an unknown one
// gets. The rule's size must have been checked (checkSize). Unknown
// websites are problems of "websiteIds", or, with unknown not nil, put
// there instead.
func checkDefinition(ctx context.Context, idb bun.IDB, websites *[]int64, conds *rule.Group, unknown *[]int64) (problems []apperr.Problem, err error) {
	if websites == nil && conds == nil {
		return nil, nil
	}
	codes := rule.Codes{Websites: map[string]bool{}, Groups: map[string]bool{}}
	known := map[int64]bool{}
	var catalog []struct {
		Kind string `bun:"kind"`
		ID   int64  `bun:"id"`
		Code string `bun:"code"`
	}
	if err := idb.NewSelect().Table("websites").ColumnExpr("'w' AS kind, id, lower(code) AS code").
		UnionAll(idb.NewSelect().Table("customer_groups").ColumnExpr("'g', id, lower(code)")).
		Scan(ctx, &catalog); err != nil {
		return nil, err
	}
	scope := auth.ScopeOf(ctx)
	for _, c := range catalog {
		if c.Kind == "w" && !scope.Has(c.ID) {
			continue
		}
		if c.Kind == "w" {
			codes.Websites[c.Code] = true
			known[c.ID] = true
		} else {
			codes.Groups[c.Code] = true
		}
	}
	if websites != nil {
		ids := slices.Clone(*websites)
		slices.Sort(ids)
		*websites = slices.Compact(ids)
		if len(*websites) == 0 {
			problems = append(problems, apperr.Problem{Field: "websiteIds", Message: "choose at least one website"})
		}
		for _, id := range *websites {
			if !known[id] && unknown != nil {
				*unknown = append(*unknown, id)
			} else if !known[id] {
				problems = append(problems, apperr.Problem{Field: "websiteIds", Message: fmt.Sprintf("website %d does not exist", id)})
			}
		}
	}
	if conds != nil {
		var ve *rule.ValidationError
		if err := rule.Validate(conds, codes); errors.As(err, &ve) {
			problems = append(problems, ve.AsProblems("conditions")...)
		} else if err != nil {
			return nil, err
		}
	}
	return problems, nil
}

// Create saves a new segment and schedules its first refresh, as asked by
// ctx's principal; its websites must be in the principal's scope.
func (m *Manager) Create(ctx context.Context, in Input) (int64, error) {
	if p, oversized := precheck(&in); oversized {
		return 0, apperr.Invalids(p)
	}
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
		_, err := m.enqueue(ctx, tx, []int64{id}, who(ctx), false)
		return err
	})
	return id, err
}

// Update changes the fields of a segment's definition that p sets, checked
// as Create checks them; the others are kept (and not checked again). Only
// a rule or websites that differ from the saved ones bump its rule version
// (its membership is stale until refreshed) and schedule a refresh; a new
// name, description or status leaves rule and membership alone. A segment
// ctx's principal does not see is NOT_FOUND; one it sees but that also
// belongs to websites outside its scope is FORBIDDEN.
func (m *Manager) Update(ctx context.Context, id int64, p Patch) error {
	setDescription := p.Description != nil // blank clears it: checkText makes it nil
	problems := checkText(p.Name, &p.Description)
	if more, oversized := checkSize(p.Conditions); oversized {
		return apperr.Invalids(append(problems, more...))
	}
	if _, err := CheckIDs(ctx, m.db, []int64{id}); err != nil {
		return err
	}
	return m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkManaged(ctx, tx, []int64{id}); err != nil {
			return err
		}
		old := &Segment{ID: id}
		err := tx.NewSelect().Model(old).Column("name", "description", "is_active", "conditions").
			ColumnExpr("ARRAY(SELECT website_id FROM segment_websites WHERE segment_id = s.id ORDER BY website_id) AS website_ids").
			WherePK().For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Missing("segment %d does not exist", id)
		}
		if err != nil {
			return err
		}
		more, err := checkDefinition(ctx, tx, p.WebsiteIDs, p.Conditions, nil)
		if err != nil {
			return err
		}
		if problems = append(problems, more...); len(problems) > 0 {
			return apperr.Invalids(problems)
		}
		next := *old
		if p.Name != nil {
			next.Name = *p.Name
		}
		if setDescription {
			next.Description = p.Description
		}
		if p.Active != nil {
			next.Active = *p.Active
		}
		if p.WebsiteIDs != nil {
			next.WebsiteIDs = *p.WebsiteIDs
		}
		if p.Conditions != nil {
			next.Conditions = *p.Conditions
		}
		oldJSON, _ := json.Marshal(old.Conditions)
		newJSON, _ := json.Marshal(next.Conditions)
		changed := string(oldJSON) != string(newJSON) || !slices.Equal(old.WebsiteIDs, next.WebsiteIDs)
		bump := 0
		if changed {
			bump = 1
		}
		if _, err := tx.NewUpdate().
			Model(&Segment{ID: id, Name: next.Name, Description: next.Description, Active: next.Active, Conditions: next.Conditions}).
			Column("name", "description", "is_active", "conditions").
			Set("rule_version = rule_version + ?", bump).Set("updated_at = now()").
			WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.SegmentUpdated, []int64{id}, map[string]any{"websiteIds": next.WebsiteIDs, "active": next.Active, "ruleChanged": changed}); err != nil {
			return err
		}
		if !changed {
			return nil
		}
		if err := setWebsites(ctx, tx, id, next.WebsiteIDs); err != nil {
			return err
		}
		_, err = m.enqueue(ctx, tx, []int64{id}, who(ctx), false)
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
// unknown (or hidden) id, or one the principal does not wholly manage, it
// deletes nothing.
func (m *Manager) Delete(ctx context.Context, ids []int64) ([]int64, error) {
	ids, err := checkIDs(ctx, m.db, ids, MaxMassIDs)
	if err != nil {
		return nil, err
	}
	err = m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := checkManaged(ctx, tx, ids); err != nil {
			return err
		}
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
// changes nothing, and so with one the principal does not wholly manage.
// Membership is kept either way.
func (m *Manager) SetStatus(ctx context.Context, ids []int64, active bool) ([]int64, error) {
	ids, err := checkIDs(ctx, m.db, ids, MaxMassIDs)
	if err != nil {
		return nil, err
	}
	if err := checkManaged(ctx, m.db, ids); err != nil {
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
// included), or with ids nil of every active segment, as asked by by; full
// asks for every customer to be re-evaluated, otherwise it is incremental.
// A scoped principal refreshes only segments it sees: its nil is every
// active segment it sees. It returns the run.
func (m *Manager) Refresh(ctx context.Context, ids []int64, by actor.Actor, full bool) (int64, error) {
	if ids != nil {
		var err error
		if ids, err = checkIDs(ctx, m.db, ids, MaxMassIDs); err != nil {
			return 0, err
		}
	} else if _, all := limited(ctx); !all {
		var a db.Args
		from, _ := view(ctx, &a)
		ids = []int64{}
		if err := db.Select(ctx, m.db, &ids, `SELECT s.id FROM `+from+` WHERE s.is_active ORDER BY s.id`, a.Values()...); err != nil {
			return 0, fmt.Errorf("list active segments: %w", err)
		}
		if len(ids) == 0 {
			return 0, apperr.Missing("there is no active segment to refresh on your websites")
		}
	}
	var runID int64
	err := m.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
		runID, err = m.enqueue(ctx, tx, ids, by, full)
		if err != nil {
			return err
		}
		var segments any = ids
		if ids == nil {
			segments = "all"
		}
		return audit.Record(ctx, tx, audit.RefreshRequested, ids, map[string]any{"segments": segments, "full": full, "run": runID})
	})
	return runID, err
}
