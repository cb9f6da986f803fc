//! Token chains: the tokens of one portal and user, shared by every client made from them
//! in the process, however they were made, so that an expiry is refreshed once; and the
//! app's token store, which every instance locks around a refresh ([`TokenStore`]).
//!
//! A chain is found by any token it ever held: a client made from tokens that were since
//! refreshed (read from a store before another client renewed them) joins the chain and
//! uses its current tokens.

use std::collections::HashMap;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use b24_placement::Secret;

use crate::error::Error;
use crate::tokens::Tokens;

/// What a token store's calls give back.
pub type TokenFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The work of a renewal, run by the store under its lock with the tokens stored now: the
/// tokens to store in their place, or `None` to keep them.
pub type RenewFn<'a> = Box<dyn FnOnce(Tokens) -> TokenFuture<'a, Result<Option<Tokens>, Error>> + Send + 'a>;

/// How a renewal under the store's lock failed.
#[derive(Debug)]
pub enum RenewError {
    /// The store could not be locked or read: nothing was renewed.
    Store(String),
    /// The portal is no longer in the store.
    NotInstalled,
    /// The renewal itself failed; nothing was stored.
    Renew(Error),
    /// Renewed (the old refresh token is spent) but not stored: keep these.
    NotStored { tokens: Tokens, message: String },
}

/// Where a portal's tokens are kept beyond the process: the app's store, shared by its
/// instances. A refresh runs under its lock ([`renew`](TokenStore::renew)): the stored
/// tokens are read again under it, refreshed only if no one else did, and stored before
/// the lock is released and before any caller uses them.
pub trait TokenStore: Send + Sync {
    /// Runs `renew` under the store's lock on these tokens (`current` gives what the store
    /// does not hold: endpoints, scope); gives the tokens stored when it is released.
    fn renew<'a>(
        &'a self,
        current: &'a Tokens,
        renew: RenewFn<'a>,
    ) -> TokenFuture<'a, Result<Tokens, RenewError>>;
    /// Records that the tokens can no longer be refreshed: the portal needs a reinstall.
    fn mark_needs_reinstall(&self) -> TokenFuture<'_, Result<(), String>>;
}

/// One chain of tokens: the current pair, one refresh at a time.
pub(crate) struct Chain {
    pub(crate) tokens: tokio::sync::RwLock<Tokens>,
    /// Held while one refresh runs: calls that meet the same expiry wait here and find
    /// the new tokens.
    pub(crate) refreshing: tokio::sync::Mutex<()>,
    /// Renewed tokens the store could not take yet, and the refresh token they replaced.
    pub(crate) pending: Mutex<Option<(Tokens, Option<Secret>)>>,
    /// The refresh token was refused after a re-read: no refresh is tried again.
    pub(crate) dead: AtomicBool,
}

impl Chain {
    pub(crate) fn is_dead(&self) -> bool {
        self.dead.load(Ordering::SeqCst)
    }

    pub(crate) fn set_dead(&self) {
        self.dead.store(true, Ordering::SeqCst);
    }
}

/// The token chains of a process (or of one app instance): clients made from the same
/// tokens, or from tokens of the same chain, share one.
pub struct TokenChains {
    keys: RandomState,
    by_token: Mutex<HashMap<u64, Weak<Chain>>>,
}

impl Default for TokenChains {
    fn default() -> Self {
        TokenChains {
            keys: RandomState::new(),
            by_token: Mutex::new(HashMap::new()),
        }
    }
}

impl TokenChains {
    /// A set of chains of its own (an app instance's: two instances in one process then
    /// meet only through their store, as two processes do).
    pub fn new() -> Arc<TokenChains> {
        Arc::new(TokenChains::default())
    }

    /// The process's chains, which clients use unless given others.
    pub fn global() -> Arc<TokenChains> {
        static GLOBAL: OnceLock<Arc<TokenChains>> = OnceLock::new();
        GLOBAL.get_or_init(TokenChains::new).clone()
    }

    fn key(&self, token: &Secret) -> u64 {
        self.keys.hash_one(token.expose())
    }

    /// The chain `tokens` belong to, or a new one. A chain that holds older tokens than
    /// these (the store had newer ones) takes these.
    pub(crate) fn join(&self, tokens: Tokens) -> Arc<Chain> {
        let mut by_token = self.by_token.lock().unwrap_or_else(|e| e.into_inner());
        let keys = [Some(&tokens.access_token), tokens.refresh_token.as_ref()];
        let found = keys
            .iter()
            .flatten()
            .find_map(|t| by_token.get(&self.key(t)).and_then(Weak::upgrade));
        if let Some(chain) = found {
            if let Ok(mut current) = chain.tokens.try_write() {
                if tokens.expires > current.expires {
                    *current = tokens.clone();
                }
            }
            for t in keys.into_iter().flatten() {
                by_token.insert(self.key(t), Arc::downgrade(&chain));
            }
            return chain;
        }
        // forget the chains no client holds any more
        by_token.retain(|_, w| w.strong_count() > 0);
        let chain = Arc::new(Chain {
            tokens: tokio::sync::RwLock::new(tokens.clone()),
            refreshing: tokio::sync::Mutex::new(()),
            pending: Mutex::new(None),
            dead: AtomicBool::new(false),
        });
        for t in keys.into_iter().flatten() {
            by_token.insert(self.key(t), Arc::downgrade(&chain));
        }
        chain
    }

    /// Records the chain's new tokens, so that clients made from them find it.
    pub(crate) fn renewed(&self, chain: &Arc<Chain>, tokens: &Tokens) {
        let mut by_token = self.by_token.lock().unwrap_or_else(|e| e.into_inner());
        for t in [Some(&tokens.access_token), tokens.refresh_token.as_ref()]
            .into_iter()
            .flatten()
        {
            by_token.insert(self.key(t), Arc::downgrade(chain));
        }
    }
}
