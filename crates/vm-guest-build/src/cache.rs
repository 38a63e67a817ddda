//! The build cache: a directory of binaries named `<program>-<target>-<key>`, where the
//! key is a hash of everything that affects the binary.
//!
//! Invariants: a binary enters the cache by rename from a temporary name unique to the
//! process and call, so readers see all of it or nothing; pruning removes only files
//! named like another key of the same program and target, never anything else.

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Error, Result, Target};

/// Hex digits of the key in a cached file's name.
const KEY_LEN: usize = 20;

/// 64-bit FNV-1a, run twice with different offsets for a 128-bit cache key: stable
/// across Rust versions, enough to key a local build cache. Every input is followed by
/// its length, so that ("ab", "c") and ("a", "bc") differ.
pub struct KeyHasher(u64, u64);

impl Default for KeyHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyHasher {
    pub fn new() -> Self {
        KeyHasher(0xcbf29ce484222325, 0x84222325cbf29ce4)
    }

    fn add_raw(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100000001b3);
            self.1 = (self.1 ^ u64::from(b))
                .wrapping_mul(0x100000001b3)
                .rotate_left(5);
        }
    }

    pub fn add(&mut self, bytes: &[u8]) -> &mut Self {
        self.add_raw(bytes);
        self.add_raw(&(bytes.len() as u64).to_le_bytes());
        self
    }

    /// Adds a file's contents as [`add`](Self::add) would, reading it in small chunks:
    /// reading a 9 MB source whole would leave the heap of the caller large, and a
    /// benchmark's children count it in their max RSS.
    pub fn add_file(&mut self, path: &Path) -> Result<&mut Self> {
        let mut file = fs::File::open(path).map_err(|e| Error::io("opening", path, e))?;
        let mut buf = [0u8; 16 * 1024];
        let mut len = 0u64;
        loop {
            let n = file
                .read(&mut buf)
                .map_err(|e| Error::io("reading", path, e))?;
            if n == 0 {
                break;
            }
            self.add_raw(&buf[..n]);
            len += n as u64;
        }
        self.add_raw(&len.to_le_bytes());
        Ok(self)
    }

    /// The key: the first [`KEY_LEN`] hex digits of the hash.
    pub fn key(&self) -> String {
        let hex = format!("{:016x}{:016x}", self.0, self.1);
        hex[..KEY_LEN].to_string()
    }
}

/// Where the build of `name` for `target` with `key` lives in the cache `dir`.
pub(crate) fn entry(dir: &Path, name: &str, target: Target, key: &str) -> PathBuf {
    dir.join(format!("{name}-{}-{key}", target.tag()))
}

/// A temporary name in `dir` for a build of `name` in progress, unique to this process
/// and call.
pub(crate) fn temporary(dir: &Path, name: &str) -> PathBuf {
    static SERIAL: AtomicUsize = AtomicUsize::new(0);
    let serial = SERIAL.fetch_add(1, Ordering::SeqCst);
    dir.join(format!(".{name}.{}-{serial}.tmp", std::process::id()))
}

/// Moves a finished build from `tmp` to `entry` and removes older builds of the same
/// program and target.
pub(crate) fn install(tmp: &Path, entry: &Path) -> Result<()> {
    fs::rename(tmp, entry).map_err(|e| Error::io("renaming a build into", entry, e))?;
    prune_others(entry);
    Ok(())
}

/// Removes the files beside `entry` that are builds of the same program and target
/// under another key. Best effort: a file that cannot be removed stays.
pub(crate) fn prune_others(entry: &Path) {
    let (Some(dir), Some(file)) = (entry.parent(), entry.file_name().and_then(|f| f.to_str()))
    else {
        return;
    };
    let Some(prefix) = file.get(..file.len().saturating_sub(KEY_LEN)) else {
        return;
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for other in entries.flatten() {
        let path = other.path();
        let Some(name) = path.file_name().and_then(|f| f.to_str()) else {
            continue;
        };
        let stale = name
            .strip_prefix(prefix)
            .is_some_and(|key| key.len() == KEY_LEN && key.bytes().all(|b| b.is_ascii_hexdigit()));
        if stale && name != file {
            let _ = fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_delimited_and_files_hash_like_bytes() {
        let key = |parts: &[&[u8]]| {
            let mut h = KeyHasher::new();
            for p in parts {
                h.add(p);
            }
            h.key()
        };
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_eq!(key(&[b"x"]).len(), KEY_LEN);

        let dir = std::env::temp_dir().join(format!("vm-guest-build-key-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("big");
        let bytes: Vec<u8> = (0..40_000u32).map(|i| (i * 7) as u8).collect();
        fs::write(&file, &bytes).unwrap();
        let mut from_file = KeyHasher::new();
        from_file.add_file(&file).unwrap();
        assert_eq!(from_file.key(), key(&[&bytes]));
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn pruning_removes_other_keys_of_the_same_program_and_target_only() {
        let dir = std::env::temp_dir().join(format!("vm-guest-build-prune-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let key = |c: char| c.to_string().repeat(KEY_LEN);
        let current = entry(&dir, "lua", Target::Riscv64, &key('a'));
        let older = entry(&dir, "lua", Target::Riscv64, &key('b'));
        let kept = [
            entry(&dir, "lua", Target::X86_64, &key('b')),
            entry(&dir, "lua-5.4", Target::Riscv64, &key('b')),
            dir.join(format!("lua-riscv64-{}", key('g'))),
            dir.join("lua-riscv64-abc"),
        ];
        for f in kept.iter().chain([&current, &older]) {
            fs::write(f, b"").unwrap();
        }
        prune_others(&current);
        assert!(current.is_file() && !older.exists());
        for f in &kept {
            assert!(f.is_file(), "{} was removed", f.display());
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
