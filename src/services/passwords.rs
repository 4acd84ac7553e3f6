//! Argon2id password hashing on a small pool of dedicated threads.
//!
//! Each hash takes ~19 MiB and a core for tens of milliseconds. Run on whatever thread
//! asks, 120 logins at once took 120 threads and 2.7 GiB that the allocator kept per
//! thread. Here at most one hash runs per core, always on the same few threads, so memory
//! stays bounded and excess logins wait in line instead of exhausting the machine.

use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

type Work = Box<dyn FnOnce() + Send>;

/// The hashing threads (one per core), started on first use.
fn pool() -> &'static Mutex<mpsc::Sender<Work>> {
    static POOL: OnceLock<Mutex<mpsc::Sender<Work>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Work>();
        let rx = std::sync::Arc::new(Mutex::new(rx));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for i in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || loop {
                    let next = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    match next {
                        Ok(work) => work(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Mutex::new(tx)
    })
}

/// Queues work for the hashing threads.
fn enqueue(work: Work) {
    if let Ok(sender) = pool().lock() {
        let _ = sender.send(work);
    }
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

fn verify_now(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Hashes a new password (blocks the calling thread until the pool has done it).
pub fn hash(password: &str) -> anyhow::Result<String> {
    let password = password.to_string();
    let (tx, rx) = mpsc::sync_channel(1);
    enqueue(Box::new(move || {
        let _ = tx.send(hash_now(&password));
    }));
    rx.recv()
        .map_err(|_| anyhow::anyhow!("the password hashing pool stopped"))?
}

/// Checks a password against a stored hash, waiting for the pool without holding an
/// async worker or a database connection.
pub async fn verify(password: String, hash: String) -> bool {
    let (tx, rx) = tokio::sync::oneshot::channel();
    enqueue(Box::new(move || {
        let _ = tx.send(verify_now(&password, &hash));
    }));
    rx.await.unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that an unknown email
/// takes as long to refuse as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now("relais-dummy-password").unwrap_or_default())
}

/// A random password for generated accounts, printed once to the operator.
pub fn generate() -> String {
    let mut bytes = [0u8; 12];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    #[actix_web::test]
    async fn hashes_verify_and_are_salted() {
        let a = super::hash("correct horse battery").unwrap();
        let b = super::hash("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(super::verify("correct horse battery".into(), a.clone()).await);
        assert!(!super::verify("wrong".into(), a).await);
    }
}
