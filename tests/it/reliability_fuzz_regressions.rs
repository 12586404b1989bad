//! Replays every input kept under `fuzz/regressions/<target>/` (crashes the fuzzers found,
//! and hostile inputs written by hand) through the same checks as the fuzz targets.

use crate::support::harness;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions").join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no regression input under {}", dir.display());
    for input in inputs {
        let data = std::fs::read(&input).expect("read regression input");
        eprintln!("{target}: {}", input.display());
        check(&data);
    }
}

#[test]
fn extract_text_regressions() {
    replay("extract_text", harness::extract_text);
}

/// Inputs too large to keep as files: long repetitive texts must be read in bounded time
/// (a quadratic scan over a 0.5 MB decision would take minutes).
#[test]
fn extract_text_on_pathological_sizes() {
    let inputs = [
        ("repeated amounts", "une amende de 1 000 euros, ".repeat(20_000)),
        ("one long word", format!("{} amende de 5 euros", "a".repeat(300_000))),
        ("empty paragraphs", "\n\n".repeat(100_000)),
        ("repeated headings", "PAR CES MOTIFS\n\nI. Sur le manquement à l'article 32\n\n".repeat(10_000)),
        ("repeated dates", "le 1er janvier 2020, ".repeat(20_000)),
    ];
    for (what, text) in inputs {
        let started = std::time::Instant::now();
        harness::extract_text(text.as_bytes());
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(10), "{what}: extraction of {} bytes took {took:?}", text.len());
    }
}

#[test]
fn dila_xml_regressions() {
    replay("dila_xml", harness::dila_xml);
}

#[test]
fn gdprhub_html_regressions() {
    replay("gdprhub_html", harness::gdprhub_html);
}

#[test]
fn gdprhub_wikitext_regressions() {
    replay("gdprhub_wikitext", harness::gdprhub_wikitext);
}

#[test]
fn markdown_regressions() {
    replay("markdown", harness::markdown);
}

#[test]
fn query_regressions() {
    replay("query", harness::query);
}

/// Hostile inputs too large to keep as files, each read in bounded time: deep nesting that
/// makes tree builders quadratic or recursive parsers overflow, and inputs over the size cap.
/// Run with `--nocapture` to see each outcome.
#[test]
fn oversized_and_deeply_nested_sources() {
    let deep_html = format!("<!DOCTYPE html><html><body>{}x{}</body></html>", "<div>".repeat(40_000), "</div>".repeat(40_000));
    let deep_xml = format!(
        "<?xml version=\"1.0\"?><TEXTE_CNIL><META><META_COMMUN><ID>CNILTEXT000099999920</ID></META_COMMUN></META>\
         <TEXTE><BLOC_TEXTUEL><CONTENU>{}Invented.{}</CONTENU></BLOC_TEXTUEL></TEXTE></TEXTE_CNIL>",
        "<p>".repeat(200_000),
        "</p>".repeat(200_000)
    );
    let front = "---\nnumber: SAN-2099-020\nauthority: CNIL\nnature: Sanction\ndate: 2099-01-01\n";
    let deep_md = format!("{front}---\n{}Invented.", "> ".repeat(100_000));
    let deep_yaml = format!("{front}notes: {}x{}\n---\nInvented.", "[".repeat(20_000), "]".repeat(20_000));
    let oversized = vec![b'a'; (recueil::ingest::MAX_FILE_BYTES + 1) as usize];
    let cases: [(&str, &str, fn(&[u8]), &[u8]); 6] = [
        ("40k nested divs", "fuzz.html", harness::gdprhub_html, deep_html.as_bytes()),
        ("200k nested XML elements", "fuzz.xml", harness::dila_xml, deep_xml.as_bytes()),
        ("100k nested block quotes", "fuzz.md", harness::markdown, deep_md.as_bytes()),
        ("20k nested YAML lists", "fuzz.md", harness::markdown, deep_yaml.as_bytes()),
        ("text over the size cap", "fuzz.txt", harness::extract_text_source, &oversized),
        ("XML over the size cap", "fuzz.xml", harness::dila_xml, &oversized),
    ];
    for (what, name, check, data) in cases {
        let started = std::time::Instant::now();
        check(data);
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(20), "{what}: {took:?}");
        match recueil::ingest::read_bytes(name, data) {
            Ok(_) => eprintln!("{what}: accepted, {took:?}"),
            Err(reason) => eprintln!("{what}: rejected ({reason}), {took:?}"),
        }
    }
}

/// The real sources are accepted, and every record read from them keeps the invariants the
/// fuzz targets check (a guard on the guards: a harness that rejected everything would pass
/// the fuzzers vacuously).
#[test]
fn real_sources_are_accepted_and_keep_invariants() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    assert!(data.join("README.md").is_file(), "../shared/data is missing: this test reads the real CNIL data there");
    let mut files = Vec::new();
    let mut stack = vec![data.join("dila/tree"), data.join("gdprhub"), Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "xml" || e == "html" || e == "md") && !path.ends_with("README.md") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 70, "expected the DILA, GDPRhub and corpus files, found {}", files.len());
    for path in files {
        let bytes = std::fs::read(&path).expect("read");
        let record = recueil::ingest::read_bytes(&path.display().to_string(), &bytes)
            .unwrap_or_else(|reason| panic!("{} rejected: {reason}", path.display()));
        harness::check_record(&record);
    }
}
