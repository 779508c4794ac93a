// govcloud's addition to the bridge's terraform-plugin-sdk (package helper/retry), compiled
// in by scripts/build-engine through `go build -overlay` together with retry-poll-ceiling.patch;
// the module itself is left as the proxy serves it.
//
// The provider's state-change waits (retry.StateChangeConf: a server becoming ACTIVE, a
// volume detached, a port gone) read at once, then after MinTimeout (3 s in every
// resource govcloud uses), doubling up to 10 s. A volume gone 1 s after its delete is thus
// seen after 3 s, a server ACTIVE after 10 s is seen at 19 s, and a destroy is a chain of
// such waits. GOVCLOUD_POLL_INTERVAL (seconds, set by govcloud from its setting of that
// name) caps each wait between two reads; unset, empty or 0 leaves upstream's waits as they
// are (a hand-run pulumi without `govcloud env`).

package retry

import (
	"os"
	"strconv"
	"time"
)

// PollIntervalVariable names the environment variable with the longest wait, in seconds.
const PollIntervalVariable = "GOVCLOUD_POLL_INTERVAL"

var pollCeiling = readPollCeiling()

func readPollCeiling() time.Duration {
	seconds, err := strconv.ParseFloat(os.Getenv(PollIntervalVariable), 64)
	if err != nil || seconds <= 0 {
		return 0
	}
	return time.Duration(seconds * float64(time.Second))
}

// capWait is the wait before the next read: upstream's, or the ceiling when that is shorter.
func capWait(wait time.Duration) time.Duration {
	if pollCeiling > 0 && wait > pollCeiling {
		return pollCeiling
	}
	return wait
}
