//! Property tests of the query language through `Engine::search`: whatever the query and
//! the paging parameters, a search returns results or a client error (`InvalidQuery` /
//! `InvalidParameter`, both 400), never a panic, an abort or another error kind.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use recueil::search::{Engine, Order, SearchRequest, SortBy, MAX_LIMIT, MAX_OFFSET};
use recueil::Error;
use crate::support::reliability::*;

/// One index for the whole test binary: the DILA decisions plus a few GDPRhub pages.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("prop_query-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut inputs = vec![dila_tree()];
        inputs.extend(gdprhub_pages().into_iter().take(6));
        ingest_ok(&dir, &inputs);
        Engine::open(&dir).expect("open engine on the test index")
    })
}

/// Pieces of the query language and of the traps measured on tantivy's own parser.
const PIECES: &[&str] = &[
    "données", "securite", "sécurité", "cookies", "SAN-2022-001", "CNILTEXT000051882375", "vidéosurveillance", "l'entreprise",
    "d’une", "AND", "OR", "NOT", "-", "+", "*", "- *", "-*", "(", ")", "\"", "'", ":", "title:", "title:*", "*:*", "a:b:c",
    "~", "~3", "^", "^1e308", "\\", "[", "]", "{", "}", "TO", "year:[2000 TO", "99999999999999999999999", "breached:GDPR:32",
    "breached:", "sector:\"Health Care\"", "sector:", "kind:company", "respondent:", "year:2021", "year:2019..2022",
    "year:-5", "year:99999999999", "date:2020-01-01..2021-12-31", "date:2020-13-45", "fine:>100000", "fine:<", "fine:1..",
    "fine:-1", "fine:1e400", "\0", "\u{1F600}", "\u{202F}", "\u{FEFF}", "é", "/regex/", ".*", "(a|aa|aaa){50}", "?", "&&",
    "||", "!", ";", ",", "..",
];

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        // Anything at all, including control characters and long inputs.
        3 => any::<String>(),
        3 => "\\PC{0,2000}",
        // Sequences of language pieces, with and without spaces.
        4 => proptest::collection::vec((proptest::sample::select(PIECES), prop_oneof![Just(" "), Just("")]), 0..40)
            .prop_map(|v| v.into_iter().flat_map(|(p, s)| [p, s]).collect::<String>()),
        // Deep nesting: tantivy's recursive parser aborts the process past a few thousand levels.
        1 => (0usize..6000, proptest::sample::select(&["(", "((", "(\"", "-(", "NOT ("][..]))
            .prop_map(|(depth, open)| format!("{}données{}", open.repeat(depth), ")".repeat(depth))),
        // Many terms and clauses.
        1 => (0usize..5000).prop_map(|n| vec!["cnil"; n].join(" OR ")),
        1 => (0usize..200_000).prop_map(|n| "a".repeat(n)),
    ]
}

fn request() -> impl Strategy<Value = SearchRequest> {
    (
        query(),
        (prop_oneof![Just(SortBy::Relevance), Just(SortBy::Date), Just(SortBy::Fine)], prop_oneof![Just(Order::Desc), Just(Order::Asc)]),
        prop_oneof![Just(0usize), 1usize..=MAX_LIMIT, Just(MAX_LIMIT + 1), Just(usize::MAX)],
        prop_oneof![Just(0usize), 0usize..=MAX_OFFSET, Just(MAX_OFFSET + 1), Just(usize::MAX - 5)],
        prop_oneof![Just(None), any::<String>().prop_map(Some), "[A-Za-z0-9_-]{0,64}".prop_map(Some)],
        any::<bool>(),
    )
        .prop_map(|(query, (sort, order), limit, offset, cursor, snippets)| SearchRequest {
            query,
            sort,
            order,
            limit,
            offset,
            cursor,
            snippets,
            ..Default::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn search_never_panics_and_errors_are_client_errors(req in request()) {
        let started = Instant::now();
        let result = engine().search(&req);
        let took = started.elapsed();
        prop_assert!(took < Duration::from_secs(5), "search took {took:?} for a {}-byte query", req.query.len());
        match result {
            Ok(res) => {
                prop_assert!((1..=MAX_LIMIT).contains(&req.limit), "limit {} was accepted", req.limit);
                prop_assert!(req.offset <= MAX_OFFSET, "offset {} was accepted", req.offset);
                prop_assert!(res.hits.len() <= req.limit);
                prop_assert!(res.total >= res.hits.len());
            }
            Err(Error::InvalidQuery(msg)) => {
                prop_assert!(!msg.is_empty() && msg.len() < 500, "unhelpful or oversized message: {msg:?}");
                prop_assert!(!msg.contains("Only excluding terms given") || req.query.contains('-') || req.query.contains("NOT"),
                    "raw tantivy message leaked: {msg:?}");
            }
            Err(Error::InvalidParameter { .. } | Error::CursorExpired(_)) => {}
            Err(other) => prop_assert!(false, "{:?} → {other:?} (code {}), expected a 400", req.query, other.code()),
        }
    }
}

/// The engine is no toy to the properties above: a plain word does find decisions.
#[test]
fn a_plain_word_finds_decisions() {
    let res = engine().search(&SearchRequest { query: "données".into(), ..SearchRequest::default() }).expect("search");
    assert!(res.total > 0 && !res.hits.is_empty(), "no hit for a word every decision contains");
}
