//! Keeps the knowledge base current from DILA's open-data server: read the directory listing,
//! download the archives not applied yet (resumably, within a size cap), verify each one, then
//! ingest it and apply its deletion list, recording every applied archive in a state file.

pub mod fetch;
pub mod listing;
pub mod state;
pub mod verify;
