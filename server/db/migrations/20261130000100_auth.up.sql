-- Users, API tokens and sign-in sessions.
--
-- A user signs in with email and password (an argon2id PHC string); a token
-- is a secret shown once, kept only as its SHA-256. Each holds one role and
-- may be limited to some websites (no rows in *_websites: every website).
-- Websites granted to someone cannot be deleted (the foreign keys restrict),
-- since losing the last one would widen the grant to every website.

CREATE TABLE users (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email                  text NOT NULL CHECK (email <> ''),
    password_hash          text NOT NULL,
    role                   text NOT NULL CHECK (role IN ('analyst', 'viewer', 'editor', 'admin')),
    disabled_at            timestamptz,
    -- Set when someone else (an admin) chose the password; the user is asked
    -- for a new one.
    must_change_password   boolean NOT NULL DEFAULT false,
    -- When the role, websites, password or disabled state last changed:
    -- sessions signed in before it end.
    credentials_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    -- Who created the user, in actor form ('user:7', 'cli').
    created_by             text NOT NULL
);

CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE user_websites (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    website_id bigint NOT NULL REFERENCES websites (id),
    PRIMARY KEY (user_id, website_id)
);

CREATE INDEX user_websites_website ON user_websites (website_id);

CREATE TABLE api_tokens (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL UNIQUE CHECK (name <> ''),
    secret_sha256 bytea NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
    role          text NOT NULL CHECK (role IN ('analyst', 'viewer', 'editor', 'admin')),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Written at most once a minute, not on every request.
    last_used_at  timestamptz,
    expires_at    timestamptz,
    revoked_at    timestamptz
);

CREATE TABLE api_token_websites (
    token_id   bigint NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    website_id bigint NOT NULL REFERENCES websites (id),
    PRIMARY KEY (token_id, website_id)
);

CREATE INDEX api_token_websites_website ON api_token_websites (website_id);

-- Sign-in sessions, in the shape github.com/alexedwards/scs/postgresstore
-- reads and writes: shared by every instance and kept across restarts.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);

CREATE INDEX sessions_expiry_idx ON sessions (expiry);
