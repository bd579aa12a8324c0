// Package country knows the ISO 3166-1 alpha-2 country codes and their
// English names.
//
// The list holds the 249 officially assigned codes (no exceptionally or
// transitionally reserved ones such as UK, EU or XK), so a code that passes
// Valid is one every other system that speaks ISO 3166-1 understands. Names
// are the ISO English short names, lightly shortened for display ("United
// States", "Bolivia"), the way a merchant expects to read them in a report.
package country
