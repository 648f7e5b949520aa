// Package counter is the website's visitor counter: an HTTP service that
// the pages' script posts a hit to and reads the counts from, its store on
// disk, and the import of web servers' access logs into the same store.
//
// A visit is a visitor's first hit after VisitGap without one. Visitors are
// told apart by a hash of a daily secret salt, the address and the
// User-Agent, held in memory only: the store keeps page views per day and
// path and visits per day, and nothing that names a reader.
//
// The package imports nothing else of the generator: it runs as a service
// of its own.
package counter
