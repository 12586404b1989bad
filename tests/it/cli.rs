//! The `recueil` binary as a shell user meets it: exit codes, where output and errors go, a
//! closed pipe, paging, completions, the configuration file, the folder walk, the
//! OpenSearch export. Every record here comes from the embedded corpus or is invented.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary in a clean environment: no configuration file of the user's is found.
fn recueil(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_recueil"));
    c.current_dir(cwd)
        .env_remove("RECUEIL_INDEX_DIR")
        .env_remove("RECUEIL_CONFIG")
        .env_remove("RECUEIL_ADDR")
        .env("HOME", cwd)
        .env("XDG_CONFIG_HOME", cwd.join("xdg"));
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `recueil ingest corpus` into `dir/index`: the corpus folder holds a README beside the records.
fn ingest_corpus(dir: &Path) -> Output {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    recueil(dir).args(["--index-dir", "index", "ingest"]).arg(&corpus).output().unwrap()
}

#[test]
fn the_corpus_folder_ingests_cleanly_and_searches_page_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let out = ingest_corpus(dir.path());
    assert!(out.status.success(), "exit {:?}\nstdout {}\nstderr {}", out.status, text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("rejected:  0"), "{}", text(&out.stdout));

    let search = |args: &[&str]| {
        let out = recueil(dir.path()).args(["--index-dir", "index", "search", "--json"]).args(args).output().unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let numbers = |v: &serde_json::Value| -> Vec<String> {
        v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
    };
    let all = search(&["--sort", "date", "--limit", "6", ""]);
    let second = search(&["--sort", "date", "--limit", "3", "--offset", "3", ""]);
    assert_eq!(numbers(&second), numbers(&all)[3..6]);
    let first = search(&["--sort", "date", "--limit", "3", ""]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let next = search(&["--sort", "date", "--limit", "3", "--cursor", cursor, ""]);
    assert_eq!(numbers(&next), numbers(&all)[3..6]);
    // Date-sorted hits carry neither a score nor an empty snippet.
    assert!(all["hits"].as_array().unwrap().iter().all(|h| h.get("score").is_none()));

    let text_page = recueil(dir.path()).args(["--index-dir", "index", "search", "--limit", "2", "amende"]).output().unwrap();
    assert!(text(&text_page.stdout).contains("next page: --cursor "), "{}", text(&text_page.stdout));

    // A reader that goes away, before or after the first bytes: exit 0, nothing on stderr.
    for keep in [0usize, 10] {
        let mut child = recueil(dir.path())
            .args(["--index-dir", "index", "search", "--limit", "100", "--json", ""])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut head = vec![0; keep];
        stdout.read_exact(&mut head).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "| head -c {keep}: {}", text(&out.stderr));
        assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
    }

    // The OpenSearch export: an action line, then a document whose keys the mapping has.
    let mapping = recueil(dir.path()).args(["--index-dir", "index", "export", "--mapping"]).output().unwrap();
    let mapping: serde_json::Value = serde_json::from_slice(&mapping.stdout).unwrap();
    let properties = mapping["mappings"]["properties"].as_object().unwrap();
    let bulk = recueil(dir.path()).args(["--index-dir", "index", "export", "--ndjson"]).output().unwrap();
    assert!(bulk.status.success(), "{}", text(&bulk.stderr));
    let lines: Vec<serde_json::Value> = text(&bulk.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2 * all["total"].as_u64().unwrap() as usize);
    for pair in lines.chunks(2) {
        assert_eq!(pair[0]["index"]["_index"], "recueil");
        assert_eq!(pair[0]["index"]["_id"], pair[1]["id"]);
        for (key, value) in pair[1].as_object().unwrap() {
            let kind = properties.get(key).unwrap_or_else(|| panic!("{key} not in the mapping"))["type"].as_str().unwrap();
            let fits = match value {
                serde_json::Value::Null => true,
                serde_json::Value::Number(_) => kind == "long",
                serde_json::Value::Bool(_) => kind == "boolean",
                serde_json::Value::String(_) => ["keyword", "text", "date"].contains(&kind),
                serde_json::Value::Array(items) => items.iter().all(|i| i.is_string()) && kind == "keyword",
                serde_json::Value::Object(_) => false,
            };
            assert!(fits, "{key}: {value} in a {kind} field");
        }
    }
    assert!(!text(&bulk.stdout).contains("\"source\""), "no server paths in the export");
}

#[test]
fn exit_codes_and_errors_follow_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    assert!(ingest_corpus(dir.path()).status.success());
    let run = |args: &[&str]| recueil(dir.path()).args(["--index-dir", "index"]).args(args).output().unwrap();

    // An invalid query is a usage error: 2, on stderr, as JSON under --json.
    let out = run(&["search", "(unbalanced"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).starts_with("error: invalid query"), "{}", text(&out.stderr));
    let out = run(&["search", "--json", "sectr:health"]);
    assert_eq!(out.status.code(), Some(2));
    let e: serde_json::Value = serde_json::from_slice(&out.stderr).expect("a JSON error on stderr");
    assert_eq!(e["code"], "invalid_query");
    assert!(e["message"].as_str().unwrap().contains("sectr"));
    // A bad flag value: clap's usage error, 2.
    assert_eq!(run(&["search", "--limit", "0", "x"]).status.code(), Some(2));
    assert_eq!(run(&["search", "--offset", "3", "--cursor", "c", "x"]).status.code(), Some(2));
    // A bad cursor is a bad parameter: 2.
    assert_eq!(run(&["search", "--cursor", "garbage", "x"]).status.code(), Some(2));
    // Run-time failures: 1, the os error printed once.
    let out = run(&["extract", "no-such-file.xml"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
    let out = run(&["show", "--json", "SAN-1900-001"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&out.stderr).unwrap()["code"], "not_found");

    // Ingest: rejections on stderr, the report on stdout, exit 1.
    std::fs::write(dir.path().join("broken.xml"), "<TEXTE_JURI_ADMIN><unclosed>").unwrap();
    let out = run(&["ingest", "broken.xml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("rejected broken.xml"), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("rejected:  1") && !text(&out.stdout).contains("broken.xml"));

    // Help explains the query language and the exit codes; completions exist.
    let help = text(&run(&["search", "--help"]).stdout);
    assert!(help.contains("article:33") && help.contains("fine>=10000") && !help.contains("see README"), "{help}");
    assert!(text(&run(&["--help"]).stdout).contains("Exit codes"));
    let bash = run(&["completions", "bash"]);
    assert!(bash.status.success() && text(&bash.stdout).contains("recueil"));
}

#[test]
fn a_folder_walk_skips_what_is_not_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("records");
    std::fs::create_dir_all(folder.join("drafts")).unwrap();
    let record = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/decisions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    std::fs::copy(&record, folder.join("one.md")).unwrap();
    // Invented non-records: documentation, and a draft the ignore file names.
    for name in ["README.md", "LICENSE.md", "CHANGELOG.md", "drafts/wip.md", "notes.tmp.md"] {
        std::fs::write(folder.join(name), "invented: not a record\n").unwrap();
    }
    std::fs::write(folder.join(".recueilignore"), "# invented\ndrafts/\n*.tmp.md\n").unwrap();
    let out = recueil(dir.path()).args(["--index-dir", "index", "ingest", "--json", "records"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((report["ingested"].as_u64(), report["rejected"].as_array().map(Vec::len)), (Some(1), Some(0)));
    // Named explicitly, a README is read (and refused here).
    let out = recueil(dir.path()).args(["--index-dir", "index", "ingest", "records/README.md"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn configuration_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    let named = |out: &Output, name: &str| text(&out.stderr).contains(&format!("no index in {name}"));
    std::fs::write(dir.path().join("recueil.toml"), "# invented\nindex_dir = \"from-file\"\n[search]\nlimit = 3\n").unwrap();
    let out = recueil(dir.path()).args(["search", "x"]).output().unwrap();
    assert!(named(&out, "from-file"), "{}", text(&out.stderr));
    let out = recueil(dir.path()).env("RECUEIL_INDEX_DIR", "from-env").args(["search", "x"]).output().unwrap();
    assert!(named(&out, "from-env"), "{}", text(&out.stderr));
    let out = recueil(dir.path())
        .env("RECUEIL_INDEX_DIR", "from-env")
        .args(["--index-dir", "from-flag", "search", "x"])
        .output()
        .unwrap();
    assert!(named(&out, "from-flag"), "{}", text(&out.stderr));
    // The file's values are the flags' defaults, shown by --help.
    let help = text(&recueil(dir.path()).args(["search", "--help"]).output().unwrap().stdout);
    assert!(help.contains("[default: 3]"), "{help}");

    // An explicit file, and a broken one: a usage error.
    std::fs::write(dir.path().join("other.toml"), "[serve]\nadress = \"x\"\n").unwrap();
    let out = recueil(dir.path()).args(["--config", "other.toml", "search", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown field"), "{}", text(&out.stderr));
    let out = recueil(dir.path()).env("RECUEIL_CONFIG", "missing.toml").args(["search", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
}
