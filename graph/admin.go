package graph

import (
	"context"
	"encoding/json"

	"github.com/segments/segments/graph/model"
	"github.com/segments/segments/server/account"
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
	v := &model.Viewer{Name: p.Name, Role: modelRole(p.Role), MustChangePassword: p.MustChangePassword}
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

// websites are the catalog entries of ids, in order; none for an empty
// list (every website).
func websites(ctx context.Context, ids []int64) ([]*catalog.Website, error) {
	return loadersFor(ctx).websites(ctx, ids)
}

func auditFilter(f *model.AuditFilter) audit.Filter {
	if f == nil {
		return audit.Filter{}
	}
	return audit.Filter{Actions: f.Actions, Principal: str(f.Principal), From: f.From, To: f.To}
}

// nodesAndEdges is a connection's nodes and edges from a page's rows and cursors.
func nodesAndEdges[N, E any](rows []N, cursors []string, edge func(cursor string, node *N) E) (nodes []*N, edges []E) {
	nodes, edges = make([]*N, len(rows)), make([]E, len(rows))
	for i := range rows {
		nodes[i], edges[i] = &rows[i], edge(cursors[i], &rows[i])
	}
	return nodes, edges
}

func auditConnection(p audit.Page) *model.AuditEventConnection {
	conn := &model.AuditEventConnection{PageInfo: pageInfo(p.Info, p.Cursors)}
	conn.Nodes, conn.Edges = nodesAndEdges(p.Events, p.Cursors, func(c string, n *audit.Event) *model.AuditEventEdge {
		return &model.AuditEventEdge{Cursor: c, Node: n}
	})
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

func userChange(in model.UpdateUserInput) account.UserChange {
	c := account.UserChange{Disabled: in.Disabled, Password: in.Password}
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

func userConnection(p account.UserPage) *model.UserConnection {
	conn := &model.UserConnection{PageInfo: pageInfo(p.Info, p.Cursors)}
	conn.Nodes, conn.Edges = nodesAndEdges(p.Users, p.Cursors, func(c string, n *account.User) *model.UserEdge {
		return &model.UserEdge{Cursor: c, Node: n}
	})
	return conn
}
