// go_pusher pushes to a Pushgateway with the official Go client
// (github.com/prometheus/client_golang/prometheus/push), for test_go_client.py.
//
//	go_pusher -url URL -job JOB [-group NAME=VALUE]... [-format proto|text]
//	          [-user U -password P] put|post|delete < metrics.json
//
// put and post read the metrics to push from stdin: a JSON list of samples
//
//	{"name": "n", "help": "h", "type": "counter|gauge|untyped|histogram|summary",
//	 "labels": {"k": "v"}, "value": 1, "count": 3, "sum": 2.5,
//	 "buckets": {"0.1": 1}, "quantiles": {"0.5": 0.05}}
//
// Each sample becomes a constant metric of one collector, so the client's own registry gathers
// and checks them (one HELP per name, no duplicate series) exactly as it does for instrumented
// code. On an error the client's message goes to stderr and the exit code is 1.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/push"
	"github.com/prometheus/common/expfmt"
)

type sample struct {
	Name      string             `json:"name"`
	Help      string             `json:"help"`
	Type      string             `json:"type"`
	Labels    map[string]string  `json:"labels"`
	Value     float64            `json:"value"`
	Count     uint64             `json:"count"`
	Sum       float64            `json:"sum"`
	Buckets   map[string]uint64  `json:"buckets"`
	Quantiles map[string]float64 `json:"quantiles"`
}

// samples is an unchecked collector (Describe sends nothing): the registry checks the
// gathered metrics for consistency when the client gathers them before the push.
type samples []sample

func (s samples) Describe(chan<- *prometheus.Desc) {}

func (s samples) Collect(ch chan<- prometheus.Metric) {
	for _, m := range s {
		names := make([]string, 0, len(m.Labels))
		for k := range m.Labels {
			names = append(names, k)
		}
		sort.Strings(names)
		values := make([]string, len(names))
		for i, k := range names {
			values[i] = m.Labels[k]
		}
		desc := prometheus.NewDesc(m.Name, m.Help, names, nil)
		var metric prometheus.Metric
		var err error
		switch m.Type {
		case "counter":
			metric, err = prometheus.NewConstMetric(desc, prometheus.CounterValue, m.Value, values...)
		case "gauge":
			metric, err = prometheus.NewConstMetric(desc, prometheus.GaugeValue, m.Value, values...)
		case "untyped":
			metric, err = prometheus.NewConstMetric(desc, prometheus.UntypedValue, m.Value, values...)
		case "histogram":
			metric, err = prometheus.NewConstHistogram(desc, m.Count, m.Sum, floatKeys(m.Buckets), values...)
		case "summary":
			metric, err = prometheus.NewConstSummary(desc, m.Count, m.Sum, floatKeysF(m.Quantiles), values...)
		default:
			err = fmt.Errorf("unknown type %q", m.Type)
		}
		if err != nil {
			metric = prometheus.NewInvalidMetric(desc, err)
		}
		ch <- metric
	}
}

func floatKeys(in map[string]uint64) map[float64]uint64 {
	out := make(map[float64]uint64, len(in))
	for k, v := range in {
		out[parseFloat(k)] = v
	}
	return out
}

func floatKeysF(in map[string]float64) map[float64]float64 {
	out := make(map[float64]float64, len(in))
	for k, v := range in {
		out[parseFloat(k)] = v
	}
	return out
}

func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		fail(fmt.Errorf("bad number %q", s))
	}
	return f
}

type groupFlags []string

func (g *groupFlags) String() string     { return strings.Join(*g, ",") }
func (g *groupFlags) Set(v string) error { *g = append(*g, v); return nil }

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	url := flag.String("url", "", "Pushgateway URL")
	job := flag.String("job", "", "job name")
	format := flag.String("format", "proto", "proto (the client's default) or text")
	user := flag.String("user", "", "basic auth user")
	password := flag.String("password", "", "basic auth password")
	var groups groupFlags
	flag.Var(&groups, "group", "grouping label NAME=VALUE (repeatable)")
	flag.Parse()
	if flag.NArg() != 1 {
		fail(fmt.Errorf("usage: go_pusher [flags] put|post|delete"))
	}

	pusher := push.New(*url, *job)
	for _, g := range groups {
		name, value, _ := strings.Cut(g, "=")
		pusher = pusher.Grouping(name, value)
	}
	if *user != "" {
		pusher = pusher.BasicAuth(*user, *password)
	}
	switch *format {
	case "proto":
	case "text":
		pusher = pusher.Format(expfmt.FmtText)
	default:
		fail(fmt.Errorf("unknown format %q", *format))
	}

	var err error
	switch action := flag.Arg(0); action {
	case "put", "post":
		var metrics samples
		if err := json.NewDecoder(os.Stdin).Decode(&metrics); err != nil {
			fail(fmt.Errorf("reading metrics from stdin: %w", err))
		}
		pusher = pusher.Collector(metrics)
		if action == "put" {
			err = pusher.Push()
		} else {
			err = pusher.Add()
		}
	case "delete":
		err = pusher.Delete()
	default:
		err = fmt.Errorf("unknown action %q", action)
	}
	if err != nil {
		fail(err)
	}
}
