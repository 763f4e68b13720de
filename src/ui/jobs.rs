//! Slow work off the window's thread. A [`Job`] runs on a thread of its own; when it finishes it
//! wakes the window (`request_repaint`), whose next frame takes the answer. Nothing polls: an
//! idle window with no job running asks for no frames at all.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Wakes the window from another thread. Empty until the window's first frame (the app is built
/// before its window exists); a job that finishes before then is found by that first frame.
#[derive(Clone, Default)]
pub struct Waker(Arc<OnceLock<egui::Context>>);

impl Waker {
    /// The window to wake from now on (later calls keep the first window).
    pub fn set(&self, ctx: &egui::Context) {
        if self.0.get().is_none() {
            self.0.set(ctx.clone()).ok();
        }
    }

    pub fn wake(&self) {
        if let Some(ctx) = self.0.get() {
            ctx.request_repaint();
        }
    }
}

/// Wakes the window when dropped: after the answer is sent, or while a panicking job unwinds.
struct WakeOnDrop(Waker);

impl Drop for WakeOnDrop {
    fn drop(&mut self) {
        self.0.wake();
    }
}

/// The job's thread ended without an answer (it panicked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// How far a counting job has come, as its thread reports it.
pub struct Progress {
    done: Arc<AtomicUsize>,
    waker: Waker,
    last_wake: Cell<Option<Instant>>,
}

impl Progress {
    /// The window redraws the progress at most this often (a job may count thousands a second).
    const REDRAW_EVERY: Duration = Duration::from_millis(100);

    pub fn set(&self, done: usize) {
        self.done.store(done, Ordering::Relaxed);
        let now = Instant::now();
        let due = self
            .last_wake
            .get()
            .is_none_or(|last| now.duration_since(last) >= Self::REDRAW_EVERY);
        if due {
            self.last_wake.set(Some(now));
            self.waker.wake();
        }
    }
}

/// Work running on a thread of its own, giving a `T` when it finishes.
pub struct Job<T> {
    answer: Receiver<T>,
    /// The thread, joined by [`Job::wait`] so that its wake has happened when `wait` returns.
    thread: std::thread::JoinHandle<()>,
    /// For a counting job: how many are done (shared with the thread), and of how many.
    count: Option<(Arc<AtomicUsize>, usize)>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread; the window is woken when it finishes.
    pub fn spawn(waker: &Waker, work: impl FnOnce() -> T + Send + 'static) -> Self {
        Self::start(waker, None, move |_| work())
    }

    /// Starts `work`, which reports how many of `total` it has done through its [`Progress`].
    pub fn spawn_counting(
        waker: &Waker,
        total: usize,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Self {
        Self::start(waker, Some(total), work)
    }

    fn start(
        waker: &Waker,
        total: Option<usize>,
        work: impl FnOnce(&Progress) -> T + Send + 'static,
    ) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let progress = Progress {
            done: done.clone(),
            waker: waker.clone(),
            last_wake: Cell::new(None),
        };
        let (sender, answer) = mpsc::channel();
        let wake = WakeOnDrop(waker.clone());
        let thread = std::thread::spawn(move || {
            // Dropped in reverse order: the sender first (the answer is in, or the job is known to
            // have stopped), then the window is woken to take it.
            let _wake = wake;
            let sender = sender;
            // No receiver means nobody waits for the answer any more (a newer job replaced it).
            sender.send(work(&progress)).ok();
        });
        Self {
            answer,
            thread,
            count: total.map(|t| (done, t)),
        }
    }
}

impl<T> Job<T> {
    /// The answer, once the job has finished; `None` while it runs.
    pub fn try_take(&mut self) -> Option<Result<T, Stopped>> {
        match self.answer.try_recv() {
            Ok(answer) => Some(Ok(answer)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(Stopped)),
        }
    }

    /// Blocks until the job finishes (tests, closing the window) and its thread has woken the
    /// window: the caller's next frame is the one that wake asked for, so nothing is left pending.
    pub fn wait(self) -> Result<T, Stopped> {
        let answer = self.answer.recv().map_err(|_| Stopped);
        // A panicked job's unwinding is already reported as `Stopped`.
        self.thread.join().ok();
        answer
    }

    /// (done, total) of a counting job.
    pub fn progress(&self) -> Option<(usize, usize)> {
        self.count
            .as_ref()
            .map(|(done, total)| (done.load(Ordering::Relaxed), *total))
    }
}

/// The answer of the job in `slot` once it has finished, leaving the slot empty.
pub fn take_finished<T>(slot: &mut Option<Job<T>>) -> Option<Result<T, Stopped>> {
    let answer = slot.as_mut()?.try_take()?;
    *slot = None;
    Some(answer)
}

/// Blocks until the job in `slot` (if any) finishes, leaving the slot empty.
pub fn wait_for<T>(slot: &mut Option<Job<T>>) -> Option<Result<T, Stopped>> {
    slot.take().map(Job::wait)
}
