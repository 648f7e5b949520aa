//go:build unix

package site

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Two builds of one destination take turns: the second waits, says so,
// and runs once the first has let go.
func TestBuildsOfOneDestinationTakeTurns(t *testing.T) {
	src := exampleSources(t)
	dest := filepath.Join(t.TempDir(), "public")
	unlock, held, err := lockDestination(dest, nil) // a build in progress
	if !held {
		t.Fatalf("no lock on this file system: %v", err)
	}
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

// A build of another destination in the same folder does not wait.
func TestBuildsOfOtherDestinationsDoNotWait(t *testing.T) {
	dir := t.TempDir()
	unlock, held, err := lockDestination(filepath.Join(dir, "public"), nil)
	if !held {
		t.Fatalf("no lock on this file system: %v", err)
	}
	defer unlock()
	_, err = Build(context.Background(), Options{Source: exampleSources(t), Defaults: defaults(), Destination: filepath.Join(dir, "staging"), Now: testNow,
		Waiting: func() { t.Error("the build of staging waited for a build of public") }})
	if err != nil {
		t.Fatal(err)
	}
}

// What a stopped build left beside the destination, a half-made tree or
// a standby half linked, goes with the next build; other files stay.
func TestLeftoversOfStoppedBuildsGo(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	left := []string{".public.new-123", ".public.new-456.old", ".public.sxsh-standby.new-789"}
	for _, d := range left {
		if err := os.MkdirAll(filepath.Join(dir, d, "tin-tuc"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	keep := []string{".publicity.new-1", "public.new-2", "notes.txt"}
	for _, f := range keep {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Build(context.Background(), Options{Source: exampleSources(t), Defaults: defaults(), Destination: dest, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	for _, d := range left {
		if _, err := os.Stat(filepath.Join(dir, d)); err == nil {
			t.Errorf("%s is still there", d)
		}
	}
	for _, f := range keep {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s was removed", f)
		}
	}
}
