//! Counters exposed at `/metrics` in the Prometheus text format (version 0.0.4).

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub struct Metrics {
    /// Responses by status class: 2xx, 3xx, 4xx, 5xx.
    pub responses: [AtomicU64; 4],
    pub in_flight: AtomicU64,
    /// Sum of request durations in microseconds.
    pub duration_us: AtomicU64,
    pub engine_calls: AtomicU64,
    pub engine_rejected: AtomicU64,
    pub shed: AtomicU64,
    pub reloads: AtomicU64,
    pub reload_failures: AtomicU64,
    pub generation: AtomicU64,
}

impl Metrics {
    pub fn record(&self, status: u16, micros: u64) {
        if let Some(slot) = (status / 100).checked_sub(2).and_then(|i| self.responses.get(i as usize)) {
            slot.fetch_add(1, Ordering::Relaxed);
        }
        self.duration_us.fetch_add(micros, Ordering::Relaxed);
    }

    pub fn render(&self) -> String {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        let mut out = String::new();
        out.push_str("# HELP recueil_http_responses_total HTTP responses by status class.\n");
        out.push_str("# TYPE recueil_http_responses_total counter\n");
        for (i, class) in ["2xx", "3xx", "4xx", "5xx"].iter().enumerate() {
            let _ = writeln!(out, "recueil_http_responses_total{{class=\"{class}\"}} {}", get(&self.responses[i]));
        }
        let total: u64 = self.responses.iter().map(get).sum();
        let seconds = get(&self.duration_us) as f64 / 1e6;
        let rows: [(&str, &str, &str, String); 8] = [
            (
                "recueil_http_request_duration_seconds_sum",
                "counter",
                "Total time spent answering requests.",
                format!("{seconds:.6}"),
            ),
            ("recueil_http_request_duration_seconds_count", "counter", "Requests timed.", total.to_string()),
            ("recueil_http_in_flight", "gauge", "Requests being answered.", get(&self.in_flight).to_string()),
            ("recueil_http_shed_total", "counter", "Requests refused by load shedding.", get(&self.shed).to_string()),
            ("recueil_engine_calls_total", "counter", "Search engine calls run.", get(&self.engine_calls).to_string()),
            (
                "recueil_engine_rejected_total",
                "counter",
                "Search engine calls refused because the queue was full.",
                get(&self.engine_rejected).to_string(),
            ),
            (
                "recueil_index_reloads_total",
                "counter",
                "Switches to a new index generation.",
                get(&self.reloads).to_string(),
            ),
            ("recueil_index_generation", "gauge", "Index generation being served.", get(&self.generation).to_string()),
        ];
        for (name, kind, help, value) in rows {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        }
        let _ = writeln!(
            out,
            "# HELP recueil_index_reload_failures_total Failed attempts to open a new generation.\n# TYPE recueil_index_reload_failures_total counter\nrecueil_index_reload_failures_total {}",
            get(&self.reload_failures)
        );
        out
    }
}
