//! The text index against a naive scan of the same words, and its cache.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use cabletriage::corpus::Corpus;
use cabletriage::corpus::Entry;
use cabletriage::corpus::cache::key_for;
use cabletriage::corpus::query::{self, Query, StoreTerm, filter_with};
use cabletriage::search::bodies::read_text;
use cabletriage::search::{
    BuildOptions, CorpusStamp, IndexMiss, Origin, Storage, TextIndex, open_or_build, words,
};

fn corpus_of(inputs: &[PathBuf]) -> Corpus {
    let (files, entries) = cabletriage::corpus::load::read_all(inputs);
    let mut corpus = Corpus::new();
    for f in files {
        corpus.add_file(f);
    }
    for e in entries {
        corpus.push(e);
    }
    corpus
}

fn options() -> BuildOptions {
    BuildOptions {
        threads: 2,
        memory_budget: 32 << 20,
        background: false,
    }
}

/// Opens or builds the index of `inputs` in `cache` (a folder of its own).
fn open(inputs: &[PathBuf], corpus: &Corpus, cache: &Path) -> cabletriage::search::Opened {
    let stamp = CorpusStamp::new(&key_for(inputs).expect("key"), corpus);
    let dir = cache.join("index-test.text");
    open_or_build(
        corpus,
        stamp,
        Some(&dir),
        &options(),
        &|_| {},
        &AtomicBool::new(false),
    )
    .expect("index")
}

struct Synthetic {
    _dir: tempfile::TempDir,
    inputs: Vec<PathBuf>,
    corpus: Corpus,
    /// Per entry: the words of its subject and of its body.
    words: Vec<(Vec<String>, Vec<String>)>,
}

fn synthetic(count: usize, seed: u64) -> Synthetic {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cables.csv");
    std::fs::write(&path, cabletriage::synth::demo_csv(count, seed)).expect("write");
    let inputs = vec![path];
    let corpus = corpus_of(&inputs);
    let words = (0..corpus.len() as u32)
        .map(|i| {
            let t = read_text(&corpus, i).expect("text");
            (words(&t.subject), words(&t.body))
        })
        .collect();
    Synthetic {
        _dir: dir,
        inputs,
        corpus,
        words,
    }
}

fn has_phrase(words: &[String], phrase: &[String]) -> bool {
    words.windows(phrase.len()).any(|w| w == phrase)
}

/// The entries whose words hold the phrase (one word or more), or a word with the prefix;
/// in the body only, or in the subject or the body.
fn naive(s: &Synthetic, phrase: &[&str], prefix: bool, body_only: bool) -> BTreeSet<u32> {
    let phrase: Vec<String> = phrase.iter().map(|w| w.to_string()).collect();
    let test = |w: &[String]| {
        if prefix {
            w.iter().any(|x| x.starts_with(&phrase[0]))
        } else {
            has_phrase(w, &phrase)
        }
    };
    s.words
        .iter()
        .enumerate()
        .filter(|(_, (subject, body))| test(body) || (!body_only && test(subject)))
        .map(|(i, _)| i as u32)
        .collect()
}

fn run(
    s: &Synthetic,
    index: &TextIndex,
    text: &str,
    store: &dyn Fn(&StoreTerm, &Entry) -> bool,
) -> BTreeSet<u32> {
    let (mut q, errors): (Query, _) = query::parse(text);
    assert!(errors.is_empty(), "{text}: {errors:?}");
    index.resolve(&mut q, &s.corpus, false).expect("resolve");
    assert!(!q.waits_for_text());
    let all: Vec<u32> = (0..s.corpus.len() as u32).collect();
    let r = filter_with(&s.corpus.entries, &all, &q, store, &|| false).expect("not cancelled");
    // Narrowing the candidates to the text hits first changes nothing but the cost.
    let narrowed = cabletriage::search::narrow(&q, &all);
    let n = filter_with(&s.corpus.entries, &narrowed, &q, store, &|| false).expect("not cancelled");
    assert_eq!(n.indices, r.indices, "{text}: narrowed");
    r.indices.into_iter().collect()
}

#[test]
fn every_text_term_kind_agrees_with_a_naive_scan() {
    let s = synthetic(300, 7);
    let cache = tempfile::tempdir().expect("cache");
    let opened = open(&s.inputs, &s.corpus, cache.path());
    let index = &opened.index;
    assert_eq!(index.documents(), 300);
    let none = |_: &StoreTerm, _: &Entry| false;
    // Words and phrases taken from the cables themselves, and one found nowhere.
    let body0 = &s.words[0].1;
    let body7 = &s.words[7].1;
    let mut single: Vec<&str> = vec![&body0[3], &body0[20], &body7[11], &s.words[2].0[0], "zzyzx"];
    single.dedup();
    let all: BTreeSet<u32> = (0..300).collect();
    let mut checked = 0;
    for w in &single {
        for (field, body_only) in [("text", false), ("body", true)] {
            let expect = naive(&s, &[w], false, body_only);
            assert_eq!(
                run(&s, index, &format!("{field}:{w}"), &none),
                expect,
                "{field}:{w}"
            );
            let negated: BTreeSet<u32> = all.difference(&expect).copied().collect();
            assert_eq!(
                run(&s, index, &format!("!{field}:{w}"), &none),
                negated,
                "!{field}:{w}"
            );
            checked += 2;
        }
        let prefix = &w[..w.len().min(3)];
        let expect = naive(&s, &[prefix], true, false);
        assert_eq!(
            run(&s, index, &format!("text:{prefix}*"), &none),
            expect,
            "{prefix}*"
        );
        let expect = naive(&s, &[prefix], true, true);
        assert_eq!(
            run(&s, index, &format!("body:{prefix}*"), &none),
            expect,
            "body:{prefix}*"
        );
        checked += 2;
    }
    for (body, at, len) in [(body0, 5, 2), (body0, 30, 4), (body7, 2, 3), (body7, 40, 2)] {
        let phrase: Vec<&str> = body[at..at + len].iter().map(String::as_str).collect();
        let typed = phrase.join(" ");
        let expect = naive(&s, &phrase, false, false);
        assert!(expect.contains(&0) || expect.contains(&7));
        assert_eq!(
            run(&s, index, &format!("text:\"{typed}\""), &none),
            expect,
            "{typed}"
        );
        assert_eq!(
            run(&s, index, &format!("\"{typed}\""), &none),
            expect,
            "bare {typed}"
        );
        let expect = naive(&s, &phrase, false, true);
        assert_eq!(
            run(&s, index, &format!("body:\"{typed}\""), &none),
            expect,
            "body {typed}"
        );
        checked += 3;
    }
    // Combined with field terms, ORs and store terms.
    let w = &body0[3];
    let v = &body7[11];
    let tagged = |tag: &str| -> BTreeSet<u32> {
        (0..300u32)
            .filter(|&i| {
                s.corpus
                    .get(i)
                    .is_some_and(|e| e.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)))
            })
            .collect()
    };
    let tag = s
        .corpus
        .get(0)
        .and_then(|e| e.tags.first())
        .map(|t| t.to_string())
        .expect("a tag");
    let expect: BTreeSet<u32> = naive(&s, &[w], false, false)
        .intersection(&tagged(&tag))
        .copied()
        .collect();
    assert_eq!(
        run(&s, index, &format!("tag:{tag} text:{w}"), &none),
        expect
    );
    let expect: BTreeSet<u32> = naive(&s, &[w], false, false)
        .union(&naive(&s, &[v], false, true))
        .copied()
        .collect();
    assert_eq!(
        run(&s, index, &format!("text:{w} | body:{v}"), &none),
        expect
    );
    let odd = |_: &StoreTerm, e: &Entry| e.id.len() % 2 == 1;
    let expect: BTreeSet<u32> = naive(&s, &[w], false, false)
        .into_iter()
        .filter(|&i| s.corpus.get(i).is_some_and(|e| e.id.len() % 2 == 1))
        .collect();
    assert_eq!(run(&s, index, &format!("mytag:x text:{w}"), &odd), expect);
    checked += 3;
    println!("{checked} queries agree with the naive scan");
}

#[test]
fn like_lists_similar_cables_best_first_and_scores_rank() {
    let s = synthetic(200, 11);
    let cache = tempfile::tempdir().expect("cache");
    let opened = open(&s.inputs, &s.corpus, cache.path());
    let like = opened.index.like(&s.corpus, 3, 10).expect("like");
    assert!(!like.is_empty() && like.len() <= 10);
    assert!(like.iter().all(|&(i, _)| i != 3));
    assert!(like.windows(2).all(|w| w[0].1 >= w[1].1));
    let id = s.corpus.get(3).map(|e| e.id.to_string()).expect("id");
    let (mut q, _) = query::parse(&format!("like:{id}"));
    opened
        .index
        .resolve(&mut q, &s.corpus, true)
        .expect("resolve");
    let all: Vec<u32> = (0..200).collect();
    let mut r = query::filter(&s.corpus.entries, &all, &q, &|| false).expect("filter");
    query::relevance_order(&mut r);
    assert_eq!(r.indices.first(), like.first().map(|l| &l.0));
    // The serial zero-padded, as some sources write it, names the same cable.
    let split = id
        .find(|c: char| c.is_ascii_alphabetic())
        .and_then(|start| {
            id[start..]
                .find(|c: char| c.is_ascii_digit())
                .map(|d| start + d)
        })
        .expect("an id ends in its serial");
    let padded = format!("{}0{}", &id[..split], &id[split..]);
    let (mut q, _) = query::parse(&format!("like:{padded}"));
    opened
        .index
        .resolve(&mut q, &s.corpus, true)
        .unwrap_or_else(|e| panic!("like:{padded}: {e}"));
    let (mut q, _) = query::parse("like:NOSUCHID");
    let e = opened.index.resolve(&mut q, &s.corpus, false).unwrap_err();
    assert!(e.contains("NOSUCHID"), "{e}");
}

fn stamp_of(s: &Synthetic) -> CorpusStamp {
    CorpusStamp::new(&key_for(&s.inputs).expect("key"), &s.corpus)
}

fn build_in(s: &Synthetic, dir: &Path) -> cabletriage::search::Opened {
    open_or_build(
        &s.corpus,
        stamp_of(s),
        Some(dir),
        &options(),
        &|_| {},
        &AtomicBool::new(false),
    )
    .expect("index")
}

fn count(s: &Synthetic, index: &TextIndex, text: &str) -> usize {
    run(s, index, text, &|_, _| false).len()
}

#[test]
fn the_cache_round_trips_and_a_changed_file_is_indexed_again() {
    let mut s = synthetic(120, 3);
    let cache = tempfile::tempdir().expect("cache");
    let dir = cache.path().join("index-x.text");
    let first = build_in(&s, &dir);
    assert_eq!(first.origin, Origin::Built(IndexMiss::Absent));
    assert_eq!(first.index.storage(), &Storage::Disk(dir.clone()));
    assert_eq!(first.index.segments(), 1);
    let word = s.words[5].1[4].clone();
    let before = count(&s, &first.index, &format!("text:{word}"));
    drop(first);
    let again = build_in(&s, &dir);
    assert_eq!(again.origin, Origin::Cached);
    assert_eq!(count(&s, &again.index, &format!("text:{word}")), before);
    drop(again);
    // The file grows by 30 cables: its stamp changes and every cable is indexed again.
    std::fs::write(&s.inputs[0], cabletriage::synth::demo_csv(150, 3)).expect("rewrite");
    s.corpus = corpus_of(&s.inputs);
    let changed = build_in(&s, &dir);
    assert_eq!(changed.origin, Origin::Built(IndexMiss::Stale));
    assert_eq!(changed.index.documents(), 150);
    let last = s.corpus.len() as u32 - 1;
    let text = read_text(&s.corpus, last).expect("text");
    let w = words(&text.body)[6].clone();
    assert!(run(&s, &changed.index, &format!("body:{w}"), &|_, _| false).contains(&last));
}

#[test]
fn a_damaged_or_foreign_index_is_rebuilt_never_trusted() {
    let s = synthetic(80, 5);
    let other = synthetic(90, 6);
    let cache = tempfile::tempdir().expect("cache");
    let dir = cache.path().join("index-x.text");
    drop(build_in(&s, &dir));
    // Another corpus's index in its place.
    let foreign = build_in(&other, &dir);
    assert_eq!(foreign.origin, Origin::Built(IndexMiss::Stale));
    drop(foreign);
    // A file cut short.
    let biggest = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .expect("a file")
        .path();
    let bytes = std::fs::read(&biggest).expect("read");
    std::fs::write(&biggest, &bytes[..bytes.len() / 2]).expect("cut");
    let cut = build_in(&other, &dir);
    assert!(
        matches!(cut.origin, Origin::Built(IndexMiss::Damaged(_))),
        "{:?}",
        cut.origin
    );
    drop(cut);
    // A meta file that is not ours.
    std::fs::write(
        dir.join(cabletriage::search::cache::META_FILE),
        "{ not json",
    )
    .expect("meta");
    let garbled = build_in(&other, &dir);
    assert!(
        matches!(garbled.origin, Origin::Built(IndexMiss::Damaged(_))),
        "{:?}",
        garbled.origin
    );
    let w = other.words[1].1[2].clone();
    let expect = naive(&other, &[&w], false, false);
    drop(garbled);
    // Bytes changed inside a file, sizes kept: searching must not crash, whatever it finds.
    for entry in std::fs::read_dir(&dir).expect("dir").flatten() {
        let path = entry.path();
        if path
            .file_name()
            .is_some_and(|n| n == cabletriage::search::cache::META_FILE)
        {
            continue;
        }
        let mut bytes = std::fs::read(&path).expect("read");
        for (k, b) in bytes.iter_mut().enumerate() {
            if k % 7 == 3 {
                *b ^= 0x5a;
            }
        }
        std::fs::write(&path, bytes).expect("write");
    }
    let stamp = stamp_of(&other);
    if let Ok(index) = TextIndex::open(&dir, stamp, &other.corpus) {
        let (mut q, _) = query::parse(&format!("text:{w}"));
        let _ = index.resolve(&mut q, &other.corpus, true);
    }
    // And an intact one answers right.
    let rebuilt = open_or_build(
        &other.corpus,
        stamp,
        Some(&dir),
        &options(),
        &|_| {},
        &AtomicBool::new(false),
    );
    if let Ok(rebuilt) = rebuilt {
        if rebuilt.origin != Origin::Cached {
            assert_eq!(
                run(&other, &rebuilt.index, &format!("text:{w}"), &|_, _| false),
                expect
            );
        }
    }
}

#[test]
fn an_unwritable_cache_folder_means_search_from_memory_and_says_so() {
    let s = synthetic(60, 9);
    let cache = tempfile::tempdir().expect("cache");
    // A file where the cache folder should be: nothing can be written under it, even by root.
    let blocked = cache.path().join("blocked");
    std::fs::write(&blocked, "not a folder").expect("file");
    let opened = build_in(&s, &blocked.join("index-x.text"));
    assert!(matches!(opened.index.storage(), Storage::Memory(_)));
    let notice = opened.notice.expect("a notice");
    assert!(
        notice.contains("from memory") && notice.contains("blocked"),
        "{notice}"
    );
    let w = s.words[0].1[3].clone();
    assert_eq!(
        run(&s, &opened.index, &format!("text:{w}"), &|_, _| false),
        naive(&s, &[&w], false, false)
    );
    // A read-only folder (not for root, whom permissions do not stop).
    #[cfg(unix)]
    if cabletriage::corpus::private::current_uid() != 0 {
        use std::os::unix::fs::PermissionsExt;
        let ro = cache.path().join("ro");
        std::fs::create_dir(&ro).expect("dir");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).expect("chmod");
        let opened = build_in(&s, &ro.join("index-x.text"));
        assert!(matches!(opened.index.storage(), Storage::Memory(_)));
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    }
}

// ---- the `search` command, through the real binary ----------------------------------------

struct Run {
    code: i32,
    out: String,
    err: String,
}

/// Runs `cabletriage search ARGS` with a home, config and cache folder of `home`'s own.
fn search(home: &Path, args: &[&str]) -> Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cabletriage"))
        .arg("search")
        .args(args)
        .env("HOME", home)
        .env("CABLETRIAGE_CONFIG_DIR", home.join("config"))
        .env("CABLETRIAGE_CACHE_DIR", home.join("cache"))
        .output()
        .expect("run cabletriage");
    Run {
        code: output.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&output.stdout).into_owned(),
        err: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn search_prints_matches_caches_its_index_and_exits_by_outcome() {
    let s = synthetic(150, 21);
    let home = tempfile::tempdir().expect("home");
    let corpus = s.inputs[0].to_str().expect("utf-8 path");
    let w = s.words[4].1[5].clone();
    let first = search(
        home.path(),
        &["--format", "ids", &format!("text:{w}"), corpus],
    );
    assert_eq!(first.code, 0, "{}", first.err);
    assert!(
        first.err.contains("indexing the text of 150 cables"),
        "{}",
        first.err
    );
    let ids: BTreeSet<String> = first.out.lines().map(str::to_string).collect();
    let expect: BTreeSet<String> = naive(&s, &[&w], false, false)
        .into_iter()
        .filter_map(|i| s.corpus.get(i).map(|e| e.id.to_string()))
        .collect();
    assert_eq!(ids, expect);
    // The second run finds the index ready, and says nothing of indexing.
    let again = search(home.path(), &["--limit", "2", &format!("text:{w}"), corpus]);
    assert_eq!(again.code, 0, "{}", again.err);
    assert!(!again.err.contains("indexing"), "{}", again.err);
    let lines: Vec<serde_json::Value> = again
        .out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    assert_eq!(lines.len(), 2.min(expect.len()));
    for line in &lines {
        let keys: Vec<&str> = line
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["id", "date", "precedence", "subject", "score", "snippet"]
        );
        let snippet = line["snippet"].as_str().expect("snippet").to_lowercase();
        assert!(
            snippet.contains(w.as_str())
                || line["subject"]
                    .as_str()
                    .is_some_and(|x| x.to_lowercase().contains(w.as_str())),
            "{line}"
        );
    }
    // Relevance order: scores never rise.
    let all = search(home.path(), &[&format!("text:{w}"), corpus]);
    let scores: Vec<i64> = all
        .out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["score"].as_i64())
        .collect();
    assert!(scores.windows(2).all(|p| p[0] >= p[1]), "{scores:?}");
    let none = search(home.path(), &["text:zzyzxqq", corpus]);
    assert_eq!((none.code, none.out.as_str()), (1, ""));
    let bad = search(home.path(), &["tag:PREL text:\"oil prices", corpus]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.err.contains("`text:\"oil prices`")
            && bad.err.contains("10..")
            && bad.err.contains("not closed"),
        "{}",
        bad.err
    );
    let table = search(
        home.path(),
        &[
            "--order",
            "table",
            "--format",
            "ids",
            &format!("text:{w}"),
            corpus,
        ],
    );
    let in_table: BTreeSet<String> = table.out.lines().map(str::to_string).collect();
    assert_eq!(in_table, expect);
}

/// The 589 real pages, when `../shared` is there.
fn real_pages() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/cablegate/cable");
    dir.is_dir().then_some(dir)
}

#[test]
fn search_agrees_with_a_naive_scan_of_the_real_pages() {
    let Some(pages) = real_pages() else {
        println!("skipped: the real pages test needs ../shared");
        return;
    };
    // The naive side: every page read on its own, its subject and body split into words.
    let mut texts: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    let (files, _) = cabletriage::corpus::load::read_all(std::slice::from_ref(&pages));
    for file in &files {
        cabletriage::read::read_file(file, &Default::default(), &mut |event| {
            if let cabletriage::read::Event::Cable(raw) = event {
                let cable = cabletriage::cable::Cable::for_index(&raw);
                texts.push((cable.id.clone(), words(&cable.subject), words(&raw.body)));
            }
        });
    }
    let home = tempfile::tempdir().expect("home");
    let path = pages.to_str().expect("utf-8 path");
    let queries: &[(&str, &[&str], bool)] = &[
        ("text:iran", &["iran"], false),
        ("text:oil", &["oil"], false),
        ("text:visa", &["visa"], false),
        ("text:nuclear", &["nuclear"], false),
        ("text:gazprom", &["gazprom"], false),
        ("text:hezbollah", &["hezbollah"], false),
        ("text:corruption", &["corruption"], false),
        ("text:\"prime minister\"", &["prime", "minister"], false),
        ("text:\"human rights\"", &["human", "rights"], false),
        ("text:\"north korea\"", &["north", "korea"], false),
        (
            "\"the ambassador said\"",
            &["the", "ambassador", "said"],
            false,
        ),
        (
            "text:\"in the context of the\"",
            &["in", "the", "context", "of", "the"],
            false,
        ),
        ("text:sanction*", &["sanction"], true),
        ("text:nucl*", &["nucl"], true),
    ];
    let mut agreeing = 0;
    let mut cables = 0;
    for (query, phrase, prefix) in queries {
        let phrase: Vec<String> = phrase.iter().map(|w| w.to_string()).collect();
        let test = |w: &[String]| {
            if *prefix {
                w.iter().any(|x| x.starts_with(&phrase[0]))
            } else {
                has_phrase(w, &phrase)
            }
        };
        let expect: BTreeSet<String> = texts
            .iter()
            .filter(|(_, s, b)| test(s) || test(b))
            .map(|(id, _, _)| id.clone())
            .collect();
        let run = search(home.path(), &["--format", "ids", query, path]);
        assert!(run.code == 0 || run.code == 1, "{query}: {}", run.err);
        let got: BTreeSet<String> = run.out.lines().map(str::to_string).collect();
        println!(
            "{query}: search {} cables, naive scan {}",
            got.len(),
            expect.len()
        );
        assert_eq!(got, expect, "{query}");
        agreeing += 1;
        cables += got.len();
    }
    println!(
        "agreement on the {} real pages: {agreeing}/{} queries, {cables} matches in all",
        texts.len(),
        queries.len()
    );
}

#[test]
fn a_file_gone_since_reading_is_indexed_by_subject_and_named() {
    let dir = tempfile::tempdir().expect("dir");
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).expect("pages");
    for (name, subject, body) in [
        (
            "09KIEV123.txt",
            "GAS TALKS IN KIEV",
            "1. The pipeline consortium met on Tuesday.",
        ),
        (
            "09KIEV124.txt",
            "OIL PRICES",
            "1. Refinery output fell sharply in March.",
        ),
    ] {
        let text = format!("UNCLAS KIEV 000123\n\nSUBJECT: {subject}\n\n{body}\n");
        std::fs::write(pages.join(name), text).expect("write");
    }
    let inputs = vec![pages.clone()];
    let corpus = corpus_of(&inputs);
    assert_eq!(corpus.len(), 2);
    let gone = corpus
        .files
        .iter()
        .find(|f| f.ends_with("09KIEV124.txt"))
        .expect("b")
        .clone();
    std::fs::remove_file(&gone).expect("remove");
    let cache = tempfile::tempdir().expect("cache");
    let opened = open(&inputs, &corpus, cache.path());
    assert_eq!(opened.index.documents(), 2);
    let notice = opened.notice.expect("a notice");
    assert!(notice.contains("09KIEV124.txt"), "{notice}");
    let (mut q, _) = query::parse("text:oil");
    opened
        .index
        .resolve(&mut q, &corpus, false)
        .expect("resolve");
    let all: Vec<u32> = (0..2).collect();
    let r = query::filter(&corpus.entries, &all, &q, &|| false).expect("filter");
    assert_eq!(r.len(), 1);
    let (mut q, _) = query::parse("text:pipeline");
    opened
        .index
        .resolve(&mut q, &corpus, false)
        .expect("resolve");
    assert_eq!(
        query::filter(&corpus.entries, &all, &q, &|| false)
            .expect("filter")
            .len(),
        1
    );
}

#[test]
fn search_with_an_unwritable_cache_folder_runs_from_memory_and_says_so() {
    let s = synthetic(40, 13);
    let home = tempfile::tempdir().expect("home");
    // A file where the cache folder should be.
    std::fs::write(home.path().join("cache"), "not a folder").expect("file");
    let w = s.words[2].1[3].clone();
    let run = search(
        home.path(),
        &[
            "--format",
            "ids",
            &format!("text:{w}"),
            s.inputs[0].to_str().expect("utf-8"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.err);
    assert!(run.err.contains("runs from memory"), "{}", run.err);
    let ids: BTreeSet<String> = run.out.lines().map(str::to_string).collect();
    let expect: BTreeSet<String> = naive(&s, &[&w], false, false)
        .into_iter()
        .filter_map(|i| s.corpus.get(i).map(|e| e.id.to_string()))
        .collect();
    assert_eq!(ids, expect);
}

#[test]
fn progress_runs_forward_to_the_total_and_cancel_leaves_nothing() {
    let s = synthetic(1500, 17);
    let cache = tempfile::tempdir().expect("cache");
    let dir = cache.path().join("index-x.text");
    let seen = std::sync::Mutex::new(Vec::new());
    let record = |p: cabletriage::search::Progress| {
        if let Ok(mut v) = seen.lock() {
            v.push((p.done, p.total));
        }
    };
    let stamp = stamp_of(&s);
    let cancel = AtomicBool::new(false);
    open_or_build(&s.corpus, stamp, Some(&dir), &options(), &record, &cancel).expect("index");
    let seen = seen.into_inner().expect("progress");
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "{seen:?}");
    assert_eq!(seen.first(), Some(&(0, 1500)));
    assert_eq!(seen.last(), Some(&(1500, 1500)));
    // Cancelled: an error, and no folder left behind, built or half built.
    let other = cache.path().join("index-y.text");
    let cancel = AtomicBool::new(true);
    let e =
        open_or_build(&s.corpus, stamp, Some(&other), &options(), &|_| {}, &cancel).unwrap_err();
    assert_eq!(e, cabletriage::search::BuildError::Cancelled);
    let left: Vec<String> = std::fs::read_dir(cache.path())
        .expect("cache")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["index-x.text"]);
}

#[test]
fn before_the_index_text_terms_wait_and_the_other_terms_filter() {
    let s = synthetic(100, 23);
    let tag = s
        .corpus
        .get(0)
        .and_then(|e| e.tags.first())
        .map(|t| t.to_string())
        .expect("tag");
    let all: Vec<u32> = (0..100).collect();
    let only_tag = query::filter(
        &s.corpus.entries,
        &all,
        &query::parse(&format!("tag:{tag}")).0,
        &|| false,
    )
    .expect("filter");
    for text in [
        format!("tag:{tag} text:oil"),
        format!("tag:{tag} !text:oil"),
        format!("tag:{tag} \"oil prices\" | body:gas*"),
        format!(
            "tag:{tag} like:{}",
            s.corpus
                .get(1)
                .map(|e| e.id.to_string())
                .unwrap_or_default()
        ),
    ] {
        let (q, errors) = query::parse(&text);
        assert!(errors.is_empty(), "{text}: {errors:?}");
        assert!(q.waits_for_text(), "{text}");
        let r = query::filter(&s.corpus.entries, &all, &q, &|| false).expect("filter");
        assert_eq!(r.indices, only_tag.indices, "{text}");
    }
}

/// A text cable of `precedence`, sent on `day`, about `subject`.
fn text_cable(dir: &Path, id: &str, precedence: &str, day: u32, subject: &str) {
    let header = format!(
        "{precedence} {day:02}1200Z JAN 08\nFM AMEMBASSY ROME\nTO SECSTATE WASHDC {precedence} 0001\nBT\n"
    );
    let body = format!("UNCLAS ROME 00000{day}\n\nTAGS: PREL\nSUBJECT: {subject}\n\n1. Text.\n");
    std::fs::write(dir.join(format!("{id}.txt")), format!("{header}\n{body}"))
        .expect("write cable");
}

#[test]
fn table_order_puts_close_subject_matches_before_loose_ones() {
    let home = tempfile::tempdir().expect("home");
    let dir = home.path().join("cables");
    std::fs::create_dir_all(&dir).expect("cables folder");
    // In table order (precedence first) the loose and the inside-a-word matches come first.
    text_cable(&dir, "08ROME1", "O", 1, "FIRST RAIL PLAN");
    text_cable(&dir, "08ROME2", "O", 2, "TIRANA TALKS");
    text_cable(&dir, "08ROME3", "R", 3, "IRAN: TALKS");
    let folder = dir.to_str().expect("utf-8 path");
    let ids = |order: &str| {
        let run = search(
            home.path(),
            &["--order", order, "--format", "ids", "iran", folder],
        );
        assert_eq!(run.code, 0, "{}", run.err);
        run.out.lines().map(str::to_string).collect::<Vec<_>>()
    };
    assert_eq!(ids("table"), ["08ROME3", "08ROME2", "08ROME1"]);
}

#[test]
fn one_folder_named_three_ways_is_indexed_once() {
    let home = tempfile::tempdir().expect("home");
    let dir = home.path().join("w");
    std::fs::create_dir_all(&dir).expect("cables folder");
    text_cable(&dir, "08ROME1", "R", 1, "OIL TALKS");
    let absolute = dir.to_str().expect("utf-8 path").to_string();
    let mut indexed = Vec::new();
    for spelling in ["w", "./w", absolute.as_str(), "w"] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_cabletriage"))
            .current_dir(home.path())
            .args(["search", "--format", "ids", "text:oil", spelling])
            .env("HOME", home.path())
            .env("CABLETRIAGE_CONFIG_DIR", home.path().join("config"))
            .env("CABLETRIAGE_CACHE_DIR", home.path().join("cache"))
            .output()
            .expect("run cabletriage");
        assert_eq!(output.status.code(), Some(0), "{spelling}");
        indexed.push(String::from_utf8_lossy(&output.stderr).contains("indexing"));
    }
    assert_eq!(indexed, [true, false, false, false]);
}

#[test]
fn no_cable_read_at_all_is_exit_2_as_for_parse() {
    let home = tempfile::tempdir().expect("home");
    let missing = home.path().join("missing");
    let run = search(
        home.path(),
        &["text:oil", missing.to_str().expect("utf-8 path")],
    );
    assert_eq!(run.code, 2, "{}", run.err);
    assert!(run.err.contains("no cable found"), "{}", run.err);
}
