package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

const (
	// settleMax bounds the wait for a busy server to calm down.
	settleMax = 2 * time.Minute
	// settleTick is one CPU sample; quiet is under a tenth of a core.
	settleTick = 500 * time.Millisecond
	quietTicks = 5 // clock ticks (USER_HZ, 100 a second) per settleTick
)

// settle waits until the server uses next to no CPU: the server keeps
// drawing what an attack asked for after the attack hung up, and that
// backlog belongs to the attack before, not to the next one's ordinary
// traffic. It says how long it waited, and whether the server stayed busy.
func settle(ctx context.Context, pid int) string {
	if pid <= 0 {
		return ""
	}
	start := time.Now()
	last, ok := cpuTicks(pid)
	for ok && time.Since(start) < settleMax && ctx.Err() == nil {
		sleep(ctx, settleTick)
		now, alive := cpuTicks(pid)
		if !alive {
			return ""
		}
		if now-last <= quietTicks {
			if waited := time.Since(start); waited >= 2*settleTick {
				return fmt.Sprintf("waited %s for the server to settle before it", waited.Round(time.Second))
			}
			return ""
		}
		last = now
	}
	return fmt.Sprintf("server still busy after %s of waiting", settleMax)
}

// cpuTicks is a process's user and system CPU time in clock ticks, from
// /proc/PID/stat.
func cpuTicks(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces: count from after it.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	return utime + stime, err1 == nil && err2 == nil
}
