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
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::app::{App, Effect, Mode, Msg};
use crate::corpus::load;
use crate::corpus::sort::SortColumn;
use crate::keymap::{Key, KeyCode, Keymap, Resolution};
use crate::store::{ActionRecord, ChangeListener, PRESENCE_HEARTBEAT, StoreErrorKind, TriageStore};
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
    app: App,
    keymap: Arc<Keymap>,
    inputs: Vec<PathBuf>,
    store: Option<Box<dyn TriageStore>>,
    theme: Theme,
) -> std::io::Result<()> {
    let mut engine = Engine::start(app, inputs, store);
    let (mut term, _guard) = terminal::enter()?;
    let size = term.size()?;
    engine.handle(Msg::Resize {
        width: size.width,
        height: size.height,
    });
    let mut keys = KeyReader::new(keymap);
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut hangup = signal(tokio::signal::unix::SignalKind::hangup());
    let mut terminate = signal(tokio::signal::unix::SignalKind::terminate());

    term.draw(|f| view::draw(f, &engine.app, &theme))?;
    // Once the terminal is gone (hung up, or its input closed) nothing is drawn or read;
    // the loop runs on only until the queued writes are saved.
    let mut terminal_gone = false;
    while !engine.app.quit {
        let mut msgs = Vec::new();
        tokio::select! {
            event = events.next(), if !terminal_gone => match event {
                Some(Ok(event)) => msgs.extend(translate(event, &engine.app, &mut keys)),
                Some(Err(_)) | None => {
                    terminal_gone = true;
                    msgs.push(Msg::Terminate);
                }
            },
            Some(msg) = engine.rx.recv() => msgs.push(msg),
            _ = tick.tick() => msgs.push(Msg::Tick),
            _ = recv(&mut hangup) => {
                terminal_gone = true;
                msgs.push(Msg::Terminate);
            }
            _ = recv(&mut terminate) => msgs.push(Msg::Terminate),
        }
        // Everything else already waiting is handled before the next frame.
        while let Ok(msg) = engine.rx.try_recv() {
            msgs.push(msg);
        }
        for msg in msgs {
            engine.handle(msg);
        }
        if !engine.app.quit
            && !terminal_gone
            && term.draw(|f| view::draw(f, &engine.app, &theme)).is_err()
        {
            terminal_gone = true;
            engine.handle(Msg::Terminate);
        }
    }
    engine.stop();
    Ok(())
}

/// A request to the store's thread.
#[derive(Debug)]
pub enum StoreRequest {
    Write(u64, ActionRecord),
    /// `take-next` or the analysts' list: asked on the store's thread, in order with writes.
    Team(Box<Effect>),
    /// Ask now what changed, and answer with [`Msg::StoreChanged`] even when nothing did.
    Poll,
    /// Another instance committed: ask now, and answer only when something changed.
    Nudge,
    /// The analyst now reads this cable (`None`: none), for colleagues' screens.
    Presence {
        analyst: String,
        cable: Option<String>,
    },
}

/// The app with the threads that do its work: the store's thread, the loader, filter jobs
/// and body reads, all reporting back on one channel. The terminal loop drives it with
/// events; tests drive it the same way, without a terminal. Needs a tokio runtime.
pub struct Engine {
    pub app: App,
    tx: UnboundedSender<Msg>,
    pub rx: UnboundedReceiver<Msg>,
    store: Option<std::sync::mpsc::Sender<StoreRequest>>,
    store_thread: Option<std::thread::JoinHandle<()>>,
    /// The cable last said to be read (presence), so it is said only when it changes.
    said_reading: Option<Option<String>>,
    latest_filter: Arc<AtomicU64>,
    cancel_load: Arc<AtomicBool>,
    /// Cancels the text index job under way (a newer one, or quitting).
    cancel_text: Arc<AtomicBool>,
}

impl Engine {
    pub fn start(app: App, inputs: Vec<PathBuf>, store: Option<Box<dyn TriageStore>>) -> Engine {
        let (tx, rx) = unbounded_channel::<Msg>();
        let (store, store_thread) = match store.map(|s| spawn_store(s, tx.clone())) {
            Some((requests, thread)) => (Some(requests), Some(thread)),
            None => (None, None),
        };
        let cancel_load = Arc::new(AtomicBool::new(false));
        let mut app = app;
        app.inputs = inputs.clone();
        spawn_loader(inputs, Arc::clone(&cancel_load), tx.clone());
        Engine {
            app,
            tx,
            rx,
            store,
            store_thread,
            said_reading: None,
            latest_filter: Arc::new(AtomicU64::new(0)),
            cancel_load,
            cancel_text: Arc::new(AtomicBool::new(false)),
        }
    }

    /// One message through [`App::update`], its effects started.
    pub fn handle(&mut self, msg: Msg) {
        for effect in self.app.update(msg) {
            if let Effect::OpenTextIndex(job) = effect {
                self.cancel_text.store(true, Ordering::Relaxed);
                self.cancel_text = Arc::new(AtomicBool::new(false));
                spawn_text_index(job, Arc::clone(&self.cancel_text), self.tx.clone());
                continue;
            }
            run_effect(effect, &self.tx, &self.latest_filter, self.store.as_ref());
        }
        self.say_presence();
    }

    /// Tells the store's thread when the cable being read changes (when presence is on).
    fn say_presence(&mut self) {
        if !self.app.share_presence {
            return;
        }
        let now = self.app.reading_id();
        if self.said_reading.as_ref() == Some(&now) {
            return;
        }
        if let Some(s) = &self.store {
            let _ = s.send(StoreRequest::Presence {
                analyst: self.app.triage.analyst.clone(),
                cable: now.clone(),
            });
        }
        self.said_reading = Some(now);
    }

    /// Waits for the next message from the work, handles it and returns a description of
    /// it; `None` when no work can report any more.
    pub async fn step(&mut self) -> Option<String> {
        let msg = self.rx.recv().await?;
        let what = format!("{msg:?}");
        self.handle(msg);
        Some(what)
    }

    /// Handles messages from the work until `done` holds for the app.
    pub async fn until(&mut self, done: impl Fn(&App) -> bool) {
        while !done(&self.app) {
            if self.step().await.is_none() {
                return;
            }
        }
    }

    /// Asks the store's thread what changed, now.
    pub fn poll_store(&self) {
        if let Some(s) = &self.store {
            let _ = s.send(StoreRequest::Poll);
        }
    }

    /// Ends the work: the loader and filter jobs are cancelled, and the store's thread,
    /// which has answered every write by the time the app quits, is joined.
    pub fn stop(mut self) -> App {
        self.cancel_load.store(true, Ordering::Relaxed);
        // Not joined: a build stops within moments of its cancel, and quitting never waits.
        self.cancel_text.store(true, Ordering::Relaxed);
        self.latest_filter.store(u64::MAX, Ordering::Relaxed);
        drop(self.store.take());
        if let Some(thread) = self.store_thread.take() {
            let _ = thread.join();
        }
        self.app
    }
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
                pasted(&text).chars().map(Msg::Insert).collect()
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

/// Pasted text as it may be typed into a one-line input: line breaks and tabs become spaces
/// (words stay apart), and escape sequences are dropped whole, not only their ESC, so no
/// remnant such as `[31m` is kept.
pub fn pasted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates up to a final byte.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC, DCS, APC, PM, SOS: up to BEL or ESC \.
                Some(']' | 'P' | '_' | '^' | 'X') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' {
                            break;
                        }
                        if c == '\u{1b}' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                // A two-character sequence: its second character goes with it.
                _ => {}
            },
            '\n' | '\r' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A click on the table: a header cell sorts by its column, a row moves the cursor there.
fn click(app: &App, column: u16, row: u16) -> Vec<Msg> {
    let (main, _, _) = view::areas(ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1));
    if row >= main.height {
        return Vec::new();
    }
    if row == 0 {
        return view::table::columns_for(app, main.width)
            .into_iter()
            .find(|p| column >= p.x && column < p.x + p.width + 1)
            .and_then(|p| match p.column {
                view::table::Shown::Field(c) => Some(vec![Msg::ClickColumn(SortColumn::Field(c))]),
                view::table::Shown::Disposition => {
                    Some(vec![Msg::ClickColumn(SortColumn::Disposition)])
                }
                view::table::Shown::MyTags => Some(vec![Msg::ClickColumn(SortColumn::MyTags)]),
                view::table::Shown::Assignee => Some(vec![Msg::ClickColumn(SortColumn::Assignee)]),
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
    store: Option<&std::sync::mpsc::Sender<StoreRequest>>,
) {
    match effect {
        Effect::Quit => {}
        Effect::AskStore => {
            if let Some(s) = store {
                let _ = s.send(StoreRequest::Nudge);
            }
        }
        // Writes go to the store's thread, in order.
        Effect::Write { write, action } => {
            let sent = store.is_some_and(|s| s.send(StoreRequest::Write(write, action)).is_ok());
            if !sent {
                let _ = tx.send(Msg::Written {
                    write,
                    result: Err("no store is open".to_string()),
                });
            }
        }
        Effect::TakeNext { .. } | Effect::ListAnalysts => {
            let taking = matches!(effect, Effect::TakeNext { .. });
            let sent = store.is_some_and(|s| s.send(StoreRequest::Team(Box::new(effect))).is_ok());
            if !sent && taking {
                let _ = tx.send(Msg::Taken {
                    result: Err("no store is open".to_string()),
                });
            }
        }
        // Everything else on a worker thread; a filter job stops when a newer one starts.
        effect => {
            let generation = match &effect {
                Effect::Filter(job) => {
                    latest_filter.store(job.generation, Ordering::Relaxed);
                    Some(job.generation)
                }
                _ => None,
            };
            let latest = Arc::clone(latest_filter);
            let tx = tx.clone();
            tokio::task::spawn_blocking(move || {
                let superseded = || generation.is_some_and(|g| latest.load(Ordering::Relaxed) != g);
                if let Some(msg) = effect.perform(&superseded, None) {
                    let _ = tx.send(msg);
                }
            });
        }
    }
}

/// How often the store thread asks what other instances changed (a server's
/// notifications make it ask at once in between).
const POLL_EVERY: Duration = Duration::from_secs(1);

/// The longest wait between two attempts to reach a store that went away.
const RECONNECT_AT_MOST: Duration = Duration::from_secs(5);

/// The store's own thread: it reports the records, then applies writes in order (each one
/// transaction) and asks every second what other instances changed, also while writes keep
/// coming. When the store cannot be reached it says so, and asks again after growing pauses
/// until the store answers; it then catches up with everything after the last revision
/// seen. A write made meanwhile fails and is reported, never held back.
pub fn spawn_store(
    mut store: Box<dyn TriageStore>,
    tx: UnboundedSender<Msg>,
) -> (
    std::sync::mpsc::Sender<StoreRequest>,
    std::thread::JoinHandle<()>,
) {
    let (sender, requests) = std::sync::mpsc::channel::<StoreRequest>();
    let thread = std::thread::spawn(move || {
        let read_only = store.is_read_only().then(|| {
            format!(
                "{} is open read-only; nothing will be recorded",
                store.location()
            )
        });
        // Listening before the snapshot: no commit after it goes unheard.
        let listener = store.listener();
        // Records and revision from one transaction: a commit between two reads would
        // never be seen.
        let (records, mut revision) = match store.snapshot() {
            Ok(snapshot) => snapshot,
            Err(e) => {
                let _ = tx.send(Msg::StoreOpened {
                    records: Vec::new(),
                    read_only: Some(format!("cannot read the store: {e}")),
                });
                return;
            }
        };
        let _ = tx.send(Msg::StoreOpened { records, read_only });
        if let Some(listener) = listener {
            spawn_listener(listener, tx.clone());
        }
        let mut last_poll = std::time::Instant::now();
        let mut pause = POLL_EVERY;
        let mut unreachable = false;
        // What this analyst reads (said again as a heartbeat), and what others read.
        let mut reading: Option<(String, Option<String>)> = None;
        let mut last_beat = std::time::Instant::now();
        let mut others: Vec<(String, String)> = Vec::new();
        loop {
            let wait = pause.saturating_sub(last_poll.elapsed());
            let mut poll_now = false;
            let mut answer_always = false;
            match requests.recv_timeout(wait) {
                Ok(StoreRequest::Poll) => (poll_now, answer_always) = (true, true),
                Ok(StoreRequest::Nudge) => poll_now = true,
                Ok(StoreRequest::Presence { analyst, cable }) => {
                    let _ = store.set_presence(&analyst, cable.as_deref());
                    last_beat = std::time::Instant::now();
                    reading = Some((analyst, cable));
                    poll_now = true;
                }
                Ok(StoreRequest::Write(write, action)) => {
                    let Some(msg) =
                        Effect::Write { write, action }.perform(&|| false, Some(store.as_mut()))
                    else {
                        continue;
                    };
                    if let Msg::Written {
                        result: Ok(applied),
                        ..
                    } = &msg
                        && applied.revision == revision + 1
                        && !applied.changes.is_empty()
                    {
                        // Nobody else committed in between: our own commit is not news. A
                        // write that changed nothing (refused for a conflict, or a no-op)
                        // committed nothing: the revision it reports is someone else's.
                        revision = applied.revision;
                    }
                    if tx.send(msg).is_err() {
                        return;
                    }
                }
                Ok(StoreRequest::Team(effect)) => {
                    let Some(msg) = effect.perform(&|| false, Some(store.as_mut())) else {
                        continue;
                    };
                    if let Msg::Taken {
                        result: Ok(Some(applied)),
                    } = &msg
                        && applied.revision == revision + 1
                    {
                        // As for a write: our own claim is not news.
                        revision = applied.revision;
                    }
                    if tx.send(msg).is_err() {
                        return;
                    }
                }
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                // The app has quit and every queued write was applied.
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    if let Some((analyst, Some(_))) = &reading {
                        let _ = store.set_presence(analyst, None);
                    }
                    return;
                }
            }
            if let Some((analyst, cable)) = &reading
                && last_beat.elapsed() >= PRESENCE_HEARTBEAT
            {
                let _ = store.set_presence(analyst, cable.as_deref());
                last_beat = std::time::Instant::now();
            }
            if poll_now || last_poll.elapsed() >= pause {
                last_poll = std::time::Instant::now();
                match store.changes_since(revision) {
                    Ok((records, now)) => {
                        revision = revision.max(now);
                        if unreachable {
                            unreachable = false;
                            pause = POLL_EVERY;
                            if tx.send(Msg::StoreReachable(None)).is_err() {
                                return;
                            }
                        }
                        if (answer_always || !records.is_empty())
                            && tx.send(Msg::StoreChanged { records }).is_err()
                        {
                            return;
                        }
                        if let Some((me, _)) = &reading
                            && let Ok(now) = store.presence(me)
                            && now != others
                        {
                            others = now;
                            if tx.send(Msg::Presence(others.clone())).is_err() {
                                return;
                            }
                        }
                    }
                    Err(e) if matches!(e.kind, StoreErrorKind::Unreachable { .. }) => {
                        if !unreachable {
                            unreachable = true;
                            pause = Duration::from_millis(250);
                            if tx.send(Msg::StoreReachable(Some(e.to_string()))).is_err() {
                                return;
                            }
                        } else {
                            pause = (pause * 2).min(RECONNECT_AT_MOST);
                        }
                    }
                    Err(_) => {}
                }
            }
        }
    });
    (sender, thread)
}

/// A thread that waits for the server's notifications of other instances' commits and
/// nudges the app, which asks the store's thread what changed. It ends with the app.
fn spawn_listener(mut listener: Box<dyn ChangeListener>, tx: UnboundedSender<Msg>) {
    std::thread::spawn(move || {
        let mut pause = Duration::from_millis(250);
        let mut lost = false;
        while !tx.is_closed() {
            match listener.wait(Duration::from_secs(2)) {
                Ok(heard) => {
                    // Back after a loss: what was announced meanwhile is missed; ask anyway.
                    if (heard || std::mem::take(&mut lost)) && tx.send(Msg::StoreNudged).is_err() {
                        return;
                    }
                    pause = Duration::from_millis(250);
                }
                Err(_) => {
                    lost = true;
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(RECONNECT_AT_MOST);
                }
            }
        }
    });
}

/// The text index job on a thread of its own: it lasts seconds to minutes and lowers its
/// own priority, which a worker of the shared pool must not.
fn spawn_text_index(
    job: crate::app::text_search::TextIndexJob,
    cancel: Arc<AtomicBool>,
    tx: UnboundedSender<Msg>,
) {
    std::thread::spawn(move || {
        let report = |msg: Msg| {
            if tx.send(msg).is_err() {
                cancel.store(true, Ordering::Relaxed);
            }
        };
        let last = job.run(&cancel, &report);
        let _ = tx.send(last);
    });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_on_the_disp_or_my_tags_header_sorts_by_it() {
        let mut app = App::new(Default::default());
        app.update(Msg::Resize {
            width: 160,
            height: 30,
        });
        let placed = view::table::columns(160, false);
        for (shown, want) in [
            (view::table::Shown::Disposition, SortColumn::Disposition),
            (view::table::Shown::MyTags, SortColumn::MyTags),
        ] {
            let Some(p) = placed.iter().find(|p| p.column == shown) else {
                panic!("{shown:?} is not drawn at 160 columns");
            };
            let msgs = click(&app, p.x + 1, 0);
            assert!(
                matches!(msgs.as_slice(), [Msg::ClickColumn(c)] if *c == want),
                "{msgs:?}"
            );
        }
    }

    #[test]
    fn pasted_text_loses_escape_sequences_whole_and_keeps_words_apart() {
        assert_eq!(
            pasted("pasted\u{1b}[31mRED\u{1b}]0;TITLE\u{7}\nsecond line\ttab"),
            "pastedRED second line tab"
        );
        assert_eq!(pasted("a\u{1b}]8;;http://x\u{1b}\\b\r\n"), "ab ");
        assert_eq!(pasted("\u{1b}cplain\u{7}"), "plain");
        assert_eq!(pasted("no escapes"), "no escapes");
    }
}
