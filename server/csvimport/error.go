package csvimport

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/segments/segments/server/db"
)

// maxListedProblems bounds Error.Problems, so a file that is wrong on every
// one of its million lines does not turn into a million-entry list; the
// rest are counted in Error.More.
const maxListedProblems = 10_000

// maxErrorLines is how many problems Error.Error spells out.
const maxErrorLines = 100

// Problem is one bad line of a file (line 1 is the header).
type Problem struct {
	// Line is the file line the bad row starts on (a quoted field can
	// span lines); 1 is the header.
	Line int
	// Message says what is wrong, naming the column and value, in words
	// for the person who will fix the file.
	Message string
}

// String formats the problem as "line N: message".
func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Message) }

// Error lists every bad line of a file; nothing was imported (or deleted).
// Problems are ordered by line; a line can have more than one.
type Error struct {
	// File is the file's name when the reader was an *os.File (anything
	// with a Name method), else empty; callers may set it.
	File string
	// Problems holds the first 10,000 problems by line.
	Problems []Problem
	// More counts the problems found beyond those listed.
	More int
	// Undone is what did not happen, for the message: "imported" when
	// empty; package erasure sets "deleted".
	Undone string
}

// Error lists the problems, at most 100 of them, one per line.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	total := len(e.Problems) + e.More
	undone := e.Undone
	if undone == "" {
		undone = "imported"
	}
	noun := "problems"
	if total == 1 {
		noun = "problem"
	}
	fmt.Fprintf(&b, "%d %s, nothing was %s", total, noun, undone)
	shown := min(len(e.Problems), maxErrorLines)
	for _, p := range e.Problems[:shown] {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	if rest := total - shown; rest > 0 {
		fmt.Fprintf(&b, "\n  and %d more", rest)
	}
	return b.String()
}

// problems collects the problems of one file: all are counted, the first
// maxListedProblems are kept.
type problems struct {
	list  []Problem
	total int
}

func (p *problems) add(line int, format string, args ...any) {
	p.total++
	if len(p.list) < maxListedProblems {
		p.list = append(p.list, Problem{Line: line, Message: fmt.Sprintf(format, args...)})
	}
}

// err returns the *Error for the collected problems, nil if none.
// Problems arrive in line order per source (the CSV pass, then each SQL
// check), so the first maxListedProblems overall are among those kept.
func (p *problems) err(r io.Reader) error {
	if p.total == 0 {
		return nil
	}
	slices.SortStableFunc(p.list, func(a, b Problem) int { return a.Line - b.Line })
	if len(p.list) > maxListedProblems {
		p.list = p.list[:maxListedProblems]
	}
	e := &Error{Problems: p.list, More: p.total - len(p.list)}
	if f, ok := r.(interface{ Name() string }); ok {
		e.File = f.Name()
	}
	return e
}

// sqlCheck runs a validation query returning (line, message, total) rows,
// ordered by line and limited to $1, and adds them to p.
func (p *problems) sqlCheck(ctx context.Context, tx bun.Tx, query string, args ...any) error {
	rows, err := db.Query(ctx, tx, query, append([]any{maxListedProblems}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var line int64
		var msg string
		if err := rows.Scan(&line, &msg, &total); err != nil {
			return err
		}
		p.list = append(p.list, Problem{Line: int(line), Message: msg})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	p.total += total
	return nil
}
