//! Durability under SIGKILL: a child applying dispositions is killed at random moments, 20
//! times, on one store. Every write the child reported committed (it prints only after the
//! commit returned, and flushes) must be in the store, and the store must open clean
//! (`PRAGMA integrity_check` = ok). The kill moments come from a seeded generator: the seed
//! is printed, and `CABLETRIAGE_CRASH_SEED=<seed>` replays a run.

#[path = "support/store_child.rs"]
mod store_child;

use std::io::Read;
use std::time::Duration;

use cabletriage::store::{Disposition, SqliteStore, TriageStore};

/// xorshift64*: enough randomness for kill moments, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn committed_writes_survive_sigkill() {
    let Some(program) = store_child::stress_command("committed_writes_survive_sigkill") else {
        return;
    };
    let seed = std::env::var("CABLETRIAGE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
        | 1;
    eprintln!("crash test seed: {seed} (CABLETRIAGE_CRASH_SEED={seed} replays it)");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("triage.sqlite");
    let mut all = Vec::new();
    for run in 0..20u64 {
        // Early kills hit store creation and opening; later ones hit commits.
        let delay = Duration::from_millis(if run < 2 {
            rng.next() % 40
        } else {
            20 + rng.next() % 400
        });
        let mut child = store_child::child(&program, &store_path, 1_000_000, run * 1_000_000)
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.read_to_string(&mut text);
            text
        });
        std::thread::sleep(delay);
        // `Child::kill` sends SIGKILL on unix.
        child.kill().unwrap();
        let status = child.wait().unwrap();
        let text = reader.join().unwrap();
        let mut stderr = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
        assert!(
            !status.success() || text.is_empty(),
            "run {run}: the child finished before the kill?"
        );
        assert!(
            stderr.is_empty(),
            "run {run} (seed {seed}): the child reported: {stderr}"
        );
        let committed = store_child::committed(&text);

        let store = SqliteStore::open(&store_path)
            .unwrap_or_else(|e| panic!("run {run} (seed {seed}): {e}"));
        assert_eq!(
            store.integrity_check().unwrap(),
            "ok",
            "run {run} (seed {seed})"
        );
        for (id, state) in &committed {
            let record = store.record(id).unwrap().unwrap_or_else(|| {
                panic!("run {run} (seed {seed}): {id} reported committed, not in the store")
            });
            let want: Disposition = state.parse().unwrap();
            assert_eq!(record.disposition, want, "run {run} (seed {seed}): {id}");
        }
        eprintln!(
            "run {run}: killed after {} ms, {} commits reported, all present",
            delay.as_millis(),
            committed.len()
        );
        all.extend(committed);
    }
    // Every earlier run's commits are still there after all the later kills.
    let store = SqliteStore::open(&store_path).unwrap();
    let records = store.records().unwrap();
    for (id, _) in &all {
        assert!(
            records.iter().any(|r| &r.id == id),
            "{id} lost (seed {seed})"
        );
    }
    assert!(
        all.len() >= 20,
        "only {} commits in 20 runs: the kills came too early to test anything",
        all.len()
    );
}
