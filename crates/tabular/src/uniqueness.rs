//! Finding the values that repeat in a column that must be unique (a unique field, the
//! primary key) in little memory and time: each row's value is kept as a 64-bit hash, eight
//! bytes a row whatever the value's length, written in order; at the end a sorted copy shows
//! which hashes repeat, and one more pass over the row-ordered hashes names the rows that
//! repeat an earlier one. Sequential writes and one sort cost far less than a hash table's
//! random reads. Two different values of a million-row file share a hash about once in thirty
//! million files (one false finding); keeping the values would grow with the file's bytes.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use crate::cast::Value;

/// A blank value: never a repeat.
const BLANK: u64 = 0;

/// The values of one column (or group of columns), one hash a row, in row order.
pub(crate) struct ColumnHashes {
    hashes: Vec<u64>,
}

impl ColumnHashes {
    pub fn new() -> ColumnHashes {
        ColumnHashes { hashes: Vec::new() }
    }

    /// Adds the next row's value; `None` for a blank.
    pub fn push(&mut self, hash: Option<u64>) {
        self.hashes.push(hash.map_or(BLANK, |h| h.max(1)));
    }

    /// Adds the rows of another column, which follow this one's.
    pub fn append(&mut self, later: ColumnHashes) {
        self.hashes.extend_from_slice(&later.hashes);
    }

    /// Makes room for about this many more rows at once.
    pub fn reserve(&mut self, additional: usize) {
        self.hashes.reserve_exact(additional);
    }

    /// The positions (in row order, from 0) of the rows whose value an earlier row has.
    pub fn repeats(&self) -> Vec<usize> {
        // A sorted copy shows the hashes that repeat. Equal hashes share their top bit, so the
        // copy is split by it and each side sorted and read on a thread of its own.
        let mut sorted = self.hashes.clone();
        let mut low = 0;
        for at in 0..sorted.len() {
            if sorted[at] >> 63 == 0 {
                sorted.swap(low, at);
                low += 1;
            }
        }
        let (left, right) = sorted.split_at_mut(low);
        let repeated_in = |side: &mut [u64]| {
            side.sort_unstable();
            side.windows(2)
                .filter(|w| w[0] == w[1] && w[0] != BLANK)
                .map(|w| w[0])
                .collect::<Vec<u64>>()
        };
        let (mut repeated, more) = if self.hashes.len() >= 100_000 {
            std::thread::scope(|scope| {
                let other = scope.spawn(|| repeated_in(left));
                let more = repeated_in(right);
                (other.join().unwrap_or_default(), more)
            })
        } else {
            (repeated_in(left), repeated_in(right))
        };
        repeated.extend(more);
        let repeated: HashesSet = repeated.into_iter().collect();
        drop(sorted);
        if repeated.is_empty() {
            return Vec::new();
        }
        let mut first_seen =
            HashesSet::with_capacity_and_hasher(repeated.len(), Default::default());
        self.hashes
            .iter()
            .enumerate()
            .filter(|(_, h)| repeated.contains(h) && !first_seen.insert(**h))
            .map(|(position, _)| position)
            .collect()
    }
}

/// A set of values that are hashes already: looked up by their own bits, since every row's
/// hash is looked up once and hashing it again would cost more than the lookup.
type HashesSet = HashSet<u64, BuildHasherDefault<OwnBits>>;

#[derive(Default)]
struct OwnBits(u64);

impl Hasher for OwnBits {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// The hasher of every value: foldhash, which spreads values over 64 bits as well as the
/// standard library's SipHash for this purpose, in a fraction of its time. Its seed is fixed,
/// so that a file gives the same report every time.
fn hasher() -> impl Hasher {
    foldhash::quality::FixedState::with_seed(0x6162_6965_7274_6f21).build_hasher()
}

/// The hash of one value.
pub(crate) fn hash_value(value: &Value<'_>) -> u64 {
    let mut hasher = hasher();
    value.hash_into(&mut hasher);
    hasher.finish()
}

/// The hash of several values, a blank counting as a value of its own.
pub(crate) fn hash_values(values: &[Option<u64>]) -> u64 {
    let mut hasher = hasher();
    for value in values {
        match value {
            Some(hash) => {
                hasher.write_u8(1);
                hasher.write_u64(*hash);
            }
            None => hasher.write_u8(0),
        }
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_rows_that_repeat_an_earlier_one() {
        let mut column = ColumnHashes::new();
        for value in [
            Some(7),
            None,
            Some(9),
            Some(7),
            None,
            Some(7),
            Some(9),
            Some(1),
        ] {
            column.push(value);
        }
        assert_eq!(column.repeats(), vec![3, 5, 6]);
        assert!(ColumnHashes::new().repeats().is_empty());

        // Hashes on both sides of the top bit, in a column long enough to be split.
        let mut long = ColumnHashes::new();
        let own = |i: u64| i | (i % 2) << 63;
        for i in 0..150_000u64 {
            let value = match i {
                100_000 | 149_999 => own(42),
                120_000 => own(43),
                _ => own(i),
            };
            long.push(Some(value));
        }
        assert_eq!(long.repeats(), vec![100_000, 120_000, 149_999]);
    }
}
