//! The open frames: one widget per frame, found by the session id its page carries.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use layout_core::command::Button;

use crate::verify::Verifier;
use layout_core::state::WidgetState;

/// How many open frames are remembered; the oldest is forgotten beyond that (its frame
/// is answered 404 and asks for a reload).
pub const MAX_SESSIONS: usize = 10_000;

/// A frame: its widget and the mirror of what the portal shows, behind a lock of its
/// own (events of one frame run in order; frames run in parallel), and a gate read
/// without that lock.
pub(crate) struct Session<W> {
    /// The portal's member_id.
    pub(crate) member: String,
    /// The verifier that let the frame open, asked again on each event.
    pub(crate) guard: Option<Arc<dyn Verifier>>,
    pub(crate) gate: Gate,
    pub(crate) inner: tokio::sync::Mutex<Frame<W>>,
    /// The CRM object the frame was opened for (entityTypeId, id): the portal's events
    /// about it reach the frame (with the life cycle, which receives them).
    #[cfg_attr(not(feature = "lifecycle"), allow(dead_code))]
    pub(crate) object: Option<(u32, u64)>,
    /// What the server sends the frame unasked (`GET /event`), and the lines that wait
    /// for the page to connect.
    pub(crate) push: Mutex<Push>,
}

/// The frame's push channel: lines that wait for its page, or the page's stream (what
/// is pushed comes from the portal's events, with the life cycle).
#[cfg_attr(not(feature = "lifecycle"), allow(dead_code))]
pub(crate) enum Push {
    Waiting(Vec<String>),
    Connected(tokio::sync::mpsc::UnboundedSender<String>),
}

/// How many lines wait for a page that has not connected; the oldest go beyond that.
#[cfg(feature = "lifecycle")]
const WAITING: usize = 64;

impl<W> Session<W> {
    /// Sends a line to the frame's page, or keeps it until the page connects.
    #[cfg(feature = "lifecycle")]
    pub(crate) fn push(&self, line: String) {
        let mut push = self.push.lock().unwrap_or_else(|e| e.into_inner());
        let line = match &*push {
            Push::Connected(tx) => match tx.send(line) {
                Ok(()) => return,
                // the page went away: kept for its reconnection
                Err(lost) => lost.0,
            },
            Push::Waiting(_) => line,
        };
        if let Push::Connected(_) = &*push {
            *push = Push::Waiting(Vec::new());
        }
        if let Push::Waiting(lines) = &mut *push {
            if lines.len() >= WAITING {
                lines.remove(0);
            }
            lines.push(line);
        }
    }

    /// Connects the page's stream: what waited is sent first.
    pub(crate) fn connect(&self, tx: tokio::sync::mpsc::UnboundedSender<String>) {
        let mut push = self.push.lock().unwrap_or_else(|e| e.into_inner());
        if let Push::Waiting(lines) = &mut *push {
            for line in lines.drain(..) {
                let _ = tx.send(line);
            }
        }
        *push = Push::Connected(tx);
    }
}

/// A frame's widget and its mirror, started from the layout checked when the frame
/// opened.
pub(crate) struct Frame<W> {
    pub(crate) widget: W,
    pub(crate) state: WidgetState,
}

/// What a click arriving now would meet, kept beside the frame's lock so that a click
/// that waits for an update to end is judged by what the frame showed while it waited.
/// It only records [`WidgetState::busy`], the one place where busy is decided.
pub(crate) struct Gate {
    /// Each button's [`WidgetState::busy`] after the last command.
    busy: [AtomicBool; 2],
    /// Counts the times each button became busy.
    became_busy: [AtomicU64; 2],
}

/// What a click met as it arrived.
#[derive(Clone, Copy)]
pub(crate) struct Arrival {
    button: Button,
    busy: bool,
    became_busy: u64,
}

impl Gate {
    /// The gate of a frame that shows `state`.
    pub(crate) fn new(state: &WidgetState) -> Gate {
        Gate {
            busy: Button::BOTH.map(|b| AtomicBool::new(state.busy(b))),
            became_busy: [AtomicU64::new(0), AtomicU64::new(0)],
        }
    }

    /// Records the state after a command.
    pub(crate) fn record(&self, state: &WidgetState) {
        for b in Button::BOTH {
            let i = b.index();
            if state.busy(b) {
                if !self.busy[i].swap(true, Ordering::SeqCst) {
                    self.became_busy[i].fetch_add(1, Ordering::SeqCst);
                }
            } else {
                self.busy[i].store(false, Ordering::SeqCst);
            }
        }
    }

    /// What a click on `button` meets as it arrives, before it waits for its turn.
    pub(crate) fn arrive(&self, button: Button) -> Arrival {
        let i = button.index();
        Arrival {
            button,
            busy: self.busy[i].load(Ordering::SeqCst),
            became_busy: self.became_busy[i].load(Ordering::SeqCst),
        }
    }

    /// Whether a click that arrived as `arrival` says finds its button busy: it was when
    /// the click came, or it became so while the click waited.
    pub(crate) fn was_busy(&self, arrival: Arrival) -> bool {
        arrival.busy || self.became_busy[arrival.button.index()].load(Ordering::SeqCst) != arrival.became_busy
    }
}

/// How many frames one portal may have open; its oldest is forgotten beyond that, so
/// that no portal can push out another's frames.
pub const MAX_PER_PORTAL: usize = 1_000;

/// The open frames, by id, and each portal's in the order they were opened.
pub(crate) struct Sessions<W> {
    by_id: HashMap<u128, Arc<Session<W>>>,
    by_portal: HashMap<String, VecDeque<u128>>,
}

impl<W> Default for Sessions<W> {
    fn default() -> Self {
        Sessions {
            by_id: HashMap::new(),
            by_portal: HashMap::new(),
        }
    }
}

impl<W> Sessions<W> {
    pub(crate) fn get(&self, id: u128) -> Option<Arc<Session<W>>> {
        self.by_id.get(&id).cloned()
    }

    /// The open frames of portal `member` on the object `object`.
    #[cfg(feature = "lifecycle")]
    pub(crate) fn of_object(&self, member: &str, object: (u32, u64)) -> Vec<Arc<Session<W>>> {
        self.by_portal
            .get(member)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| self.by_id.get(id))
                    .filter(|s| s.object == Some(object))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Remembers a frame of its portal; gives back the frames it makes forget (to be
    /// dropped once the lock is released): the portal's oldest beyond
    /// [`MAX_PER_PORTAL`], and beyond [`MAX_SESSIONS`] the oldest of the portal with the
    /// most frames.
    pub(crate) fn insert(&mut self, id: u128, session: Arc<Session<W>>) -> Vec<Arc<Session<W>>> {
        let mut forgotten = Vec::new();
        let queue = match self.by_portal.get_mut(session.member.as_str()) {
            Some(q) => q,
            None => self.by_portal.entry(session.member.clone()).or_default(),
        };
        queue.push_back(id);
        let oldest = if queue.len() > MAX_PER_PORTAL {
            queue.pop_front()
        } else {
            None
        };
        self.by_id.insert(id, session);
        if let Some(old) = oldest {
            forgotten.extend(self.by_id.remove(&old));
        }
        if self.by_id.len() > MAX_SESSIONS {
            let busiest = self.by_portal.values_mut().max_by_key(|q| q.len());
            if let Some(old) = busiest.and_then(VecDeque::pop_front) {
                forgotten.extend(self.by_id.remove(&old));
            }
        }
        forgotten
    }

    /// Forgets every frame of portal `member` (uninstalled).
    /// Only the frames that `verifier` let open: another router's life cycle on the same
    /// host keeps its own.
    pub(crate) fn remove_portal(
        &mut self,
        member: &str,
        verifier: &Arc<dyn Verifier>,
    ) -> Vec<Arc<Session<W>>> {
        let Some(queue) = self.by_portal.get_mut(member) else {
            return Vec::new();
        };
        let by_id = &mut self.by_id;
        let mut forgotten = Vec::new();
        queue.retain(|id| {
            let ours = by_id
                .get(id)
                .is_some_and(|s| s.guard.as_ref().is_some_and(|g| same(g, verifier)));
            if ours {
                forgotten.extend(by_id.remove(id));
            }
            !ours
        });
        if queue.is_empty() {
            self.by_portal.remove(member);
        }
        forgotten
    }
}

/// Whether two verifiers are the same one.
fn same(a: &Arc<dyn Verifier>, b: &Arc<dyn Verifier>) -> bool {
    std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b))
}

/// Session ids: 128 random bits each from the operating system's CSPRNG
/// (`getrandom`), read 4 KiB at a time (one system call for 256 frames) and each byte
/// handed out once. An id tells nothing of another (a frame's events are only accepted
/// under its id).
pub(crate) fn new_session_id() -> Result<u128, getrandom::Error> {
    static POOL: Mutex<RandomPool> = Mutex::new(RandomPool {
        bytes: [0; RandomPool::SIZE],
        next: RandomPool::SIZE,
    });
    let mut pool = POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if pool.next + 16 > RandomPool::SIZE {
        getrandom::fill(&mut pool.bytes)?;
        pool.next = 0;
    }
    let at = pool.next;
    let mut id = [0u8; 16];
    id.copy_from_slice(&pool.bytes[at..at + 16]);
    // handed out once: wiped as it leaves
    pool.bytes[at..at + 16].fill(0);
    pool.next = at + 16;
    Ok(u128::from_le_bytes(id))
}

struct RandomPool {
    bytes: [u8; RandomPool::SIZE],
    /// The first byte not handed out yet.
    next: usize,
}

impl RandomPool {
    const SIZE: usize = 4096;
}

/// An id as 32 lowercase hex digits, as the page carries it.
pub(crate) fn session_hex(id: u128) -> [u8; 32] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = [0u8; 32];
    for (i, digit) in text.iter_mut().enumerate() {
        *digit = HEX[((id >> (124 - 4 * i)) & 0xf) as usize];
    }
    text
}

#[cfg(test)]
pub(crate) fn session_text(id: u128) -> String {
    b24_html::utf8(session_hex(id).to_vec())
}

/// The id of a session's text; `None` for anything not written by [`session_text`].
pub(crate) fn session_of(text: &str) -> Option<u128> {
    if text.len() != 32 || !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    u128::from_str_radix(text, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ids_are_random_and_distinct() {
        let ids: std::collections::HashSet<u128> = (0..1000).map(|_| new_session_id().unwrap()).collect();
        assert_eq!(ids.len(), 1000);
        // every bit is used: no fixed slot or counter in the low bits
        let ored = ids.iter().fold(0u128, |a, b| a | b);
        let anded = ids.iter().fold(u128::MAX, |a, b| a & b);
        assert_eq!((ored, anded), (u128::MAX, 0));
    }

    #[test]
    fn session_ids_read_back_only_as_written() {
        for id in [0, 1, u128::MAX, 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210] {
            let text = session_text(id);
            assert_eq!(text, format!("{id:032x}"));
            assert_eq!(session_of(&text), Some(id));
            let digits_only = text.bytes().all(|b| b.is_ascii_digit());
            assert_eq!(session_of(&text.to_uppercase()), digits_only.then_some(id));
        }
        assert_eq!(session_of("+123456789abcdef0123456789abcdef"), None);
        assert_eq!(session_of(""), None);
    }
}
