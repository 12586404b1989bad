//! Measurements of the pipeline against judged data, beside [`crate::bench`]: extraction
//! against gold facts ([`extraction`]) and ranking against judged queries ([`search`]). They
//! drive the public pipeline (ingest's adapters, the extractor, the search engine) and add
//! nothing to it, so that `extract` depends on `record` alone.

pub mod extraction;
pub mod search;
