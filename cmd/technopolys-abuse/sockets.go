package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// tcpStates are the states of /proc/net/tcp that matter here, by their
// hexadecimal code.
var tcpStates = map[string]string{"01": "ESTABLISHED", "04": "FIN-WAIT-1", "05": "FIN-WAIT-2", "06": "TIME-WAIT",
	"07": "CLOSE", "08": "CLOSE-WAIT", "09": "LAST-ACK", "0B": "CLOSING"}

// portSet is the local ports of this tool's connections, to find their
// other ends, the server's sockets, in /proc/net/tcp.
type portSet struct {
	mu    sync.Mutex
	ports map[int]bool
}

func (p *portSet) add(port int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ports == nil {
		p.ports = map[int]bool{}
	}
	p.ports[port] = true
}

// serverSide reads the kernel's view of the server's ends of our
// connections: whether the server still holds each one (ESTABLISHED) or
// has closed it and left the kernel to deliver the rest (FIN-WAIT-1), and
// how many bytes wait unsent. It tells a server stuck writing to a slow
// reader from one whose response simply fit in the socket buffers.
func (p *portSet) serverSide(serverPort int) string {
	b, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		return "server sockets unknown"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	states := map[string]int{}
	var unsent int64
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		if len(f) < 5 || port(f[1]) != serverPort || !p.ports[port(f[2])] {
			continue
		}
		st, ok := tcpStates[f[3]]
		if !ok {
			st = f[3]
		}
		states[st]++
		tx, _, _ := strings.Cut(f[4], ":")
		n, _ := strconv.ParseInt(tx, 16, 64)
		unsent += n
	}
	return fmt.Sprintf("server side near the end: %s, %d KB unsent in kernel buffers", kinds(states), unsent/1024)
}

// port reads the port of a /proc/net/tcp address ("0100007F:4705").
func port(addr string) int {
	_, hex, _ := strings.Cut(addr, ":")
	n, err := strconv.ParseInt(hex, 16, 32)
	if err != nil {
		return -1
	}
	return int(n)
}
