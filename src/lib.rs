//! recueil: a knowledge base and search engine of CNIL sanction decisions.
//!
//! Data flows one way: [`ingest`] (sources → records) → [`extract`] (text → facts) →
//! [`index`] (schema, analyzers, record store, writer) → [`search`] (queries, filters,
//! facets, snippets, similar) → [`server`] (JSON API and web pages). [`cli`] is the
//! command-line front end beside the server. See ARCHITECTURE.md.

pub mod bench;
pub mod cli;
pub mod error;
pub mod escape;
pub mod eval;
pub mod extract;
pub mod index;
pub mod ingest;
pub mod record;
pub mod search;
pub mod server;
pub mod sync;

pub use error::{Error, Result};
pub use record::Record;
