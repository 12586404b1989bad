// `include_dir!` embeds corpus/ (see src/ingest/mod.rs) but cannot tell cargo to watch it:
// rebuild when a corpus file changes.
fn main() {
    println!("cargo:rerun-if-changed=corpus");
}
