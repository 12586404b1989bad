//! Helpers shared by the integration tests: invented records and in-process servers
//! (`server`), a fake DILA server (`sync`), the real binary driven as a child process
//! (`reliability`), Chromium over the DevTools protocol (`cdp`), and the fuzz targets' checks (`harness`, shared with `fuzz/`).

#[path = "../../../fuzz/harness.rs"]
pub mod harness;
pub mod cdp;
pub mod reliability;
pub mod server;
pub mod sync;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use recueil::index::store::Store;
use recueil::search::Engine;

/// `../shared/data`, which these tests read: without it they fail loudly.
pub fn shared_data() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(dir.join("eval/queries.jsonl").is_file(), "../shared/data is missing: these tests need the shared data set");
    dir
}

/// One index of the shared GDPRhub pages and DILA texts, without the embedded corpus (whose
/// bilingual summaries would carry the matches), built once for every test that searches it.
pub fn shared_engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let data = shared_data();
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            recueil::ingest::ingest_paths(&store, &[data.join("gdprhub"), data.join("dila")]).unwrap();
            let engine = Engine::open(dir.path()).unwrap();
            (dir, engine)
        })
        .1
}

