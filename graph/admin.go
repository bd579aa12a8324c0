package graph

import (
	"context"
	"encoding/json"

	"github.com/segments/segments/graph/model"
	"github.com/segments/segments/server/actor"
	"github.com/segments/segments/server/apperr"
	"github.com/segments/segments/server/audit"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/catalog"
)

// This file maps the access-control types (principals, users, tokens, audit
// events) between GraphQL and the domain; like convert.go it holds no logic.

// viewer describes ctx's principal.
func viewer(ctx context.Context) (*model.Viewer, error) {
	p := auth.From(ctx)
	if p == nil {
		return nil, apperr.Unknown("sign in first")
	}
	v := &model.Viewer{Name: p.Name, Role: modelRole(p.Role)}
	switch p.Kind {
	case auth.User:
		v.Kind, v.Email = model.PrincipalKindUser, &p.Email
	case auth.Token:
		v.Kind = model.PrincipalKindToken
	default:
		return nil, apperr.Denied("the server's own principal (%s) is neither a user nor a token", p.Kind)
	}
	ws, err := websites(ctx, p.Websites)
	v.Websites = ws
	return v, err
}

// askedBy is who a job is recorded as requested by: ctx's principal (the
// directive has made sure there is one), else the API.
func askedBy(ctx context.Context) actor.Actor {
	if p := auth.From(ctx); p != nil {
		return p.Actor()
	}
	return actor.FromAPI
}

// websites are the catalog entries of ids, in order; none for an empty
// list (every website).
func websites(ctx context.Context, ids []int64) ([]*catalog.Website, error) {
	l := loadersFor(ctx)
	out := make([]*catalog.Website, 0, len(ids))
	for _, id := range ids {
		w, err := l.website(id)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

func auditFilter(f *model.AuditFilter) audit.Filter {
	if f == nil {
		return audit.Filter{}
	}
	return audit.Filter{Actions: f.Actions, Principal: str(f.Principal), From: f.From, To: f.To}
}

func auditConnection(p audit.Page) *model.AuditEventConnection {
	conn := &model.AuditEventConnection{
		PageInfo: pageInfo(p.Info, p.Cursors),
		Edges:    make([]*model.AuditEventEdge, len(p.Events)),
		Nodes:    make([]*audit.Event, len(p.Events)),
	}
	for i := range p.Events {
		conn.Nodes[i] = &p.Events[i]
		conn.Edges[i] = &model.AuditEventEdge{Cursor: p.Cursors[i], Node: &p.Events[i]}
	}
	return conn
}

// auditDetails is an event's details as a JSON object's text.
func auditDetails(e *audit.Event) (string, error) {
	if e.Details == nil {
		return "{}", nil
	}
	b, err := json.Marshal(e.Details)
	return string(b), err
}

// deref is *v, or 0 for nil (the default).
func deref(v *int) int {
	if v == nil {
		return 0
	}
	return *v
}

func userChange(in model.UpdateUserInput) auth.UserChange {
	c := auth.UserChange{Disabled: in.Disabled, Password: in.Password}
	if in.Role != nil {
		role := authRole(*in.Role)
		c.Role = &role
	}
	if in.WebsiteIds != nil {
		ids := in.WebsiteIds
		c.Websites = &ids
	}
	return c
}

func userConnection(p auth.UserPage) *model.UserConnection {
	conn := &model.UserConnection{
		PageInfo: pageInfo(p.Info, p.Cursors),
		Edges:    make([]*model.UserEdge, len(p.Users)),
		Nodes:    make([]*auth.UserAccount, len(p.Users)),
	}
	for i := range p.Users {
		conn.Nodes[i] = &p.Users[i]
		conn.Edges[i] = &model.UserEdge{Cursor: p.Cursors[i], Node: &p.Users[i]}
	}
	return conn
}
