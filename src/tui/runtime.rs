//! The event loop. Keys go through the keymap into actions, and every message goes to
//! [`App::update`]; the effects it returns run on other threads (reading the corpus,
//! filtering, reading a body) and report back as messages. The screen is drawn once after
//! each batch of messages, never on a timer, and the loop never waits on work.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use crossterm::event::{Event, EventStream, KeyEventKind, MouseButton, MouseEventKind};
use futures_util::StreamExt;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::app::{App, Effect, Indexes, Mode, Msg};
use crate::corpus::{body, cache, load};
use crate::keymap::{Key, KeyCode, Keymap, Resolution};
use crate::store::{ActionRecord, TriageStore};
use crate::tui::theme::Theme;
use crate::tui::{terminal, view};

/// Turns key presses into messages through the keymap, holding a pending key sequence.
pub struct KeyReader {
    keymap: Arc<Keymap>,
    pending: Vec<Key>,
}

impl KeyReader {
    pub fn new(keymap: Arc<Keymap>) -> Self {
        KeyReader {
            keymap,
            pending: Vec::new(),
        }
    }

    /// The messages one key press makes in `mode`.
    pub fn key(&mut self, mode: Mode, key: Key) -> Vec<Msg> {
        self.pending.push(key);
        match self.keymap.resolve(mode, &self.pending) {
            Resolution::Actions(actions) => {
                self.pending.clear();
                actions.iter().map(|a| Msg::Action(*a)).collect()
            }
            Resolution::Pending => Vec::new(),
            Resolution::Unbound => {
                let was_sequence = self.pending.len() > 1;
                self.pending.clear();
                if was_sequence {
                    // The key broke a sequence: it counts on its own.
                    return self.key(mode, key);
                }
                match key.code {
                    KeyCode::Char(c) if mode.takes_text() && key.is_plain_char() => {
                        vec![Msg::Insert(c)]
                    }
                    _ => Vec::new(),
                }
            }
        }
    }
}

/// Runs the app until it quits; the terminal is restored however it ends. `store` is `None`
/// when the analyst chose to run without one (nothing is recorded then).
pub async fn run(
    mut app: App,
    keymap: Arc<Keymap>,
    inputs: Vec<PathBuf>,
    store: Option<Box<dyn TriageStore>>,
    theme: Theme,
) -> std::io::Result<()> {
    let (tx, mut rx) = unbounded_channel::<Msg>();
    let writes = store.map(|s| spawn_store(s, tx.clone()));
    let cancel_load = Arc::new(AtomicBool::new(false));
    spawn_loader(inputs, Arc::clone(&cancel_load), tx.clone());
    let latest_filter = Arc::new(AtomicU64::new(0));

    let (mut term, _guard) = terminal::enter()?;
    let size = term.size()?;
    app.update(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    let mut keys = KeyReader::new(keymap);
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut hangup = signal(tokio::signal::unix::SignalKind::hangup());
    let mut terminate = signal(tokio::signal::unix::SignalKind::terminate());

    term.draw(|f| view::draw(f, &app, &theme))?;
    while !app.quit {
        let mut msgs = Vec::new();
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => msgs.extend(translate(event, &app, &mut keys)),
                Some(Err(_)) | None => app.quit = true,
            },
            Some(msg) = rx.recv() => msgs.push(msg),
            _ = tick.tick() => msgs.push(Msg::Tick),
            _ = recv(&mut hangup) => app.quit = true,
            _ = recv(&mut terminate) => app.quit = true,
        }
        // Everything else already waiting is handled before the next frame.
        while let Ok(msg) = rx.try_recv() {
            msgs.push(msg);
        }
        for msg in msgs {
            for effect in app.update(msg) {
                run_effect(effect, &tx, &latest_filter, writes.as_ref());
            }
        }
        if !app.quit {
            term.draw(|f| view::draw(f, &app, &theme))?;
        }
    }
    cancel_load.store(true, Ordering::Relaxed);
    latest_filter.store(u64::MAX, Ordering::Relaxed);
    Ok(())
}

type Signal = Option<tokio::signal::unix::Signal>;

fn signal(kind: tokio::signal::unix::SignalKind) -> Signal {
    tokio::signal::unix::signal(kind).ok()
}

async fn recv(signal: &mut Signal) {
    match signal {
        Some(s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

/// A terminal event as messages for the app.
fn translate(event: Event, app: &App, keys: &mut KeyReader) -> Vec<Msg> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => keys.key(app.mode, Key::from(k)),
        Event::Resize(width, height) => vec![Msg::Resize { width, height }],
        Event::Paste(text) => {
            if app.mode.takes_text() {
                text.chars()
                    .filter(|c| !c.is_control())
                    .map(Msg::Insert)
                    .collect()
            } else {
                Vec::new()
            }
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::ScrollDown => vec![Msg::Scroll(3)],
            MouseEventKind::ScrollUp => vec![Msg::Scroll(-3)],
            MouseEventKind::Down(MouseButton::Left)
                if matches!(app.mode, Mode::Table | Mode::Filter) =>
            {
                click(app, m.column, m.row)
            }
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// A click on the table: a header cell sorts by its column, a row moves the cursor there.
fn click(app: &App, column: u16, row: u16) -> Vec<Msg> {
    let (main, _, _) = view::areas(ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1));
    if row >= main.height {
        return Vec::new();
    }
    if row == 0 {
        return view::table::columns(main.width)
            .into_iter()
            .find(|p| column >= p.x && column < p.x + p.width + 1)
            .and_then(|p| match p.column {
                view::table::Shown::Field(c) => Some(vec![Msg::ClickColumn(c)]),
                _ => None,
            })
            .unwrap_or_default();
    }
    vec![Msg::ClickRow(row as usize - 1)]
}

fn run_effect(
    effect: Effect,
    tx: &UnboundedSender<Msg>,
    latest_filter: &Arc<AtomicU64>,
    writes: Option<&std::sync::mpsc::Sender<(u64, ActionRecord)>>,
) {
    match effect {
        Effect::Quit => {}
        Effect::Write { write, action } => {
            let sent = writes.is_some_and(|w| w.send((write, action)).is_ok());
            if !sent {
                let _ = tx.send(Msg::Written {
                    write,
                    result: Err("no store is open".to_string()),
                });
            }
        }
        Effect::Filter(job) => {
            latest_filter.store(job.generation, Ordering::Relaxed);
            let latest = Arc::clone(latest_filter);
            let tx = tx.clone();
            tokio::task::spawn_blocking(move || {
                let superseded = || latest.load(Ordering::Relaxed) != job.generation;
                if let Some(result) = job.run(&superseded) {
                    let _ = tx.send(Msg::Filtered {
                        generation: job.generation,
                        result,
                    });
                }
            });
        }
        Effect::SaveCache {
            key,
            files,
            entries,
        } => {
            // Best effort: without a cache the next open reads the files again.
            std::thread::spawn(move || {
                let _ = cache::save(&cache::cache_path(&key.inputs), &key, &files, &entries);
            });
        }
        Effect::BuildIndexes(entries) => {
            let tx = tx.clone();
            tokio::task::spawn_blocking(move || {
                let _ = tx.send(Msg::Indexed(Indexes::build(&entries)));
            });
        }
        Effect::ReadBody {
            index,
            path,
            location,
        } => {
            let tx = tx.clone();
            tokio::task::spawn_blocking(move || {
                let result = body::read_cable(&path, &location);
                let _ = tx.send(Msg::BodyRead {
                    index,
                    result: Box::new(result),
                });
            });
        }
    }
}

/// The store's own thread: it reports the records, then applies writes in order (each one
/// transaction) and, between writes, asks every second what other instances changed.
fn spawn_store(
    mut store: Box<dyn TriageStore>,
    tx: UnboundedSender<Msg>,
) -> std::sync::mpsc::Sender<(u64, ActionRecord)> {
    let (writes, requests) = std::sync::mpsc::channel::<(u64, ActionRecord)>();
    std::thread::spawn(move || {
        let read_only = store.is_read_only().then(|| {
            format!(
                "{} is open read-only; nothing will be recorded",
                store.location()
            )
        });
        let (records, mut revision) = match (store.records(), store.revision()) {
            (Ok(r), Ok(v)) => (r, v),
            (Err(e), _) | (_, Err(e)) => {
                let _ = tx.send(Msg::StoreOpened {
                    records: Vec::new(),
                    revision: 0,
                    read_only: Some(format!("cannot read the store: {e}")),
                });
                return;
            }
        };
        let _ = tx.send(Msg::StoreOpened {
            records,
            revision,
            read_only,
        });
        loop {
            match requests.recv_timeout(Duration::from_secs(1)) {
                Ok((write, action)) => {
                    let result = store.apply(&action).map_err(|e| e.to_string());
                    if tx.send(Msg::Written { write, result }).is_err() {
                        return;
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    if let Ok((records, now)) = store.changes_since(revision) {
                        revision = revision.max(now);
                        if !records.is_empty()
                            && tx.send(Msg::StoreChanged { records, revision }).is_err()
                        {
                            return;
                        }
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    });
    writes
}

fn spawn_loader(inputs: Vec<PathBuf>, cancel: Arc<AtomicBool>, tx: UnboundedSender<Msg>) {
    std::thread::spawn(move || {
        load::load_cached(&inputs, &cancel, &mut |event| {
            if tx.send(Msg::Loaded(event)).is_err() {
                cancel.store(true, Ordering::Relaxed);
            }
        });
    });
}
