//! `recueil export --ndjson` and `recueil export --mapping`: the knowledge base for an
//! OpenSearch cluster (docs/scale-out.md).
use std::path::Path;
use std::process::ExitCode;

use crate::index::store::Store;
use crate::Result;

use super::opensearch::{mapping as index_body, Document};
use super::output::{print, Stdout};

/// The `_bulk` body, one action line and one document line per decision, written as it goes;
/// it stops quietly when the reader goes away.
pub fn ndjson(index_dir: &Path, index_name: &str) -> Result<ExitCode> {
    let decisions = Store::open(index_dir)?.decisions()?;
    let mut out = Stdout::new();
    for r in &decisions {
        let action = serde_json::json!({"index": {"_index": index_name, "_id": r.id}});
        let line = format!("{action}\n{}\n", serde_json::to_string(&Document::from(r))?);
        if !out.write(&line)? {
            break;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mapping() -> Result<ExitCode> {
    print(&(serde_json::to_string_pretty(&index_body())? + "\n"))?;
    Ok(ExitCode::SUCCESS)
}
