//! recueil: a knowledge base and search engine of CNIL sanction decisions.
//!
//! Data flows one way: [`ingest`] (sources → records) → [`extract`] (text → facts) →
//! [`index`] (schema, analyzers, record store, writer) → [`search`] (queries, filters,
//! facets, snippets, similar) → [`server`] (JSON API and web pages). [`cli`] is the
//! command-line front end beside the server. See ARCHITECTURE.md.
//!
//! Features: the library alone (`default-features = false`) reads, extracts, indexes and
//! searches; `server`, `sync`, `bench` (the SQLite FTS5 peer) and `cli` (the `recueil`
//! command, which needs the other three) add the front ends. `cli` is the default.

#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "cli")]
pub mod cli;
pub mod error;
pub mod escape;
pub mod eval;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod record;
pub mod search;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "sync")]
pub mod sync;

pub use error::{Error, Result};
pub use record::Record;
