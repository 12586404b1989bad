//! Helpers shared by the integration tests: invented records and in-process servers
//! (`server`), a fake DILA server (`sync`), the real binary driven as a child process
//! (`reliability`), and the fuzz targets' checks (`harness`, shared with `fuzz/`).

#[path = "../../../fuzz/harness.rs"]
pub mod harness;
pub mod reliability;
pub mod server;
pub mod sync;
