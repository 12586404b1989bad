//! `recueil bench`: a synthetic corpus at scale, ingest and search measured in one process,
//! and the same queries on SQLite FTS5 over the same documents.

pub mod corpus;
pub mod queries;
pub mod sqlite;
