//go:build unix

package site

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// Two builds of one destination take turns: the second waits, says so,
// and runs once the first has let go.
func TestBuildsOfOneDestinationTakeTurns(t *testing.T) {
	src := exampleSources(t)
	dest := filepath.Join(t.TempDir(), "public")
	unlock := lockDestination(dest, nil) // a build in progress
	waiting := make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := Build(context.Background(), Options{Source: src, Defaults: defaults(), Destination: dest, Now: testNow,
			Waiting: func() { close(waiting) }})
		done <- err
	}()
	select {
	case <-waiting:
	case err := <-done:
		t.Fatalf("the build ran while another held the destination (err %v)", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the build neither waited nor ran")
	}
	select {
	case err := <-done:
		t.Fatalf("the build finished while another held the destination (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	unlock()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the build did not run once the destination was free")
	}
	if readRecord(dest) == nil {
		t.Error("no build record: the waiting build did not publish")
	}
}
