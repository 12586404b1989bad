//! Schema, analyzers and the index writer. See ARCHITECTURE.md.
//!
//! Interface used by the rest of the crate:
//! - [`Builder`] writes a complete tantivy index into an empty directory, one record at a time;
//! - [`validate`] checks a built index (doc count, checksums) before it is switched in;
//! - [`open`] opens a built index with recueil's analyzers registered.
//!
//! The schema lives here and nowhere else: [`Fields`] names every field and
//! [`Fields::document`] is the one place a record becomes a tantivy document.

pub mod analysis;
mod document;
mod facet;
mod location;
mod lookup;
mod open;
mod readonly;
mod schema;
pub mod store;
mod validate;
pub mod words;
mod writer;

pub use document::{date_time, instant};
pub use location::{passage_source, Location, PassageSource, TextAt};
pub use lookup::Lookup;
pub use open::open;
pub use facet::Facet;
pub use schema::Fields;
pub use validate::{validate, validate_except};
pub use writer::Writer;

#[cfg(test)]
mod tests;
