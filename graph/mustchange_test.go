package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/segments/segments/server/account"
	"github.com/segments/segments/server/auth"
	"github.com/segments/segments/server/authn"
)

// signedIn is the answer of POST /auth/sign-in: the session's headers and
// whether the viewer must choose a new password.
type signedIn struct {
	header             map[string]string
	mustChangePassword bool
}

// signIn signs email in through the real gate and returns its session.
func signIn(t *testing.T, a *api, email, password string) signedIn {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req, err := http.NewRequest(http.MethodPost, a.url+"/auth/sign-in", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", matrixOrigin)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode, "sign in %s", email)
	var out struct {
		Viewer map[string]any `json:"viewer"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	flag, ok := out.Viewer["mustChangePassword"].(bool)
	require.True(t, ok, "the viewer JSON says mustChangePassword: %v", out.Viewer)
	for _, c := range res.Cookies() {
		if c.Name == authn.CookieName {
			return signedIn{header: map[string]string{"Cookie": c.Name + "=" + c.Value, "Origin": matrixOrigin}, mustChangePassword: flag}
		}
	}
	t.Fatalf("sign-in of %s set no session cookie", email)
	return signedIn{}
}

const reportQuery = `{ segments(first: 5) { totalCount } }`

func TestAUserWhosePasswordAnAdminSetMustChooseANewOneFirst(t *testing.T) {
	t.Parallel()
	a := newAPI(t)

	// An admin (here through its API token) creates the user and picks
	// its first password.
	var created struct {
		CreateUser struct {
			ID                 string `json:"id"`
			MustChangePassword bool   `json:"mustChangePassword"`
		} `json:"createUser"`
	}
	a.ok(`mutation($in: CreateUserInput!) { createUser(input: $in) { id mustChangePassword } }`,
		map[string]any{"in": map[string]any{"email": "new@example.com", "role": "EDITOR", "password": matrixPassword}}, &created)
	require.True(t, created.CreateUser.MustChangePassword)

	s := signIn(t, a, "new@example.com", matrixPassword)
	require.True(t, s.mustChangePassword, "sign-in tells the app to ask for a new password")

	// The report, and any mutation, is refused before it runs.
	status, data, errs := matrixPost(t, a.url, s.header, reportQuery, nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, errs, 1)
	require.Equal(t, "FORBIDDEN", errs[0].Extensions["code"])
	require.Equal(t, "Choose a new password first: an admin set yours.", errs[0].Message)
	require.JSONEq(t, `null`, string(data))
	segment := itoa(a.segs[0])
	_, _, errs = matrixPost(t, a.url, s.header, `mutation($ids: [ID!]!) { deleteSegments(ids: $ids) }`, map[string]any{"ids": []string{segment}})
	require.Len(t, errs, 1)
	require.Equal(t, "FORBIDDEN", errs[0].Extensions["code"])
	var still struct {
		Segment *struct{ ID string } `json:"segment"`
	}
	a.ok(`query($id: ID!) { segment(id: $id) { id } }`, map[string]any{"id": segment}, &still)
	require.NotNil(t, still.Segment, "the refused mutation deleted nothing")

	// The viewer works and says why.
	_, data, errs = matrixPost(t, a.url, s.header, `{ viewer { email mustChangePassword } }`, nil)
	require.Empty(t, errs)
	require.JSONEq(t, `{"viewer":{"email":"new@example.com","mustChangePassword":true}}`, string(data))

	// So does /auth/session.
	req, err := http.NewRequest(http.MethodGet, a.url+"/auth/session", nil)
	require.NoError(t, err)
	req.Header.Set("Cookie", s.header["Cookie"])
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var session struct {
		Viewer struct {
			MustChangePassword bool `json:"mustChangePassword"`
		} `json:"viewer"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&session))
	res.Body.Close()
	require.True(t, session.Viewer.MustChangePassword)

	// The user picks a new password: every session ends, this one too.
	const chosen = "my own long passphrase"
	_, data, errs = matrixPost(t, a.url, s.header, `mutation($c: String!, $n: String!) { changePassword(current: $c, new: $n) }`,
		map[string]any{"c": matrixPassword, "n": chosen})
	require.Empty(t, errs)
	require.JSONEq(t, `{"changePassword":true}`, string(data))
	status, _, errs = matrixPost(t, a.url, s.header, `{ viewer { email } }`, nil)
	require.Equal(t, http.StatusUnauthorized, status)
	require.Equal(t, "UNAUTHENTICATED", errs[0].Extensions["code"])

	// Signed in again, the user sees the report.
	again := signIn(t, a, "new@example.com", chosen)
	require.False(t, again.mustChangePassword)
	_, data, errs = matrixPost(t, a.url, again.header, reportQuery, nil)
	require.Empty(t, errs)
	require.Contains(t, string(data), "totalCount")
}

func TestTokensAndUsersTheCLICreatedNeedNoNewPassword(t *testing.T) {
	t.Parallel()
	a := newAPI(t)

	// An API token answers as before, and its viewer is never flagged.
	var v struct {
		Viewer struct {
			MustChangePassword bool `json:"mustChangePassword"`
		} `json:"viewer"`
	}
	a.ok(`{ viewer { mustChangePassword } }`, nil, &v)
	require.False(t, v.Viewer.MustChangePassword)
	a.ok(reportQuery, nil, nil)

	// The CLI acts as the system: the password it sets is the user's own.
	_, err := account.NewService(a.db).CreateUser(auth.AsSystem(context.Background()),
		account.NewUser{Email: "cli@example.com", Password: matrixPassword, Role: auth.Analyst})
	require.NoError(t, err)
	s := signIn(t, a, "cli@example.com", matrixPassword)
	require.False(t, s.mustChangePassword)
	_, data, errs := matrixPost(t, a.url, s.header, reportQuery, nil)
	require.Empty(t, errs)
	require.Contains(t, string(data), "totalCount")
}
