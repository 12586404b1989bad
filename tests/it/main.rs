//! The integration tests, one binary (one link): one module per subsystem or concern, helpers in
//! `support`. Run one module with `cargo test --test it MODULE::`.

mod support;

mod bench;
mod cli;
mod corpus;
mod decisions;
mod extract_gold;
mod ingest;
mod ingest_hostile;
mod prop_amounts;
mod prop_ingest;
mod prop_query;
mod reliability_faults;
mod reliability_fuzz_regressions;
mod reliability_index;
mod reliability_probe;
mod reliability_server;
mod search_acceptance;
mod search_crosslingual;
mod search_engine;
mod search_lexicon;
mod server_api;
mod server_browser;
mod server_cli;
mod server_http;
mod server_i18n;
mod server_metrics;
mod server_openapi;
mod server_real;
mod server_socket;
mod server_sync_api;
mod server_web;
mod sync;
mod sync_download;
