package imagecache

import "sync/atomic"

// Stats are a cache's counters since it was made.
type Stats struct {
	Hits, Misses, Evictions, Refused atomic.Int64
	// InFlight is how many draws run now.
	InFlight atomic.Int64
}
