package search

import (
	"testing"

	"sxsh/generator/testenv"
)

// TestMain runs the tests as testenv says: folders in memory, and the
// collector run less often, which the indexes of 10,000 pages that some
// tests build make worth it.
func TestMain(m *testing.M) { testenv.Main(m) }
