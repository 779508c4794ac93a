package retry

import (
	"testing"
	"time"
)

func TestCapWaitKeepsUpstreamWithoutCeiling(t *testing.T) {
	pollCeiling = 0
	for _, wait := range []time.Duration{200 * time.Millisecond, 3 * time.Second, 10 * time.Second} {
		if got := capWait(wait); got != wait {
			t.Errorf("capWait(%s) = %s without a ceiling, want it unchanged", wait, got)
		}
	}
}

func TestCapWaitBoundsLongerWaits(t *testing.T) {
	pollCeiling = time.Second
	defer func() { pollCeiling = 0 }()
	cases := map[time.Duration]time.Duration{
		500 * time.Millisecond: 500 * time.Millisecond, // shorter than the ceiling: kept
		3 * time.Second:        time.Second,            // upstream's MinTimeout
		10 * time.Second:       time.Second,            // upstream's cap
	}
	for wait, want := range cases {
		if got := capWait(wait); got != want {
			t.Errorf("capWait(%s) = %s, want %s", wait, got, want)
		}
	}
}

func TestReadPollCeiling(t *testing.T) {
	cases := map[string]time.Duration{"": 0, "0": 0, "-1": 0, "soon": 0, "1": time.Second, "0.5": 500 * time.Millisecond}
	for text, want := range cases {
		t.Setenv(PollIntervalVariable, text)
		if got := readPollCeiling(); got != want {
			t.Errorf("%s=%q: ceiling %s, want %s", PollIntervalVariable, text, got, want)
		}
	}
}
