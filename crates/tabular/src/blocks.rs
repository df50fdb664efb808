//! Cutting a CSV stream into blocks of whole records on a thread of its own, so that other
//! threads can check several blocks at once. The reading thread reads the stream straight into
//! the block being filled, marks its empty lines there and cuts each block after its last
//! line end outside quotes: no record straddles two blocks, so each block is read on its own.
//! Memory stays a few blocks whatever the size of the stream: the channel holds few, and the
//! buffers of checked blocks come back to be filled again.

use std::collections::VecDeque;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};

use crate::rows::{guess_delimiter, BlankLineMarker};

/// How much each read asks for.
const READ: usize = 128 * 1024;
/// The size from which a block is cut at its last whole record.
const BLOCK: usize = 512 * 1024;
/// Blocks read and waiting to be checked, at most.
pub(crate) const WAITING: usize = 4;

/// Whole records of the stream, with their empty lines marked.
pub(crate) struct Block {
    /// The block's place in the stream, from 0.
    pub index: usize,
    pub delimiter: u8,
    /// Records at the start that are not data: the header and any empty lines before it.
    pub skip: usize,
    /// The bytes, or why the stream could not be read further.
    pub bytes: Result<Vec<u8>, String>,
}

/// Reads `source` to its end (or until `stop` is set or nobody takes blocks any more), sending
/// it as blocks; buffers sent back through `spent` are filled again. Returns the bytes read.
pub(crate) fn split_blocks(
    mut source: impl Read,
    blocks: SyncSender<Block>,
    spent: Receiver<Vec<u8>>,
    stop: &AtomicBool,
) -> u64 {
    let fresh = || {
        spent.try_recv().map_or_else(
            |_| Vec::with_capacity(BLOCK + READ + READ / 2),
            |mut buffer| {
                buffer.clear();
                buffer
            },
        )
    };
    let mut read = 0u64;
    let mut marker: Option<BlankLineMarker> = None;
    let mut out = fresh();
    let mut record_end = None;
    let mut index = 0;
    let mut send = |bytes: Result<Vec<u8>, String>, delimiter: u8| {
        let block = Block {
            index,
            delimiter,
            skip: 0,
            bytes,
        };
        index += 1;
        blocks.send(block).is_ok()
    };
    while !stop.load(Ordering::Relaxed) {
        // Read straight into the block: its bytes are marked where they lie.
        let from = out.len();
        let (n, failure) = match (&mut source).take(READ as u64).read_to_end(&mut out) {
            Ok(n) => (n, None),
            // What was read before the failure is in the block, and is checked.
            Err(err) => (out.len() - from, Some(err.to_string())),
        };
        read += n as u64;
        if n == 0 && failure.is_none() {
            if !out.is_empty() {
                let delimiter = marker.as_ref().map_or(b',', BlankLineMarker::delimiter);
                send(Ok(out), delimiter);
            }
            break;
        }
        let marker =
            marker.get_or_insert_with(|| BlankLineMarker::new(guess_delimiter(&out[from..])));
        if let Some(end) = marker.mark_appended(&mut out, from) {
            record_end = Some(end);
        }
        if let Some(note) = failure {
            if !out.is_empty() {
                send(Ok(std::mem::take(&mut out)), marker.delimiter());
            }
            send(Err(note), marker.delimiter());
            break;
        }
        if let Some(cut) = record_end.filter(|_| out.len() >= BLOCK) {
            let mut next = fresh();
            next.extend_from_slice(&out[cut..]);
            out.truncate(cut);
            record_end = None;
            if !send(Ok(std::mem::replace(&mut out, next)), marker.delimiter()) {
                break;
            }
        }
    }
    read
}

/// The blocks for the checking threads: first those the caller read ahead, then the stream's.
pub(crate) struct BlockQueue {
    pub read_ahead: VecDeque<Block>,
    pub incoming: Receiver<Block>,
}

impl BlockQueue {
    pub fn next(&mut self) -> Option<Block> {
        self.read_ahead
            .pop_front()
            .or_else(|| self.incoming.recv().ok())
    }
}
