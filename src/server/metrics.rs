//! Counters, gauges and the request-latency histogram exposed at `/metrics` in the Prometheus
//! text format (version 0.0.4): counters end in `_total`, durations are seconds, and
//! `promtool check metrics` accepts the page (tests/it/server_metrics.rs).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Upper bounds of the latency buckets, in seconds: from a cached hit to the request timeout.
pub const LATENCY_BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Default)]
pub struct Metrics {
    /// Responses by status class: 2xx, 3xx, 4xx, 5xx.
    pub responses: [AtomicU64; 4],
    pub in_flight: AtomicU64,
    pub latency: Histogram,
    pub engine_calls: AtomicU64,
    pub engine_rejected: AtomicU64,
    pub shed: AtomicU64,
    pub reloads: AtomicU64,
    pub reload_failures: AtomicU64,
    pub generation: AtomicU64,
}

/// Observations per bucket (not cumulative: the page adds them up), their sum and count.
#[derive(Default)]
pub struct Histogram {
    buckets: [AtomicU64; LATENCY_BUCKETS.len()],
    sum_us: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    pub fn observe(&self, micros: u64) {
        let seconds = micros as f64 / 1e6;
        if let Some(i) = LATENCY_BUCKETS.iter().position(|&le| seconds <= le) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.sum_us.fetch_add(micros, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn render(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (le, n) in LATENCY_BUCKETS.iter().zip(&self.buckets) {
            cumulative += n.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{le}\"}} {cumulative}");
        }
        // Read after the buckets: a concurrent observation may only make +Inf larger.
        let count = self.count.load(Ordering::Relaxed).max(cumulative);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {:.6}", self.sum_us.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
    }
}

impl Metrics {
    pub fn record(&self, status: u16, micros: u64) {
        if let Some(slot) = (status / 100).checked_sub(2).and_then(|i| self.responses.get(i as usize)) {
            slot.fetch_add(1, Ordering::Relaxed);
        }
        self.latency.observe(micros);
    }

    pub fn render(&self) -> String {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut out = String::new();
        out.push_str("# HELP recueil_http_responses_total HTTP responses by status class.\n");
        out.push_str("# TYPE recueil_http_responses_total counter\n");
        for (i, class) in ["2xx", "3xx", "4xx", "5xx"].iter().enumerate() {
            let _ = writeln!(out, "recueil_http_responses_total{{class=\"{class}\"}} {}", get(&self.responses[i]));
        }
        self.latency.render(&mut out, "recueil_http_request_duration_seconds", "Time from request to response head.");
        let rows: [(&str, &str, &str, u64); 7] = [
            ("recueil_http_in_flight", "gauge", "Requests being answered.", get(&self.in_flight)),
            ("recueil_http_shed_total", "counter", "Requests refused by load shedding.", get(&self.shed)),
            ("recueil_engine_calls_total", "counter", "Search engine calls run.", get(&self.engine_calls)),
            (
                "recueil_engine_rejected_total",
                "counter",
                "Search engine calls refused because the queue was full.",
                get(&self.engine_rejected),
            ),
            ("recueil_index_reloads_total", "counter", "Switches to a new index generation.", get(&self.reloads)),
            (
                "recueil_index_reload_failures_total",
                "counter",
                "Failed attempts to open a new generation.",
                get(&self.reload_failures),
            ),
            ("recueil_index_generation", "gauge", "Index generation being served.", get(&self.generation)),
        ];
        for (name, kind, help, value) in rows {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative() {
        let m = Metrics::default();
        for micros in [500, 3_000, 3_000, 7_000_000] {
            m.record(200, micros);
        }
        let page = m.render();
        for line in [
            "recueil_http_request_duration_seconds_bucket{le=\"0.001\"} 1",
            "recueil_http_request_duration_seconds_bucket{le=\"0.005\"} 3",
            "recueil_http_request_duration_seconds_bucket{le=\"5\"} 3",
            "recueil_http_request_duration_seconds_bucket{le=\"+Inf\"} 4",
            "recueil_http_request_duration_seconds_count 4",
            "recueil_http_request_duration_seconds_sum 7.006500",
        ] {
            assert!(page.lines().any(|l| l == line), "{line} missing from\n{page}");
        }
    }
}
